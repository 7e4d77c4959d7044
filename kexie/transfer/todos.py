"""Work waiting in demand matching (kexie.core.todos): demands to review, an enterprise's own work."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kexie.core import todos
from kexie.transfer import queries, rules
from kexie.transfer.enums import DemandState, Outcome


def _my_demands(**params) -> str:
    return f"{reverse('transfer:my_demands')}?{urlencode(params)}"


@todos.register("transfer.review", label=_("Demands to review"), order=40)
def demands_to_review(user):
    if not (rules.is_manager(user) or rules.district_codes(user)):
        return []
    waiting = queries.demands_visible_to(user).filter(state=DemandState.SUBMITTED)
    if not rules.is_manager(user):
        waiting = waiting.filter(district__in=rules.district_codes(user))
    return [
        todos.TodoItem(
            label=_("Technical demands waiting for review"),
            count=waiting.count(),
            url=_my_demands(state=DemandState.SUBMITTED),
        )
    ]


@todos.register("transfer.enterprise", label=_("My demands"), order=41)
def enterprise_work(user):
    if not rules.is_enterprise(user):
        return []
    own = queries.own_demands(user)
    returned = own.filter(state=DemandState.DRAFT).exclude(return_reason="").count()
    drafts = own.filter(state=DemandState.DRAFT, return_reason="").count()
    dockings = (
        queries.dockings_visible_to(user)
        .filter(demand__enterprise_id__in=rules.enterprise_ids(user), outcome=Outcome.PENDING)
        .count()
    )
    return [
        todos.TodoItem(
            label=_("Demands returned to you for changes"),
            count=returned,
            url=_my_demands(state=DemandState.DRAFT),
            urgent=True,
        ),
        todos.TodoItem(
            label=_("Drafts not yet submitted"), count=drafts, url=_my_demands(state=DemandState.DRAFT)
        ),
        todos.TodoItem(
            label=_("Dockings in progress with experts and achievements"),
            count=dockings,
            url=reverse("transfer:docking_list"),
        ),
    ]
