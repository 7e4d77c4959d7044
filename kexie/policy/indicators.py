"""Indicators of a notice's measures: the registry that domain apps plug into, and how a target reads.

`policy` knows no domain app (DESIGN.md §4). An app that implements a measure computes that measure's
indicators from its own live data and registers them here, in its own `indicators.py`:

    # kexie/literacy/indicators.py
    from kexie.policy.indicators import IndicatorReading, register

    @register("literacy.rate", label=_("Share of citizens with science literacy"), unit="%", measures=[9])
    def literacy_rate(as_of: date | None) -> IndicatorReading:
        estimate = latest_estimate(on=as_of)
        return IndicatorReading(value=estimate.rate, as_of=estimate.date,
                                explanation=_("Weighted estimate from %(n)s attempts") % {"n": estimate.n})

Every installed app's `indicators` module is imported on first use of the registry, so no app needs
to be listed anywhere.

An indicator that can also be read for one district association (区县科协) says so with `by_district=`,
a function of the district's Organization (kind district_association; `.code` is its division code,
`.path` its subtree) and the date:

    def literacy_rate_in(district: Organization, as_of: date | None) -> IndicatorReading:
        estimate = latest_estimate(on=as_of, district=district)
        ...

    @register("literacy.rate", ..., by_district=literacy_rate_in)

The district view (`/supervision/districts/<code>/`) shows such readings next to the city-wide one;
indicators without `by_district` are listed there as "city-wide only". `district_reading()` computes one
without letting a failing module take the page down.

A Target whose `indicator_key` names a registered indicator shows its computed reading; a Target
without one shows the values staff record by hand (IndicatorValue). An indicator that computes a
declared target says so with `binds_target=` (True, or a predicate on the Target); policy's own
service `bind_target_indicators` writes the binding.

Nothing here writes: compute functions only read (STYLE.md).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization
from kexie.core.versioned import VersionedCache
from kexie.policy.enums import Comparator
from kexie.policy.models import IndicatorValue, Measure, Target

logger = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
KEY_MAX_LENGTH = Target._meta.get_field("indicator_key").max_length
# "约" (about) is met within this share of the target value.
ABOUT_TOLERANCE = Decimal("0.05")


class UnknownIndicator(LookupError):
    """No indicator is registered under this key (its module is not installed, or the key is wrong)."""


class NoDistrictReading(LookupError):
    """The indicator has no per-district computation (it was registered without `by_district`)."""


def _decimal(value, *, what: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a number, not a bool")
    try:
        # str() first: Decimal(0.1) would keep the binary float's 55 digits.
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise TypeError(f"{what} must be a number, not {value!r}") from None


@dataclass(frozen=True)
class SeriesPoint:
    as_of: date
    value: Decimal


@dataclass(frozen=True)
class IndicatorReading:
    """One reading of an indicator.

    value        the figure (None: nothing to measure yet, e.g. no survey has been run)
    as_of        the date the figure describes (a survey's reference date, the day of a count)
    explanation  one sentence on how it was computed, shown under the figure
    breakdown    parts of the figure, e.g. {"渝中区": 13.9, ...}, in the order to show them
    series       earlier readings, for the history chart (sorted by date on creation)
    """

    value: Decimal | None
    as_of: date | None
    explanation: str = ""
    breakdown: tuple[tuple[str, Decimal], ...] = ()
    series: tuple[SeriesPoint, ...] = ()

    def __post_init__(self) -> None:
        if self.value is not None:
            object.__setattr__(self, "value", _decimal(self.value, what="value"))
        breakdown = self.breakdown.items() if isinstance(self.breakdown, Mapping) else self.breakdown
        object.__setattr__(
            self,
            "breakdown",
            tuple((str(label), _decimal(part, what=f"breakdown {label!r}")) for label, part in breakdown),
        )
        points = []
        for point in self.series:
            as_of, value = (point.as_of, point.value) if isinstance(point, SeriesPoint) else point
            points.append(SeriesPoint(as_of=as_of, value=_decimal(value, what="series value")))
        object.__setattr__(self, "series", tuple(sorted(points, key=lambda p: p.as_of)))

    @property
    def value_display(self) -> str:
        return plain_number(self.value)

    @property
    def breakdown_rows(self) -> list[tuple[str, str]]:
        return [(label, plain_number(part)) for label, part in self.breakdown]


Compute = Callable[[date | None], IndicatorReading]
# The same indicator for one district association: (district organization, as_of) -> reading.
DistrictCompute = Callable[[Organization, date | None], IndicatorReading]
MeasureSelector = Collection[int] | Callable[[Measure], bool]
# Which targets of the indicator's measures it computes: True (all of them) or a predicate on Target.
TargetSelector = bool | Callable[[Target], bool]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    function: Compute = field(repr=False)
    measure_numbers: frozenset[int] | None = None
    predicate: Callable[[Measure], bool] | None = field(default=None, repr=False)
    description: str = ""
    binds_target: TargetSelector = field(default=False, repr=False)
    district_function: DistrictCompute | None = field(default=None, repr=False)

    @property
    def has_district_reading(self) -> bool:
        return self.district_function is not None

    def applies_to(self, measure: Measure) -> bool:
        if self.predicate is not None:
            return bool(self.predicate(measure))
        return measure.number in (self.measure_numbers or ())

    def binds(self, target: Target) -> bool:
        """Whether this indicator computes `target` (see policy.services.bind_target_indicators)."""
        if not self.binds_target or not self.applies_to(target.measure):
            return False
        return True if self.binds_target is True else bool(self.binds_target(target))

    def compute(self, as_of: date | None = None) -> IndicatorReading:
        reading = self.function(as_of)
        if not isinstance(reading, IndicatorReading):
            raise TypeError(
                f"indicator {self.key!r} returned {type(reading).__name__}, not an IndicatorReading"
            )
        return reading

    def compute_for_district(self, district: Organization, as_of: date | None = None) -> IndicatorReading:
        """The reading for one district association; NoDistrictReading when the app declared none."""
        if self.district_function is None:
            raise NoDistrictReading(self.key)
        reading = self.district_function(district, as_of)
        if not isinstance(reading, IndicatorReading):
            raise TypeError(
                f"indicator {self.key!r} returned {type(reading).__name__} for a district, "
                "not an IndicatorReading"
            )
        return reading


_registry: dict[str, Indicator] = {}
_lock = threading.Lock()
_discovered = False


def register(
    key: str,
    *,
    label,
    measures: MeasureSelector,
    unit: str = "",
    compute: Compute | None = None,
    description: str = "",
    binds_target: TargetSelector = False,
    by_district: DistrictCompute | None = None,
):
    """Register a computed indicator for the measures it serves.

    `measures` is a collection of measure numbers (for the spine notice, 1–16) or a predicate taking a
    Measure. `compute(as_of)` returns an IndicatorReading for the given date (None: the latest). Without
    `compute`, returns a decorator. A key may be registered once; a second registration is refused.
    `binds_target` declares which targets of those measures the indicator computes (True: all; or a
    predicate on Target, e.g. the percentage one); `kexie.policy.services.bind_target_indicators`
    then binds them, so no app writes a policy Target itself. `by_district(district, as_of)`, when
    given, computes the same figure for one district association (the district view).
    """
    if compute is None:

        def decorator(function: Compute) -> Compute:
            register(
                key,
                label=label,
                measures=measures,
                unit=unit,
                compute=function,
                description=description,
                binds_target=binds_target,
                by_district=by_district,
            )
            return function

        return decorator
    if not isinstance(key, str) or not KEY_PATTERN.match(key) or len(key) > KEY_MAX_LENGTH:
        raise ImproperlyConfigured(
            f"indicator key {key!r} must look like 'app.name', lower case, at most {KEY_MAX_LENGTH} long"
        )
    if not callable(compute):
        raise ImproperlyConfigured(f"indicator {key!r}: compute must be callable")
    if by_district is not None and not callable(by_district):
        raise ImproperlyConfigured(f"indicator {key!r}: by_district must be callable")
    if callable(measures):
        numbers, predicate = None, measures
    else:
        numbers = frozenset(measures)
        if not numbers or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in numbers):
            raise ImproperlyConfigured(
                f"indicator {key!r}: measures must be positive measure numbers or a predicate"
            )
        predicate = None
    indicator = Indicator(
        key=key,
        label=label,
        unit=unit,
        function=compute,
        measure_numbers=numbers,
        predicate=predicate,
        description=description,
        binds_target=binds_target,
        district_function=by_district,
    )
    with _lock:
        if key in _registry:
            raise ImproperlyConfigured(f"an indicator is already registered as {key!r}")
        _registry[key] = indicator
    return indicator


def unregister(key: str) -> None:
    """Remove an indicator (tests, or an app that withdraws one). Unknown keys raise UnknownIndicator."""
    with _lock:
        if _registry.pop(key, None) is None:
            raise UnknownIndicator(key)


def autodiscover() -> None:
    """Import every installed app's `indicators` module once, so that their registrations run."""
    global _discovered  # noqa: PLW0603 - the registry is process-wide by design
    if _discovered:
        return
    # Flag only after success: an app whose module fails to import keeps failing loudly, rather than
    # leaving the registry silently without its indicators.
    autodiscover_modules("indicators")
    _discovered = True


def registered() -> list[Indicator]:
    autodiscover()
    with _lock:
        return sorted(_registry.values(), key=lambda indicator: indicator.key)


def get(key: str) -> Indicator:
    autodiscover()
    with _lock:
        indicator = _registry.get(key)
    if indicator is None:
        raise UnknownIndicator(key)
    return indicator


def compute(key: str, as_of: date | None = None) -> IndicatorReading:
    return get(key).compute(as_of)


def indicators_for(measure: Measure) -> list[Indicator]:
    return [indicator for indicator in registered() if indicator.applies_to(measure)]


# --- how a target reads ------------------------------------------------------------------------------


def plain_number(value: Decimal | None) -> str:
    """12.3000 → "12.3", 15.0000 → "15", 100 → "100" (never "1E+2")."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def meets(value: Decimal, comparator: str, target: Decimal) -> bool:
    if comparator == Comparator.GT:
        return value > target
    if comparator == Comparator.GE:
        return value >= target
    if comparator == Comparator.LT:
        return value < target
    if comparator == Comparator.LE:
        return value <= target
    if comparator == Comparator.EQ:
        return value == target
    return abs(value - target) <= abs(target) * ABOUT_TOLERANCE


@dataclass
class TargetStatus:
    """What a measure page shows for one target: the reading against the declared value.

    source   "computed" (a registered indicator), "manual" (recorded values) or "unavailable"
    fill     how far the value has come towards the target, 0–100, for a progress bar
    gap      the distance still to go (None when met or when there is no value)
    """

    target: Target
    source: str
    reading: IndicatorReading | None
    history: list[SeriesPoint]
    entries: list[IndicatorValue]
    indicator: Indicator | None = None
    error: str = ""

    @property
    def value(self) -> Decimal | None:
        return self.reading.value if self.reading else None

    @property
    def as_of(self) -> date | None:
        return self.reading.as_of if self.reading else None

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return meets(self.value, self.target.comparator, self.target.value)

    @property
    def fill(self) -> int:
        if self.value is None or self.target.value <= 0:
            return 0
        share = self.value / self.target.value * 100
        return int(max(Decimal(0), min(Decimal(100), share)).to_integral_value())

    @property
    def gap(self) -> Decimal | None:
        if self.value is None or self.met:
            return None
        return abs(self.target.value - self.value)

    @property
    def is_percentage(self) -> bool:
        return self.target.unit.strip() in {"%", "％"}

    @property
    def value_display(self) -> str:
        return f"{plain_number(self.value)}{self.target.unit}" if self.value is not None else ""

    @property
    def target_value_display(self) -> str:
        return f"{plain_number(self.target.value)}{self.target.unit}"

    @property
    def gap_ratio_display(self) -> str:
        """The value as a share of the target, e.g. "82%" for 12.3 of 15."""
        if self.value is None or self.target.value <= 0:
            return ""
        return f"{(self.value / self.target.value * 100).quantize(Decimal(1))}%"

    @property
    def target_display(self) -> str:
        return f"{self.target.comparator} {plain_number(self.target.value)}{self.target.unit}"

    @property
    def gap_display(self) -> str:
        if self.gap is None:
            return ""
        if self.is_percentage:
            return _("%(gap)s percentage points to go") % {"gap": plain_number(self.gap)}
        return _("%(gap)s%(unit)s to go") % {"gap": plain_number(self.gap), "unit": self.target.unit}

    @property
    def entry_rows(self) -> list[tuple[IndicatorValue, str]]:
        """Recorded values, newest first, each with its value as the page shows it."""
        return [(entry, plain_number(entry.value)) for entry in self.entries]

    @property
    def history_rows(self) -> list[tuple[SeriesPoint, str]]:
        return [(point, plain_number(point.value)) for point in reversed(self.history)]

    def chart(self) -> dict:
        """The history chart's data for dashboard.js (floats: the chart library wants numbers)."""
        return {
            "unit": self.target.unit,
            "label": self.target.metric,
            "points": [[point.as_of.isoformat(), float(point.value)] for point in self.history],
            "target": float(self.target.value),
            "target_year": self.target.year,
            "target_label": _("Target %(comparator)s %(value)s%(unit)s")
            % {
                "comparator": self.target.comparator,
                "value": plain_number(self.target.value),
                "unit": self.target.unit,
            },
        }

    @property
    def chart_id(self) -> str:
        return f"target-history-{self.target.pk}"


# Readings are the same for every reader and were recomputed on every measure page (a third of its
# time; the literacy participation rate alone ~13%). They are kept per indicator, date, language and
# data version (the newest audit event: any audited write recomputes) for at most READING_SECONDS,
# which bounds what is not audited — the dashboard's board has the same contract. Off in the test
# suite, whose rolled-back transactions reuse audit ids.
READING_SECONDS = 0 if settings.TESTING else 60
_readings = VersionedCache("policy.indicators", max_entries=1024)


def clear_readings() -> None:
    _readings.clear()


def _reading(indicator: Indicator, as_of: date | None) -> IndicatorReading:
    key = (indicator.key, as_of, timezone.localdate(), translation.get_language())
    return _readings.get(key, lambda: indicator.compute(as_of), timeout=READING_SECONDS)


def _safe_reading(indicator: Indicator, as_of: date | None) -> tuple[IndicatorReading | None, str]:
    # One module's failing computation must not take the leaders' dashboard down with it.
    try:
        return _reading(indicator, as_of), ""
    except Exception:
        logger.exception("indicator %s failed to compute", indicator.key)
        return None, _("The indicator could not be computed just now.")


def target_status(
    target: Target, *, as_of: date | None = None, entries: Iterable[IndicatorValue] | None = None
) -> TargetStatus:
    """The status of one target. Pass `entries` (its IndicatorValues, any order) when they are already
    loaded, e.g. by prefetch_related("values"), to keep a page's query count constant."""
    if target.indicator_key:
        try:
            indicator = get(target.indicator_key)
        except UnknownIndicator:
            return TargetStatus(
                target=target,
                source="unavailable",
                reading=None,
                history=[],
                entries=[],
                error=_("The indicator “%(key)s” is not available: its module is not installed.")
                % {"key": target.indicator_key},
            )
        reading, error = _safe_reading(indicator, as_of)
        history = list(reading.series) if reading else []
        if (
            reading
            and reading.value is not None
            and reading.as_of
            and all(p.as_of != reading.as_of for p in history)
        ):
            history.append(SeriesPoint(as_of=reading.as_of, value=reading.value))
        return TargetStatus(
            target=target,
            source="computed",
            reading=reading,
            history=history,
            entries=[],
            indicator=indicator,
            error=error,
        )
    values = list(entries if entries is not None else target.values.all())
    # Newest first, as the model orders them; the chart wants them oldest first.
    values.sort(key=lambda entry: (entry.as_of, entry.pk), reverse=True)
    if as_of is not None:
        values = [entry for entry in values if entry.as_of <= as_of]
    latest = values[0] if values else None
    reading = (
        IndicatorReading(value=latest.value, as_of=latest.as_of, explanation=latest.note) if latest else None
    )
    history_by_day: dict[date, Decimal] = {}
    for entry in reversed(values):  # oldest first: a later entry for the same day replaces an earlier one
        history_by_day[entry.as_of] = entry.value
    history = [SeriesPoint(as_of=day, value=value) for day, value in sorted(history_by_day.items())]
    return TargetStatus(target=target, source="manual", reading=reading, history=history, entries=values)


def indicator_reading(
    indicator: Indicator, *, as_of: date | None = None
) -> tuple[IndicatorReading | None, str]:
    """A registered indicator's reading for a measure page, with a message instead of an exception."""
    return _safe_reading(indicator, as_of)


def district_reading(
    indicator: Indicator, district: Organization, *, as_of: date | None = None
) -> tuple[IndicatorReading | None, str]:
    """The indicator's reading for one district association, with a message instead of an exception
    (none when the indicator has no per-district computation: check `has_district_reading` first)."""
    if not indicator.has_district_reading:
        return None, ""
    try:
        return indicator.compute_for_district(district, as_of), ""
    except Exception:
        logger.exception("indicator %s failed to compute for district %s", indicator.key, district.pk)
        return None, _("The indicator could not be computed just now.")


def reading_chart(indicator: Indicator, reading: IndicatorReading) -> dict | None:
    """History chart data for a registered indicator shown on its own (not bound to a target)."""
    points = list(reading.series)
    if reading.value is not None and reading.as_of and all(p.as_of != reading.as_of for p in points):
        points.append(SeriesPoint(as_of=reading.as_of, value=reading.value))
    if not points:
        return None
    return {
        "unit": indicator.unit,
        "label": str(indicator.label),
        "points": [[p.as_of.isoformat(), float(p.value)] for p in sorted(points, key=lambda p: p.as_of)],
    }
