"""What the calls engine hands over to the public information section (kexie.news.sources): open calls
(通知公告, reviewed there like any notice), 公示 and results — both decided by this engine's review rounds
and published by its staff, so they are declared ``pre_approved`` and show without a second review.

Each kind lists what the calls pages show the public now; a call cancelled (or never opened) is not
listed, so its items leave the public lists at once and the next sync withdraws them.
"""

from __future__ import annotations

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.calls.enums import CallState
from kexie.calls.models import Call
from kexie.news.enums import Column
from kexie.news.sources import Handover, register_source

# Announced and still standing: a cancelled or draft call is not public (calls.queries.PUBLIC_CALL_STATES).
ANNOUNCED = (CallState.OPEN, CallState.CLOSED, CallState.REVIEW, CallState.PUBLICITY, CallState.FINAL)
IN_PUBLICITY = (CallState.PUBLICITY, CallState.FINAL)
FINAL = (CallState.FINAL,)


def _calls(states) -> QuerySet[Call]:
    qs = Call.objects.filter(state__in=states).select_related("organiser")
    if states == IN_PUBLICITY:
        qs = qs.filter(publicity_start__isnull=False)
    return qs.order_by("pk")


def _refs(states):
    return lambda: _calls(states).annotate(ref=Cast("pk", CharField())).values("ref")


def _open_calls() -> list[Handover]:
    return [
        Handover(
            ref=str(call.pk),
            title=call.title,
            summary=(call.description or "")[:300],
            url=reverse("calls:call", args=[call.pk]),
            publish_date=call.opens_at,
            organization=call.organiser,
            author=call.created_by,
        )
        for call in _calls(ANNOUNCED)
    ]


def _publicities() -> list[Handover]:
    return [
        Handover(
            ref=str(call.pk),
            title=_("Publicity: %(call)s") % {"call": call.title},
            summary=_("Publicity from %(start)s to %(end)s; objections may be raised on the page.")
            % {"start": call.publicity_start.isoformat(), "end": call.publicity_end.isoformat()},
            url=reverse("calls:publicity", args=[call.pk]),
            publish_date=call.publicity_start,
            organization=call.organiser,
            author=call.updated_by,
        )
        for call in _calls(IN_PUBLICITY)
    ]


def _results() -> list[Handover]:
    return [
        Handover(
            ref=str(call.pk),
            title=_("Results announced: %(call)s") % {"call": call.title},
            summary=_("The results of %(call)s are final after publicity.") % {"call": call.title},
            url=reverse("calls:call", args=[call.pk]),
            publish_date=call.updated_at,
            organization=call.organiser,
            author=call.updated_by,
        )
        for call in _calls(FINAL)
    ]


register_source(
    "calls.call",
    label=gettext_lazy("Calls for applications"),
    column=Column.NOTICE,
    items=_open_calls,
    live=_refs(ANNOUNCED),
)
register_source(
    "calls.publicity",
    label=gettext_lazy("Publicity of review results"),
    column=Column.NOTICE,
    pre_approved=True,
    items=_publicities,
    live=_refs(IN_PUBLICITY),
)
register_source(
    "calls.result",
    label=gettext_lazy("Final results of calls"),
    column=Column.NOTICE,
    pre_approved=True,
    items=_results,
    live=_refs(FINAL),
)
