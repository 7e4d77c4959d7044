"""Tasks and breakdown: creating and editing tasks, starting them, milestones, progress reports
with evidence, completion requests, approval (销号) and return."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization
from kexie.core.services import record_event, snapshot
from kexie.core.transitions import transition
from kexie.core.uploads import check_upload
from kexie.policy import notifications as events
from kexie.policy import rules
from kexie.policy.enums import (
    Light,
    TaskSource,
    TaskState,
)
from kexie.policy.models import (
    Evidence,
    Measure,
    Milestone,
    ProgressReport,
    Task,
)
from kexie.policy.services.lights import refresh_light
from kexie.policy.services.notifications import notify_department, notify_leaders

TASK_FIELDS = ["title", "lead", "due_date", "state", "percent", "light"]
EVIDENCE_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".jpg",
    ".jpeg",
    ".png",
    ".txt",
    ".zip",
    ".wps",
    ".ofd",
}


@transaction.atomic
def create_task(
    *,
    title: str,
    lead: Organization,
    by,
    measure: Measure | None = None,
    cooperating: list[Organization] = (),
    due_date: date | None = None,
    description: str = "",
    source: str = TaskSource.NOTICE,
    source_ref: str = "",
) -> Task:
    """A new task: a further task of a measure (splitting it), or one from another source (a leader's
    instruction, a meeting decision, a need, a brief)."""
    if measure is not None and not rules.can_break_down(by, measure):
        raise PermissionDenied
    if measure is None and source == TaskSource.NOTICE:
        raise ValidationError({"measure": _("A task from a notice belongs to one of its measures.")})
    if not title.strip():
        raise ValidationError({"title": _("The task needs a title.")})
    task = Task.objects.create(
        measure=measure,
        title=title.strip()[:300],
        lead=lead,
        due_date=due_date,
        description=description,
        source=source,
        source_ref=source_ref[:300],
        created_by=by,
    )
    task.cooperating.set([org for org in cooperating if org.pk != lead.pk])
    refresh_light(task=task)
    record_event(task, "policy.task.create", actor=by, after=snapshot(task, TASK_FIELDS))
    notify_department(task, _("New task for your department: %(task)s") % {"task": task.title})
    return task


@transaction.atomic
def update_task(
    *,
    task: Task,
    by,
    title: str | None = None,
    lead: Organization | None = None,
    cooperating: list[Organization] | None = None,
    due_date: date | None = None,
    description: str | None = None,
) -> Task:
    """Edit a task. The due date of a task already under way changes only through an approved
    change request; before that (draft), whoever breaks the measure down sets it."""
    task = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
    if not rules.can_edit_task(by, task):
        raise PermissionDenied
    before = snapshot(task, TASK_FIELDS)
    changed = []
    if title is not None and title.strip() != task.title:
        task.title = title.strip()[:300]
        changed.append("title")
    if description is not None and description != task.description:
        task.description = description
        changed.append("description")
    if lead is not None and lead.pk != task.lead_id:
        if not rules.can_break_down(by, task.measure):
            raise PermissionDenied
        task.lead = lead
        changed.append("lead")
    if due_date is not None and due_date != task.due_date:
        if task.state != TaskState.DRAFT:
            raise ValidationError(
                {"due_date": _("The task is under way: request a due-date adjustment instead.")}
            )
        if not rules.can_break_down(by, task.measure):
            raise PermissionDenied
        task.due_date = due_date
        changed.append("due_date")
    if changed:
        task.save(update_fields=[*changed, "updated_at"])
    if cooperating is not None:
        if not rules.can_break_down(by, task.measure):
            raise PermissionDenied
        task.cooperating.set([org for org in cooperating if org.pk != task.lead_id])
    refresh_light(task=task)
    record_event(task, "policy.task.update", actor=by, before=before, after=snapshot(task, TASK_FIELDS))
    return task


def fresh_task(task: Task) -> Task:
    """Re-read and lock the task: rules that depend on its state must see the committed state."""
    return Task.objects.select_for_update(of=("self",)).select_related("lead", "measure").get(pk=task.pk)


def transition_task(task: Task, *, expected: tuple[str, ...], values: dict) -> Task:
    """Move the task only if it is still in an expected state: a conditional UPDATE, so that two
    concurrent approvals cannot both apply."""
    return transition(
        task,
        expected=expected,
        values=values,
        message=_("The task has changed in the meantime; reload the page and try again."),
    )


@transaction.atomic
def start_task(*, task: Task, by) -> Task:
    task = fresh_task(task)
    if not (rules.is_lead_member(by, task) or rules.can_break_down(by, task.measure)):
        raise PermissionDenied
    before = snapshot(task, TASK_FIELDS)
    task = transition_task(
        task,
        expected=(TaskState.DRAFT,),
        values={"state": TaskState.IN_PROGRESS, "started_at": timezone.now()},
    )
    refresh_light(task=task)
    record_event(task, "policy.task.start", actor=by, before=before, after=snapshot(task, TASK_FIELDS))
    return task


@transaction.atomic
def add_milestone(*, task: Task, title: str, due_date: date, by) -> Milestone:
    task = fresh_task(task)
    if not rules.can_edit_task(by, task):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": _("The milestone needs a title.")})
    milestone = Milestone.objects.create(task=task, title=title.strip()[:200], due_date=due_date)
    refresh_light(task=task)
    record_event(
        milestone,
        "policy.milestone.add",
        actor=by,
        organization_id=task.lead_id,
        after={"task": task.pk, "title": milestone.title, "due_date": due_date.isoformat()},
    )
    return milestone


@transaction.atomic
def complete_milestone(*, milestone: Milestone, by) -> Milestone:
    task = milestone.task
    if not rules.can_report(by, task) or not rules.is_lead_member(by, task):
        raise PermissionDenied
    if Milestone.objects.filter(pk=milestone.pk, done_at__isnull=True).update(done_at=timezone.now()) == 0:
        raise ValidationError(_("The milestone is already done."))
    milestone.refresh_from_db()
    refresh_light(task=task)
    record_event(milestone, "policy.milestone.done", actor=by, organization_id=task.lead_id)
    return milestone


def _check_evidence(files: list[UploadedFile]) -> None:
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    for upload in files:
        extension = Path(upload.name).suffix.lower()
        if extension not in EVIDENCE_EXTENSIONS:
            raise ValidationError(
                {
                    "files": _("“%(name)s”: files of type %(ext)s are not accepted as evidence.")
                    % {"name": upload.name, "ext": extension or "?"}
                }
            )
        if upload.size > limit:
            raise ValidationError(
                {
                    "files": _("“%(name)s” is larger than %(limit)s MB.")
                    % {"name": upload.name, "limit": settings.MAX_UPLOAD_MB}
                }
            )
        if upload.size == 0:
            raise ValidationError({"files": _("“%(name)s” is empty.") % {"name": upload.name}})
        try:
            check_upload(upload)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from None


@transaction.atomic
def record_progress(
    *, task: Task, text: str, by, percent: int | None = None, files: list[UploadedFile] = ()
) -> ProgressReport:
    """A progress report with evidence. The lead department's report sets the task's progress; a
    cooperating department adds its part to the ledger. Reporting on a draft task starts it."""
    task = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
    if not rules.can_report(by, task):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Describe the progress.")})
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Progress is a percentage from 0 to 100.")})
    files = list(files)
    _check_evidence(files)
    is_lead = rules.is_lead_member(by, task)
    organization = (
        task.lead
        if is_lead
        else Organization.objects.get(
            pk=min(rules.department_ids(by) & set(task.cooperating.values_list("pk", flat=True)))
        )
    )
    before = snapshot(task, TASK_FIELDS)
    report = ProgressReport.objects.create(
        task=task,
        organization=organization,
        is_lead=is_lead,
        text=text.strip(),
        percent=percent if is_lead else None,
        author=by,
    )
    for upload in files:
        Evidence.objects.create(
            report=report, file=upload, name=Path(upload.name).name[:200], size=upload.size
        )
    fields = ["last_report_at", "updated_at"]
    task.last_report_at = report.created_at
    if is_lead and percent is not None:
        task.percent = percent
        fields.append("percent")
    if task.state == TaskState.DRAFT:
        task.state = TaskState.IN_PROGRESS
        task.started_at = timezone.now()
        fields += ["state", "started_at"]
    task.save(update_fields=fields)
    refresh_light(task=task)
    record_event(
        report,
        "policy.progress.report",
        actor=by,
        organization_id=organization.pk,
        before=before,
        after={**snapshot(task, TASK_FIELDS), "evidence": [e.name for e in report.evidence.all()]},
    )
    return report


@transaction.atomic
def request_completion(*, task: Task, by, note: str = "") -> Task:
    task = fresh_task(task)
    if not rules.can_request_completion(by, task):
        raise PermissionDenied
    before = snapshot(task, TASK_FIELDS)
    task = transition_task(
        task,
        expected=(TaskState.IN_PROGRESS,),
        values={"state": TaskState.COMPLETION_REQUESTED, "return_reason": ""},
    )
    record_event(
        task,
        "policy.task.request_completion",
        actor=by,
        before=before,
        after=snapshot(task, TASK_FIELDS),
        detail=note,
    )
    notify_leaders(task, _("Completion requested: %(task)s") % {"task": task.title})
    return task


@transaction.atomic
def approve_completion(*, task: Task, by) -> Task:
    """销号: a leader approves; exactly one of two concurrent approvals applies."""
    task = fresh_task(task)
    if not rules.can_decide(by):
        raise PermissionDenied
    before = snapshot(task, TASK_FIELDS)
    task = transition_task(
        task,
        expected=(TaskState.COMPLETION_REQUESTED,),
        values={
            "state": TaskState.COMPLETED,
            "completed_at": timezone.now(),
            "percent": 100,
            "light": Light.DONE,
        },
    )
    record_event(task, "policy.task.complete", actor=by, before=before, after=snapshot(task, TASK_FIELDS))
    notify_department(
        task, _("Completion approved: %(task)s") % {"task": task.title}, event=events.TASK_APPROVED
    )
    return task


@transaction.atomic
def return_task(*, task: Task, reason: str, by) -> Task:
    task = fresh_task(task)
    if not rules.can_decide(by):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the task.")})
    before = snapshot(task, TASK_FIELDS)
    task = transition_task(
        task,
        expected=(TaskState.COMPLETION_REQUESTED,),
        values={"state": TaskState.IN_PROGRESS, "return_reason": reason.strip()},
    )
    refresh_light(task=task)
    record_event(
        task,
        "policy.task.return",
        actor=by,
        before=before,
        after=snapshot(task, TASK_FIELDS),
        detail=reason.strip(),
    )
    notify_department(
        task, _("Returned: %(task)s") % {"task": task.title}, body=reason.strip(), event=events.TASK_RETURNED
    )
    return task
