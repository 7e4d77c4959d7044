"""Building questionnaires: surveys, sections, questions, options, skip logic, publishing, versions."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization
from kexie.core.services import record_event, snapshot
from kexie.surveys.enums import CHOICE_KINDS, ConditionOperator, QuestionKind, SurveyState
from kexie.surveys.models import (
    Option,
    Question,
    Section,
    Survey,
)

SURVEY_FIELDS = ["title", "description", "organization", "requires_sign_in", "closes_at", "state", "version"]
QUESTION_FIELDS = [
    "code",
    "text",
    "help_text",
    "kind",
    "required",
    "scale_min",
    "scale_max",
    "rows",
    "condition_question",
    "condition_operator",
    "condition_value",
]


def _token() -> str:
    return secrets.token_urlsafe(18)


def _require_draft(survey: Survey) -> None:
    if survey.state != SurveyState.DRAFT:
        raise ValidationError(
            _("The survey is published: its questions are frozen. Start a new version to change them."),
            code="frozen",
        )


# ---- building ---------------------------------------------------------------------------------


@transaction.atomic
def create_survey(
    *,
    title: str,
    organization: Organization,
    by,
    description: str = "",
    requires_sign_in: bool = False,
    closes_at: datetime | None = None,
) -> Survey:
    if not title.strip():
        raise ValidationError({"title": _("Please give the survey a title.")})
    survey = Survey.objects.create(
        title=title.strip(),
        description=description,
        organization=organization,
        requires_sign_in=requires_sign_in,
        closes_at=closes_at,
        public_token=_token(),
        created_by=by,
    )
    record_event(survey, "surveys.survey.create", actor=by, after=snapshot(survey, SURVEY_FIELDS))
    return survey


@transaction.atomic
def update_survey(*, survey: Survey, by, **changes: Any) -> Survey:
    """Title, description, sign-in and closing date. The closing date may change after publishing;
    whether respondents sign in may not."""
    allowed = {"title", "description", "closes_at"} | (
        {"requires_sign_in"} if survey.state == SurveyState.DRAFT else set()
    )
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These settings cannot change now: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    before = snapshot(survey, SURVEY_FIELDS)
    for name, value in changes.items():
        setattr(survey, name, value)
    survey.save(update_fields=list(changes))
    record_event(
        survey, "surveys.survey.update", actor=by, before=before, after=snapshot(survey, SURVEY_FIELDS)
    )
    return survey


@transaction.atomic
def add_section(*, survey: Survey, title: str, by) -> Section:
    _require_draft(survey)
    position = (survey.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    section = Section.objects.create(
        survey=survey, title=title.strip() or _("Section %(n)s") % {"n": position}, position=position
    )
    record_event(
        section,
        "surveys.section.create",
        actor=by,
        detail=section.title,
        organization_id=survey.organization_id,
    )
    return section


def _normalise_options(options: Iterable[str | Sequence[str]]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for n, item in enumerate(options, start=1):
        if isinstance(item, str):
            value, label = str(n), item.strip()
        else:
            value, label = str(item[0]).strip(), str(item[1]).strip()
        if label:
            pairs.append((value, label))
    values = [v for v, _label in pairs]
    if len(set(values)) != len(values):
        raise ValidationError({"options": _("Two options have the same value.")})
    return pairs


def _next_code(survey: Survey) -> str:
    taken = set(survey.questions.values_list("code", flat=True))
    n = len(taken) + 1
    while f"Q{n}" in taken:
        n += 1
    return f"Q{n}"


def _check_condition(question: Question, source: Question | None, operator: str, value: str) -> None:
    if source is None:
        return
    if source.survey_id != question.survey_id or source.pk == question.pk or not _is_before(source, question):
        raise ValidationError({"condition_question": _("A question can only depend on an earlier question.")})
    if operator not in ConditionOperator.values:
        raise ValidationError({"condition_operator": _("Choose a condition.")})
    if not value:
        raise ValidationError({"condition_value": _("Give the answer the question depends on.")})


def _order_key(question: Question) -> tuple[int, int, int]:
    return (question.section.position, question.position, question.pk or 0)


def _is_before(first: Question, second: Question) -> bool:
    if second.pk is None and first.section_id == second.section_id:
        return True
    return _order_key(first) < _order_key(second)


@transaction.atomic
def add_question(
    *,
    section: Section,
    text: str,
    kind: str,
    by,
    code: str = "",
    required: bool = True,
    help_text: str = "",
    options: Iterable[str | Sequence[str]] = (),
    rows: Iterable[str] = (),
    scale_min: int = 1,
    scale_max: int = 5,
    condition: tuple[Question, str, str] | None = None,
) -> Question:
    """Append a question to ``section``. ``condition`` = (earlier question, operator, option value)."""
    survey = section.survey
    _require_draft(survey)
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose a question kind.")})
    code = (code or "").strip() or _next_code(survey)
    if survey.questions.filter(code=code).exists():
        raise ValidationError(
            {"code": _("Another question already has the variable name %(code)s.") % {"code": code}}
        )
    position = (section.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question(
        survey=survey,
        section=section,
        position=position,
        code=code,
        text=text.strip(),
        help_text=help_text,
        kind=kind,
        required=required,
        scale_min=scale_min,
        scale_max=scale_max,
        rows=[r.strip() for r in rows if r.strip()],
    )
    if condition is not None:
        source, operator, value = condition
        _check_condition(question, source, operator, value)
        question.condition_question, question.condition_operator, question.condition_value = (
            source,
            operator,
            value,
        )
    pairs = _normalise_options(options)
    question.save()
    Option.objects.bulk_create(
        Option(question=question, position=n, value=value, label=label)
        for n, (value, label) in enumerate(pairs, 1)
    )
    record_event(
        question,
        "surveys.question.create",
        actor=by,
        after=snapshot(question, QUESTION_FIELDS),
        organization_id=survey.organization_id,
    )
    return question


@transaction.atomic
def update_question(
    *, question: Question, by, options: Iterable[str | Sequence[str]] | None = None, **changes: Any
) -> Question:
    """Change a draft question; ``options`` replaces its options; ``condition_*`` set its skip logic."""
    survey = question.survey
    _require_draft(survey)
    before = snapshot(question, QUESTION_FIELDS)
    if "code" in changes and survey.questions.filter(code=changes["code"]).exclude(pk=question.pk).exists():
        raise ValidationError(
            {
                "code": _("Another question already has the variable name %(code)s.")
                % {"code": changes["code"]}
            }
        )
    for name, value in changes.items():
        setattr(question, name, value)
    _check_condition(
        question, question.condition_question, question.condition_operator, question.condition_value
    )
    question.save(update_fields=list(changes) or None)
    if options is not None:
        pairs = _normalise_options(options)
        question.options.all().delete()
        Option.objects.bulk_create(
            Option(question=question, position=n, value=value, label=label)
            for n, (value, label) in enumerate(pairs, 1)
        )
    record_event(
        question,
        "surveys.question.update",
        actor=by,
        before=before,
        after=snapshot(question, QUESTION_FIELDS),
        organization_id=survey.organization_id,
    )
    return question


@transaction.atomic
def delete_question(*, question: Question, by) -> None:
    survey = question.survey
    _require_draft(survey)
    if question.dependents.exists():
        raise ValidationError(
            _("Other questions depend on “%(question)s”: change their conditions first.")
            % {"question": question.text}
        )
    record_event(
        question,
        "surveys.question.delete",
        actor=by,
        before=snapshot(question, QUESTION_FIELDS),
        organization_id=survey.organization_id,
    )
    question.delete()


@transaction.atomic
def move_question(*, question: Question, up: bool, by) -> Question:
    """Swap with the neighbouring question of the same section. Refused if a skip condition would
    then refer to a later question."""
    survey = question.survey
    _require_draft(survey)
    siblings = list(question.section.questions.order_by("position", "pk"))
    for n, q in enumerate(siblings, 1):
        q.position = n
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(siblings):
        return question
    other = siblings[other_index]
    first, second = (other, siblings[index]) if up else (siblings[index], other)
    # Swapping reverses the order of just these two: refused if one is the other's condition.
    if first.condition_question_id == second.pk or second.condition_question_id == first.pk:
        raise ValidationError(
            _("“%(question)s” depends on the question it would move past.") % {"question": question.text}
        )
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    for n, q in enumerate(siblings, 1):
        q.position = n
    Question.objects.bulk_update(siblings, ["position"])
    record_event(
        question,
        "surveys.question.move",
        actor=by,
        detail="up" if up else "down",
        organization_id=survey.organization_id,
    )
    question.refresh_from_db()
    return question


def ordered_questions(survey: Survey) -> list[Question]:
    """The survey's questions in answering order, with section and options loaded."""
    return list(
        survey.questions.select_related("section")
        .prefetch_related("options")
        .order_by("section__position", "section_id", "position", "pk")
    )


def publish_problems(survey: Survey) -> list[str]:
    """What stops the survey from being published, each naming the question."""
    problems: list[str] = []
    questions = ordered_questions(survey)
    if not questions:
        problems.append(_("The survey has no questions."))
    seen: dict[int, Question] = {}
    for q in questions:
        name = {"code": q.code, "question": q.text or q.code}
        options = list(q.options.all())
        if not q.text.strip():
            problems.append(_("Question %(code)s has no text.") % name)
        if q.kind in CHOICE_KINDS and len(options) < 2:
            problems.append(_("Question %(code)s “%(question)s” needs at least two options.") % name)
        if q.kind == QuestionKind.MATRIX and not q.rows:
            problems.append(_("Question %(code)s “%(question)s” needs at least one row.") % name)
        if q.kind == QuestionKind.RATING and not q.scale_min < q.scale_max:
            problems.append(
                _("Question %(code)s “%(question)s”: the scale must run from a lower to a higher number.")
                % name
            )
        if q.condition_question_id:
            source = seen.get(q.condition_question_id)
            if source is None:
                problems.append(
                    _("Question %(code)s “%(question)s” depends on a question that does not come before it.")
                    % name
                )
            elif source.kind in CHOICE_KINDS and q.condition_value not in {
                o.value for o in source.options.all()
            }:
                problems.append(
                    _(
                        "Question %(code)s “%(question)s” depends on an answer that question %(source)s does not have."  # noqa: E501
                    )
                    % {**name, "source": source.code}
                )
        seen[q.pk] = q
    for section in survey.sections.all():
        if not any(q.section_id == section.pk for q in questions):
            problems.append(_("Section “%(section)s” has no questions.") % {"section": section.title})
    return problems


@transaction.atomic
def publish_survey(*, survey: Survey, by) -> Survey:
    # The lock makes two publishers (or a publisher and an editor) take turns.
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.state != SurveyState.DRAFT:
        raise ValidationError(_("Only a draft can be published."), code="state")
    problems = publish_problems(locked)
    if problems:
        raise ValidationError(problems, code="invalid")
    before = snapshot(locked, SURVEY_FIELDS)
    survey.state = SurveyState.PUBLISHED
    survey.published_at = timezone.now()
    survey.save(update_fields=["state", "published_at"])
    record_event(
        survey, "surveys.survey.publish", actor=by, before=before, after=snapshot(survey, SURVEY_FIELDS)
    )
    return survey


@transaction.atomic
def close_survey(*, survey: Survey, by) -> Survey:
    updated = Survey.objects.filter(pk=survey.pk, state=SurveyState.PUBLISHED).update(
        state=SurveyState.CLOSED, closes_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("Only a published survey can be closed."), code="state")
    survey.refresh_from_db()
    record_event(survey, "surveys.survey.close", actor=by, after=snapshot(survey, SURVEY_FIELDS))
    return survey


@transaction.atomic
def revise_survey(*, survey: Survey, by) -> Survey:
    """The next version of a published or closed survey: a draft copy of its sections, questions,
    options and skip logic. The published version keeps its questions and responses."""
    if survey.state == SurveyState.DRAFT:
        raise ValidationError(_("A draft can be edited directly."), code="state")
    copy = Survey.objects.create(
        title=survey.title,
        description=survey.description,
        organization=survey.organization,
        requires_sign_in=survey.requires_sign_in,
        closes_at=None,
        version=survey.version + 1,
        previous=survey,
        public_token=_token(),
        created_by=by,
    )
    sections = {
        s.pk: Section.objects.create(survey=copy, title=s.title, position=s.position)
        for s in survey.sections.all()
    }
    mapping: dict[int, Question] = {}
    for q in ordered_questions(survey):
        new = Question.objects.create(
            survey=copy,
            section=sections[q.section_id],
            position=q.position,
            code=q.code,
            text=q.text,
            help_text=q.help_text,
            kind=q.kind,
            required=q.required,
            scale_min=q.scale_min,
            scale_max=q.scale_max,
            rows=list(q.rows),
            condition_question=mapping.get(q.condition_question_id),
            condition_operator=q.condition_operator,
            condition_value=q.condition_value,
        )
        Option.objects.bulk_create(
            Option(question=new, position=o.position, value=o.value, label=o.label) for o in q.options.all()
        )
        mapping[q.pk] = new
    record_event(copy, "surveys.survey.revise", actor=by, detail=f"v{survey.version} → v{copy.version}")
    return copy
