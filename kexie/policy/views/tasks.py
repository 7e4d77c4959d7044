"""Tasks and their ledger: list, detail, progress with evidence, approvals, changes, reminders,
milestones, typical cases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kexie.core.forms import add_service_errors
from kexie.core.models import AuditEvent
from kexie.core.queries import with_actor_names
from kexie.core.views import run_transition, submit_form
from kexie.policy import rules, services
from kexie.policy.enums import ChangeState, TaskState
from kexie.policy.forms import (
    CaseForm,
    ChangeRequestForm,
    MilestoneForm,
    NoteForm,
    ProgressForm,
    ReasonForm,
    ReminderForm,
    TaskEditForm,
    TaskFilterForm,
    TaskForm,
)
from kexie.policy.models import ChangeRequest, Evidence, Measure, Milestone, Task
from kexie.policy.queries import (
    access_case,
    access_task,
    cases_visible_to,
    tasks_visible_to,
    with_cooperating,
)


def _visible_task(request, pk: int) -> Task:
    return access_task(request.user, pk)


@login_required
def task_list_view(request):
    form = TaskFilterForm(request.GET or None)
    tasks = with_cooperating(tasks_visible_to(request.user))
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            tasks = tasks.filter(Q(title__icontains=data["q"]) | Q(source_ref__icontains=data["q"]))
        for field in ("state", "light", "source"):
            if data[field]:
                tasks = tasks.filter(**{field: data[field]})
        if data["lead"]:
            tasks = tasks.filter(lead=data["lead"])
    page = Paginator(tasks.order_by("measure__number", "pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "policy/task_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": rules.can_break_down(request.user, None),
            # The rows depend on which tasks the reader sees, not on the reader: kept per scope.
            "scope": rules.task_scope(request.user),
        },
    )


# What each audited action on a task reads as in its history.
HISTORY_LABELS = {
    "policy.task.create": gettext_lazy("created the task"),
    "policy.task.update": gettext_lazy("edited the task"),
    "policy.task.start": gettext_lazy("started the task"),
    "policy.progress.report": gettext_lazy("reported progress"),
    "policy.task.request_completion": gettext_lazy("requested completion"),
    "policy.task.complete": gettext_lazy("approved completion (closed)"),
    "policy.task.return": gettext_lazy("returned the task"),
    "policy.task.remind": gettext_lazy("sent a reminder"),
    "policy.change.request": gettext_lazy("requested a change"),
    "policy.change.approve": gettext_lazy("approved the change"),
    "policy.change.reject": gettext_lazy("rejected the change"),
}


def _history(task: Task) -> list[AuditEvent]:
    report_ids = [str(pk) for pk in task.reports.values_list("pk", flat=True)]
    events = list(
        AuditEvent.objects.filter(
            Q(object_type="policy.task", object_id=str(task.pk))
            | Q(action__startswith="policy.change.", after__task=task.pk)
            | Q(action="policy.task.remind", after__task=task.pk)
            | Q(action="policy.progress.report", object_id__in=report_ids)
        ).order_by("seq")
    )
    with_actor_names(events)
    for event in events:
        event.label = HISTORY_LABELS.get(event.action, event.label)
    return events


def _detail(request, task: Task, status: int = 200, **forms):
    user = request.user
    reports = task.reports.select_related("organization", "author").prefetch_related("evidence")
    progress_form = forms.get("progress_form") or ProgressForm()
    if not rules.is_lead_member(user, task):
        # A cooperating department adds its part; the task's percentage is the lead's to set.
        progress_form.fields.pop("percent", None)
    context = {
        "task": task,
        "reports": reports,
        "milestones": task.milestones.all(),
        "changes": task.change_requests.select_related("requested_by", "decided_by"),
        "pending_change": task.change_requests.filter(state=ChangeState.PENDING).first(),
        "reminders": task.reminders.select_related("sent_by")[:10],
        "cases": task.cases.select_related("organization"),
        "history": _history(task),
        "can_report": rules.can_report(user, task),
        "is_lead": rules.is_lead_member(user, task),
        "can_request_completion": rules.can_request_completion(user, task),
        "can_decide": rules.can_decide(user),
        "can_request_change": rules.can_request_change(user, task),
        "can_remind": rules.can_remind(user) and task.state in services.OPEN_STATES,
        "can_edit": rules.can_edit_task(user, task),
        "can_break_down": task.measure is not None and rules.can_break_down(user, task.measure),
        "can_start": task.state == TaskState.DRAFT
        and (rules.is_lead_member(user, task) or rules.can_break_down(user, task.measure)),
        "can_write_case": rules.can_write_case(user, task),
        "progress_form": progress_form,
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "change_form": forms.get("change_form") or ChangeRequestForm(),
        "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        "reminder_form": forms.get("reminder_form") or ReminderForm(),
        "note_form": NoteForm(),
        "TaskState": TaskState,
    }
    return render(request, "policy/task_detail.html", context, status=status)


@login_required
def task_detail_view(request, pk: int):
    return _detail(request, _visible_task(request, pk))


def _done(request, task: Task, message: str):
    messages.success(request, message)
    return redirect("policy:task_detail", pk=task.pk)


def _refused(request, task: Task, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)
    return redirect("policy:task_detail", pk=task.pk)


def _form_view(form_class, form_key, action, done_message):
    """A POST whose form feeds one service call: form and service errors re-render the task page
    with the form (status 400); success redirects with a message."""

    @login_required
    @require_POST
    def view(request, pk: int):
        task = _visible_task(request, pk)
        return submit_form(
            request,
            form_class(request.POST, request.FILES),
            lambda data: action(request, task, data),
            success_message=done_message,
            success_url=reverse("policy:task_detail", args=[task.pk]),
            render_form=lambda form: _detail(request, task, status=400, **{form_key: form}),
        )

    return view


task_report_view = _form_view(
    ProgressForm,
    "progress_form",
    lambda request, task, data: services.record_progress(
        task=task, text=data["text"], percent=data.get("percent"), files=data["files"], by=request.user
    ),
    gettext_lazy("Progress reported."),
)
task_change_view = _form_view(
    ChangeRequestForm,
    "change_form",
    lambda request, task, data: services.request_change(
        task=task,
        kind=data["kind"],
        reason=data["reason"],
        new_due_date=data["new_due_date"],
        by=request.user,
    ),
    gettext_lazy("Change requested; a leader will decide."),
)
milestone_add_view = _form_view(
    MilestoneForm,
    "milestone_form",
    lambda request, task, data: services.add_milestone(
        task=task, title=data["title"], due_date=data["due_date"], by=request.user
    ),
    gettext_lazy("Milestone added."),
)


def _transition_view(action, done_message):
    """A POST that moves a task with one service call: refusals come back as messages on the page."""

    @login_required
    @require_POST
    def view(request, pk: int):
        task = _visible_task(request, pk)
        return run_transition(
            request,
            lambda: action(request, task),
            success_message=done_message,
            redirect_to=reverse("policy:task_detail", args=[task.pk]),
        )

    return view


task_start_view = _transition_view(
    lambda request, task: services.start_task(task=task, by=request.user),
    gettext_lazy("The task is under way."),
)
task_request_completion_view = _transition_view(
    lambda request, task: services.request_completion(
        task=task, by=request.user, note=request.POST.get("note", "")
    ),
    gettext_lazy("Completion requested; a leader will decide."),
)
task_approve_view = _transition_view(
    lambda request, task: services.approve_completion(task=task, by=request.user),
    gettext_lazy("Completion approved: the task is closed."),
)


@login_required
@require_POST
def task_return_view(request, pk: int):
    task = _visible_task(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail(request, task, status=400, reason_form=form)
    try:
        services.return_task(task=task, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        return _refused(request, task, exc)
    return _done(request, task, _("The task has been returned to the department."))


@login_required
@require_POST
def change_decide_view(request, pk: int):
    change = get_object_or_404(ChangeRequest.objects.select_related("task"), pk=pk)
    task = _visible_task(request, change.task_id)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_change(
            change=change, approve=approve, note=request.POST.get("note", ""), by=request.user
        )
    except ValidationError as exc:
        return _refused(request, task, exc)
    return _done(request, task, _("Change approved.") if approve else _("Change rejected."))


@login_required
@require_POST
def task_remind_view(request, pk: int):
    task = _visible_task(request, pk)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return _detail(request, task, status=400, reminder_form=form)
    try:
        services.send_reminder(task=task, message=form.cleaned_data["message"], by=request.user)
    except ValidationError as exc:
        return _refused(request, task, exc)
    return _done(request, task, _("Reminder sent to the lead department."))


@login_required
@require_POST
def milestone_done_view(request, pk: int):
    milestone = get_object_or_404(Milestone, pk=pk)
    task = _visible_task(request, milestone.task_id)
    try:
        services.complete_milestone(milestone=milestone, by=request.user)
    except ValidationError as exc:
        return _refused(request, task, exc)
    return _done(request, task, _("Milestone done."))


@login_required
def task_create_view(request):
    measure = None
    if request.GET.get("measure"):
        measure = get_object_or_404(Measure, pk=request.GET["measure"])
    if not rules.can_break_down(request.user, measure):
        raise PermissionDenied
    measures = Measure.objects.select_related("notice").order_by("notice", "number")
    initial = {"measure": measure, "source": "notice" if measure else "instruction"}
    if measure is not None:
        lead = measure.department_links.filter(is_lead=True).first()
        initial["lead"] = lead.organization if lead else None
    form = TaskForm(request.POST or None, measures=measures, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_task(
                title=data["title"],
                lead=data["lead"],
                measure=data["measure"],
                cooperating=data["cooperating"],
                due_date=data["due_date"],
                description=data["description"],
                source=data["source"],
                source_ref=data["source_ref"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Task created."))
            return redirect("policy:task_detail", pk=task.pk)
    return render(request, "policy/task_form.html", {"form": form, "measure": measure})


@login_required
def task_edit_view(request, pk: int):
    task = _visible_task(request, pk)
    if not rules.can_edit_task(request.user, task):
        raise PermissionDenied
    initial = {
        "title": task.title,
        "description": task.description,
        "lead": task.lead,
        "cooperating": list(task.cooperating.all()),
        "due_date": task.due_date,
    }
    form = TaskEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        breakdown = rules.can_break_down(request.user, task.measure)
        try:
            services.update_task(
                task=task,
                by=request.user,
                title=data["title"],
                description=data["description"],
                lead=data["lead"] if breakdown else None,
                cooperating=list(data["cooperating"]) if breakdown else None,
                due_date=data["due_date"] if data["due_date"] != task.due_date else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, task, _("Task updated."))
    return render(request, "policy/task_edit.html", {"form": form, "task": task})


@login_required
def evidence_download_view(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.select_related("report"), pk=pk)
    _visible_task(request, evidence.report.task_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.name)


@login_required
def approvals_view(request):
    """What waits for a leader's decision: completion requests and change requests."""
    if not rules.can_decide(request.user):
        raise PermissionDenied
    tasks = with_cooperating(tasks_visible_to(request.user).filter(state=TaskState.COMPLETION_REQUESTED))
    changes = ChangeRequest.objects.filter(state=ChangeState.PENDING).select_related(
        "task", "task__lead", "requested_by"
    )
    return render(request, "policy/approvals.html", {"tasks": tasks, "changes": changes})


@login_required
def case_create_view(request, pk: int):
    task = _visible_task(request, pk)
    if not rules.can_write_case(request.user, task):
        raise PermissionDenied
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.write_case(
                task=task,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                submit=form.cleaned_data["submit"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Typical case saved."))
            return redirect("policy:case_detail", pk=case.pk)
    return render(request, "policy/case_form.html", {"form": form, "task": task})


@login_required
def case_list_view(request):
    cases = cases_visible_to(request.user)
    return render(request, "policy/case_list.html", {"cases": cases})


@login_required
def case_detail_view(request, pk: int):
    case = access_case(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.publish_case(case=case, by=request.user)
                messages.success(request, _("The case is published."))
            elif action == "submit":
                services.submit_case(case=case, by=request.user)
                messages.success(request, _("The case is submitted for publication."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("policy:case_detail", pk=case.pk)
    return render(
        request,
        "policy/case_detail.html",
        {
            "case": case,
            "can_publish": rules.can_publish_case(request.user, case),
            "can_submit": case.state == "draft" and case.author_id == request.user.pk,
            # A published case is everyone's; its task only for those who may open it (no link to a 404).
            "can_view_task": rules.can_view_task(request.user, case.task),
        },
    )


urlpatterns = [
    path("tasks/", task_list_view, name="task_list"),
    path("tasks/new/", task_create_view, name="task_create"),
    path("tasks/<int:pk>/", task_detail_view, name="task_detail"),
    path("tasks/<int:pk>/edit/", task_edit_view, name="task_edit"),
    path("tasks/<int:pk>/report/", task_report_view, name="task_report"),
    path("tasks/<int:pk>/start/", task_start_view, name="task_start"),
    path("tasks/<int:pk>/request-completion/", task_request_completion_view, name="task_request_completion"),
    path("tasks/<int:pk>/approve/", task_approve_view, name="task_approve"),
    path("tasks/<int:pk>/return/", task_return_view, name="task_return"),
    path("tasks/<int:pk>/change/", task_change_view, name="task_change"),
    path("tasks/<int:pk>/remind/", task_remind_view, name="task_remind"),
    path("tasks/<int:pk>/milestones/", milestone_add_view, name="milestone_add"),
    path("tasks/<int:pk>/cases/new/", case_create_view, name="case_create"),
    path("milestones/<int:pk>/done/", milestone_done_view, name="milestone_done"),
    path("changes/<int:pk>/decide/", change_decide_view, name="change_decide"),
    path("evidence/<int:pk>/", evidence_download_view, name="evidence_download"),
    path("approvals/", approvals_view, name="approvals"),
    path("cases/", case_list_view, name="case_list"),
    path("cases/<int:pk>/", case_detail_view, name="case_detail"),
]
