"""Exports of a survey's raw responses and result tables, as .xlsx or .csv."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kexie.surveys.enums import QuestionKind
from kexie.surveys.models import Question, Survey
from kexie.surveys.results import QuestionResult
from kexie.surveys.services import ordered_questions, responses_frame


def _cell(q: Question, value: Any, labels: dict[str, str]) -> Any:
    if value is None:
        return ""
    if q.kind == QuestionKind.MULTIPLE:
        return "; ".join(labels.get(v, v) for v in value)
    if q.kind == QuestionKind.SINGLE:
        return labels.get(str(value), str(value))
    return value


def response_table(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """Raw responses, one row per submitted response: answers as option labels; a matrix question
    as one column per row. Respondents are identified only by the response number."""
    questions = ordered_questions(survey)
    header = [_("Response"), _("Submitted at"), _("Station")]
    for q in questions:
        if q.kind == QuestionKind.MATRIX:
            header += [f"{q.code}[{row}]" for row in q.rows]
        else:
            header.append(q.code)
    labels = {q.pk: {o.value: o.label for o in q.options.all()} for q in questions}
    body = []
    for r in responses_frame(survey, questions=questions):
        line: list[Any] = [
            r["response"],
            timezone.localtime(r["submitted_at"]).strftime("%Y-%m-%d %H:%M"),
            r["station_name"],
        ]
        for q in questions:
            value = r[q.code]
            if q.kind == QuestionKind.MATRIX:
                line += [labels[q.pk].get((value or {}).get(row), "") for row in q.rows]
            else:
                line.append(_cell(q, value, labels[q.pk]))
        body.append(line)
    return header, body


def results_table(results: list[QuestionResult]) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Variable"),
        _("Question"),
        _("Answer"),
        _("Count"),
        _("Percent"),
        _("Weighted percent"),
        _("Standard error"),
        _("95% CI low"),
        _("95% CI high"),
    ]
    body: list[list[Any]] = []
    for result in results:
        q = result.question
        for o in result.options:
            w = o.weighted
            body.append(
                [q.code, q.text, o.label, o.count, o.percent]
                + (
                    [
                        round(w.value * 100, 4),
                        round(w.se * 100, 4),
                        round(w.ci_low * 100, 4),
                        round(w.ci_high * 100, 4),
                    ]
                    if w
                    else ["", "", "", ""]
                )
            )
        for row in result.matrix:
            for o, (count, percent) in zip(q.options.all(), row["cells"], strict=True):
                body.append([q.code, f"{q.text} · {row['row']}", o.label, count, percent, "", "", "", ""])
        if result.mean is not None:
            w = result.weighted_mean
            body.append(
                [q.code, q.text, _("Mean"), result.answered, result.mean]
                + (
                    [round(w.value, 4), round(w.se, 4), round(w.ci_low, 4), round(w.ci_high, 4)]
                    if w
                    else ["", "", "", ""]
                )
            )
    return header, body


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    """Respondents type free text: a cell that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_rows(body: list[list[Any]]) -> list[list[Any]]:
    return [[_safe(v) for v in line] for line in body]


def to_csv(header: list[str], body: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(_safe_rows(body))
    # The BOM lets Excel open the UTF-8 file with the Chinese intact.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], body: list[list[Any]], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for line in _safe_rows(body):
        sheet.append(line)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
