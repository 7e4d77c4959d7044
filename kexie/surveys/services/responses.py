"""Distribution (invitation codes), answering (skip logic, required answers, single-use codes under
concurrency), and the data of submitted responses."""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization
from kexie.core.services import record_event
from kexie.surveys.enums import ConditionOperator, QuestionKind, SurveyState
from kexie.surveys.models import (
    Answer,
    Invitation,
    InvitationBatch,
    Question,
    Response,
    Survey,
)
from kexie.surveys.services.building import _token, ordered_questions

# No 0/O, 1/I/L: a code read aloud or copied from paper cannot be mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
MAX_BATCH = 5000

# ---- distribution -----------------------------------------------------------------------------


def _new_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        wanted = count - len(codes)
        fresh = {"".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH)) for _j in range(wanted)}
        fresh -= set(Invitation.objects.filter(code__in=fresh).values_list("code", flat=True))
        codes |= fresh
    return sorted(codes)[:count]


@transaction.atomic
def issue_invitations(
    *, survey: Survey, organization: Organization, quota: int, by, note: str = ""
) -> InvitationBatch:
    """A batch of ``quota`` single-use invitation codes (填答码) for a station."""
    if survey.state != SurveyState.PUBLISHED:
        raise ValidationError(_("Invitation codes can only be issued for a published survey."), code="state")
    if not 1 <= quota <= MAX_BATCH:
        raise ValidationError({"quota": _("The quota must be between 1 and %(max)s.") % {"max": MAX_BATCH}})
    batch = InvitationBatch.objects.create(
        survey=survey, organization=organization, quota=quota, note=note, created_by=by
    )
    Invitation.objects.bulk_create(Invitation(batch=batch, code=code) for code in _new_codes(quota))
    record_event(
        batch,
        "surveys.invitations.issue",
        actor=by,
        detail=f"{organization.name}: {quota}",
        organization_id=survey.organization_id,
    )
    return batch


def normalise_code(raw: str) -> str:
    return "".join(raw.split()).upper().replace("-", "")


def is_open(survey: Survey, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return survey.state == SurveyState.PUBLISHED and (survey.closes_at is None or survey.closes_at > now)


def _require_open(survey: Survey) -> None:
    if not is_open(survey):
        raise ValidationError(_("This survey is closed."), code="closed")


def start_response(*, survey: Survey, user=None, invitation_code: str | None = None) -> Response:
    """The response to answer or resume: the invitation code's, the signed-in user's, or a new
    anonymous one (the caller keeps its ``resume_token``). Safe under concurrent calls: a code or a
    user has one response, whoever creates it first."""
    _require_open(survey)
    if survey.requires_sign_in and not getattr(user, "is_authenticated", False):
        raise ValidationError(_("Please sign in to answer this survey."), code="sign_in")
    invitation = None
    if invitation_code is not None:
        code = normalise_code(invitation_code)
        invitation = (
            Invitation.objects.select_related("batch").filter(code=code, batch__survey=survey).first()
        )
        if invitation is None:
            raise ValidationError(
                {"code": _("The invitation code %(code)s is not valid for this survey.") % {"code": code}}
            )
        existing = Response.objects.filter(invitation=invitation).first()
        if existing is not None:
            if existing.submitted_at is not None:
                raise ValidationError(
                    {"code": _("The invitation code %(code)s has already been used.") % {"code": code}},
                    code="used",
                )
            return existing
    elif getattr(user, "is_authenticated", False):
        existing = Response.objects.filter(survey=survey, user=user).first()
        if existing is not None:
            if existing.submitted_at is not None:
                raise ValidationError(_("You have already answered this survey."), code="used")
            return existing
    user_field = user if getattr(user, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                invitation=invitation,
                station=invitation.batch.organization if invitation else None,
                user=user_field,
                resume_token=_token(),
            )
    except IntegrityError:
        # Someone else started this code's (or user's) response a moment ago: resume theirs.
        found = (
            Response.objects.filter(invitation=invitation)
            if invitation
            else Response.objects.filter(survey=survey, user=user_field)
        )
        response = found.get()
        if response.submitted_at is not None:
            raise ValidationError(_("This response has already been submitted."), code="used") from None
    return response


# ---- answering --------------------------------------------------------------------------------


def _number(raw: Any) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(str(raw).strip().replace(",", ""))
    except ValueError:
        raise ValueError from None
    if not math.isfinite(value):
        raise ValueError
    return int(value) if value.is_integer() else value


def _parse_single(question: Question, raw: Any, name: dict) -> Any:
    value = (raw or "").strip() if isinstance(raw, str) else raw
    if not value:
        return None
    if value not in {o.value for o in question.options.all()}:
        raise ValidationError(_("“%(question)s”: please choose one of the options.") % name)
    return value


def _parse_multiple(question: Question, raw: Any, name: dict) -> Any:
    values = [v for v in (raw or []) if v]
    if not values:
        return None
    order = [o.value for o in question.options.all()]
    if not set(values) <= set(order):
        raise ValidationError(_("“%(question)s”: please choose among the options.") % name)
    return sorted(set(values), key=order.index)


def _parse_number(question: Question, raw: Any, name: dict) -> Any:
    try:
        value = _number(raw)
    except ValueError:
        raise ValidationError(_("“%(question)s”: please enter a number.") % name) from None
    if value is None:
        return None
    if question.kind == QuestionKind.RATING and (
        not float(value).is_integer() or not question.scale_min <= value <= question.scale_max
    ):
        raise ValidationError(
            _("“%(question)s”: please choose a whole number from %(low)s to %(high)s.")
            % {**name, "low": question.scale_min, "high": question.scale_max}
        )
    return value


def _parse_text(question: Question, raw: Any, name: dict) -> Any:
    value = (raw or "").strip()
    if len(value) > MAX_TEXT:
        raise ValidationError(_("“%(question)s”: the answer is too long (4000 characters at most).") % name)
    return value or None


def _parse_matrix(question: Question, raw: Any, name: dict) -> Any:
    given = {str(k): v for k, v in (raw or {}).items() if v}
    if not given:
        return None
    options = {o.value for o in question.options.all()}
    if set(given) - set(question.rows) or set(given.values()) - options:
        raise ValidationError(_("“%(question)s”: please choose one of the options in each row.") % name)
    if question.required and len(given) < len(question.rows):
        raise ValidationError(_("“%(question)s”: please answer every row.") % name)
    return given


PARSERS = {
    QuestionKind.SINGLE: _parse_single,
    QuestionKind.MULTIPLE: _parse_multiple,
    QuestionKind.RATING: _parse_number,
    QuestionKind.NUMBER: _parse_number,
    QuestionKind.TEXT: _parse_text,
    QuestionKind.MATRIX: _parse_matrix,
}
MAX_TEXT = 4000


def parse_answer(question: Question, raw: Any) -> Any:
    """The stored value for ``raw`` (a POSTed string, list or dict), or None if unanswered.
    Raises ValidationError naming the question."""
    parser = PARSERS.get(question.kind)
    if parser is None:
        raise ValidationError(_("Unknown question kind."))
    return parser(question, raw, {"question": question.text})


def condition_met(question: Question, answers: Mapping[int, Any]) -> bool:
    """Skip logic: whether ``question`` is shown, given the answers so far (by question id)."""
    if not question.condition_question_id:
        return True
    answer = answers.get(question.condition_question_id)
    if answer is None:
        return False
    if question.condition_operator == ConditionOperator.CONTAINS:
        if isinstance(answer, list):
            return question.condition_value in answer
        return question.condition_value in str(answer)
    return str(answer) == question.condition_value


def shown_questions(questions: Sequence[Question], answers: Mapping[int, Any]) -> list[Question]:
    """Questions shown, in order: a question is hidden when its condition fails or its source is hidden."""
    shown: list[Question] = []
    visible: dict[int, Any] = {}
    for q in questions:
        if condition_met(q, visible):
            shown.append(q)
            if q.pk in answers:
                visible[q.pk] = answers[q.pk]
    return shown


def saved_answers(response: Response) -> dict[int, Any]:
    return dict(response.answers.values_list("question_id", "value"))


@transaction.atomic
def save_answers(
    *, response: Response, answers: Mapping[Question, Any], check_required: bool = True
) -> Response:
    """Save the answers of one page (partial answers are kept for resuming). With ``check_required``
    every shown required question on the page must be answered; errors name each question and
    nothing is saved. Answers to questions that skip logic hides are dropped."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.submitted_at is not None:
        raise ValidationError(_("This response has already been submitted."), code="used")
    _require_open(response.survey)
    errors: dict[str, list[str]] = {}
    parsed: dict[int, Any] = {}
    by_id = {}
    for question, raw in answers.items():
        by_id[question.pk] = question
        try:
            parsed[question.pk] = parse_answer(question, raw)
        except ValidationError as exc:
            errors[question.code] = exc.messages
    current = saved_answers(response)
    current.update(parsed)
    questions = ordered_questions(response.survey)
    shown = {q.pk for q in shown_questions(questions, {k: v for k, v in current.items() if v is not None})}
    if check_required:
        for qid, value in parsed.items():
            q = by_id[qid]
            if value is None and q.required and qid in shown and q.code not in errors:
                errors[q.code] = [_("Please answer “%(question)s”.") % {"question": q.text}]
    if errors:
        raise ValidationError(errors)
    for qid, value in parsed.items():
        if value is None or qid not in shown:
            Answer.objects.filter(response=response, question_id=qid).delete()
        else:
            Answer.objects.update_or_create(response=response, question_id=qid, defaults={"value": value})
    # Answers on other pages that are now hidden are dropped too.
    Answer.objects.filter(response=response).exclude(question_id__in=shown).delete()
    return response


def missing_required(response: Response) -> list[Question]:
    answers = saved_answers(response)
    return [
        q
        for q in shown_questions(ordered_questions(response.survey), answers)
        if q.required and q.pk not in answers
    ]


@transaction.atomic
def submit_response(*, response: Response) -> Response:
    """Submit once. Two concurrent submissions of the same response or invitation code: exactly one
    wins (a conditional update), the other is refused."""
    _require_open(response.survey)
    missing = missing_required(response)
    if missing:
        raise ValidationError(
            [_("Please answer “%(question)s”.") % {"question": q.text} for q in missing], code="required"
        )
    now = timezone.now()
    if response.invitation_id is not None and not Invitation.objects.filter(
        pk=response.invitation_id, used_at__isnull=True
    ).update(used_at=now):
        raise ValidationError(_("This invitation code has already been used."), code="used")
    if not Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(submitted_at=now):
        raise ValidationError(_("This response has already been submitted."), code="used")
    response.submitted_at = now
    record_event(
        response,
        "surveys.response.submit",
        actor=response.user,
        actor_name="respondent",
        organization_id=response.survey.organization_id,
    )
    return response


# ---- data for analysis ------------------------------------------------------------------------


def responses_frame(survey: Survey, *, questions: Sequence[Question] | None = None) -> list[dict[str, Any]]:
    """One dict per submitted response, in submission order: ``response`` (id), ``station`` (its
    organization code or ""), ``submitted_at``, and each question's code → its answer (None if
    not answered). Stable: other apps read survey data through this."""
    questions = list(questions) if questions is not None else ordered_questions(survey)
    codes = {q.pk: q.code for q in questions}
    responses = list(
        survey.responses.filter(submitted_at__isnull=False)
        .select_related("station")
        .order_by("submitted_at", "pk")
        .values_list("pk", "station__code", "station__name", "submitted_at")
    )
    rows: dict[int, dict[str, Any]] = {}
    for pk, station_code, station_name, submitted_at in responses:
        row: dict[str, Any] = {
            "response": pk,
            "station": station_code or "",
            "station_name": station_name or "",
            "submitted_at": submitted_at,
        }
        row.update(dict.fromkeys(codes.values()))
        rows[pk] = row
    for response_id, question_id, value in Answer.objects.filter(
        response__survey=survey, response__submitted_at__isnull=False
    ).values_list("response_id", "question_id", "value"):
        if response_id in rows and question_id in codes:
            rows[response_id][codes[question_id]] = value
    return list(rows.values())


@transaction.atomic
def export_invitation_codes(*, batch: InvitationBatch, by) -> list[Invitation]:
    """The batch's codes, for printing or handing to the station; the export is audited."""
    record_event(batch, "surveys.invitations.export", actor=by, organization_id=batch.survey.organization_id)
    return list(batch.invitations.all())


@transaction.atomic
def record_export(*, survey: Survey, kind: str, fmt: str, by) -> None:
    """Audit an export of responses or result tables (personal answers leave the system)."""
    record_event(survey, "surveys.export", actor=by, detail=f"{kind}.{fmt}")
