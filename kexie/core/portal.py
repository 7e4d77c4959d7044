"""Blocks that apps contribute to two pages they do not own: the public portal at ``/`` (anonymous
visitors) and the signed-in user's home (role homes).

An app declares portal blocks in its own ``portal.py`` and home panels in ``homes.py`` (both imported
automatically)::

    # kexie/thinktank/portal.py
    from kexie.core.portal import portal

    portal.register(
        "thinktank.column",
        title=_("Think-tank column"),
        template="thinktank/_portal_column.html",
        context=lambda request: {"briefs": latest_public_briefs(5)},   # None hides the block
        order=40,
    )

    # kexie/calls/homes.py
    from kexie.core.portal import homes

    homes.register(
        "calls.my_reviews",
        title=_("Review invitations"),
        template="calls/_home_reviews.html",
        context=lambda request: reviews_context(request.user),   # None: not for this user
        order=20,
    )

The template is rendered with the block's context, ``block`` and ``request``. A portal block must show
only public data (the reader is anonymous); a home panel only what the user may see, and link only to
pages the user may open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.module_loading import autodiscover_modules


def _no_context(request) -> dict:
    return {}


@dataclass(frozen=True)
class Block:
    key: str
    title: object
    template: str
    context: Callable[[object], dict | None] = field(default=_no_context, repr=False)
    order: int = 100
    wide: bool = False  # spans the full width on a desktop


@dataclass(frozen=True)
class RenderedBlock:
    block: Block
    html: str


class BlockRegistry:
    def __init__(self, module: str):
        self.module = module
        self._registry: dict[str, Block] = {}
        self._lock = threading.Lock()
        self._discovered = False

    def register(
        self,
        key: str,
        *,
        title,
        template: str,
        context: Callable[[object], dict | None] = _no_context,
        order: int = 100,
        wide: bool = False,
    ) -> Block:
        block = Block(key=key, title=title, template=template, context=context, order=order, wide=wide)
        with self._lock:
            if key in self._registry:
                raise ImproperlyConfigured(f"a {self.module} block is already registered as {key!r}")
            self._registry[key] = block
        return block

    def unregister(self, key: str) -> None:
        with self._lock:
            self._registry.pop(key, None)

    def blocks(self) -> list[Block]:
        if not self._discovered:
            # An app may declare its home panels beside its portal blocks (transfer/portal.py does):
            # import both kinds of module, so a home page rendered first in a process misses none.
            autodiscover_modules("portal", "homes")
            self._discovered = True
        with self._lock:
            return sorted(self._registry.values(), key=lambda b: (b.order, b.key))

    def render(self, request) -> list[RenderedBlock]:
        rendered = []
        for block in self.blocks():
            context = block.context(request)
            if context is None:
                continue
            html = render_to_string(block.template, {**context, "block": block}, request=request)
            rendered.append(RenderedBlock(block=block, html=html))
        return rendered


portal = BlockRegistry("portal")
homes = BlockRegistry("homes")
