"""The calls engine's pages in the navigation (the talent section: measures 7 and 8 run on it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kexie.calls import rules
from kexie.core import menus


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


menus.register(
    "calls.index",
    section="talent",
    label=_("Calls and review"),
    url_name="calls:index",
    order=40,
    measures=(7, 8),
    description=_("Open calls, publicity lists and my dossiers"),
)
menus.register(
    "calls.manage",
    section="account",
    label=_("Manage calls"),
    url_name="calls:manage",
    visible=rules.can_see_any_staff_page,
    order=41,
    measures=(7, 8),
)
menus.register(
    "calls.channels",
    section="account",
    label=_("My nominating channels"),
    url_name="calls:my_channels",
    visible=rules.administers_channels,
    order=42,
)
menus.register(
    "calls.reviews",
    section="account",
    label=_("My reviews"),
    url_name="calls:my_reviews",
    visible=lambda user: _signed_in(user) and rules.is_expert_user(user),
    order=60,
)
menus.register(
    "calls.dossiers",
    section="account",
    label=_("My dossiers"),
    url_name="calls:my_dossiers",
    visible=_signed_in,
    order=61,
)
