"""Indicators of measures 6 and 5 computed from the needs ledger, the joint meetings and the archive."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts.models import Organization
from kexie.policy.enums import TaskState
from kexie.policy.indicators import IndicatorReading, register
from kexie.workers.enums import NeedState, Rating, TalkState
from kexie.workers.models import (
    ArchiveItem,
    Enrolment,
    MeetingDecision,
    Need,
    NeedReply,
    SpiritTalk,
    TrainingSession,
)


def _day(as_of: date | None) -> date:
    return as_of or timezone.localdate()


def _end(day: date):
    return timezone.make_aware(datetime.combine(day, time.max))


# --- per district (the district view): a need carries the filer's district code; a talk is the
# district's when its association, or a unit under it, requested it.


def needs_received_in(district: Organization, as_of: date | None) -> IndicatorReading:
    return _needs_received(Need.objects.filter(district=district.code), as_of)


def replied_on_time_in(district: Organization, as_of: date | None) -> IndicatorReading:
    return _replied_on_time(NeedReply.objects.filter(need__district=district.code), as_of)


def satisfaction_in(district: Organization, as_of: date | None) -> IndicatorReading:
    return _satisfaction(NeedReply.objects.filter(need__district=district.code), as_of)


def talks_delivered_in(district: Organization, as_of: date | None) -> IndicatorReading:
    return _talks_delivered(SpiritTalk.objects.filter(requester__path__startswith=district.path), as_of)


@register(
    "workers.needs_received",
    label=gettext_lazy("Needs received"),
    unit=gettext_lazy("needs"),
    measures=[6],
    description=gettext_lazy("Needs filed by sci-tech workers (duplicates merged count once)."),
    by_district=needs_received_in,
)
def needs_received(as_of: date | None) -> IndicatorReading:
    return _needs_received(Need.objects.all(), as_of)


def _needs_received(needs, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    n = needs.filter(created_at__lte=_end(day)).exclude(state=NeedState.MERGED).count()
    return IndicatorReading(value=n, as_of=day, explanation=_("Counted from the needs ledger."))


@register(
    "workers.replied_on_time",
    label=gettext_lazy("Needs replied on time"),
    unit="%",
    measures=[6],
    description=gettext_lazy(
        "First replies given within the working-day deadline set when the need was routed."
    ),
    by_district=replied_on_time_in,
)
def replied_on_time(as_of: date | None) -> IndicatorReading:
    return _replied_on_time(NeedReply.objects.all(), as_of)


def _replied_on_time(replies, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    first = replies.filter(round=1, replied_at__lte=_end(day))
    total = first.count()
    if not total:
        return IndicatorReading(value=None, as_of=day, explanation=_("No reply yet."))
    on_time = first.filter(on_time=True).count()
    return IndicatorReading(
        value=round(100 * on_time / total, 1),
        as_of=day,
        explanation=_("%(a)s of %(b)s first replies on time.") % {"a": on_time, "b": total},
    )


@register(
    "workers.satisfaction",
    label=gettext_lazy("Satisfaction with replies"),
    unit="%",
    measures=[6],
    description=gettext_lazy("Ratings 满意 or 基本满意 among all ratings of replies."),
    by_district=satisfaction_in,
)
def satisfaction(as_of: date | None) -> IndicatorReading:
    return _satisfaction(NeedReply.objects.all(), as_of)


def _satisfaction(replies, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    rated = replies.exclude(rating="").filter(rated_at__lte=_end(day))
    total = rated.count()
    if not total:
        return IndicatorReading(value=None, as_of=day, explanation=_("No rating yet."))
    good = rated.filter(rating__in=[Rating.SATISFIED, Rating.MOSTLY]).count()
    return IndicatorReading(
        value=round(100 * good / total, 1),
        as_of=day,
        explanation=_("%(a)s of %(b)s ratings.") % {"a": good, "b": total},
    )


@register(
    "workers.meeting_decisions_completed",
    label=gettext_lazy("Joint-meeting decisions completed"),
    unit=gettext_lazy("decisions"),
    measures=[6],
    description=gettext_lazy("Decisions of the joint meeting whose supervision task is completed."),
)
def meeting_decisions_completed(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    decisions = MeetingDecision.objects.filter(meeting__held_on__lte=day)
    done = decisions.filter(task__state=TaskState.COMPLETED).count()
    return IndicatorReading(
        value=done,
        as_of=day,
        explanation=_("%(a)s of %(b)s decisions.") % {"a": done, "b": decisions.count()},
    )


@register(
    "workers.archive_items",
    label=gettext_lazy("Archive items catalogued"),
    unit=gettext_lazy("items"),
    measures=[5],
    description=gettext_lazy(
        "Items of the old scientists' archive with a full catalogue record and checksum."
    ),
)
def archive_items(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    items = ArchiveItem.objects.filter(created_at__lte=_end(day))
    people = items.values("collection").distinct().count()
    return IndicatorReading(
        value=items.count(), as_of=day, explanation=_("Materials of %(n)s scientists.") % {"n": people}
    )


@register(
    "workers.talks_delivered",
    label=gettext_lazy("Scientist-spirit talks delivered"),
    unit=gettext_lazy("talks"),
    measures=[5],
    description=gettext_lazy("Talks of the 科学家精神报告团 delivered, with their audience."),
    by_district=talks_delivered_in,
)
def talks_delivered(as_of: date | None) -> IndicatorReading:
    return _talks_delivered(SpiritTalk.objects.all(), as_of)


def _talks_delivered(talks, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    talks = talks.filter(state=TalkState.DELIVERED, scheduled_at__lte=_end(day))
    audience = talks.aggregate(n=Sum("audience"))["n"] or 0
    return IndicatorReading(
        value=talks.count(), as_of=day, explanation=_("Audience %(n)s in all.") % {"n": audience}
    )


@register(
    "workers.training_attendance",
    label=gettext_lazy("Training and lecture attendance"),
    unit=gettext_lazy("people"),
    measures=[5],
    description=gettext_lazy("Check-ins at 研修班, 讲堂, 宣讲 and 辩论赛 sessions held so far."),
)
def training_attendance(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    sessions = TrainingSession.objects.filter(starts_at__lte=_end(day))
    present = Enrolment.objects.filter(session__in=sessions, attended_at__isnull=False).count()
    return IndicatorReading(
        value=present, as_of=day, explanation=_("%(n)s sessions held.") % {"n": sessions.count()}
    )
