"""Forgot password: Django's e-mail reset flow, audited and rate-limited.

A request never tells whether an address is known (the same page follows either way); at most
``RESET_LIMIT`` requests per address and per client address in ``RESET_WINDOW`` seconds are honoured,
the rest are answered alike and recorded as refused. Each request and each completed reset is an
audit event.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.cache import cache
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kexie.core.context import current_context
from kexie.core.crypto import sm3_hex
from kexie.core.masking import mask_email
from kexie.core.services import record_event

RESET_LIMIT = 3
RESET_WINDOW = 3600


def _over_limit(key: str) -> bool:
    cache_key = "pwreset:" + sm3_hex(key)[:32]
    added = cache.add(cache_key, 1, RESET_WINDOW)
    if added:
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, RESET_WINDOW)
        return False
    return count > RESET_LIMIT


class RateLimitedResetForm(PasswordResetForm):
    def save(self, *args, request=None, **kwargs):
        email = self.cleaned_data["email"].strip().lower()
        ip = current_context().ip or (request.META.get("REMOTE_ADDR", "") if request else "")
        limited = _over_limit(f"email:{email}") | _over_limit(f"ip:{ip}")
        record_event(
            None,
            "accounts.password_reset.request",
            actor_name=mask_email(email),
            success=not limited,
            detail="rate limited" if limited else "",
        )
        if limited:
            return
        super().save(*args, request=request, **kwargs)


class AuditedSetPasswordForm(SetPasswordForm):
    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            if getattr(user, "must_change_password", False):
                user.must_change_password = False
                user.save(update_fields=["must_change_password"])
            record_event(user, "accounts.password_reset.complete", actor=user)
        return user


class ResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = RateLimitedResetForm
    success_url = reverse_lazy("accounts:password_reset_done")
    title = _("Forgot password")


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = AuditedSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
