"""Exports of a survey's raw responses and result tables, as .xlsx or .csv."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.exports import csv_bytes, table_xlsx
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


def to_csv(header: list[str], body: list[list[Any]]) -> bytes:
    return csv_bytes(header, body)


def to_xlsx(header: list[str], body: list[list[Any]], *, title: str) -> bytes:
    return table_xlsx(header, body, title=title)
