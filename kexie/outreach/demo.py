"""Demo data of the outreach app for `kexie demo`: idempotent, deterministic."""

from __future__ import annotations


def load_demo(users: dict) -> list[tuple[str, str]]:
    """Load the app's demo data; return the demo logins it created as (username, description)."""
    return []
