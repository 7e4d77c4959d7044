"""Indicators of measures 6 and 16 computed from survey data (registered with policy): how many
sci-tech workers answered the association's surveys."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts.models import Organization
from kexie.policy.indicators import IndicatorReading, register
from kexie.surveys.models import Response


def _end(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def responses_submitted_in(district: Organization, as_of: date | None) -> IndicatorReading:
    """Responses collected through the district's stations (its association and the units under it):
    answers by invitation code carry the station the code was issued to."""
    day = as_of or timezone.localdate()
    count = Response.objects.filter(
        submitted_at__lte=_end(day), station__path__startswith=district.path
    ).count()
    return IndicatorReading(
        value=count,
        as_of=day,
        explanation=_("Responses with invitation codes issued to this district's stations."),
    )


@register(
    "surveys.responses_submitted",
    label=gettext_lazy("Survey responses submitted"),
    unit=gettext_lazy("responses"),
    measures=[6, 16],
    description=gettext_lazy("Submitted answers to the association's surveys (rapid and standing surveys)."),
    by_district=responses_submitted_in,
)
def responses_submitted(as_of: date | None) -> IndicatorReading:
    day = as_of or timezone.localdate()
    count = Response.objects.filter(submitted_at__lte=_end(day)).count()
    return IndicatorReading(value=count, as_of=day, explanation=_("Counted from the survey responses."))
