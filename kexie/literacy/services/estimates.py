"""Literacy services: estimates of the literacy rate."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization, User
from kexie.core.services import record_event, snapshot
from kexie.literacy import rules
from kexie.literacy.enums import EstimateSource
from kexie.literacy.models import (
    AssessmentAttempt,
    LiteracyEstimate,
)
from kexie.surveys.stats import Design, domain_estimates, weighted_proportion


@transaction.atomic
def estimate_from_assessments(*, year: int, by: User) -> list[LiteracyEstimate]:
    """The share of assessment takers placed in a literate tier, for the city and each district, with
    95% confidence intervals (logit). Takers are volunteers, not a probability sample: the figures are
    a leading indicator, stored as source=assessment and labelled so."""
    if not rules.can_manage_estimates(by):
        raise PermissionDenied
    rows = list(
        AssessmentAttempt.objects.filter(submitted_at__year=year).values_list("district_id", "literate")
    )
    if len(rows) < 2:
        raise ValidationError(_("At least two assessment attempts in %(year)s are needed.") % {"year": year})
    districts = np.array([d or 0 for d, _lit in rows])
    literate = np.array([int(lit) for _d, lit in rows], dtype=float)
    design = Design(np.ones(len(rows)))
    estimates = {None: weighted_proportion(design, literate, interval="logit")}
    for district_id, estimate in domain_estimates(
        design, literate, districts, statistic="proportion", interval="logit"
    ).items():
        if district_id and estimate.n >= 2:
            estimates[int(district_id)] = estimate
    saved = []
    for district_id, estimate in estimates.items():
        values = {
            "rate": _pct(estimate.value),
            "se": Decimal(str(round(estimate.se * 100, 3))),
            "ci_low": _pct(estimate.ci_low),
            "ci_high": _pct(estimate.ci_high),
            "n": estimate.n,
            "note": _("Share of assessment takers in a literate tier (not a probability sample)."),
        }
        obj, _created = LiteracyEstimate.objects.update_or_create(
            year=year, district_id=district_id, source=EstimateSource.ASSESSMENT, defaults=values
        )
        saved.append(obj)
    record_event(None, "literacy.estimate.compute", actor=by, after={"year": year, "estimates": len(saved)})
    return saved


def _pct(value: float) -> Decimal:
    return Decimal(str(round(value * 100, 2)))


@transaction.atomic
def record_estimate(
    *,
    by: User,
    year: int,
    district: Organization | None,
    rate: Decimal,
    source: str,
    se=None,
    ci_low=None,
    ci_high=None,
    n=None,
    note: str = "",
    source_url: str = "",
) -> LiteracyEstimate:
    if not rules.can_manage_estimates(by):
        raise PermissionDenied
    if not Decimal(0) <= rate <= Decimal(100):
        raise ValidationError({"rate": _("The rate is a percentage between 0 and 100.")})
    estimate, _created = LiteracyEstimate.objects.update_or_create(
        year=year,
        district=district,
        source=source,
        defaults={
            "rate": rate,
            "se": se,
            "ci_low": ci_low,
            "ci_high": ci_high,
            "n": n,
            "note": note,
            "source_url": source_url,
        },
    )
    record_event(
        estimate,
        "literacy.estimate.record",
        actor=by,
        after=snapshot(estimate, ["year", "district", "rate", "source"]),
    )
    return estimate


ESTIMATE_FIELDS = ["year", "district", "rate", "se", "ci_low", "ci_high", "n", "source", "note", "source_url"]


def _check_figure(*, rate: Decimal, ci_low: Decimal | None, ci_high: Decimal | None) -> None:
    errors = {}
    if not Decimal(0) <= rate <= Decimal(100):
        errors["rate"] = _("The rate is a percentage between 0 and 100.")
    if (ci_low is None) != (ci_high is None):
        errors["ci_high" if ci_high is None else "ci_low"] = _(
            "Give both ends of the confidence interval, or neither."
        )
    elif ci_low is not None and ci_high is not None and not ci_low <= rate <= ci_high:
        errors["ci_low"] = _("The confidence interval must contain the rate (low ≤ rate ≤ high).")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def enter_published_estimate(  # noqa: PLR0913 - the figure's fields, keyword-only
    *,
    by: User,
    year: int,
    district: Organization | None,
    rate: Decimal,
    ci_low: Decimal | None = None,
    ci_high: Decimal | None = None,
    n: int | None = None,
    note: str = "",
    source_url: str = "",
) -> LiteracyEstimate:
    """A published figure (e.g. the 2015–2022 Chongqing releases) entered by hand, with its source.
    Refused if the year already has a published figure for the same scope: edit that one instead."""
    if not rules.can_manage_estimates(by):
        raise PermissionDenied
    _check_figure(rate=rate, ci_low=ci_low, ci_high=ci_high)
    if LiteracyEstimate.objects.filter(
        year=year, district=district, source=EstimateSource.PUBLISHED
    ).exists():
        raise ValidationError(
            {
                "year": _("A published figure for %(year)s (%(scope)s) already exists; edit it instead.")
                % {"year": year, "scope": district.display_name if district else _("city")}
            }
        )
    return record_estimate(
        by=by,
        year=year,
        district=district,
        rate=rate,
        source=EstimateSource.PUBLISHED,
        ci_low=ci_low,
        ci_high=ci_high,
        n=n,
        note=note.strip(),
        source_url=source_url.strip(),
    )


@transaction.atomic
def update_estimate(  # noqa: PLR0913 - the figure's fields, keyword-only
    *,
    estimate: LiteracyEstimate,
    by: User,
    rate: Decimal,
    ci_low: Decimal | None = None,
    ci_high: Decimal | None = None,
    n: int | None = None,
    note: str = "",
    source_url: str = "",
) -> LiteracyEstimate:
    """Correct a figure (its year, scope and source identify it and stay)."""
    if not rules.can_manage_estimates(by):
        raise PermissionDenied
    _check_figure(rate=rate, ci_low=ci_low, ci_high=ci_high)
    estimate = LiteracyEstimate.objects.select_for_update().get(pk=estimate.pk)
    before = snapshot(estimate, ESTIMATE_FIELDS)
    estimate.rate, estimate.ci_low, estimate.ci_high, estimate.n = rate, ci_low, ci_high, n
    estimate.note, estimate.source_url = note.strip(), source_url.strip()
    estimate.save(update_fields=["rate", "ci_low", "ci_high", "n", "note", "source_url"])
    record_event(
        estimate,
        "literacy.estimate.update",
        actor=by,
        before=before,
        after=snapshot(estimate, ESTIMATE_FIELDS),
    )
    return estimate


@transaction.atomic
def delete_estimate(*, estimate: LiteracyEstimate, by: User) -> None:
    if not rules.can_manage_estimates(by):
        raise PermissionDenied
    before = snapshot(estimate, ESTIMATE_FIELDS)
    record_event(estimate, "literacy.estimate.delete", actor=by, before=before)
    LiteracyEstimate.objects.filter(pk=estimate.pk).delete()
