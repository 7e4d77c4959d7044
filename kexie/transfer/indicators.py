"""Indicators of measures 1 and 2 computed from live transfer data (registered with policy)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts.models import Organization
from kexie.policy.indicators import IndicatorReading, register
from kexie.transfer.enums import Outcome, WorkstationKind
from kexie.transfer.models import Demand, Docking, ServiceTeam, Workstation


def _day(as_of: date | None) -> date:
    return as_of or timezone.localdate()


def _end_of(day: date):
    """Timestamps up to the end of ``day`` (local time)."""
    return timezone.make_aware(datetime.combine(day, time.max))


# Per district association (the district view): a demand belongs to the district it names, and a
# docking, a contract and its value to its demand's district.
def _demands(district: Organization | None):
    return Demand.objects.all() if district is None else Demand.objects.filter(district=district.code)


def _dockings(district: Organization | None):
    everything = Docking.objects.all()
    return everything if district is None else everything.filter(demand__district=district.code)


def demands_published_in(district: Organization | None, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    count = _demands(district).filter(published_at__lte=_end_of(day)).count()
    return IndicatorReading(value=count, as_of=day, explanation=_("Counted from the demand ledger."))


@register(
    "transfer.demands_published",
    label=gettext_lazy("Demands published"),
    unit=gettext_lazy("demands"),
    measures=[2],
    description=gettext_lazy("Enterprise technical demands published after staff review."),
    by_district=demands_published_in,
)
def demands_published(as_of: date | None) -> IndicatorReading:
    return demands_published_in(None, as_of)


def demands_matched_in(district: Organization | None, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    count = (
        _demands(district)
        .filter(published_at__lte=_end_of(day), dockings__created_at__lte=_end_of(day))
        .distinct()
        .count()
    )
    return IndicatorReading(value=count, as_of=day, explanation=_("Demands with at least one docking."))


@register(
    "transfer.demands_matched",
    label=gettext_lazy("Demands matched"),
    unit=gettext_lazy("demands"),
    measures=[2],
    description=gettext_lazy("Published demands with at least one docking."),
    by_district=demands_matched_in,
)
def demands_matched(as_of: date | None) -> IndicatorReading:
    return demands_matched_in(None, as_of)


def dockings_in(district: Organization | None, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    count = _dockings(district).filter(created_at__lte=_end_of(day)).count()
    return IndicatorReading(value=count, as_of=day, explanation=_("Dockings created by staff from matches."))


@register(
    "transfer.dockings",
    label=gettext_lazy("Dockings"),
    unit=gettext_lazy("dockings"),
    measures=[2],
    by_district=dockings_in,
)
def dockings(as_of: date | None) -> IndicatorReading:
    return dockings_in(None, as_of)


def _signed(day: date, district: Organization | None = None):
    return _dockings(district).filter(outcome=Outcome.SIGNED, signed_on__lte=day)


def contracts_signed_in(district: Organization | None, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    return IndicatorReading(
        value=_signed(day, district).count(),
        as_of=day,
        explanation=_("Dockings that ended in a signed contract."),
    )


@register(
    "transfer.contracts_signed",
    label=gettext_lazy("Contracts signed"),
    unit=gettext_lazy("contracts"),
    measures=[1, 2],
    by_district=contracts_signed_in,
)
def contracts_signed(as_of: date | None) -> IndicatorReading:
    return contracts_signed_in(None, as_of)


def contract_value_in(district: Organization | None, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    total = _signed(day, district).aggregate(total=Sum("contract_amount"))["total"] or 0
    return IndicatorReading(value=total, as_of=day, explanation=_("Sum of signed contract amounts."))


@register(
    "transfer.contract_value",
    label=gettext_lazy("Contract value"),
    unit=gettext_lazy("ten thousand yuan"),
    measures=[1, 2],
    by_district=contract_value_in,
)
def contract_value(as_of: date | None) -> IndicatorReading:
    return contract_value_in(None, as_of)


@register(
    "transfer.registry",
    label=gettext_lazy("Workstations and service teams"),
    unit=gettext_lazy("units"),
    measures=[1, 4, 12],
)
def registry(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    stations = Workstation.objects.filter(created_at__lte=_end_of(day)).values("kind").annotate(n=Count("pk"))
    labels = dict(WorkstationKind.choices)
    breakdown = [(str(labels[row["kind"]]), row["n"]) for row in stations.order_by("kind")]
    teams = ServiceTeam.objects.filter(created_at__lte=_end_of(day)).count()
    breakdown.append((_("Service teams"), teams))
    return IndicatorReading(
        value=sum(n for _label, n in breakdown),
        as_of=day,
        explanation=_("Workstations by kind and service teams in the registry."),
        breakdown=breakdown,
    )
