"""Literacy services: question bank."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kexie.accounts.models import User
from kexie.core.exports import append_row, xlsx_bytes
from kexie.core.services import record_event, snapshot
from kexie.core.spreadsheets import Column, ImportRefused, open_workbook, read_table
from kexie.literacy import rules
from kexie.literacy.enums import Audience, QuestionKind, ReviewState
from kexie.literacy.models import (
    Dimension,
    Question,
)
from kexie.literacy.services.constants import (
    TRUE_FALSE_OPTIONS,
)

KIND_WORDS = {
    "判断": QuestionKind.TRUE_FALSE,
    "判断题": QuestionKind.TRUE_FALSE,
    "单选": QuestionKind.SINGLE,
    "单选题": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "多选题": QuestionKind.MULTIPLE,
    **{k.value: k for k in QuestionKind},
}
AUDIENCE_WORDS = {
    "青少年": "youth",
    "农民": "farmers",
    "产业工人": "workers",
    "老年人": "elderly",
    "领导干部和公务员": "officials",
}
AUDIENCE_WORDS.update(
    {"公务员": "officials", "工人": "workers", "老年": "elderly", **{a: a for a in Audience.values}}
)
LETTERS = "ABCDEFGH"


def clean_question(data: dict) -> dict:  # noqa: PLR0912 - one check per field, in the form's order
    """Validate one question's fields (from a form, the API or an import row) and normalise them.
    Errors are keyed by field."""
    errors: dict[str, str] = {}
    kind = data.get("kind")
    if kind not in QuestionKind.values:
        errors["kind"] = _("Choose true/false, single or multiple choice.")
    text = (data.get("text") or "").strip()
    if not text:
        errors["text"] = _("Enter the question.")
    options = [str(o).strip() for o in (data.get("options") or []) if str(o).strip()]
    if kind == QuestionKind.TRUE_FALSE:
        options = TRUE_FALSE_OPTIONS
    elif len(options) < 2:
        errors["options"] = _("Give at least two options.")
    elif len(options) > len(LETTERS):
        errors["options"] = _("Give at most %(n)s options.") % {"n": len(LETTERS)}
    answer = sorted({int(a) for a in data.get("answer") or []})
    if not answer or any(a < 0 or a >= max(len(options), 1) for a in answer):
        errors["answer"] = _("The answer key must name one of the options.")
    elif kind in (QuestionKind.TRUE_FALSE, QuestionKind.SINGLE) and len(answer) != 1:
        errors["answer"] = _("A true/false or single-choice item has exactly one correct option.")
    elif kind == QuestionKind.MULTIPLE and len(answer) < 2:
        errors["answer"] = _("A multiple-choice item has at least two correct options.")
    try:
        difficulty = int(data.get("difficulty") or 0)
    except (TypeError, ValueError):
        difficulty = 0
    if not 1 <= difficulty <= 5:
        errors["difficulty"] = _("Difficulty is a whole number from 1 to 5.")
    dimension = data.get("dimension")
    if not isinstance(dimension, Dimension):
        errors["dimension"] = _("Choose a dimension.")
    audiences = list(data.get("audiences") or [])
    if any(a not in Audience.values for a in audiences):
        errors["audiences"] = _("Unknown audience group.")
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "text": text,
        "options": options,
        "answer": answer,
        "difficulty": difficulty,
        "dimension": dimension,
        "audiences": audiences,
        "explanation": (data.get("explanation") or "").strip(),
        "source": (data.get("source") or "").strip()[:300],
        "topic": (data.get("topic") or "").strip()[:60],
    }


QUESTION_FIELDS = [
    "kind",
    "text",
    "options",
    "answer",
    "difficulty",
    "dimension",
    "explanation",
    "topic",
    "state",
]


@transaction.atomic
def create_question(*, by: User, **data) -> Question:
    if not rules.can_manage_questions(by):
        raise PermissionDenied
    question = Question.objects.create(created_by=by, state=ReviewState.DRAFT, **clean_question(data))
    record_event(question, "literacy.question.create", actor=by, after=snapshot(question, QUESTION_FIELDS))
    return question


@transaction.atomic
def update_question(*, question: Question, by: User, **data) -> Question:
    """Edit an item; a rejected item goes back to draft for another review. Reviewed items are frozen."""
    if not rules.can_edit_question(by, question):
        raise PermissionDenied
    before = snapshot(question, QUESTION_FIELDS)
    for field, value in clean_question(data).items():
        setattr(question, field, value)
    question.state = ReviewState.DRAFT
    question.save()
    record_event(
        question,
        "literacy.question.update",
        actor=by,
        before=before,
        after=snapshot(question, QUESTION_FIELDS),
    )
    return question


@transaction.atomic
def review_question(*, question: Question, by: User, approve: bool, note: str = "") -> Question:
    """A second editor passes or rejects a draft; the author may not review their own item."""
    if not rules.can_review_question(by, question):
        raise PermissionDenied
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the item is rejected.")})
    state = ReviewState.REVIEWED if approve else ReviewState.REJECTED
    now = timezone.now()
    updated = Question.objects.filter(pk=question.pk, state=ReviewState.DRAFT).update(
        state=state, reviewed_by=by, reviewed_at=now, review_note=note.strip()[:300]
    )
    if not updated:
        raise ValidationError(_("Only a draft item can be reviewed."))
    question.refresh_from_db()
    record_event(
        question,
        f"literacy.question.{'approve' if approve else 'reject'}",
        actor=by,
        after={"state": state, "note": note},
    )
    return question


# Rows one import reads at most.
MAX_IMPORT_ROWS = 5000
# The columns of the question bank's .xlsx (the header row, in this order).
XLSX_COLUMNS = [
    ("external_id", "编号"),
    ("dimension", "维度"),
    ("kind", "题型"),
    ("text", "题目"),
    ("options", "选项（每行一个）"),
    ("answer", "答案"),
    ("difficulty", "难度（1-5）"),
    ("explanation", "解析"),
    ("source", "来源"),
    ("topic", "主题"),
    ("audiences", "适用人群"),
]
KIND_LABELS = {QuestionKind.TRUE_FALSE: "判断", QuestionKind.SINGLE: "单选", QuestionKind.MULTIPLE: "多选"}
AUDIENCE_LABELS = {
    "youth": "青少年",
    "farmers": "农民",
    "workers": "产业工人",
    "elderly": "老年人",
    "officials": "领导干部和公务员",
}


def export_questions(questions) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "题库"
    append_row(sheet, [header for _key, header in XLSX_COLUMNS])
    for q in questions.select_related("dimension"):
        if q.kind == QuestionKind.TRUE_FALSE:
            answer = TRUE_FALSE_OPTIONS[q.answer[0]] if q.answer else ""
        else:
            answer = "".join(LETTERS[a] for a in q.answer)
        append_row(
            sheet,
            [
                q.external_id or f"Q{q.pk}",
                q.dimension.name,
                KIND_LABELS[q.kind],
                q.text,
                "\n".join(q.options) if q.kind != QuestionKind.TRUE_FALSE else "",
                answer,
                q.difficulty,
                q.explanation,
                q.source,
                q.topic,
                "、".join(AUDIENCE_LABELS.get(a, a) for a in q.audiences),
            ],
        )
    return xlsx_bytes(workbook)


@dataclass
class ImportReport:
    created: int
    updated: int


def _parse_answer(raw: str, kind: str, options: list[str]) -> list[int]:
    raw = raw.strip().upper().replace(" ", "").replace(",", "").replace("，", "").replace("、", "")
    if kind == QuestionKind.TRUE_FALSE:
        mapping = {
            "正确": 0,
            "对": 0,
            "TRUE": 0,
            "T": 0,
            "√": 0,
            "错误": 1,
            "错": 1,
            "FALSE": 1,
            "F": 1,
            "×": 1,
        }
        if raw in mapping:
            return [mapping[raw]]
        raise ValueError
    if not raw or any(ch not in LETTERS[: len(options)] for ch in raw):
        raise ValueError
    return [LETTERS.index(ch) for ch in raw]


def import_questions(*, file, by: User) -> ImportReport:  # noqa: PLR0912, PLR0915 - validate-all-then-write reads best in one place
    """Read a .xlsx in the export's layout; validate every row first; write nothing on any error.
    A row whose number matches an existing draft or rejected item updates it; new rows become drafts."""
    if not rules.can_manage_questions(by):
        raise PermissionDenied
    try:
        workbook = open_workbook(file)
    except ImportRefused as exc:
        raise ValidationError(exc.messages) from None
    try:
        table = read_table(
            workbook.active.iter_rows(values_only=True),
            [Column(key, header) for key, header in XLSX_COLUMNS],
            max_rows=MAX_IMPORT_ROWS,
        )
    except ImportRefused as exc:
        raise ValidationError(exc.messages) from None
    dimensions = {d.name: d for d in Dimension.objects.all()} | {d.code: d for d in Dimension.objects.all()}
    existing = {q.external_id: q for q in Question.objects.exclude(external_id=None)}
    errors: list[str] = []
    cleaned: list[tuple[str, dict]] = []
    seen: set[str] = set()
    column_of = dict(XLSX_COLUMNS)
    for row in table.rows:
        number, values = row.number, row.cells
        row_errors: dict[str, str] = {}
        kind = KIND_WORDS.get(values["kind"])
        dimension = dimensions.get(values["dimension"])
        if dimension is None:
            row_errors["dimension"] = _("unknown dimension “%(value)s”") % {"value": values["dimension"]}
        options = [line.strip() for line in values["options"].splitlines() if line.strip()]
        answer: list[int] = []
        if kind is None:
            row_errors["kind"] = _("unknown type “%(value)s” (判断, 单选 or 多选)") % {
                "value": values["kind"]
            }
        else:
            try:
                answer = _parse_answer(
                    values["answer"], kind, TRUE_FALSE_OPTIONS if kind == QuestionKind.TRUE_FALSE else options
                )
            except ValueError:
                row_errors["answer"] = _("the answer “%(value)s” does not name an option") % {
                    "value": values["answer"]
                }
        audiences = []
        for word in filter(
            None, (w.strip() for w in values["audiences"].replace(",", "、").replace("，", "、").split("、"))
        ):
            if word not in AUDIENCE_WORDS:
                row_errors["audiences"] = _("unknown audience group “%(value)s”") % {"value": word}
            else:
                audiences.append(AUDIENCE_WORDS[word])
        external_id = values["external_id"] or None
        if external_id:
            if external_id in seen:
                row_errors["external_id"] = _("the number “%(value)s” appears twice") % {"value": external_id}
            seen.add(external_id)
            if external_id in existing and existing[external_id].state == ReviewState.REVIEWED:
                row_errors["external_id"] = _("item “%(value)s” is reviewed and cannot be changed") % {
                    "value": external_id
                }
        if not row_errors:
            try:
                data = clean_question(
                    {
                        "kind": kind,
                        "text": values["text"],
                        "options": options,
                        "answer": answer,
                        "difficulty": values["difficulty"].split(".")[0],
                        "dimension": dimension,
                        "explanation": values["explanation"],
                        "source": values["source"],
                        "topic": values["topic"],
                        "audiences": audiences,
                    }
                )
                cleaned.append((external_id, data))
            except ValidationError as exc:
                row_errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
        for key, message in row_errors.items():
            errors.append(
                _("Row %(row)s, column “%(column)s”: %(message)s")
                % {"row": number, "column": column_of[key], "message": message}
            )
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError(_("The file has no question rows."))
    report = ImportReport(created=0, updated=0)
    with transaction.atomic():
        for external_id, data in cleaned:
            question = existing.get(external_id) if external_id else None
            if question is None:
                Question.objects.create(external_id=external_id, created_by=by, **data)
                report.created += 1
            else:
                for field, value in data.items():
                    setattr(question, field, value)
                question.state = ReviewState.DRAFT
                question.save()
                report.updated += 1
        record_event(
            None,
            "literacy.question.import",
            actor=by,
            after={"created": report.created, "updated": report.updated},
        )
    return report
