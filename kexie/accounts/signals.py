"""Second-factor device changes move the owner's ``second_factor_version`` (see User)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django_otp.models import Device


def device_changed(sender, instance, **kwargs) -> None:
    if instance.user_id is None:
        return
    from kexie.accounts.models import User

    User.objects.filter(pk=instance.user_id).update(second_factor_version=F("second_factor_version") + 1)


def connect() -> None:
    """Every installed device model (TOTP, static codes, ...). A queryset ``update()`` of devices sends
    no signal: change devices through ``save()``/``delete()`` (as kexie/accounts/services.py does)."""
    for model in apps.get_models():
        if issubclass(model, Device):
            post_save.connect(
                device_changed, sender=model, dispatch_uid=f"kexie.accounts.saved.{model._meta.label}"
            )
            post_delete.connect(
                device_changed, sender=model, dispatch_uid=f"kexie.accounts.deleted.{model._meta.label}"
            )
