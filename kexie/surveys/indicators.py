"""Indicators of measures 6 and 16 computed from survey data (registered with policy): how many
sci-tech workers answered the association's surveys."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.policy.indicators import IndicatorReading, register
from kexie.surveys.models import Response


@register(
    "surveys.responses_submitted",
    label=gettext_lazy("Survey responses submitted"),
    unit=gettext_lazy("responses"),
    measures=[6, 16],
    description=gettext_lazy("Submitted answers to the association's surveys (rapid and standing surveys)."),
)
def responses_submitted(as_of: date | None) -> IndicatorReading:
    day = as_of or timezone.localdate()
    end = timezone.make_aware(datetime.combine(day, time.max))
    count = Response.objects.filter(submitted_at__lte=end).count()
    return IndicatorReading(value=count, as_of=day, explanation=_("Counted from the survey responses."))
