"""The expert's home panel (kexie.core.portal): their profile and its verification."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kexie.core.portal import homes
from kexie.experts import rules
from kexie.experts.queries import user_expert


def _expert(request) -> dict | None:
    user = request.user
    if not rules.can_keep_own_profile(user) or rules.can_view_library(user):
        return None
    return {"expert": user_expert(user)}


homes.register(
    "experts.my_profile",
    title=_("My expert profile"),
    template="experts/_home_expert.html",
    context=_expert,
    order=10,
)
