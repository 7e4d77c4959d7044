"""Volunteer pages: register, sign up, scan a QR code, the ledger and certificate; staff lists, teams,
statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from weasyprint import HTML

from kexie.core.reference import districts
from kexie.core.views import run_transition, submit_form
from kexie.outreach import queries, rules, services
from kexie.outreach.enums import SignUpState
from kexie.outreach.forms import MemberForm, VolunteerForm
from kexie.outreach.models import SignUp, Team, Volunteer
from kexie.outreach.views.common import PAGE_SIZE, require


@login_required
def volunteer_register(request):
    if rules.is_volunteer(request.user):
        return redirect("outreach:my_volunteering")
    form = VolunteerForm(request.POST or None)
    return submit_form(
        request,
        form,
        lambda data: services.register_volunteer(user=request.user, **data),
        success_message=_("You are registered as a science volunteer."),
        success_url=reverse("outreach:my_volunteering"),
        render_form=lambda f: render(request, "outreach/volunteer_register.html", {"form": f}),
    )


def _ledger_context(volunteer: Volunteer) -> dict:
    hours = queries.confirmed_hours(volunteer)
    level = queries.star_level(hours)
    following = queries.next_star_level(hours)
    entries = list(queries.ledger(volunteer))
    return {
        "volunteer": volunteer,
        "hours": hours,
        "level": level,
        "next_level": following,
        "to_next": (following.min_hours - hours) if following else None,
        "entries": entries,
        "confirmed": [e for e in entries if e.state == SignUpState.CONFIRMED],
        "teams": volunteer.teams.all(),
    }


@login_required
def my_volunteering(request):
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is None:
        return redirect("outreach:volunteer_register")
    context = _ledger_context(volunteer)
    context["open_activities"] = (
        queries.public_activities()
        .filter(starts_at__gt=timezone.now(), volunteers_needed__gt=0)
        .exclude(signups__volunteer=volunteer)
        .order_by("starts_at")[:10]
    )
    return render(request, "outreach/my_volunteering.html", context)


@login_required
def certificate(request):
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is None:
        return redirect("outreach:volunteer_register")
    context = _ledger_context(volunteer)
    context["issued_on"] = timezone.localdate()
    html = render_to_string("outreach/certificate.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="volunteer-certificate.pdf"'
    return response


@login_required
@require_POST
def activity_sign_up(request, pk: int):
    activity = queries.access_activity(request.user, pk)
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is None:
        messages.info(request, _("Please register as a volunteer first."))
        return redirect("outreach:volunteer_register")
    return run_transition(
        request,
        lambda: services.sign_up(activity=activity, volunteer=volunteer, by=request.user),
        success_message=_("You have signed up. Scan the QR code at the activity to check in."),
        redirect_to=reverse("outreach:activity_detail", args=[activity.pk]),
    )


@login_required
@require_POST
def sign_up_cancel(request, pk: int):
    signup = get_object_or_404(
        SignUp.objects.select_related("volunteer"), pk=pk, volunteer__user=request.user
    )
    return run_transition(
        request,
        lambda: services.cancel_sign_up(signup=signup, by=request.user),
        success_message=_("Your sign-up is cancelled."),
        redirect_to=reverse("outreach:my_volunteering"),
    )


@login_required
def scan(request, token: str):
    """Where a volunteer's phone lands after scanning the code at the activity."""
    volunteer = getattr(request.user, "volunteer", None)
    error = None
    activity = None
    try:
        activity_id, direction = services.read_token(token)
        activity = queries.public_activities().filter(pk=activity_id).first()
    except ValidationError as exc:
        error, direction = exc.messages[0], None
    if volunteer is None and error is None:
        error = _("Only registered volunteers can check in. Please register first.")
    done = None
    if request.method == "POST" and error is None:
        try:
            done = services.scan(token=token, volunteer=volunteer)
        except ValidationError as exc:
            error = exc.messages[0]
    status = 400 if error and request.method == "POST" else 200
    return render(
        request,
        "outreach/scan.html",
        {"activity": activity, "direction": direction, "error": error, "done": done, "volunteer": volunteer},
        status=status,
    )


@login_required
def volunteer_list(request):
    require(rules.can_view_volunteers(request.user))
    volunteers = queries.volunteers_visible_to(request.user).annotate(
        hours=Sum("signups__confirmed_hours", filter=Q(signups__state=SignUpState.CONFIRMED))
    )
    district = request.GET.get("district", "")
    if district in districts():
        volunteers = volunteers.filter(district=district)
    page = Paginator(volunteers.order_by("pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outreach/volunteer_list.html", {"page": page, "district": district})


@login_required
def volunteer_detail(request, pk: int):
    volunteer = queries.access_volunteer(request.user, pk)
    context = _ledger_context(volunteer)
    context["show_identity"] = (
        rules.can_see_volunteer_identity(request.user, volunteer) or volunteer.user_id == request.user.pk
    )
    return render(request, "outreach/volunteer_detail.html", context)


@login_required
def team_detail(request, pk: int):
    require(rules.can_view_registry(request.user) or rules.is_volunteer(request.user))
    team = get_object_or_404(Team.objects.select_related("organization"), pk=pk)
    form = MemberForm(request.POST or None)
    can_manage = rules.can_manage_teams(request.user)
    if request.method == "POST":
        require(can_manage)
        if form.is_valid():
            volunteer = (
                queries.volunteers_visible_to(request.user).filter(pk=form.cleaned_data["volunteer"]).first()
            )
            if volunteer is None:
                form.add_error("volunteer", _("No volunteer with this number in your scope."))
            else:
                try:
                    services.join_team(team=team, volunteer=volunteer, by=request.user)
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("%(name)s joined the team.") % {"name": volunteer.real_name})
                    return redirect("outreach:team_detail", pk=team.pk)
    members = team.memberships.select_related("volunteer").annotate(
        hours=Sum(
            "volunteer__signups__confirmed_hours", filter=Q(volunteer__signups__state=SignUpState.CONFIRMED)
        )
    )
    return render(
        request,
        "outreach/team_detail.html",
        {
            "team": team,
            "members": members,
            "form": form,
            "can_manage": can_manage,
            "can_join": rules.is_volunteer(request.user)
            and not team.memberships.filter(volunteer__user=request.user).exists(),
        },
    )


@login_required
@require_POST
def team_join(request, pk: int):
    team = get_object_or_404(Team, pk=pk)
    volunteer = getattr(request.user, "volunteer", None)
    require(volunteer is not None)
    return run_transition(
        request,
        lambda: services.join_team(team=team, volunteer=volunteer, by=request.user),
        success_message=_("You joined the team."),
        redirect_to=reverse("outreach:team_detail", args=[team.pk]),
    )


@login_required
def statistics(request):
    require(rules.can_view_volunteers(request.user))
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else None
    rows = queries.volunteer_statistics(year=year)
    by_district = Volunteer.objects.values("district").annotate(n=Count("pk")).order_by("-n")
    names = districts()
    return render(
        request,
        "outreach/statistics.html",
        {
            "rows": rows,
            "year": year,
            "by_district": [(names.get(r["district"], r["district"]), r["n"]) for r in by_district],
            "total_volunteers": Volunteer.objects.count(),
            "total_hours": sum((r["hours"] for r in rows), 0),
        },
    )
