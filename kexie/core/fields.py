"""Model fields for personal data that is encrypted at rest."""

from __future__ import annotations

from django.db import models

from kexie.core.crypto import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """Stores SM4-GCM ciphertext; Python code sees the plain text.

    Encrypted values cannot be filtered on: pair the field with a blind index column
    (`kexie.core.crypto.blind_index`) where exact lookups are needed.
    """

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt_text(value)
