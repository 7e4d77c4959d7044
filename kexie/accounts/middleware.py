from __future__ import annotations

import functools

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from kexie.accounts.queries import is_staff_member

# Session keys caching the second-factor state, each valid only with the user's current
# ``second_factor_version`` (moved by any save or delete of one of their devices: kexie/accounts/signals.py).
VERIFIED_SESSION_KEY = "kexie_otp_verified"  # [device persistent id, version]
NO_DEVICE_SESSION_KEY = "kexie_otp_no_device"  # version at which the user had no confirmed device


def second_factor_required(user, session=None) -> bool:
    """Whether this user must pass a TOTP check in this session.

    With ``session``, the answer "no confirmed device" (optional mode) is kept in the session until
    one of the user's devices changes, instead of being asked of the database on every request."""
    mode = settings.STAFF_SECOND_FACTOR
    if mode == "off" or not getattr(user, "is_authenticated", False):
        return False
    if mode == "required":
        return is_staff_member(user)
    # optional: whoever enrolled a device uses it.
    from django_otp import user_has_device

    version = getattr(user, "second_factor_version", None)
    cache = session is not None and version is not None
    if cache and session.get(NO_DEVICE_SESSION_KEY) == version:
        return False
    has_device = user_has_device(user, confirmed=True)
    if cache:
        if has_device:
            session.pop(NO_DEVICE_SESSION_KEY, None)
        else:
            session[NO_DEVICE_SESSION_KEY] = version
    return has_device


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware (``request.user.otp_device``, ``is_verified()``) without loading the
    verifying device on every request: once the device was found (existing, confirmed, the user's),
    the session remembers it with the user's ``second_factor_version``; while the version is unchanged
    the user counts as verified without a query. Deleting, resetting or re-enrolling a device moves the
    version, and the next request checks the device in the database again (a deleted device then
    ends the verification, as in django-otp)."""

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if not user.is_authenticated:
            return user
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        if not persistent_id:
            request.session.pop(VERIFIED_SESSION_KEY, None)
            return user
        version = getattr(user, "second_factor_version", None)
        if version is not None and request.session.get(VERIFIED_SESSION_KEY) == [persistent_id, version]:
            user.otp_device = SimpleLazyObject(
                functools.partial(self._device_from_persistent_id, persistent_id)
            )
            return user
        device = self._finalize_device(request, user, self._device_from_persistent_id(persistent_id))
        user.otp_device = device
        if device is not None and version is not None:
            request.session[VERIFIED_SESSION_KEY] = [persistent_id, version]
        else:
            request.session.pop(VERIFIED_SESSION_KEY, None)
        return user


class SecondFactorMiddleware:
    """Keeps a signed-in user on the password-change and second-factor pages until they are done.

    The API applies the same rule in its authentication (kexie/api.py), answering 403 instead of
    redirecting.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def exempt_paths(self) -> tuple[str, ...]:
        if self._exempt is None:
            self._exempt = (
                reverse("accounts:login"),
                reverse("accounts:logout"),
                reverse("accounts:otp_verify"),
                reverse("accounts:otp_setup"),
                reverse("accounts:password_change"),
                reverse("set_language"),
                settings.STATIC_URL,
                "/api/",
            )
        return self._exempt

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(self.exempt_paths()):
            if user.must_change_password:
                return redirect("accounts:password_change")
            if not user.is_verified() and second_factor_required(user, request.session):
                from django_otp import user_has_device

                target = (
                    "accounts:otp_verify" if user_has_device(user, confirmed=True) else "accounts:otp_setup"
                )
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
