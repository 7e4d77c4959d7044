"""Every write of the supervision ledger: notice import, breakdown, progress, approvals, lights,
reminders, typical cases and manual indicator values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.enums import Role
from kexie.accounts.models import Membership, Organization
from kexie.core.services import notify, record_event, snapshot
from kexie.core.transitions import transition
from kexie.core.uploads import check_upload
from kexie.policy import rules
from kexie.policy import tasks as jobs
from kexie.policy.enums import (
    OPEN_STATES,
    CaseState,
    ChangeKind,
    ChangeState,
    Light,
    NoticeState,
    TaskSource,
    TaskState,
)
from kexie.policy.models import (
    ChangeRequest,
    Evidence,
    IndicatorValue,
    Measure,
    MeasureDepartment,
    Milestone,
    Notice,
    ProgressReport,
    Reminder,
    Section,
    SupervisionSettings,
    Target,
    Task,
    TypicalCase,
)
from kexie.policy.parser import ParsedNotice, parse_notice

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


# --- notice import ----------------------------------------------------------------------------------

_NORMALISE = re.compile(r"^(重庆市|重庆|市)")


def _key(name: str) -> str:
    return _NORMALISE.sub("", name.strip())


def match_organizations(names: list[str]) -> dict[str, Organization | None]:
    """Map unit names as a notice writes them to organizations: exact name, short name or alias, then
    the same without a leading 重庆市/市. Unmatched names map to None; they are never dropped."""
    index: dict[str, Organization] = {}
    loose: dict[str, Organization] = {}
    for org in Organization.objects.filter(is_active=True):
        for name in [org.name, org.short_name, *org.aliases]:
            if name:
                index.setdefault(name, org)
                loose.setdefault(_key(name), org)
    return {name: index.get(name) or loose.get(_key(name)) for name in names}


def draft_unit_names(draft: dict) -> list[str]:
    names: list[str] = []
    for section in draft.get("sections", []):
        for measure in section.get("measures", []):
            for name in measure.get("departments", []):
                if name not in names:
                    names.append(name)
    return names


@transaction.atomic
def create_notice_draft(
    *, text: str, source_name: str = "", by, parsed: ParsedNotice | None = None
) -> Notice:
    """Parse `text` (unless the caller parsed it already: `parsed`) and keep the result as an editable
    draft. Raises NoticeParseError with a message for the user when no measure is recognised; nothing
    is saved then."""
    if not rules.can_import_notice(by):
        raise PermissionDenied
    parsed = parsed or parse_notice(text)
    draft = parsed.to_dict()
    notice = Notice.objects.create(
        doc_number=draft.get("doc_number") or "",
        issuer=draft.get("issuer") or "",
        date=parsed.date,
        title=draft.get("title") or source_name or _("Untitled notice"),
        recipients=draft.get("recipients") or [],
        source_text=text,
        source_name=source_name[:200],
        draft=draft,
        created_by=by,
    )
    record_event(
        notice,
        "policy.notice.draft",
        actor=by,
        after={
            "doc_number": notice.doc_number,
            "measures": sum(len(s["measures"]) for s in draft["sections"]),
        },
    )
    return notice


@transaction.atomic
def update_notice_draft(*, notice: Notice, draft: dict, by) -> Notice:
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.state != NoticeState.DRAFT:
        raise ValidationError(_("Only a draft notice can be edited."))
    if not rules.can_import_notice(by):
        raise PermissionDenied
    notice.draft = draft
    notice.doc_number = draft.get("doc_number") or ""
    notice.issuer = draft.get("issuer") or ""
    notice.title = draft.get("title") or notice.title
    notice.recipients = draft.get("recipients") or []
    notice.date = date.fromisoformat(draft["date"]) if draft.get("date") else None
    notice.save(update_fields=["draft", "doc_number", "issuer", "title", "recipients", "date"])
    record_event(notice, "policy.notice.edit_draft", actor=by)
    return notice


@transaction.atomic
def confirm_notice(
    *, notice: Notice, mapping: dict[str, Organization], by, due_date: date | None = None
) -> Notice:
    """Turn the draft into sections, measures, targets and one task per measure (lead = the lead unit,
    cooperating = the others). Every unit name in the draft must be mapped to an organization."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if not rules.can_import_notice(by):
        raise PermissionDenied
    if notice.state != NoticeState.DRAFT:
        raise ValidationError(_("This notice has already been confirmed."))
    draft = notice.draft
    unmapped = [name for name in draft_unit_names(draft) if mapping.get(name) is None]
    if unmapped:
        raise ValidationError(
            _("Map these units to organizations before confirming: %(names)s")
            % {"names": "、".join(unmapped)}
        )
    if (
        notice.doc_number
        and Notice.objects.filter(doc_number=notice.doc_number, state=NoticeState.CONFIRMED).exists()
    ):
        raise ValidationError(
            _("A notice numbered %(number)s is already in the ledger.") % {"number": notice.doc_number}
        )
    measures_by_number: dict[int, Measure] = {}
    for section_index, section_data in enumerate(draft.get("sections", []), start=1):
        section = Section.objects.create(
            notice=notice,
            number=section_data.get("number") or section_index,
            title=(section_data.get("title") or "")[:200],
        )
        for measure_data in section_data.get("measures", []):
            measure = Measure.objects.create(
                notice=notice,
                section=section,
                number=measure_data["number"],
                title=(measure_data.get("title") or "")[:300],
                text=measure_data.get("text") or "",
                clause_start=measure_data.get("start") or 0,
                clause_end=measure_data.get("end") or 0,
            )
            measures_by_number[measure.number] = measure
            names = measure_data.get("departments", [])
            lead_name = measure_data.get("lead") or (names[0] if names else None)
            seen: set[int] = set()
            for order, name in enumerate(names):
                org = mapping[name]
                if org.pk in seen:
                    continue
                seen.add(org.pk)
                MeasureDepartment.objects.create(
                    measure=measure, organization=org, is_lead=name == lead_name, order=order
                )
            if lead_name:
                lead = mapping[lead_name]
                task = Task.objects.create(
                    measure=measure,
                    title=measure.title,
                    source=TaskSource.NOTICE,
                    source_ref=f"{notice.doc_number} {measure.number}".strip(),
                    lead=lead,
                    due_date=due_date,
                    created_by=by,
                )
                task.cooperating.set([mapping[n] for n in names if mapping[n].pk != lead.pk])
                record_event(task, "policy.task.create", actor=by, after=snapshot(task, TASK_FIELDS))
    for target_data in draft.get("targets", []):
        measure = measures_by_number.get(target_data.get("measure"))
        if measure is None:
            continue
        Target.objects.create(
            measure=measure,
            year=target_data.get("year"),
            metric=(target_data.get("metric") or "")[:200],
            comparator=target_data.get("comparator") or ">=",
            value=Decimal(str(target_data.get("value"))),
            unit=(target_data.get("unit") or "")[:20],
        )
    notice.state = NoticeState.CONFIRMED
    notice.confirmed_by = by
    notice.confirmed_at = timezone.now()
    notice.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    record_event(
        notice,
        "policy.notice.confirm",
        actor=by,
        after={"measures": len(measures_by_number), "doc_number": notice.doc_number},
    )
    return notice


# --- tasks and breakdown ------------------------------------------------------------------------------


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


def _fresh(task: Task) -> Task:
    """Re-read and lock the task: rules that depend on its state must see the committed state."""
    return Task.objects.select_for_update(of=("self",)).select_related("lead", "measure").get(pk=task.pk)


def _transition(task: Task, *, expected: tuple[str, ...], values: dict) -> Task:
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
    task = _fresh(task)
    if not (rules.is_lead_member(by, task) or rules.can_break_down(by, task.measure)):
        raise PermissionDenied
    before = snapshot(task, TASK_FIELDS)
    task = _transition(
        task,
        expected=(TaskState.DRAFT,),
        values={"state": TaskState.IN_PROGRESS, "started_at": timezone.now()},
    )
    refresh_light(task=task)
    record_event(task, "policy.task.start", actor=by, before=before, after=snapshot(task, TASK_FIELDS))
    return task


@transaction.atomic
def add_milestone(*, task: Task, title: str, due_date: date, by) -> Milestone:
    task = _fresh(task)
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
    task = _fresh(task)
    if not rules.can_request_completion(by, task):
        raise PermissionDenied
    before = snapshot(task, TASK_FIELDS)
    task = _transition(
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
    _notify_leaders(task, _("Completion requested: %(task)s") % {"task": task.title})
    return task


@transaction.atomic
def approve_completion(*, task: Task, by) -> Task:
    """销号: a leader approves; exactly one of two concurrent approvals applies."""
    task = _fresh(task)
    if not rules.can_decide(by):
        raise PermissionDenied
    before = snapshot(task, TASK_FIELDS)
    task = _transition(
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
    _notify_department(task, _("Completion approved: %(task)s") % {"task": task.title})
    return task


@transaction.atomic
def return_task(*, task: Task, reason: str, by) -> Task:
    task = _fresh(task)
    if not rules.can_decide(by):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the task.")})
    before = snapshot(task, TASK_FIELDS)
    task = _transition(
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
    _notify_department(task, _("Returned: %(task)s") % {"task": task.title}, body=reason.strip())
    return task


@transaction.atomic
def request_change(
    *, task: Task, kind: str, reason: str, by, new_due_date: date | None = None
) -> ChangeRequest:
    task = _fresh(task)
    if not rules.can_request_change(by, task):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    if kind == ChangeKind.DUE_DATE and new_due_date is None:
        raise ValidationError({"new_due_date": _("Give the new due date.")})
    if ChangeRequest.objects.filter(task=task, state=ChangeState.PENDING).exists():
        raise ValidationError(_("A change request for this task is already waiting for a decision."))
    change = ChangeRequest.objects.create(
        task=task,
        kind=kind,
        reason=reason.strip(),
        new_due_date=new_due_date if kind == ChangeKind.DUE_DATE else None,
        requested_by=by,
    )
    record_event(
        change,
        "policy.change.request",
        actor=by,
        after={"task": task.pk, "kind": kind, "new_due_date": new_due_date, "reason": change.reason},
    )
    _notify_leaders(
        task,
        _("Change requested (%(kind)s): %(task)s") % {"kind": change.get_kind_display(), "task": task.title},
    )
    return change


@transaction.atomic
def decide_change(*, change: ChangeRequest, approve: bool, by, note: str = "") -> ChangeRequest:
    if not rules.can_decide(by):
        raise PermissionDenied
    state = ChangeState.APPROVED if approve else ChangeState.REJECTED
    updated = ChangeRequest.objects.filter(pk=change.pk, state=ChangeState.PENDING).update(
        state=state, decided_by=by, decided_at=timezone.now(), decision_note=note.strip()
    )
    if updated == 0:
        raise ValidationError(_("This request has already been decided."))
    change.refresh_from_db()
    task = Task.objects.select_for_update(of=("self",)).get(pk=change.task_id)
    before = snapshot(task, TASK_FIELDS)
    if approve and change.kind == ChangeKind.DUE_DATE:
        task.due_date = change.new_due_date
        task.save(update_fields=["due_date", "updated_at"])
    elif approve and change.kind == ChangeKind.CANCEL:
        task = _transition(
            task, expected=OPEN_STATES, values={"state": TaskState.CANCELLED, "light": Light.GREY}
        )
    refresh_light(task=task)
    record_event(
        change,
        "policy.change.approve" if approve else "policy.change.reject",
        actor=by,
        before=before,
        after=snapshot(task, TASK_FIELDS),
        detail=note,
    )
    _notify_department(
        task,
        (_("Change approved: %(task)s") if approve else _("Change rejected: %(task)s"))
        % {"task": task.title},
        body=note,
    )
    return change


# --- status lights and reminders --------------------------------------------------------------------


@dataclass(frozen=True)
class LightInputs:
    state: str
    due_date: date | None
    started: date | None
    last_report: date | None
    next_milestone: date | None
    overdue_milestone: bool


def compute_light(  # noqa: PLR0911 - one exit per rule reads clearer than a chain of flags
    inputs: LightInputs, *, today: date, amber_days: int, report_interval_days: int
) -> str:
    """Green on track; amber within `amber_days` of the due date or a milestone; red overdue, a
    milestone overdue, or no report for `report_interval_days` while under way."""
    if inputs.state == TaskState.COMPLETED:
        return Light.DONE
    if inputs.state in (TaskState.CANCELLED, TaskState.DRAFT) and not (
        inputs.state == TaskState.DRAFT and inputs.due_date and inputs.due_date < today
    ):
        return Light.GREY
    if inputs.due_date and inputs.due_date < today:
        return Light.RED
    if inputs.overdue_milestone:
        return Light.RED
    if inputs.state == TaskState.IN_PROGRESS:
        since = inputs.last_report or inputs.started
        if since and (today - since).days > report_interval_days:
            return Light.RED
    soon = today + timedelta(days=amber_days)
    if (inputs.due_date and inputs.due_date <= soon) or (
        inputs.next_milestone and inputs.next_milestone <= soon
    ):
        return Light.AMBER
    return Light.GREEN


def _local_date(value) -> date | None:
    return timezone.localtime(value).date() if value else None


def refresh_light(*, task: Task, today: date | None = None, config: SupervisionSettings | None = None) -> str:
    today = today or timezone.localdate()
    config = config or SupervisionSettings.current()
    open_milestones = [m.due_date for m in task.milestones.filter(done_at__isnull=True)]
    light = compute_light(
        LightInputs(
            state=task.state,
            due_date=task.due_date,
            started=_local_date(task.started_at),
            last_report=_local_date(task.last_report_at),
            next_milestone=min((d for d in open_milestones if d >= today), default=None),
            overdue_milestone=any(d < today for d in open_milestones),
        ),
        today=today,
        amber_days=config.amber_days,
        report_interval_days=config.report_interval_days,
    )
    if light != task.light:
        Task.objects.filter(pk=task.pk).update(light=light)
        task.light = light
    return light


def refresh_lights(*, today: date | None = None) -> dict[str, int]:
    """Recompute every open task's light (the periodic job); returns how many changed, by new light."""
    config = SupervisionSettings.current()
    changed: dict[str, int] = {}
    for task in (
        Task.objects.filter(state__in=OPEN_STATES).prefetch_related("milestones").iterator(chunk_size=500)
    ):
        before = task.light
        after = refresh_light(task=task, today=today, config=config)
        if after != before:
            changed[after] = changed.get(after, 0) + 1
    return changed


def _department_members(task: Task):
    return [
        m.user
        for m in Membership.objects.filter(
            organization_id=task.lead_id,
            is_active=True,
            user__is_active=True,
            role__in=[Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.DISTRICT_STAFF, Role.SOCIETY_STAFF],
        ).select_related("user")
    ]


def _notify_department(task: Task, title: str, body: str = "") -> None:
    url = reverse("policy:task_detail", args=[task.pk])
    for user in {u.pk: u for u in _department_members(task)}.values():
        notify(user=user, title=title, body=body, url=url)


def _notify_leaders(task: Task, title: str) -> None:
    url = reverse("policy:task_detail", args=[task.pk])
    leaders = Membership.objects.filter(
        role=Role.LEADER, is_active=True, user__is_active=True
    ).select_related("user")
    for user in {m.user.pk: m.user for m in leaders}.values():
        notify(user=user, title=title, url=url)


@transaction.atomic
def send_reminder(*, task: Task, by=None, message: str = "", automatic: bool = False) -> Reminder:
    """催办: an in-app notification to the lead department's members, and an e-mail after commit."""
    task = _fresh(task)
    if not automatic and not rules.can_remind(by):
        raise PermissionDenied
    if task.state not in OPEN_STATES:
        raise ValidationError(_("Only an open task can be reminded."))
    text = message.strip() or _("Please report the progress of “%(task)s” (due %(due)s).") % {
        "task": task.title,
        "due": task.due_date.isoformat() if task.due_date else _("no due date"),
    }
    reminder = Reminder.objects.create(task=task, message=text, sent_by=by, automatic=automatic)
    Task.objects.filter(pk=task.pk).update(last_reminded_at=reminder.sent_at)
    _notify_department(task, _("Reminder: %(task)s") % {"task": task.title}, body=text)
    record_event(
        reminder,
        "policy.task.remind",
        actor=by,
        actor_name="system",
        organization_id=task.lead_id,
        after={"task": task.pk, "automatic": automatic},
    )
    transaction.on_commit(lambda: jobs.mail_reminder(reminder.pk))
    return reminder


def send_due_reminders(*, today: date | None = None) -> int:
    """Remind the lead department of red and amber tasks not reminded within the configured interval."""
    today = today or timezone.localdate()
    config = SupervisionSettings.current()
    cutoff = timezone.now() - timedelta(days=config.reminder_interval_days)
    due = Task.objects.filter(state__in=OPEN_STATES, light__in=[Light.RED, Light.AMBER]).filter(
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=cutoff)
    )
    count = 0
    for task in due.select_related("lead"):
        send_reminder(task=task, automatic=True)
        count += 1
    return count


# --- typical cases and indicators ---------------------------------------------------------------------


@transaction.atomic
def write_case(*, task: Task, title: str, body: str, by, submit: bool = False) -> TypicalCase:
    if not rules.can_write_case(by, task):
        raise PermissionDenied
    if not title.strip() or not body.strip():
        raise ValidationError(_("A typical case needs a title and a text."))
    organization = (
        task.lead
        if rules.is_lead_member(by, task)
        else Organization.objects.get(
            pk=min(rules.department_ids(by) & set(task.cooperating.values_list("pk", flat=True)))
        )
    )
    case = TypicalCase.objects.create(
        task=task,
        organization=organization,
        title=title.strip()[:200],
        body=body.strip(),
        author=by,
        state=CaseState.SUBMITTED if submit else CaseState.DRAFT,
    )
    record_event(
        case,
        "policy.case.write",
        actor=by,
        organization_id=organization.pk,
        after={"title": case.title, "state": case.state},
    )
    return case


@transaction.atomic
def submit_case(*, case: TypicalCase, by) -> TypicalCase:
    if case.author_id != by.pk and not rules.can_write_case(by, case.task):
        raise PermissionDenied
    if TypicalCase.objects.filter(pk=case.pk, state=CaseState.DRAFT).update(state=CaseState.SUBMITTED) == 0:
        raise ValidationError(_("Only a draft case can be submitted."))
    case.refresh_from_db()
    record_event(case, "policy.case.submit", actor=by, organization_id=case.organization_id)
    return case


@transaction.atomic
def publish_case(*, case: TypicalCase, by) -> TypicalCase:
    if not rules.can_publish_case(by, case):
        raise PermissionDenied
    if (
        TypicalCase.objects.filter(pk=case.pk, state=CaseState.SUBMITTED).update(
            state=CaseState.PUBLISHED, published_by=by, published_at=timezone.now()
        )
        == 0
    ):
        raise ValidationError(_("Only a submitted case can be published."))
    case.refresh_from_db()
    record_event(case, "policy.case.publish", actor=by, organization_id=case.organization_id)
    return case


@transaction.atomic
def record_indicator_value(
    *, target: Target, value: Decimal, as_of: date, by, note: str = ""
) -> IndicatorValue:
    if not rules.can_record_indicator(by):
        raise PermissionDenied
    if target.indicator_key:
        raise ValidationError(_("This target's indicator is computed by its module and cannot be typed in."))
    entry = IndicatorValue.objects.create(
        target=target, value=value, as_of=as_of, note=note.strip()[:300], recorded_by=by
    )
    record_event(
        entry,
        "policy.indicator.record",
        actor=by,
        after={"target": target.pk, "value": str(value), "as_of": as_of.isoformat()},
    )
    return entry
