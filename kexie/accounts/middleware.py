from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from kexie.accounts.queries import is_staff_member


def second_factor_required(user) -> bool:
    """Whether this user must pass a TOTP check in this session."""
    mode = settings.STAFF_SECOND_FACTOR
    if mode == "off" or not getattr(user, "is_authenticated", False):
        return False
    if mode == "required":
        return is_staff_member(user)
    # optional: whoever enrolled a device uses it.
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)


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
            if second_factor_required(user) and not user.is_verified():
                from django_otp import user_has_device

                target = (
                    "accounts:otp_verify" if user_has_device(user, confirmed=True) else "accounts:otp_setup"
                )
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
