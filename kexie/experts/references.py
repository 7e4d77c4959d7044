"""Records of other modules that name an expert by id without a foreign key — a docking's match, an
achievement's owner, a service team's member. The modules register them here (plug in, the library
never imports them): when two profiles of one person are merged, the library asks each kind to move
its references from the removed profile to the kept one, inside the merge's transaction.

Foreign keys need no registration: duplicates.references() finds them, and a profile they point at
is kept rather than removed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReferenceKind:
    key: str
    # What the references are, for the merge page and the audit trail ("对接记录").
    label: Any
    # How many records name this expert id.
    count: Callable[[int], int]
    # Rewrite them from one expert id to another; returns the records changed. Raises
    # ValidationError (with a message naming the record) when the two cannot be joined — the merge
    # is then refused and nothing changes.
    move: Callable[[int, int], int]


_registry: dict[str, ReferenceKind] = {}
_lock = threading.Lock()


def register(key: str, *, label, count: Callable[[int], int], move: Callable[[int, int], int]) -> None:
    with _lock:
        _registry[key] = ReferenceKind(key=key, label=label, count=count, move=move)


def unregister(key: str) -> None:
    with _lock:
        _registry.pop(key, None)


def registered() -> list[ReferenceKind]:
    with _lock:
        return sorted(_registry.values(), key=lambda kind: kind.key)


def held_by(expert_id: int) -> list[tuple[ReferenceKind, int]]:
    """(kind, count) of every registered kind naming ``expert_id``."""
    found = []
    for kind in registered():
        count = kind.count(expert_id)
        if count:
            found.append((kind, count))
    return found
