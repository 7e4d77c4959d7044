"""The personal-data key: a key id on every ciphertext, no fallback to SECRET_KEY, the production
check, and rotation with `kexie rotate-field-key`."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from kexie.core.checks import field_encryption_key
from kexie.core.crypto import DecryptionError, blind_index, current_key_id, decrypt_text, encrypt_text
from kexie.core.models import AuditEvent
from kexie.experts.models import Expert

KEY_A = "00112233445566778899aabbccddeeff"
KEY_B = "a long passphrase that is hashed with SM3 into a key"
ID_NUMBER = "11010519491231002X"


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test constants
        return cursor.fetchone()[0]


def legacy(token: str) -> str:
    """The same ciphertext in the format written before key ids."""
    prefix, _kid, body = token.split(":")
    return f"{prefix}:{body}"


def test_ciphertext_carries_the_key_id(settings):
    settings.FIELD_ENCRYPTION_KEY = KEY_A
    token = encrypt_text("13912345678")

    assert token.startswith(f"sm4gcm:{current_key_id()}:")
    assert len(current_key_id()) == 8
    settings.FIELD_ENCRYPTION_KEY = KEY_B
    assert current_key_id() not in token


def test_ciphertext_without_key_id_stays_readable(settings):
    settings.FIELD_ENCRYPTION_KEY = KEY_A
    assert decrypt_text(legacy(encrypt_text("13912345678"))) == "13912345678"


def test_old_default_key_from_secret_key_is_read_but_never_written(settings):
    settings.FIELD_ENCRYPTION_KEY = settings.SECRET_KEY
    written_by_old_default = legacy(encrypt_text("13912345678"))
    settings.FIELD_ENCRYPTION_KEY = KEY_A

    assert decrypt_text(written_by_old_default) == "13912345678"
    settings.FIELD_ENCRYPTION_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="KEXIE_FIELD_KEY is not set"):
        encrypt_text("13912345678")
    with pytest.raises(ImproperlyConfigured):
        blind_index(ID_NUMBER)


def test_ciphertext_of_an_unknown_key_is_refused(settings):
    settings.FIELD_ENCRYPTION_KEY = KEY_A
    token = encrypt_text("13912345678")
    settings.FIELD_ENCRYPTION_KEY = KEY_B

    with pytest.raises(DecryptionError, match="does not match any configured key"):
        decrypt_text(token)


@pytest.mark.parametrize(
    ("key", "debug", "testing", "errors"),
    [
        ("", False, False, ["kexie.E001"]),
        (KEY_A, False, False, []),
        ("", True, False, []),
        ("", False, True, []),
    ],
)
def test_check_errors_without_a_key_in_production(settings, key, debug, testing, errors):
    settings.FIELD_ENCRYPTION_KEY, settings.DEBUG, settings.TESTING = key, debug, testing

    assert [e.id for e in field_encryption_key(None)] == errors


def test_rotate_field_key_rewrites_every_field_and_blind_index(settings, make_user):
    settings.FIELD_ENCRYPTION_KEY = KEY_A
    user = make_user("alice", role="", mobile="13912345678")
    expert = Expert.objects.create(
        name="张明",
        organization_name="重庆大学",
        title="professor",
        mobile="13800138000",
        id_number=ID_NUMBER,
        id_number_index=blind_index(ID_NUMBER),
    )
    old_id = current_key_id()
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = KEY_B, [KEY_A]
    new_id = current_key_id()

    dry = io.StringIO()
    call_command("rotate-field-key", "--dry-run", stdout=dry)
    assert "accounts.User: 1 rows under another key" in dry.getvalue()
    assert "experts.Expert: 1 rows under another key" in dry.getvalue()
    assert raw("experts_expert", "id_number", expert.pk).startswith(f"sm4gcm:{old_id}:")

    call_command("rotate-field-key", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_OLD_KEYS = []

    assert raw("accounts_user", "mobile", user.pk).startswith(f"sm4gcm:{new_id}:")
    assert raw("experts_expert", "mobile", expert.pk).startswith(f"sm4gcm:{new_id}:")
    user.refresh_from_db()
    expert.refresh_from_db()
    assert (user.mobile, expert.mobile, expert.id_number) == ("13912345678", "13800138000", ID_NUMBER)
    assert Expert.objects.get(id_number_index=blind_index(ID_NUMBER)) == expert
    event = AuditEvent.objects.filter(action="core.field_key.rotate").get()
    assert event.after["key_id"] == new_id
    again = io.StringIO()
    call_command("rotate-field-key", "--dry-run", stdout=again)
    assert f"key {new_id}: 0 rows would be rewritten" in again.getvalue()
