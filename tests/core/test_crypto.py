"""SM4 encryption at rest, SM3 hashes, masking and identifier validators."""

from __future__ import annotations

import pytest
from django.db import connection

from kexie.core.crypto import DecryptionError, blind_index, decrypt_text, encrypt_text, sm3_hex
from kexie.core.masking import mask_email, mask_id_number, mask_mobile, mask_name
from kexie.core.validators import id_number_check_digit, is_valid_id_number, is_valid_mobile


def test_sm3_matches_standard_vector():
    # GB/T 32905-2016 appendix A, example 1.
    assert sm3_hex("abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm4_round_trip_and_random_nonce():
    first, second = encrypt_text("13912345678"), encrypt_text("13912345678")
    assert first != second
    assert first.startswith("sm4gcm:")
    assert decrypt_text(first) == decrypt_text(second) == "13912345678"


def test_sm4_tampered_ciphertext_refused():
    token = encrypt_text("秘密")
    raw = bytearray(token.encode())
    raw[-2] = ord("A") if raw[-2] != ord("A") else ord("B")
    with pytest.raises(DecryptionError):
        decrypt_text(raw.decode())


def test_mobile_encrypted_at_rest(make_user):
    user = make_user("alice", role="", mobile="13912345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM accounts_user WHERE id = %s", [user.pk])
        stored = cursor.fetchone()[0]
    assert "13912345678" not in stored
    assert stored.startswith("sm4gcm:")
    user.refresh_from_db()
    assert user.mobile == "13912345678"


def test_blind_index_stable_and_normalised():
    assert blind_index("11010519491231002x") == blind_index(" 11010519491231002X ")
    assert blind_index("11010519491231002X") != blind_index("110105194912310036")


@pytest.mark.parametrize(("value", "masked"), [("13912345678", "139****5678"), ("123", "***"), ("", "")])
def test_mask_mobile(value, masked):
    assert mask_mobile(value) == masked


def test_mask_id_name_email():
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_name("王志坚") == "王**"
    assert mask_email("wang@example.com") == "w***@example.com"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("11010519491231002X", True),  # GB 11643 example
        ("11010519491231002x", True),
        ("110105194912310021", False),  # wrong check digit
        ("110105194902300025", False),  # 30 February
        ("11010519491231002", False),  # 17 characters
    ],
)
def test_id_number_checksum(value, ok):
    assert is_valid_id_number(value) is ok


def test_id_number_check_digit_computed():
    assert id_number_check_digit("11010519491231002") == "X"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("13912345678", True),
        ("19912345678", True),
        ("12912345678", False),
        ("1391234567", False),
        ("139123456789", False),
    ],
)
def test_mobile_format(value, ok):
    assert is_valid_mobile(value) is ok
