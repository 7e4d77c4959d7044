"""SM3 hashing and SM4 encryption (GB/T 32905, GB/T 32907) for data at rest and the audit chain.

Chinese graded-protection (等保) assessments expect the national algorithms; `cryptography`
provides both through OpenSSL.
"""

from __future__ import annotations

import base64
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

_PREFIX = "sm4gcm:"
_NONCE_BYTES = 12
_TAG_BYTES = 16


class DecryptionError(Exception):
    """Stored ciphertext could not be decrypted with the configured key."""


def sm3_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3_hex(key: bytes, data: str) -> str:
    return hmac.new(key, data.encode("utf-8"), _sm3_factory).hexdigest()


class _SM3Hashlib:
    """Adapter so that the stdlib hmac module can drive SM3 from `cryptography`."""

    digest_size = 32
    block_size = 64
    name = "sm3"

    def __init__(self, data: bytes = b"") -> None:
        self._hash = hashes.Hash(hashes.SM3())
        if data:
            self._hash.update(data)

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def copy(self) -> _SM3Hashlib:
        clone = _SM3Hashlib()
        clone._hash = self._hash.copy()
        return clone

    def digest(self) -> bytes:
        return self._hash.copy().finalize()

    def hexdigest(self) -> str:
        return self.digest().hex()


def _sm3_factory(data: bytes = b"") -> _SM3Hashlib:
    return _SM3Hashlib(data)


@lru_cache(maxsize=4)
def _keys(material: str) -> tuple[bytes, bytes]:
    """(encryption key, blind-index key), both derived from the configured material."""
    if len(material) == 32 and all(c in "0123456789abcdefABCDEF" for c in material):
        enc = bytes.fromhex(material)
    else:
        enc = bytes.fromhex(sm3_hex("kexie-field-encryption:" + material))[:16]
    index = bytes.fromhex(sm3_hex(b"kexie-blind-index:" + enc))
    return enc, index


def _material() -> str:
    return settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY


def encrypt_text(plain: str) -> str:
    if plain == "":
        return ""
    key, _ = _keys(_material())
    nonce = os.urandom(_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plain.encode("utf-8")) + encryptor.finalize()
    return _PREFIX + base64.b64encode(nonce + encryptor.tag + body).decode("ascii")


def decrypt_text(stored: str) -> str:
    if stored == "" or stored is None:
        return ""
    if not stored.startswith(_PREFIX):
        raise DecryptionError("value is not SM4 ciphertext")
    raw = base64.b64decode(stored[len(_PREFIX) :])
    nonce, tag, body = (
        raw[:_NONCE_BYTES],
        raw[_NONCE_BYTES : _NONCE_BYTES + _TAG_BYTES],
        raw[_NONCE_BYTES + _TAG_BYTES :],
    )
    key, _ = _keys(_material())
    try:
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except InvalidTag:
        raise DecryptionError("ciphertext does not match the configured key") from None


def blind_index(value: str) -> str:
    """A keyed hash for exact lookups (duplicates by ID number) without storing the plain value."""
    if not value:
        return ""
    _, key = _keys(_material())
    return hmac_sm3_hex(key, value.strip().upper())
