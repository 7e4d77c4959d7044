"""Indicators of the notice's closing order (typical cases and people publicised) and of the public
information section (items published per column). They serve the whole notice: the closing order
applies to every measure, so ``measures`` is a predicate taking any measure."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.news.enums import Column
from kexie.news.models import NewsItem
from kexie.policy.indicators import IndicatorReading, register


def _whole_notice(measure) -> bool:
    return True


def _day(as_of: date | None) -> date:
    return as_of or timezone.localdate()


def _published_by(day: date):
    """Items whose published version was out by the end of ``day`` and not withdrawn by then."""
    end = timezone.make_aware(datetime.combine(day, time.max))
    return NewsItem.objects.filter(published_version__published_at__lte=end).filter(
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=end)
    )


@register(
    "news.typical_cases_published",
    label=gettext_lazy("Typical cases publicised"),
    unit=gettext_lazy("items"),
    measures=_whole_notice,
    description=gettext_lazy("典型案例 published on the portal after 三审三校 and not withdrawn."),
)
def typical_cases(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    n = _published_by(day).filter(column=Column.CASE).count()
    return IndicatorReading(value=n, as_of=day, explanation=_("Counted from the public information section."))


@register(
    "news.typical_people_published",
    label=gettext_lazy("Typical people publicised"),
    unit=gettext_lazy("people"),
    measures=_whole_notice,
    description=gettext_lazy("典型人物 published with the person's consent recorded, not withdrawn."),
)
def typical_people(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    n = _published_by(day).filter(column=Column.PERSON).count()
    return IndicatorReading(value=n, as_of=day, explanation=_("Counted from the public information section."))


@register(
    "news.items_per_column",
    label=gettext_lazy("Items published per column"),
    unit=gettext_lazy("items"),
    measures=_whole_notice,
    description=gettext_lazy("Public items of each column (通知公告, 新闻动态, 典型案例, 典型人物, 专题)."),
)
def items_per_column(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    qs = _published_by(day)
    breakdown = {str(c.label): qs.filter(column=c.value).count() for c in Column}
    return IndicatorReading(
        value=sum(breakdown.values()),
        as_of=day,
        explanation=_("Published and not withdrawn by the end of the day."),
        breakdown=breakdown,
    )
