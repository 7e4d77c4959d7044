"""The literacy module's indicators for measure 9 (registered with kexie.policy.indicators)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts.models import Organization
from kexie.core.numbers import SMALL_SAMPLE, is_small_sample
from kexie.literacy import queries
from kexie.policy.indicators import IndicatorReading, SeriesPoint, register

PERCENT_UNITS = ("%", "％")


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def _estimate_explanation(estimate) -> str:
    if estimate.ci_low is not None and estimate.ci_high is not None:
        return _("%(source)s estimate for %(year)s, 95%% CI %(low)s–%(high)s%%.") % {
            "source": estimate.get_source_display(),
            "year": estimate.year,
            "low": estimate.ci_low,
            "high": estimate.ci_high,
        }
    return _("%(source)s figure for %(year)s.") % {
        "source": estimate.get_source_display(),
        "year": estimate.year,
    }


def literacy_rate_in(district: Organization, as_of: date | None) -> IndicatorReading:
    """The district's latest estimate; one resting on too few answers is flagged, not published."""
    series = queries.district_series(district, up_to=as_of)
    if not series:
        return IndicatorReading(
            value=None, as_of=None, explanation=_("No literacy estimate for this district yet.")
        )
    latest = series[-1]
    if latest.n is not None and is_small_sample(latest.n):
        return IndicatorReading(
            value=None,
            as_of=_year_end(latest.year),
            explanation=_("Too few answers (%(n)s, fewer than %(threshold)s): not published")
            % {"n": latest.n, "threshold": SMALL_SAMPLE},
        )
    return IndicatorReading(
        value=latest.rate,
        as_of=_year_end(latest.year),
        explanation=_estimate_explanation(latest),
        series=tuple(SeriesPoint(as_of=_year_end(e.year), value=e.rate) for e in series[:-1]),
    )


@register(
    "literacy.rate",
    label=gettext_lazy("Share of citizens with science literacy"),
    unit="%",
    measures=[9],
    description=gettext_lazy("The latest city estimate (survey or published release), with its history."),
    # Measure 9's percentage target ("2025年公民具备科学素质的比例超过15%") is this figure.
    binds_target=lambda target: target.unit in PERCENT_UNITS,
    by_district=literacy_rate_in,
)
def literacy_rate(as_of: date | None) -> IndicatorReading:
    series = queries.city_series(up_to=as_of)
    if not series:
        return IndicatorReading(value=None, as_of=None, explanation=_("No literacy estimate yet."))
    latest = series[-1]
    explanation = _estimate_explanation(latest)
    breakdown = [
        (e.district.display_name, e.rate)
        # The districts of the same source as the city figure: a survey's domains, not a mix of sources.
        for e in queries.district_estimates().filter(year=latest.year, source=latest.source)
    ]
    return IndicatorReading(
        value=latest.rate,
        as_of=_year_end(latest.year),
        explanation=explanation,
        breakdown=breakdown,
        series=tuple(SeriesPoint(as_of=_year_end(e.year), value=e.rate) for e in series[:-1]),
    )


def contest_participation_in(district: Organization, as_of: date | None) -> IndicatorReading:
    on = as_of or timezone.localdate()
    return IndicatorReading(
        value=queries.contest_takers(year=on.year, district=district),
        as_of=on,
        explanation=_("Contest takers in %(year)s, a leading indicator of literacy.") % {"year": on.year},
    )


@register(
    "literacy.participation",
    label=gettext_lazy("Contest takers this year"),
    unit="",
    measures=[9],
    description=gettext_lazy("People who took at least one contest round this year, by district."),
    by_district=contest_participation_in,
)
def contest_participation(as_of: date | None) -> IndicatorReading:
    on = as_of or timezone.localdate()
    rows = [r for r in queries.participation_by_district(year=on.year) if r["takers"]]
    total = sum(r["takers"] for r in rows)
    rows.sort(key=lambda r: -r["takers"])
    return IndicatorReading(
        value=total,
        as_of=on,
        explanation=_("Contest takers in %(year)s, a leading indicator of literacy.") % {"year": on.year},
        breakdown=[(r["district"].display_name, r["takers"]) for r in rows[:10]],
    )
