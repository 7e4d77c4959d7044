"""JSON API of the calls app: the same scoping, masking and rules as its pages."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["calls"])
