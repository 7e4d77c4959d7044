"""Pages of the calls engine: public calls and 公示, the nominee's dossier (phone first), channel
administration, endorsement, staff pages for every step, and the reviewer's pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.models import Organization
from kexie.calls import documents, kinds, queries, rules, services
from kexie.calls import schema as form_schema
from kexie.calls.enums import (
    CallState,
    FormalOutcome,
    ObjectionState,
    ReviewerState,
    RoundKind,
    SubmissionState,
)
from kexie.calls.forms import (
    CallForm,
    ChannelForm,
    CodesForm,
    DecideForm,
    HandleObjectionForm,
    ObjectionForm,
    RoundForm,
    StartForm,
    dossier_form_class,
    persons_to_text,
    score_form_class,
    text_to_persons,
)
from kexie.calls.models import Attachment, Channel, Reviewer
from kexie.core.forms import add_service_errors
from kexie.core.views import run_transition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _staff_call(request, pk):
    call = queries.access_managed_call(request.user, pk)
    return call, rules.is_call_staff(request.user, call)


def _require_staff(request, call) -> None:
    if not rules.is_call_staff(request.user, call):
        raise PermissionDenied


def _errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# ------------------------------------------------------------------------------------ public


def index(request):
    calls = queries.calls_visible_to(request.user).filter(state__in=queries.PUBLIC_CALL_STATES)
    mine = (
        queries.submissions_visible_to(request.user).filter(applicant=request.user)
        if request.user.is_authenticated
        else []
    )
    return render(
        request,
        "calls/index.html",
        {
            "open_calls": calls.filter(state=CallState.OPEN),
            "publicity": calls.filter(state=CallState.PUBLICITY),
            "recent": calls.filter(state=CallState.FINAL)[:10],
            "mine": mine,
            "can_manage": rules.can_see_any_staff_page(request.user),
            "administers": rules.administers_channels(request.user),
        },
    )


def call_detail(request, pk):
    call = queries.access_call(request.user, pk)
    form = StartForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        form = StartForm(request.POST)
        if form.is_valid():
            try:
                submission = services.create_submission(
                    call=call,
                    applicant=request.user,
                    code=form.cleaned_data["code"] or None,
                    title=form.cleaned_data["title"],
                    organization_name=form.cleaned_data["organization_name"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your dossier is started; fill it in and submit it."))
                return redirect("calls:dossier_edit", submission.pk)
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call,
            "form": form,
            "fields": form_schema.fields_of(call.form_schema),
            "can_manage": rules.can_view_staff_pages(request.user, call),
        },
    )


def publicity(request, pk):
    call = queries.access_call(request.user, pk)
    if call.state not in (CallState.PUBLICITY, CallState.FINAL):
        raise Http404
    items = queries.publicity_list(call)
    form = ObjectionForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        form = ObjectionForm(request.POST)
        submission = get_object_or_404(items, pk=request.POST.get("submission"))
        if form.is_valid():
            try:
                services.object(submission, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Your objection has been received; the organiser will answer you.")
                )
                return redirect("calls:publicity", call.pk)
    return render(
        request,
        "calls/publicity.html",
        {
            "call": call,
            "items": items,
            "form": form,
            "open": services.in_publicity(call),
        },
    )


# ----------------------------------------------------------------------------------- dossiers


@login_required
def my_dossiers(request):
    rows = queries.submissions_visible_to(request.user).filter(applicant=request.user).order_by("-pk")
    return render(request, "calls/my_dossiers.html", {"rows": rows})


def _dossier_rows(submission, *, blind: bool = False):
    rows = []
    for f in form_schema.fields_of(submission.call.form_schema):
        if blind and (f.get("private") or f["key"] in ("name", "birth_date", "sex")):
            continue
        if f["type"] == "file":
            files = [a for a in submission.attachments.all() if a.field_key == f["key"]]
            rows.append({"field": f, "files": files, "value": ""})
        elif f["type"] == "persons" and blind:
            continue
        else:
            rows.append({"field": f, "value": form_schema.display_value(f, submission.data.get(f["key"]))})
    return rows


@login_required
def dossier(request, pk):
    submission = queries.access_submission(request.user, pk)
    user = request.user
    step = services.next_step(submission)
    call = submission.call
    return render(
        request,
        "calls/dossier.html",
        {
            "s": submission,
            "call": call,
            "flags": kinds.flags_for(submission),
            "rows": _dossier_rows(submission),
            "is_applicant": rules.is_applicant(user, submission),
            "is_staff": rules.is_call_staff(user, call),
            "step": step,
            "step_label": services.step_label(step) if step else "",
            "can_endorse": bool(step) and rules.can_endorse_step(user, submission, step),
            "chain": [services.step_label(s) for s in call.endorsement_chain],
            "endorsements": submission.endorsements.select_related("by"),
            "checks": submission.formal_checks.select_related("by"),
            "reasons": [
                (form_schema.field_map(call.form_schema).get(k, {}).get("label", k), v)
                for k, v in submission.returned_reasons.items()
            ],
            "editable": submission.state in (SubmissionState.DRAFT, SubmissionState.RETURNED),
            "field_options": [
                (f["key"], f.get("label", f["key"])) for f in form_schema.fields_of(call.form_schema)
            ],
            "letter": submission.state in (SubmissionState.DECIDED, SubmissionState.FINAL)
            and submission.decision
            and (rules.is_applicant(user, submission) or rules.is_call_staff(user, call)),
        },
    )


@login_required
def dossier_edit(request, pk):  # noqa: PLR0912
    submission = queries.access_submission(request.user, pk)
    if not rules.is_applicant(request.user, submission):
        raise PermissionDenied
    call = submission.call
    fields = form_schema.fields_of(call.form_schema)
    by_key = {f["key"]: f for f in fields}
    Form = dossier_form_class(call.form_schema)
    initial = {
        k: (persons_to_text(by_key[k], v) if by_key.get(k, {}).get("type") == "persons" else v)
        for k, v in submission.data.items()
        if k in by_key
    }
    form = Form(initial=initial)
    if request.method == "POST":
        form = Form(request.POST)
        action = request.POST.get("action", "save")
        if form.is_valid():
            data = {}
            for key, value in form.cleaned_data.items():
                data[key] = text_to_persons(by_key[key], value) if by_key[key]["type"] == "persons" else value
            try:
                services.save_draft(
                    submission, by=request.user, data=data, title=request.POST.get("title") or None
                )
                for key, upload in request.FILES.items():
                    services.attach_file(submission, field_key=key, upload=upload, by=request.user)
                if action == "submit":
                    if submission.state == SubmissionState.RETURNED:
                        services.resubmit(submission, by=request.user)
                        messages.success(request, _("Your corrected dossier is back at the formal check."))
                    else:
                        services.submit(submission, by=request.user)
                        messages.success(request, _("Your dossier has been submitted."))
                    return redirect("calls:dossier", submission.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("calls:dossier_edit", submission.pk)
        submission.refresh_from_db()
    files = {
        f["key"]: [a for a in submission.attachments.all() if a.field_key == f["key"]]
        for f in fields
        if f["type"] == "file"
    }
    sections = []
    for section in call.form_schema.get("sections", []):
        sections.append(
            {
                "title": section.get("title", ""),
                "fields": [form[f["key"]] if f["type"] != "file" else f for f in section["fields"]],
            }
        )
    return render(
        request,
        "calls/dossier_edit.html",
        {
            "s": submission,
            "call": call,
            "form": form,
            "sections": sections,
            "files": files,
            "reasons": submission.returned_reasons,
        },
    )


@login_required
def attachment(request, pk):
    item = get_object_or_404(Attachment, pk=pk)
    submission = item.submission
    allowed = (
        queries.can_view_submission(request.user, submission)
        or queries.assignments_of(request.user).filter(submission=submission).exists()
    )
    if not allowed:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
@require_POST
def endorse(request, pk):
    submission = queries.access_submission(request.user, pk)
    comment = request.POST.get("comment", "")
    to = reverse("calls:dossier", args=[pk])
    if request.POST.get("refuse"):
        return _run(
            request,
            lambda: services.refuse_endorsement(submission, by=request.user, reason=comment),
            _("The dossier was sent back to the nominee."),
            to,
        )
    return _run(
        request, lambda: services.endorse(submission, by=request.user, comment=comment), _("Endorsed."), to
    )


def _run(request, action, success, to):
    try:
        return run_transition(request, action, success_message=success, redirect_to=to)
    except PermissionDenied:
        messages.error(request, _("You may not do this."))
        return redirect(to)


@login_required
@require_POST
def formal_check(request, pk):
    submission = queries.access_submission(request.user, pk)
    outcome = request.POST.get("outcome")
    reasons = {}
    for key, reason in zip(request.POST.getlist("field"), request.POST.getlist("reason"), strict=False):
        if reason.strip():
            reasons[key or "__all__"] = reason
    return _run(
        request,
        lambda: services.formal_check(submission, by=request.user, outcome=outcome, reasons=reasons),
        _("Formal check recorded."),
        reverse("calls:dossier", args=[pk]),
    )


@login_required
@require_POST
def withdraw(request, pk):
    submission = queries.access_submission(request.user, pk)
    return _run(
        request,
        lambda: services.withdraw(submission, by=request.user, reason=request.POST.get("reason", "")),
        _("The dossier was withdrawn."),
        reverse("calls:dossier", args=[pk]),
    )


@login_required
def letter(request, pk, fmt):
    submission = queries.access_submission(request.user, pk)
    if not (
        rules.is_applicant(request.user, submission) or rules.is_call_staff(request.user, submission.call)
    ):
        raise PermissionDenied
    try:
        if fmt == "pdf":
            content, mime = documents.result_letter_pdf(submission), "application/pdf"
        else:
            content, mime = documents.result_letter_docx(submission), DOCX
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return redirect("calls:dossier", pk)
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="result-{submission.reference}.{fmt}"'
    return response


# ----------------------------------------------------------------------------------- channels


@login_required
def my_channels(request):
    user = request.user
    orgs = list(user.memberships.filter(is_active=True).values_list("organization_id", flat=True))
    channels = (
        Channel.objects.filter(Q(admins=user) | Q(organization_id__in=orgs))
        .distinct()
        .select_related("call", "organization")
    )
    channels = [c for c in channels if rules.is_channel_admin(user, c)]
    if not channels:
        raise PermissionDenied
    waiting = [
        s
        for s in queries.submissions_visible_to(user).filter(state=SubmissionState.SUBMITTED)
        if services.next_step(s) and rules.can_endorse_step(user, s, services.next_step(s))
    ]
    return render(request, "calls/my_channels.html", {"channels": channels, "waiting": waiting})


@login_required
def channel(request, pk):
    item = get_object_or_404(Channel.objects.select_related("call", "organization"), pk=pk)
    if not (
        rules.is_channel_admin(request.user, item) or rules.can_view_staff_pages(request.user, item.call)
    ):
        raise Http404
    form = CodesForm()
    if request.method == "POST":
        form = CodesForm(request.POST)
        if form.is_valid():
            try:
                codes = services.issue_codes(item, form.cleaned_data["count"], by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                _errors_to_messages(request, exc) if isinstance(exc, ValidationError) else messages.error(
                    request, str(exc)
                )
            else:
                messages.success(
                    request, _("%(n)s codes issued (batch %(b)s).") % {"n": len(codes), "b": codes[0].batch}
                )
                return redirect("calls:channel", item.pk)
    if request.GET.get("format") == "xlsx":
        from kexie.core.exports import table_xlsx

        rows = [
            [c.code, c.batch, "已使用" if c.used_at else ("已作废" if c.revoked else "未使用")]
            for c in item.codes.all()
        ]
        response = HttpResponse(
            table_xlsx(["推荐码", "批次", "状态"], rows, title="推荐码"), content_type=XLSX
        )
        response["Content-Disposition"] = f'attachment; filename="codes-{item.pk}.xlsx"'
        return response
    return render(
        request,
        "calls/channel.html",
        {
            "channel": item,
            "form": form,
            "codes": item.codes.select_related("submission"),
            "used": services.channel_used(item),
            "dossiers": item.submissions.exclude(state=SubmissionState.DRAFT).order_by("pk"),
        },
    )


# ------------------------------------------------------------------------------------ staff


@login_required
def manage(request):
    if not rules.can_see_any_staff_page(request.user):
        raise PermissionDenied
    calls = (
        queries.managed_calls(request.user)
        .select_related("organiser")
        .annotate(n=Count("submissions", filter=~Q(submissions__state=SubmissionState.DRAFT)))
    )
    return render(
        request, "calls/manage.html", {"calls": calls, "can_create": rules.can_create_call(request.user)}
    )


def _organisers(user):
    paths = [o.path for o in rules.staff_organizations(user)]
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organization.objects.filter(condition)


EXAMPLE_SCHEMA = {
    "sections": [
        {
            "key": "basic",
            "title": "基本信息",
            "fields": [
                {"key": "name", "label": "姓名", "type": "text", "required": True, "max_length": 30},
                {
                    "key": "sex",
                    "label": "性别",
                    "type": "choice",
                    "required": True,
                    "choices": [["male", "男"], ["female", "女"]],
                },
                {"key": "birth_date", "label": "出生日期", "type": "date", "required": True},
            ],
        },
        {
            "key": "merits",
            "title": "主要事迹",
            "fields": [
                {
                    "key": "summary",
                    "label": "主要事迹",
                    "type": "longtext",
                    "required": True,
                    "max_length": 3000,
                },
                {
                    "key": "evidence",
                    "label": "证明材料",
                    "type": "file",
                    "extensions": ["pdf"],
                    "max_size_mb": 10,
                },
            ],
        },
    ]
}


@login_required
def call_create(request):
    if not rules.can_create_call(request.user):
        raise PermissionDenied
    form = CallForm(
        organisers=_organisers(request.user),
        initial={
            "year": timezone.localdate().year,
            "form_schema": EXAMPLE_SCHEMA,
            "eligibility": [],
            "endorsement_chain": "unit, channel, organiser",
            "publicity_days": 5,
        },
    )
    if request.method == "POST":
        form = CallForm(request.POST, organisers=_organisers(request.user))
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["form_schema"] = data["form_schema"] or {}
            data["eligibility"] = data["eligibility"] or []
            data["decision_rule"] = data["decision_rule"] or {}
            try:
                call = services.create_call(by=request.user, **data)
            except (ValidationError, PermissionDenied) as exc:
                add_service_errors(
                    form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
                )
            else:
                messages.success(request, _("The call was created as a draft."))
                return redirect("calls:call_manage", call.pk)
    return render(request, "calls/call_form.html", {"form": form, "title": _("New call")})


@login_required
def call_edit(request, pk):
    call, _is = _staff_call(request, pk)
    _require_staff(request, call)
    fields = (
        "title",
        "description",
        "opens_at",
        "closes_at",
        "check_until",
        "needs_code",
        "publicity_days",
        "form_schema",
        "eligibility",
        "decision_rule",
    )
    initial = {f: getattr(call, f) for f in fields}
    initial["endorsement_chain"] = ", ".join(call.endorsement_chain)
    form = CallForm(initial=initial, editing=True)
    if request.method == "POST":
        form = CallForm(request.POST, editing=True)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["form_schema"] = data["form_schema"] or {}
            data["eligibility"] = data["eligibility"] or []
            data["decision_rule"] = data["decision_rule"] or {}
            try:
                services.update_call(call, by=request.user, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("calls:call_manage", call.pk)
    return render(
        request,
        "calls/call_form.html",
        {"form": form, "title": _("Settings of %(call)s") % {"call": call}, "call": call},
    )


@login_required
def call_manage(request, pk):
    call, is_staff = _staff_call(request, pk)
    channel_form = ChannelForm()
    if request.method == "POST":
        _require_staff(request, call)
        action = request.POST.get("action")
        to = reverse("calls:call_manage", args=[pk])
        if action == "channel":
            channel_form = ChannelForm(request.POST)
            if channel_form.is_valid():
                names = [
                    n.strip()
                    for n in channel_form.cleaned_data["admins"].replace("，", ",").split(",")
                    if n.strip()
                ]
                admins = list(get_user_model().objects.filter(username__in=names))
                missing = set(names) - {u.username for u in admins}
                if missing:
                    channel_form.add_error(
                        "admins", _("Unknown user names: %(names)s") % {"names": "、".join(sorted(missing))}
                    )
                else:
                    try:
                        services.add_channel(
                            call,
                            channel_form.cleaned_data["organization"],
                            channel_form.cleaned_data["quota"],
                            by=request.user,
                            admins=admins,
                        )
                    except ValidationError as exc:
                        add_service_errors(channel_form, exc)
                    else:
                        messages.success(request, _("Channel added."))
                        return redirect(to)
        else:
            verbs = {
                "open": (lambda: services.open_call(call, by=request.user), _("The call is open.")),
                "close": (lambda: services.close_call(call, by=request.user), _("The call is closed.")),
                "publicity": (
                    lambda: services.open_publicity(call, by=request.user),
                    _("Publicity has started."),
                ),
                "finalise": (
                    lambda: services.finalise(call, by=request.user),
                    _("The results are published."),
                ),
            }
            if action in verbs:
                return _run(request, verbs[action][0], verbs[action][1], to)
    submissions = (
        call.submissions.exclude(state=SubmissionState.DRAFT)
        .select_related("channel__organization")
        .order_by("rank", "pk")
    )
    return render(
        request,
        "calls/call_manage.html",
        {
            "call": call,
            "is_staff": is_staff,
            "channel_form": channel_form,
            "channels": services.channel_usage(call),
            "rounds": call.rounds.all(),
            "submissions": submissions,
            "states": [
                (SubmissionState(row["state"]).label, row["n"])
                for row in call.submissions.values("state").annotate(n=Count("pk")).order_by("state")
            ],
            "to_check": call.submissions.filter(state=SubmissionState.ENDORSED).count(),
            "objections": queries.objections_visible_to(request.user).filter(submission__call=call),
            "decide_form": DecideForm(),
        },
    )


@login_required
@require_POST
def decide(request, pk):
    call, _is = _staff_call(request, pk)
    _require_staff(request, call)
    form = DecideForm(request.POST)
    to = reverse("calls:call_manage", args=[pk])
    if not form.is_valid():
        messages.error(request, _("Choose a rule."))
        return redirect(to)
    rule_key, value = form.cleaned_data["rule"], form.cleaned_data["value"]
    if rule_key == "panel_pass":
        rule = {"panel_pass": True}
    elif value is None:
        messages.error(request, _("Give N or the score for this rule."))
        return redirect(to)
    else:
        rule = {rule_key: int(value) if rule_key == "top_n" else value}
    if form.cleaned_data["level"]:
        rule["level"] = form.cleaned_data["level"]
    return _run(
        request, lambda: services.decide(call, by=request.user, rule=rule), _("Decisions recorded."), to
    )


@login_required
def results_xlsx(request, pk):
    call, _is = _staff_call(request, pk)
    rows = (
        call.submissions.exclude(state__in=[SubmissionState.DRAFT, SubmissionState.WITHDRAWN])
        .select_related("channel__organization")
        .order_by("rank", "pk")
    )
    response = HttpResponse(documents.results_xlsx(call, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="results-{call.pk}.xlsx"'
    return response


@login_required
def check_queue(request, pk):
    call, is_staff = _staff_call(request, pk)
    rows = call.submissions.filter(state__in=[SubmissionState.ENDORSED, SubmissionState.RETURNED]).order_by(
        "submitted_at"
    )
    return render(request, "calls/check_queue.html", {"call": call, "rows": rows, "is_staff": is_staff})


@login_required
def round_create(request, pk):
    call, _is = _staff_call(request, pk)
    _require_staff(request, call)
    form = RoundForm(
        initial={
            "rubric": [
                {"key": "merit", "label": "主要事迹与贡献", "weight": 1, "min": 0, "max": 60},
                {"key": "impact", "label": "社会影响", "weight": 1, "min": 0, "max": 40},
            ],
            "blind": True,
            "pass_rule": {"fraction": [2, 3]},
            "comment_below": 60,
            "aggregation": "zscore",
            "reviewers_per_submission": 3,
            "max_load": 10,
        }
    )
    if request.method == "POST":
        form = RoundForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["rubric"] = data["rubric"] or []
            data["pass_rule"] = data["pass_rule"] or None
            try:
                review_round = services.add_round(call, by=request.user, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Review round added."))
                return redirect("calls:round", review_round.pk)
    return render(
        request, "calls/call_form.html", {"form": form, "title": _("New review round"), "call": call}
    )


@login_required
def round_detail(request, pk):  # noqa: PLR0911, PLR0912
    review_round = queries.access_round(request.user, pk)
    call = review_round.call
    is_staff = rules.is_call_staff(request.user, call)
    to = reverse("calls:round", args=[pk])
    if request.method == "POST":
        _require_staff(request, call)
        action = request.POST.get("action")
        from kexie.experts.models import Expert

        if action == "invite":
            ids = request.POST.getlist("expert")
            experts = list(services.pool_candidates(review_round).filter(pk__in=ids))
            return _run(
                request,
                lambda: services.invite_reviewers(review_round, experts, by=request.user),
                _("Reviewers invited."),
                to,
            )
        if action == "assign":
            method = request.POST.get("method", "auto")
            return _run(
                request,
                lambda: services.assign(review_round, by=request.user, method=method),
                _("Assignment done; see the report."),
                to,
            )
        if action == "pair":
            submission = get_object_or_404(call.submissions, pk=request.POST.get("submission"))
            expert = get_object_or_404(Expert, pk=request.POST.get("expert"))
            kind = request.POST.get("kind") or None
            return _run(
                request,
                lambda: services.set_pair(
                    review_round, submission=submission, expert=expert, kind=kind, by=request.user
                ),
                _("Saved."),
                to,
            )
        if action in ("accept", "decline"):
            reviewer = get_object_or_404(review_round.reviewers, pk=request.POST.get("reviewer"))
            verb = services.accept if action == "accept" else services.decline
            return _run(request, lambda: verb(reviewer, by=request.user), _("Saved."), to)
        if action == "replace":
            reviewer = get_object_or_404(review_round.reviewers, pk=request.POST.get("reviewer"))
            expert = get_object_or_404(services.pool_candidates(review_round), pk=request.POST.get("expert"))
            return _run(
                request,
                lambda: services.replace(reviewer, expert, by=request.user),
                _("Reviewer replaced."),
                to,
            )
        if action == "aggregate":
            return _run(
                request,
                lambda: services.aggregate(review_round, by=request.user),
                _("Scores aggregated."),
                reverse("calls:ranking", args=[pk]),
            )
        if action == "close":
            return _run(
                request,
                lambda: services.close_round(review_round, by=request.user),
                _("Round closed."),
                reverse("calls:ranking", args=[pk]),
            )
    reviewers = review_round.reviewers.select_related("expert").annotate(
        n=Count("assignments", filter=Q(assignments__active=True)),
        done=Count("assignments", filter=Q(assignments__active=True, assignments__scored_at__isnull=False)),
    )
    invited = set(review_round.reviewers.values_list("expert_id", flat=True))
    pool = [e for e in services.pool_candidates(review_round)[:200] if e.pk not in invited]
    assignments = (
        review_round.assignments.filter(active=True)
        .select_related("submission", "reviewer__expert")
        .order_by("submission_id", "-affinity")
    )
    exclusions = review_round.exclusions.select_related("submission", "expert")
    return render(
        request,
        "calls/round.html",
        {
            "r": review_round,
            "call": call,
            "is_staff": is_staff,
            "reviewers": reviewers,
            "pool": pool,
            "assignments": assignments,
            "exclusions": exclusions,
            "report": review_round.report,
            "submissions": list(services.round_submissions(review_round)),
            "constraints": review_round.constraints.select_related("submission", "expert"),
        },
    )


@login_required
def ranking(request, pk):
    review_round = queries.access_round(request.user, pk)
    results = list(
        review_round.results.select_related("submission", "submission__call").order_by("rank", "pk")
    )
    for result in results:
        result.flags = kinds.flags_for(result.submission)
    return render(
        request,
        "calls/ranking.html",
        {
            "r": review_round,
            "call": review_round.call,
            "results": results,
            "is_staff": rules.is_call_staff(request.user, review_round.call),
        },
    )


@login_required
def objection_handle(request, pk):
    objection = queries.access_objection(request.user, pk)
    call = objection.submission.call
    _require_staff(request, call)
    form = HandleObjectionForm()
    if request.method == "POST":
        form = HandleObjectionForm(request.POST)
        if form.is_valid():
            try:
                services.handle_objection(objection, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The objection's handling is recorded."))
                return redirect("calls:call_manage", call.pk)
    return render(request, "calls/objection.html", {"o": objection, "call": call, "form": form})


# ------------------------------------------------------------------------------------ reviewer


@login_required
def my_reviews(request):
    invitations = (
        Reviewer.objects.filter(expert__user=request.user)
        .select_related("round", "round__call")
        .order_by("-pk")
    )
    assignments = queries.assignments_of(request.user).order_by("scored_at", "pk")
    return render(request, "calls/my_reviews.html", {"invitations": invitations, "assignments": assignments})


@login_required
@require_POST
def invitation(request, pk, answer):
    reviewer = get_object_or_404(Reviewer, pk=pk, expert__user=request.user)
    to = reverse("calls:my_reviews")
    if answer == "accept":
        return _run(
            request, lambda: services.accept(reviewer, by=request.user), _("Thank you for accepting."), to
        )
    return _run(
        request,
        lambda: services.decline(reviewer, by=request.user, reason=request.POST.get("reason", "")),
        _("You declined the invitation."),
        to,
    )


@login_required
def review(request, pk):
    assignment = queries.access_assignment(request.user, pk)
    review_round = assignment.round
    submission = assignment.submission
    Form = score_form_class(review_round)
    initial = dict(assignment.scores)
    initial.update({"comment": assignment.comment, "vote": assignment.vote})
    form = Form(initial=initial)
    if request.method == "POST":
        form = Form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            comment = data.pop("comment", "")
            try:
                if review_round.kind == RoundKind.PANEL:
                    services.vote(assignment, by=request.user, vote=data.get("vote", ""), comment=comment)
                else:
                    services.score(assignment, by=request.user, scores=data, comment=comment)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Your review is saved. You may change it until the round closes.")
                )
                return redirect("calls:my_reviews")
    return render(
        request,
        "calls/review.html",
        {
            "a": assignment,
            "r": review_round,
            "s": submission,
            "form": form,
            "rows": _dossier_rows(submission, blind=review_round.blind),
            "flags": kinds.flags_for(submission),
        },
    )


__all__ = ["ObjectionState", "ReviewerState", "FormalOutcome"]
