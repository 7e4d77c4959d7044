"""System checks of kexie's own settings (run by `kexie check`, `migrate` and `serve`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register()
def field_encryption_key(app_configs, **kwargs) -> list[Error]:
    """Personal data needs its own key in production: no silent fallback to SECRET_KEY."""
    if settings.FIELD_ENCRYPTION_KEY or settings.DEBUG or settings.TESTING:
        return []
    return [
        Error(
            "KEXIE_FIELD_KEY is not set.",
            hint=(
                "Set KEXIE_FIELD_KEY (or KEXIE_FIELD_KEY_FILE) to 32 hex digits and back it up: the "
                "ID and mobile numbers stored encrypted cannot be read without it. `KEXIE_FIELD_KEY=auto` "
                "keeps a generated key under KEXIE_VAR_DIR (one machine, demonstrations)."
            ),
            id="kexie.E001",
        )
    ]


@register()
def audit_key(app_configs, **kwargs) -> list[Error]:
    """The audit chain needs a key kept outside the database in production."""
    if settings.AUDIT_KEY or settings.DEBUG or settings.TESTING:
        return []
    return [
        Error(
            "KEXIE_AUDIT_KEY is not set.",
            hint=(
                "Set KEXIE_AUDIT_KEY (or KEXIE_AUDIT_KEY_FILE) to 64 hex digits kept outside the database "
                "and give the auditor a copy: the audit chain is an HMAC-SM3 under it, so that whoever "
                "can write the database cannot rewrite the trail. `KEXIE_AUDIT_KEY=auto` keeps a "
                "generated key under KEXIE_VAR_DIR (one machine, demonstrations)."
            ),
            id="kexie.E002",
        )
    ]
