"""Results of a survey: counts and percentages per question, cross-tabs, and weighted estimates
from a weighting run. Reads only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kexie.surveys.enums import QuestionKind
from kexie.surveys.models import Question, Survey, WeightingRun
from kexie.surveys.services import ordered_questions, rake_scheme, responses_frame
from kexie.surveys.stats import Estimate, weighted_mean, weighted_proportion

# Text answers shown on the results page (the export has them all).
TEXT_SAMPLE = 10


@dataclass
class OptionResult:
    value: str
    label: str
    count: int
    percent: float
    weighted: Estimate | None = None
    fixed: Estimate | None = None


@dataclass
class QuestionResult:
    question: Question
    answered: int
    options: list[OptionResult] = field(default_factory=list)
    mean: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    weighted_mean: Estimate | None = None
    fixed_mean: Estimate | None = None
    matrix: list[dict[str, Any]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def chart(self) -> dict[str, Any] | None:
        if not self.options:
            return None
        return {
            "id": self.question.code,
            "labels": [o.label for o in self.options],
            "counts": [o.count for o in self.options],
            "percents": [o.percent for o in self.options],
            "weighted": [round(o.weighted.value * 100, 2) if o.weighted else None for o in self.options],
        }


def _percent(count: int, base: int) -> float:
    return round(100.0 * count / base, 2) if base else 0.0


def _option_hits(q: Question, value: Any, option: str) -> bool:
    return option in value if q.kind == QuestionKind.MULTIPLE else str(value) == option


def question_results(survey: Survey, *, rows: list[dict[str, Any]] | None = None) -> list[QuestionResult]:
    """Counts and percentages of the submitted responses; percentages of those who answered."""
    questions = ordered_questions(survey)
    rows = responses_frame(survey, questions=questions) if rows is None else rows
    results = []
    for q in questions:
        values = [r[q.code] for r in rows if r.get(q.code) is not None]
        result = QuestionResult(question=q, answered=len(values))
        options = list(q.options.all())
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counts: Counter[str] = Counter()
            for v in values:
                counts.update(v if isinstance(v, list) else [str(v)])
            result.options = [
                OptionResult(o.value, o.label, counts[o.value], _percent(counts[o.value], len(values)))
                for o in options
            ]
        elif q.kind in (QuestionKind.RATING, QuestionKind.NUMBER):
            numbers = [float(v) for v in values]
            if numbers:
                result.mean = round(sum(numbers) / len(numbers), 4)
                result.minimum, result.maximum = min(numbers), max(numbers)
            if q.kind == QuestionKind.RATING:
                counts = Counter(int(v) for v in numbers)
                result.options = [
                    OptionResult(str(k), str(k), counts[k], _percent(counts[k], len(values)))
                    for k in range(q.scale_min, q.scale_max + 1)
                ]
        elif q.kind == QuestionKind.MATRIX:
            for row_label in q.rows:
                answers = [v.get(row_label) for v in values if v.get(row_label)]
                counts = Counter(answers)
                result.matrix.append(
                    {
                        "row": row_label,
                        "answered": len(answers),
                        "cells": [
                            (counts[o.value], _percent(counts[o.value], len(answers))) for o in options
                        ],
                    }
                )
        else:
            result.texts = [str(v) for v in values[-TEXT_SAMPLE:]]
        results.append(result)
    return results


def add_weighted(results: list[QuestionResult], run: WeightingRun) -> dict[str, Any]:
    """Weighted proportions (per option) and means, with calibration-aware and fixed-weight SEs,
    95% CIs (logit for proportions, estimate ± 1.96 SE for means) and design effects, from ``run``
    (recomputed from its data and parameters)."""
    usable, rake_result = rake_scheme(run.scheme, run.parameters)
    strata_code, cluster_code = run.parameters.get("strata") or "", run.parameters.get("clusters") or ""
    strata = np.array([str(r.get(strata_code)) for r in usable], dtype=object) if strata_code else None
    clusters = np.array([str(r.get(cluster_code)) for r in usable], dtype=object) if cluster_code else None
    design = rake_result.design(strata=strata, clusters=clusters, lonely_psu="adjust")
    fixed = design.uncalibrated()
    stored = np.array([run.weights.get(str(r["response"]), np.nan) for r in usable])
    for result in results:
        q = result.question
        answered = np.array([r.get(q.code) is not None for r in usable])
        if not answered.any():
            continue
        if result.options and q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RATING):
            for option in result.options:
                y = np.array(
                    [
                        1.0 if r.get(q.code) is not None and _option_hits(q, r[q.code], option.value) else 0.0
                        for r in usable
                    ]
                )
                # Logit intervals (as the literacy rates): a Wald interval of a small share runs below 0%.
                option.weighted = weighted_proportion(design, y, domain=answered, interval="logit")
                option.fixed = weighted_proportion(fixed, y, domain=answered, interval="logit")
        if q.kind in (QuestionKind.RATING, QuestionKind.NUMBER):
            y = np.array([float(r[q.code]) if r.get(q.code) is not None else 0.0 for r in usable])
            result.weighted_mean = weighted_mean(design, y, domain=answered)
            result.fixed_mean = weighted_mean(fixed, y, domain=answered)
    return {
        "respondents": len(usable),
        "reproduced": bool(np.allclose(stored, rake_result.weights, rtol=1e-9, atol=1e-9)),
    }


def crosstab(
    survey: Survey, row: Question, column: Question, *, rows: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Counts of row × column answers among respondents who answered both (single choice or rating),
    with row percentages and totals."""
    rows = responses_frame(survey) if rows is None else rows

    def categories(q: Question) -> list[tuple[str, str]]:
        if q.kind == QuestionKind.RATING:
            return [(str(k), str(k)) for k in range(q.scale_min, q.scale_max + 1)]
        return [(o.value, o.label) for o in q.options.all()]

    row_cats, col_cats = categories(row), categories(column)
    counts = Counter(
        (str(r[row.code]), str(r[column.code]))
        for r in rows
        if r.get(row.code) is not None and r.get(column.code) is not None
    )
    table = []
    for value, label in row_cats:
        cells = [counts[(value, c)] for c, _l in col_cats]
        total = sum(cells)
        table.append({"label": label, "cells": [(n, _percent(n, total)) for n in cells], "total": total})
    column_totals = [sum(counts[(v, c)] for v, _l in row_cats) for c, _l in col_cats]
    return {
        "row": row,
        "column": column,
        "columns": [label for _v, label in col_cats],
        "table": table,
        "column_totals": column_totals,
        "total": sum(column_totals),
    }


def crosstab_questions(survey: Survey) -> list[Question]:
    return [q for q in ordered_questions(survey) if q.kind in (QuestionKind.SINGLE, QuestionKind.RATING)]
