"""The expert library's indicator (registered with kexie.policy.indicators): one library serves the
think-tank network (measure 13) and the platform's 专家库 (measure 16)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kexie.accounts.models import Organization
from kexie.core.reference import district_name
from kexie.experts.enums import VerificationState
from kexie.experts.models import Expert
from kexie.policy.indicators import IndicatorReading, register

BREAKDOWN_ROWS = 10


def _verified(as_of: date | None) -> tuple[date, object]:
    day = as_of or timezone.localdate()
    end = timezone.make_aware(datetime.combine(day, time.max))
    return day, Expert.objects.filter(state=VerificationState.VERIFIED, verified_at__lte=end)


def experts_verified_in(district: Organization, as_of: date | None) -> IndicatorReading:
    """Verified experts who work in the district (the profile's district, a division code)."""
    day, experts = _verified(as_of)
    return IndicatorReading(
        value=experts.filter(district=district.code).count(),
        as_of=day,
        explanation=_("Verified experts whose profile names this district."),
    )


@register(
    "experts.verified",
    label=gettext_lazy("Verified experts in the library"),
    unit=pgettext_lazy("unit", "experts"),
    measures=[13, 16],
    description=gettext_lazy("Expert profiles verified by staff, by district (the ten largest)."),
    by_district=experts_verified_in,
)
def experts_verified(as_of: date | None) -> IndicatorReading:
    day, experts = _verified(as_of)
    rows = (
        experts.exclude(district="")
        .values("district")
        .annotate(n=Count("pk"))
        .order_by("-n", "district")[:BREAKDOWN_ROWS]
    )
    return IndicatorReading(
        value=experts.count(),
        as_of=day,
        explanation=_("%(n)s of them overseas (Haizhi) experts.")
        % {"n": experts.filter(overseas=True).count()},
        breakdown=[(district_name(r["district"]) or r["district"], r["n"]) for r in rows],
    )
