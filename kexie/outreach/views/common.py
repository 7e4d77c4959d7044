"""What the outreach pages share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

PAGE_SIZE = 25


def require(allowed: bool) -> None:
    """403 for a page or action the reader may see but not use (a reader who may not see an object gets
    404 from its access rule first)."""
    if not allowed:
        raise PermissionDenied
