"""Reads behind the district view: one district association's tasks and the measures' indicators for
that district next to the city-wide figure.

The tasks are those the district leads or cooperates on, counted by the dashboard's one rule
(dashboard_queries.totals: a cancelled task counts only as cancelled). The indicators are the ones
registered for the notice's measures; those whose app declared a per-district computation
(`register(..., by_district=)`) are read for the district and for the city, the others are listed as
city-wide only. Each indicator is computed once per page, however many measures it serves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import pgettext

from kexie.accounts.models import Organization
from kexie.policy import dashboard_queries as dq
from kexie.policy import indicators
from kexie.policy.enums import Light
from kexie.policy.indicators import Indicator, IndicatorReading
from kexie.policy.models import Measure, Notice, Task
from kexie.policy.queries import district_tasks, with_cooperating


@dataclass
class DistrictIndicatorRow:
    indicator: Indicator
    district: IndicatorReading | None
    city: IndicatorReading | None
    district_error: str = ""
    city_error: str = ""
    # Later measures the same indicator serves: it is shown once, under the first.
    other_measures: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.indicator.key


@dataclass(frozen=True)
class MeasureIndicators:
    measure: Measure
    rows: list[DistrictIndicatorRow]


@dataclass
class DistrictView:
    district: Organization
    notice: Notice | None
    tasks: list[Task]
    groups: list[dq.SectionGroup]
    totals: dict
    indicators: list[MeasureIndicators]
    city_only: list[Indicator]

    @property
    def light_tiles(self) -> list[tuple[str, str, int]]:
        # As on the dashboard: cancelled tasks are counted apart, so grey is "not started".
        return [
            (
                light.value,
                pgettext("light tile", "not started") if light == Light.GREY else light.label,
                self.totals["lights"][light.value],
            )
            for light in (Light.RED, Light.AMBER, Light.GREEN, Light.GREY)
        ]


def district_indicators(
    district: Organization, measures: list[Measure], *, as_of: date | None = None
) -> tuple[list[MeasureIndicators], list[Indicator]]:
    """Per measure (in the given order), its indicators that can be read per district, each with the
    district's and the city's reading, shown once under the first measure it serves; and the indicators
    of these measures that are city-wide only."""
    rows: dict[str, DistrictIndicatorRow] = {}
    city_only: dict[str, Indicator] = {}
    result = []
    for measure in measures:
        own = []
        for indicator in indicators.indicators_for(measure):
            if not indicator.has_district_reading:
                city_only.setdefault(indicator.key, indicator)
                continue
            if indicator.key in rows:
                rows[indicator.key].other_measures.append(measure.number)
                continue
            local, local_error = indicators.district_reading(indicator, district, as_of=as_of)
            city, city_error = indicators.indicator_reading(indicator, as_of=as_of)
            rows[indicator.key] = DistrictIndicatorRow(
                indicator=indicator,
                district=local,
                city=city,
                district_error=local_error,
                city_error=city_error,
            )
            own.append(rows[indicator.key])
        if own:
            result.append(MeasureIndicators(measure=measure, rows=own))
    return result, sorted(city_only.values(), key=lambda indicator: str(indicator.label))


def build_district_view(district: Organization, *, today: date | None = None) -> DistrictView:
    """The district's tasks of the current notice, grouped as on the dashboard, and its indicators."""
    today = today or timezone.localdate()
    notices = dq.confirmed_notices()
    notice = notices[0] if notices else None
    if notice is None:
        return DistrictView(
            district=district,
            notice=None,
            tasks=[],
            groups=[],
            totals=dq.totals([], today=today),
            indicators=[],
            city_only=[],
        )
    tasks = list(with_cooperating(district_tasks(district).filter(measure__notice=notice)).order_by("pk"))
    measures = dq.measures_with_links(notice)
    rows = dq.measure_rows(
        measures=measures, tasks=tasks, latest={}, targets={}, today=today, hide_empty=True
    )
    measure_indicators, city_only = district_indicators(district, measures)
    return DistrictView(
        district=district,
        notice=notice,
        tasks=tasks,
        groups=dq.group_by_section(rows),
        totals=dq.totals(tasks, today=today),
        indicators=measure_indicators,
        city_only=city_only,
    )
