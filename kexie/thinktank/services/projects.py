"""Projects: topic research awarded through a call, 第三方评估 and 科技咨询评议 commissions;
milestones, mid-term and final review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.services import record_event, snapshot
from kexie.core.transitions import transition
from kexie.thinktank import rules
from kexie.thinktank.enums import (
    OPEN_PROJECT_STATES,
    ProjectKind,
    ProjectState,
    ReviewConclusion,
    ReviewStage,
)
from kexie.thinktank.models import GuideTopic, Project, ProjectMilestone, ProjectReview
from kexie.thinktank.services.common import require

PROJECT_FIELDS = ["kind", "title", "state", "lead_organization", "principal", "contract_number", "amount"]


def _create(*, by, kind, title, lead_organization, principal, **values) -> Project:
    errors = {}
    if kind not in ProjectKind.values:
        errors["kind"] = _("Choose a kind of project.")
    if not title.strip():
        errors["title"] = _("Give the project a title.")
    if not lead_organization.strip():
        errors["lead_organization"] = _("Name the lead organization.")
    if not principal.strip():
        errors["principal"] = _("Name the principal investigator.")
    amount = values.get("amount") or Decimal(0)
    if amount < 0:
        errors["amount"] = _("Funding cannot be negative.")
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors["end_date"] = _("The end date is before the start date.")
    if kind != ProjectKind.TOPIC and not (values.get("client") or "").strip():
        errors["client"] = _("Name who commissioned the evaluation or consultation.")
    if errors:
        raise ValidationError(errors)
    project = Project.objects.create(
        kind=kind,
        title=title.strip(),
        lead_organization=lead_organization.strip(),
        principal=principal.strip(),
        created_by=by,
        updated_by=by,
        **values,
    )
    record_event(project, "thinktank.project.create", actor=by, after=snapshot(project, PROJECT_FIELDS))
    return project


@transaction.atomic
def create_project(
    *,
    by,
    kind: str,
    title: str,
    lead_organization: str,
    principal: str,
    client: str = "",
    topic: GuideTopic | None = None,
    contract_number: str = "",
    amount: Decimal | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    owner=None,
    principal_expert=None,
) -> Project:
    """A project entered by staff: a 第三方评估 or 科技咨询评议 commission, or a topic project."""
    require(rules.can_manage(by))
    return _create(
        by=by,
        kind=kind,
        title=title,
        lead_organization=lead_organization,
        principal=principal,
        client=client,
        topic=topic,
        contract_number=contract_number,
        amount=amount or Decimal(0),
        start_date=start_date,
        end_date=end_date,
        owner=owner,
        principal_expert=principal_expert,
    )


@transaction.atomic
def award_topic_project(
    *,
    call_ref: str,
    title: str,
    lead_organization: str,
    principal: str,
    owner,
    by,
    topic: GuideTopic | None = None,
    amount: Decimal | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
) -> Project:
    """The project of an application awarded in a topic call (called by the calls engine's decision
    hook, whose own rules decided who may award). Idempotent per application."""
    existing = Project.objects.filter(call_ref=call_ref).first()
    if existing is not None:
        return existing
    return _create(
        by=by,
        kind=ProjectKind.TOPIC,
        title=title,
        lead_organization=lead_organization or "—",
        principal=principal or "—",
        topic=topic,
        call_ref=call_ref,
        owner=owner,
        amount=amount or Decimal(0),
        start_date=start_date,
        end_date=end_date,
    )


@transaction.atomic
def set_contract(
    *, project: Project, by, contract_number: str, amount: Decimal, start_date: date, end_date: date
) -> Project:
    require(rules.can_manage(by))
    if end_date < start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    if amount < 0:
        raise ValidationError({"amount": _("Funding cannot be negative.")})
    before = snapshot(project, PROJECT_FIELDS)
    project = transition(
        project,
        expected=OPEN_PROJECT_STATES,
        values={
            "contract_number": contract_number.strip(),
            "amount": amount,
            "start_date": start_date,
            "end_date": end_date,
            "updated_by": by,
        },
        message=_("The contract of a closed project cannot change."),
    )
    record_event(
        project,
        "thinktank.project.contract",
        actor=by,
        before=before,
        after=snapshot(project, PROJECT_FIELDS),
    )
    return project


@transaction.atomic
def add_milestone(*, project: Project, by, title: str, due_date: date) -> ProjectMilestone:
    require(rules.can_manage(by) and project.state in OPEN_PROJECT_STATES)
    if not title.strip():
        raise ValidationError({"title": _("Name the milestone.")})
    milestone = ProjectMilestone.objects.create(project=project, title=title.strip(), due_date=due_date)
    record_event(
        project, "thinktank.project.milestone", actor=by, after={"title": milestone.title, "due": due_date}
    )
    return milestone


@transaction.atomic
def complete_milestone(*, milestone: ProjectMilestone, by, done_on: date | None = None) -> ProjectMilestone:
    require(rules.can_deliver(by, milestone.project))
    updated = ProjectMilestone.objects.filter(pk=milestone.pk, done_on__isnull=True).update(
        done_on=done_on or timezone.localdate()
    )
    if not updated:
        raise ValidationError(_("This milestone is already done."))
    milestone.refresh_from_db()
    record_event(
        milestone.project, "thinktank.project.milestone_done", actor=by, after={"title": milestone.title}
    )
    return milestone


@transaction.atomic
def record_review(
    *, project: Project, by, stage: str, held_on: date, conclusion: str, comments: str = ""
) -> ProjectReview:
    """Mid-term review (passed: the project goes on) or final review (passed: completed; failed:
    terminated). A final review needs a delivered result."""
    require(rules.can_manage(by))
    if stage not in ReviewStage.values:
        raise ValidationError({"stage": _("Choose the review stage.")})
    if conclusion not in ReviewConclusion.values:
        raise ValidationError({"conclusion": _("Choose the conclusion.")})
    if conclusion != ReviewConclusion.PASSED and not comments.strip():
        raise ValidationError({"comments": _("Explain a conclusion other than passed.")})
    before = snapshot(project, PROJECT_FIELDS)
    if stage == ReviewStage.MIDTERM:
        values = {"state": ProjectState.MIDTERM_PASSED} if conclusion == ReviewConclusion.PASSED else {}
        expected = (ProjectState.UNDER_WAY,)
    else:
        if conclusion == ReviewConclusion.PASSED and not project.deliverables.exists():
            raise ValidationError(_("A project passes its final review only with a delivered result."))
        values = {
            ReviewConclusion.PASSED: {"state": ProjectState.COMPLETED, "completed_at": timezone.now()},
            ReviewConclusion.FAILED: {"state": ProjectState.TERMINATED},
        }.get(conclusion, {})
        expected = OPEN_PROJECT_STATES
    project = transition(
        project,
        expected=expected,
        values={**values, "updated_by": by},
        message=_("This review does not fit the project's state."),
    )
    review = ProjectReview.objects.create(
        project=project,
        stage=stage,
        held_on=held_on,
        conclusion=conclusion,
        comments=comments,
        recorded_by=by,
    )
    record_event(
        project,
        f"thinktank.project.review.{stage}",
        actor=by,
        before=before,
        after={**snapshot(project, PROJECT_FIELDS), "conclusion": conclusion},
    )
    return review
