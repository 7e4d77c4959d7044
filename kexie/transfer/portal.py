"""科创中国 on the public portal and on the enterprise's home (kexie.core.portal)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kexie.core.portal import homes, portal
from kexie.transfer import queries, rules
from kexie.transfer.enums import Outcome


def _public(request) -> dict:
    return {
        "demands": list(queries.public_demands().order_by("-published_at", "-pk")[:5]),
        "achievements": list(queries.public_achievements().order_by("-created_at", "-pk")[:5]),
    }


def _enterprise(request) -> dict | None:
    user = request.user
    if not rules.is_enterprise(user):
        return None
    own = rules.enterprise_ids(user)
    return {
        "demands": list(queries.own_demands(user).order_by("-created_at", "-pk")[:6]),
        "dockings": list(
            queries.dockings_visible_to(user).filter(demand__enterprise_id__in=own, outcome=Outcome.PENDING)[
                :6
            ]
        ),
    }


portal.register(
    "transfer.kechuang",
    title=_("科创中国: demands and achievements"),
    template="transfer/_portal.html",
    context=_public,
    order=10,
    wide=True,
)
homes.register(
    "transfer.my_demands",
    title=_("My demands and dockings"),
    template="transfer/_home_enterprise.html",
    context=_enterprise,
    order=10,
)
