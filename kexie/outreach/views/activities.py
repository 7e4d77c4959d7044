"""Staff pages of activities: register, edit, report, cancel, import, completeness, QR codes, hours."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.exports import table_xlsx
from kexie.core.qr import qr_svg
from kexie.core.spreadsheets import ImportRefused
from kexie.core.views import run_transition, submit_form
from kexie.outreach import queries, rules, services
from kexie.outreach.enums import Direction, SignUpState
from kexie.outreach.forms import ActivityForm, ConfirmForm, ImportForm, ReportForm
from kexie.outreach.models import Campaign, SignUp
from kexie.outreach.views.common import PAGE_SIZE, require


@login_required
def activity_list(request):
    require(rules.can_register_activities(request.user) or rules.sees_all(request.user))
    activities = (
        queries.activities_managed_by(request.user)
        if not rules.sees_all(request.user)
        else queries.activities_visible_to(request.user)
    )
    state = request.GET.get("state", "")
    if state:
        activities = activities.filter(state=state)
    page = Paginator(activities.order_by("-starts_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/activity_list.html",
        {
            "page": page,
            "state": state,
            "can_register": rules.can_register_activities(request.user),
            "query": f"state={state}" if state else "",
        },
    )


@login_required
def activity_create(request):
    require(rules.can_register_activities(request.user))
    organizers = services.organizers_for(request.user)
    initial = {}
    codes = sorted(rules.district_codes(request.user))
    if codes:
        initial["district"] = codes[0]
        first = organizers.filter(code=codes[0]).first()
        initial["organizer"] = first.pk if first else None
    if request.GET.get("campaign", "").isdigit():
        initial["campaign"] = int(request.GET["campaign"])
    form = ActivityForm(request.POST or None, organizers=organizers, initial=initial)
    # "Save as draft" keeps it to its organisers; the main button registers (publishes) it.
    draft = "draft" in request.POST
    return submit_form(
        request,
        form,
        lambda data: services.register_activity(by=request.user, draft=draft, **data),
        success_message=(
            _("The activity is saved as a draft: only its organisers see it until it is published.")
            if draft
            else _("The activity is registered.")
        ),
        success_url=lambda a: reverse("outreach:activity_detail", args=[a.pk]),
        render_form=lambda f: render(request, "outreach/activity_form.html", {"form": f}),
    )


@login_required
def activity_edit(request, pk: int):
    activity = queries.access_activity(request.user, pk)
    require(rules.can_manage_activity(request.user, activity))
    initial = {name: getattr(activity, name) for name in services.activities.ACTIVITY_FIELDS}
    initial["starts_at"] = timezone.localtime(activity.starts_at).strftime("%Y-%m-%dT%H:%M")
    initial["ends_at"] = timezone.localtime(activity.ends_at).strftime("%Y-%m-%dT%H:%M")
    form = ActivityForm(
        request.POST or None, organizers=services.organizers_for(request.user), initial=initial
    )
    return submit_form(
        request,
        form,
        lambda data: services.update_activity(activity=activity, by=request.user, **data),
        success_message=_("The activity is saved."),
        success_url=reverse("outreach:activity_detail", args=[activity.pk]),
        render_form=lambda f: render(
            request, "outreach/activity_form.html", {"form": f, "activity": activity}
        ),
    )


@login_required
def activity_report(request, pk: int):
    activity = queries.access_activity(request.user, pk)
    require(rules.can_manage_activity(request.user, activity))
    initial = {"attendance": activity.attendance, "summary": activity.summary}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)

    def save(data):
        photos = [data["photos"]] if data.get("photos") else []
        return services.report_activity(
            activity=activity,
            by=request.user,
            attendance=data["attendance"],
            summary=data["summary"],
            photos=photos,
        )

    return submit_form(
        request,
        form,
        save,
        success_message=_("The activity is reported."),
        success_url=reverse("outreach:activity_detail", args=[activity.pk]),
        render_form=lambda f: render(
            request, "outreach/activity_report.html", {"form": f, "activity": activity}
        ),
    )


@login_required
@require_POST
def activity_publish(request, pk: int):
    activity = queries.access_activity(request.user, pk)
    require(rules.can_manage_activity(request.user, activity))
    return run_transition(
        request,
        lambda: services.publish_activity(activity=activity, by=request.user),
        success_message=_("The activity is published: volunteers can sign up."),
        redirect_to=reverse("outreach:activity_detail", args=[activity.pk]),
    )


@login_required
@require_POST
def activity_cancel(request, pk: int):
    activity = queries.access_activity(request.user, pk)
    require(rules.can_manage_activity(request.user, activity))
    return run_transition(
        request,
        lambda: services.cancel_activity(activity=activity, by=request.user),
        success_message=_("The activity is cancelled."),
        redirect_to=reverse("outreach:activity_detail", args=[activity.pk]),
    )


@login_required
def activity_import(request):
    require(rules.can_import_activities(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = services.import_activities(
                file=upload, by=request.user, campaign=form.cleaned_data["campaign"], name=upload.name
            )
        except ImportRefused as exc:
            errors = exc.messages
        else:
            messages.success(request, _("%(n)s activities imported.") % {"n": len(created)})
            return redirect("outreach:activity_list")
    return render(request, "outreach/activity_import.html", {"form": form, "errors": errors})


@login_required
def import_template(request):
    require(rules.can_import_activities(request.user))
    rows = services.import_template_rows()
    data = table_xlsx(rows[0], rows[1:], title="活动导入")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="activity-import-template.xlsx"'
    return response


@login_required
def completeness(request):
    require(rules.can_view_completeness(request.user))
    campaign = None
    if request.GET.get("campaign", "").isdigit():
        campaign = get_object_or_404(Campaign, pk=int(request.GET["campaign"]))
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else None
    rows = queries.completeness(campaign=campaign, year=year)
    if not rules.sees_all(request.user):
        own = rules.district_codes(request.user)
        rows = [r for r in rows if r["district"] in own]
    totals = {k: sum(r[k] for r in rows) for k in ("registered", "reported", "due", "attendance")}
    return render(
        request,
        "outreach/completeness.html",
        {
            "rows": rows,
            "totals": totals,
            "campaigns": Campaign.objects.all(),
            "campaign": campaign,
            "silent": [r for r in rows if r["registered"] == 0],
        },
    )


@login_required
def checkin_codes(request, pk: int):
    """The organiser's screen at the activity: two QR codes, renewed by the page every few minutes."""
    activity = queries.access_activity(request.user, pk)
    require(rules.can_manage_activity(request.user, activity))
    codes = []
    for direction, label in Direction.choices:
        url = request.build_absolute_uri(
            reverse("outreach:scan", args=[services.checkin_token(activity, direction)])
        )
        codes.append({"direction": direction, "label": label, "svg": qr_svg(url), "url": url})
    template = "outreach/_codes.html" if request.headers.get("HX-Request") else "outreach/checkin_codes.html"
    counts = {s: activity.signups.filter(state=s).count() for s in SignUpState.values}
    return render(
        request,
        template,
        {
            "activity": activity,
            "codes": codes,
            "counts": counts,
            "renew_seconds": int(services.TOKEN_MAX_AGE.total_seconds() // 2),
        },
    )


@login_required
@require_POST
def confirm(request, pk: int):
    signup = get_object_or_404(SignUp.objects.select_related("activity", "volunteer"), pk=pk)
    activity = queries.access_activity(request.user, signup.activity_id)
    require(rules.can_confirm_hours(request.user, activity))
    form = ConfirmForm(request.POST)
    hours = form.cleaned_data["hours"] if form.is_valid() else None
    if not form.is_valid():
        messages.error(request, _("Hours must be a number such as 2.5."))
        return redirect("outreach:activity_detail", pk=activity.pk)
    return run_transition(
        request,
        lambda: services.confirm_hours(signup=signup, by=request.user, hours=hours),
        success_message=_("The hours of %(name)s are confirmed.") % {"name": signup.volunteer.real_name},
        redirect_to=reverse("outreach:activity_detail", args=[activity.pk]) + "#volunteers",
    )


@login_required
@require_POST
def confirm_all(request, pk: int):
    activity = queries.access_activity(request.user, pk)
    require(rules.can_confirm_hours(request.user, activity))
    try:
        count = services.confirm_all(activity=activity, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)s volunteers' hours confirmed.") % {"n": count})
    return redirect(reverse("outreach:activity_detail", args=[activity.pk]) + "#volunteers")
