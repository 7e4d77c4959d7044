"""Counting attempts per key in the cache: invitation codes, public registration.

With Redis (REDIS_URL) the counts are shared by every worker; with the default local-memory cache
each worker counts on its own (a limit of N allows N per worker).
"""

from __future__ import annotations

from django.core.cache import cache

from kexie.core.crypto import sm3_hex


def _key(scope: str, key: str) -> str:
    return f"kexie-rate:{scope}:{sm3_hex(key)[:32]}"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def is_limited(scope: str, key: str, *, limit: int) -> bool:
    """Whether `key` has used up its `limit` attempts in the current window."""
    return (cache.get(_key(scope, key)) or 0) >= limit


def count_attempt(scope: str, key: str, *, window_seconds: int) -> int:
    """Count one attempt of `key`; the window starts with the first attempt."""
    name = _key(scope, key)
    cache.add(name, 0, timeout=window_seconds)
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window_seconds)
        return 1


# Public registration (citizens, enterprises): attempts per address and hour.
REGISTRATION_ATTEMPTS = 10
REGISTRATION_WINDOW_SECONDS = 3600


def registration_refused(request) -> bool:
    """Count a registration attempt from the request's address; True once the address is over the
    limit (the caller answers 429 without touching the accounts)."""
    address = client_address(request)
    if is_limited("registration", address, limit=REGISTRATION_ATTEMPTS):
        return True
    count_attempt("registration", address, window_seconds=REGISTRATION_WINDOW_SECONDS)
    return False
