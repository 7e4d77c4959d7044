"""《院士专家建议》: draft → editor review → leader sign-off → issued with its number; the decision
makers' feedback (批示, adoption, transfer), and the 督办 tasks a 批示 creates."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization
from kexie.core.services import record_event, snapshot
from kexie.core.transitions import transition
from kexie.policy.enums import TaskSource
from kexie.policy.services import create_task
from kexie.thinktank import rules
from kexie.thinktank.enums import BriefState, FeedbackKind, FeedbackLevel
from kexie.thinktank.models import Brief, BriefCounter, Feedback, Result
from kexie.thinktank.queries import BRIEF_TASK_REF
from kexie.thinktank.services.common import require

BRIEF_FIELDS = ["title", "state", "year", "number", "signed_at", "issued_at", "return_reason"]
DEFAULT_DISTRIBUTION = "市委、市政府领导"


def _check_text(title: str, authors: str, body: str) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the brief a title.")
    if not authors.strip():
        errors["authors"] = _("Name the authors.")
    if len(body.strip()) < 50:
        errors["body"] = _("The text of a brief needs at least 50 characters.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_brief(
    *,
    by,
    title: str,
    authors: str,
    body: str,
    summary: str = "",
    result: Result | None = None,
    distribution: str = DEFAULT_DISTRIBUTION,
) -> Brief:
    """An editor's draft, often from a result of the library."""
    require(rules.can_write_brief(by))
    _check_text(title, authors, body)
    brief = Brief.objects.create(
        title=title.strip(),
        authors=authors.strip(),
        body=body.strip(),
        summary=summary.strip(),
        result=result,
        distribution=distribution.strip() or DEFAULT_DISTRIBUTION,
        created_by=by,
        updated_by=by,
    )
    record_event(brief, "thinktank.brief.create", actor=by, after=snapshot(brief, BRIEF_FIELDS))
    return brief


@transaction.atomic
def update_brief(
    *,
    brief: Brief,
    by,
    title: str,
    authors: str,
    body: str,
    summary: str = "",
    distribution: str = DEFAULT_DISTRIBUTION,
) -> Brief:
    require(rules.can_write_brief(by))
    _check_text(title, authors, body)
    before = snapshot(brief, BRIEF_FIELDS)
    brief = transition(
        brief,
        expected=(BriefState.DRAFT,),
        values={
            "title": title.strip(),
            "authors": authors.strip(),
            "body": body.strip(),
            "summary": summary.strip(),
            "distribution": distribution.strip() or DEFAULT_DISTRIBUTION,
            "updated_by": by,
        },
        message=_("Only a draft can be edited."),
    )
    record_event(
        brief, "thinktank.brief.update", actor=by, before=before, after=snapshot(brief, BRIEF_FIELDS)
    )
    return brief


def _move(brief: Brief, *, by, action: str, expected, values: dict, message: str) -> Brief:
    before = snapshot(brief, BRIEF_FIELDS)
    brief = transition(brief, expected=expected, values={**values, "updated_by": by}, message=message)
    record_event(
        brief, f"thinktank.brief.{action}", actor=by, before=before, after=snapshot(brief, BRIEF_FIELDS)
    )
    return brief


@transaction.atomic
def submit_brief(*, brief: Brief, by) -> Brief:
    require(rules.can_write_brief(by))
    return _move(
        brief,
        by=by,
        action="submit",
        expected=(BriefState.DRAFT,),
        values={"state": BriefState.IN_REVIEW, "return_reason": ""},
        message=_("Only a draft can be sent to the editor."),
    )


@transaction.atomic
def review_brief(*, brief: Brief, by, approve: bool, reason: str = "") -> Brief:
    """The editor passes the brief on to the leader, or returns it to its writers with a reason."""
    require(rules.is_editor(by))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the brief goes back.")})
    values = (
        {"state": BriefState.AWAITING_SIGNOFF, "reviewed_by": by}
        if approve
        else {"state": BriefState.DRAFT, "return_reason": reason.strip()}
    )
    return _move(
        brief,
        by=by,
        action="approve" if approve else "return",
        expected=(BriefState.IN_REVIEW,),
        values=values,
        message=_("This brief is not waiting for the editor."),
    )


@transaction.atomic
def sign_off_brief(*, brief: Brief, by, approve: bool = True, reason: str = "") -> Brief:
    """A leader signs the brief off (签发), or returns it."""
    require(rules.is_leader(by))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the brief goes back.")})
    values = (
        {"state": BriefState.SIGNED, "signed_by": by, "signed_at": timezone.now()}
        if approve
        else {"state": BriefState.DRAFT, "return_reason": reason.strip()}
    )
    return _move(
        brief,
        by=by,
        action="sign_off" if approve else "return",
        expected=(BriefState.AWAITING_SIGNOFF,),
        values=values,
        message=_("This brief is not waiting for sign-off."),
    )


def next_issue_number(year: int) -> int:
    """The next number of ``year``: the counter row is locked until the issuing transaction ends,
    so two concurrent issues wait for each other and never take the same number."""
    BriefCounter.objects.get_or_create(year=year)
    counter = BriefCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def issue_brief(*, brief: Brief, by, on: date | None = None) -> Brief:
    """Issue a signed-off brief under the next number of the year (2026年第N期)."""
    require(rules.can_manage(by))
    fresh = Brief.objects.select_for_update().get(pk=brief.pk)
    if fresh.state != BriefState.SIGNED or fresh.signed_at is None:
        raise ValidationError(_("A brief is issued only after a leader has signed it off."))
    now = timezone.now()
    year = (on or timezone.localdate()).year
    number = next_issue_number(year)
    return _move(
        fresh,
        by=by,
        action="issue",
        expected=(BriefState.SIGNED,),
        values={"state": BriefState.ISSUED, "year": year, "number": number, "issued_at": now},
        message=_("A brief is issued only after a leader has signed it off."),
    )


@transaction.atomic
def recommend_brief_to_cast(*, brief: Brief, by, note: str = "", on: date | None = None) -> Brief:
    """Record that the brief was recommended to 中国科协."""
    require(rules.can_manage(by))
    if brief.state != BriefState.ISSUED:
        raise ValidationError(_("Only an issued brief can be recommended."))
    if brief.recommended_to_cast_on is not None:
        raise ValidationError(_("This brief is already recommended to CAST."))
    Brief.objects.filter(pk=brief.pk).update(
        recommended_to_cast_on=on or timezone.localdate(), recommendation_note=note.strip()[:300]
    )
    brief.refresh_from_db()
    record_event(brief, "thinktank.brief.recommend", actor=by, after={"on": brief.recommended_to_cast_on})
    return brief


@transaction.atomic
def record_feedback(
    *,
    brief: Brief,
    by,
    kind: str,
    given_by: str,
    level: str,
    given_on: date,
    text: str = "",
    document: str = "",
    reference: str = "",
    department: str = "",
    task_departments: list[Organization] = (),
    task_due: date | None = None,
) -> Feedback:
    """A leader's 批示, an adoption into a policy document or a transfer to a department. A 批示 may
    name departments of the association: each gets a 督办 task (source: brief) in the ledger."""
    require(rules.can_record_feedback(by, brief))
    errors = {}
    if kind not in FeedbackKind.values:
        errors["kind"] = _("Choose the kind of feedback.")
    if level not in FeedbackLevel.values:
        errors["level"] = _("Choose the level.")
    if not given_by.strip():
        errors["given_by"] = _("Name who gave the feedback.")
    if brief.issued_at and given_on < timezone.localtime(brief.issued_at).date():
        errors["given_on"] = _("The feedback cannot be earlier than the brief's issue date.")
    if given_on > timezone.localdate():
        errors["given_on"] = _("The date cannot be in the future.")
    if kind == FeedbackKind.INSTRUCTION and not text.strip():
        errors["text"] = _("Write down the text of the instruction.")
    if kind == FeedbackKind.ADOPTION and not (document.strip() and reference.strip()):
        errors["document"] = _("Name the policy document and its reference.")
    if kind == FeedbackKind.TRANSFER and not department.strip():
        errors["department"] = _("Name the department it was transferred to.")
    if task_departments and kind != FeedbackKind.INSTRUCTION:
        errors["task_departments"] = _("Only an instruction creates supervised tasks.")
    if task_departments and task_due is None:
        errors["task_due"] = _("Give the tasks a due date.")
    if task_due is not None and task_due < timezone.localdate():
        errors["task_due"] = _("The due date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    feedback = Feedback.objects.create(
        brief=brief,
        kind=kind,
        given_by=given_by.strip(),
        level=level,
        given_on=given_on,
        text=text.strip(),
        document=document.strip(),
        reference=reference.strip(),
        department=department.strip(),
        created_by=by,
        updated_by=by,
    )
    tasks = [
        create_task(
            title=_("Follow up %(leader)s's instruction on brief %(issue)s: %(title)s")
            % {"leader": feedback.given_by, "issue": brief.issue_label, "title": brief.title},
            lead=organization,
            by=by,
            due_date=task_due,
            description=feedback.text,
            source=TaskSource.BRIEF,
            source_ref=BRIEF_TASK_REF.format(pk=brief.pk),
        )
        for organization in task_departments
    ]
    feedback.tasks.set(tasks)
    record_event(
        brief,
        f"thinktank.brief.feedback.{kind}",
        actor=by,
        after={"given_by": feedback.given_by, "level": level, "tasks": [t.pk for t in tasks]},
    )
    return feedback
