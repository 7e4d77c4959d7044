"""一书一赛一测评 on the public portal and on the citizen's home (kexie.core.portal)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.accounts.queries import is_staff_member
from kexie.core.portal import homes, portal
from kexie.literacy import queries
from kexie.literacy.models import AssessmentAttempt, ContestBest


def _public(request) -> dict:
    today = timezone.localdate()
    return {
        "contests": list(queries.running_contests(on=today)[:3]),
        "chapters": list(queries.published_chapters()[:4]),
        "assessments": list(queries.open_assessments()[:3]),
    }


def _citizen(request) -> dict | None:
    user = request.user
    if is_staff_member(user):
        return None
    today = timezone.localdate()
    contests = []
    for contest in queries.running_contests(on=today)[:3]:
        placed = queries.own_rank(contest, user)
        contests.append(
            {"contest": contest, "rank": placed[0] if placed else None, "best": placed[1] if placed else None}
        )
    return {
        "contests": contests,
        "attempts": list(
            AssessmentAttempt.objects.filter(user=user)
            .select_related("assessment")
            .order_by("-submitted_at")[:5]
        ),
        "rounds": ContestBest.objects.filter(user=user).count(),
    }


portal.register(
    "literacy.today",
    title=_("Science popularization: contest, reader, assessments"),
    template="literacy/_portal.html",
    context=_public,
    order=20,
)
homes.register(
    "literacy.my_scores",
    title=_("Today's contest and my scores"),
    template="literacy/_home_citizen.html",
    context=_citizen,
    order=30,
)
