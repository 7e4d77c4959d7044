"""Population margins and weighting runs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kexie.core.services import record_event
from kexie.surveys.enums import QuestionKind
from kexie.surveys.margins import MarginTable, read_margins
from kexie.surveys.models import (
    MarginRow,
    Question,
    Survey,
    WeightingRun,
    WeightingScheme,
)
from kexie.surveys.services.building import ordered_questions
from kexie.surveys.services.responses import responses_frame
from kexie.surveys.stats import WeightingError, kish_deff, rake, trim_weights

# ---- weighting --------------------------------------------------------------------------------


def _margin_errors(survey: Survey, table: MarginTable) -> tuple[dict[str, Question], list[str]]:
    """Check the uploaded margins against the survey: every variable a single-choice question, every
    category one of its answers (by value or label), and every category with respondents."""
    errors: list[str] = []
    questions = {q.code: q for q in ordered_questions(survey)}
    mapping: dict[str, Question] = {}
    for variable in table.margins:
        q = questions.get(variable)
        if q is None or q.kind != QuestionKind.SINGLE:
            errors.append(
                _("Margin %(variable)s: the survey has no single-choice question with this variable name.")
                % {"variable": variable}
            )
            continue
        mapping[variable] = q
        by_label = {o.label: o.value for o in q.options.all()}
        values = {o.value for o in q.options.all()}
        for category, row in table.rows[variable].items():
            if category not in values and category not in by_label:
                errors.append(
                    _("%(where)s: %(category)s is not an answer of question %(code)s “%(question)s”.")
                    % {"where": row, "category": category, "code": q.code, "question": q.text}
                )
    return mapping, errors


def _canonical_margins(table: MarginTable, mapping: Mapping[str, Question]) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {}
    for variable, q in mapping.items():
        by_label = {o.label: o.value for o in q.options.all()}
        result[variable] = {by_label.get(c, c): v for c, v in table.margins[variable].items()}
    return result


def _weighting_data(survey: Survey, margins: Mapping[str, Mapping[str, float]], mapping: Mapping[str, int]):
    """Respondents with an answer to every margin question, and their codes per margin."""
    questions = {q.pk: q for q in ordered_questions(survey)}
    rows = responses_frame(survey)
    codes_by_var = {v: questions[qid].code for v, qid in mapping.items()}
    usable = [r for r in rows if all(r.get(code) is not None for code in codes_by_var.values())]
    spec = {
        variable: (
            np.array([str(r[codes_by_var[variable]]) for r in usable], dtype=object),
            dict(margins[variable]),
        )
        for variable in margins
    }
    return rows, usable, spec


@transaction.atomic
def upload_margins(*, survey: Survey, file, by, name: str = "") -> WeightingScheme:
    """Population margins from an .xlsx (variable, category, population; or one sheet per variable
    with category, population). Every problem is reported at once, by sheet and row; on any
    problem nothing is saved."""
    table = read_margins(file)  # raises ValidationError listing the file's problems
    mapping, errors = _margin_errors(survey, table)
    if errors:
        raise ValidationError(errors, code="invalid")
    margins = _canonical_margins(table, mapping)
    rows, usable, spec = _weighting_data(survey, margins, {v: q.pk for v, q in mapping.items()})
    if rows and not usable:
        raise ValidationError(_("No submitted response answers every margin question."), code="empty")
    if usable:
        try:
            rake(np.ones(len(usable)), spec, max_iter=1)
        except WeightingError as exc:
            raise ValidationError(str(exc), code="invalid") from None
    scheme = WeightingScheme.objects.create(
        survey=survey,
        name=name or getattr(file, "name", "") or _("Population margins"),
        source_name=getattr(file, "name", "")[:200],
        mapping={v: q.pk for v, q in mapping.items()},
        total=table.total,
        created_by=by,
    )
    MarginRow.objects.bulk_create(
        MarginRow(scheme=scheme, variable=variable, category=category, population=population)
        for variable, categories in margins.items()
        for category, population in categories.items()
    )
    record_event(
        scheme,
        "surveys.margins.upload",
        actor=by,
        after={"variables": sorted(margins), "total": table.total, "source": scheme.source_name},
        organization_id=survey.organization_id,
    )
    return scheme


def scheme_margins(scheme: WeightingScheme) -> dict[str, dict[str, float]]:
    margins: dict[str, dict[str, float]] = {}
    for variable, category, population in scheme.margin_rows.values_list(
        "variable", "category", "population"
    ):
        margins.setdefault(variable, {})[category] = population
    return margins


def rake_scheme(scheme: WeightingScheme, parameters: Mapping[str, Any]):
    """(frame rows used, RakeResult): the raking a run's parameters describe, recomputed from the data."""
    margins = scheme_margins(scheme)
    _rows, usable, spec = _weighting_data(scheme.survey, margins, scheme.mapping)
    if not usable:
        raise ValidationError(_("No submitted response answers every margin question."), code="empty")
    base = np.ones(len(usable))
    lower, upper = parameters.get("lower"), parameters.get("upper")
    mean = scheme.total / len(usable)
    try:
        if lower or upper:
            result = trim_weights(
                base * mean,
                spec,
                lower=lower * mean if lower else None,
                upper=upper * mean if upper else None,
            )
        else:
            result = rake(base * mean, spec)
    except WeightingError as exc:
        raise ValidationError(str(exc), code="invalid") from None
    return usable, result


@transaction.atomic
def run_weighting(
    *,
    scheme: WeightingScheme,
    by,
    lower: float | None = None,
    upper: float | None = None,
    strata: str = "",
    clusters: str = "",
) -> WeightingRun:
    """Rake the submitted responses to the scheme's margins, optionally trimming weights to
    [lower, upper] times the mean weight; ``strata``/``clusters`` name questions (by variable name)
    that describe the sample design for standard errors. Stores the weights and the convergence
    report. Respondents who did not answer a margin question get no weight (counted as excluded)."""
    if lower is not None and upper is not None and not lower < upper:
        raise ValidationError({"upper": _("The upper bound must be above the lower bound.")})
    codes = set(scheme.survey.questions.values_list("code", flat=True))
    for field, code in (("strata", strata), ("clusters", clusters)):
        if code and code not in codes:
            raise ValidationError(
                {field: _("The survey has no question with the variable name %(code)s.") % {"code": code}}
            )
    parameters = {"lower": lower, "upper": upper, "strata": strata, "clusters": clusters}
    usable, result = rake_scheme(scheme, parameters)
    weights = result.weights
    total_rows = scheme.survey.responses.filter(submitted_at__isnull=False).count()
    report = {
        "respondents": len(usable),
        "excluded": total_rows - len(usable),
        "converged": bool(result.converged),
        "iterations": int(result.iterations),
        "max_margin_error": float(result.max_margin_error),
        "history": [float(h) for h in result.history[-30:]],
        "rounds": int(result.rounds),
        "trimmed": int(result.trimmed),
        "kish_deff": kish_deff(weights),
        "weight_min": float(weights.min()),
        "weight_max": float(weights.max()),
        "weight_total": float(weights.sum()),
    }
    run = WeightingRun.objects.create(
        scheme=scheme,
        parameters=parameters,
        report=report,
        weights={str(r["response"]): float(w) for r, w in zip(usable, weights, strict=True)},
        created_by=by,
    )
    record_event(
        run,
        "surveys.weighting.run",
        actor=by,
        after={"parameters": parameters, "report": {k: v for k, v in report.items() if k != "history"}},
        organization_id=scheme.survey.organization_id,
    )
    return run
