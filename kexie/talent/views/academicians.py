"""Academician and engineer pages: 带培 pairs, the confidential 增选 ledger (院士工作服务中心 only),
top talents with engagements, the engineers' union."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kexie.core.views import submit_form
from kexie.talent import queries, rules
from kexie.talent.forms import CandidateEventForm, EngagementForm, PairActivityForm
from kexie.talent.models import UnionMember
from kexie.talent.services import academicians as services


@login_required
def pair_list(request):
    pairs = queries.pairs_visible_to(request.user).annotate(n_activities=Count("activities"))
    return render(request, "talent/pair_list.html", {"pairs": pairs})


@login_required
def pair_detail(request, pk: int):
    pair = queries.access_pair(request.user, pk)
    can_record = rules.can_record_pair_activity(request.user, pair)
    form = PairActivityForm(request.POST or None)
    if request.method == "POST" and not can_record:
        raise PermissionDenied
    return submit_form(
        request,
        form,
        lambda data: services.add_pair_activity(pair=pair, by=request.user, **data),
        success_message=_("The activity is recorded."),
        success_url=reverse("talent:pair_detail", args=[pair.pk]),
        render_form=lambda f: render(
            request,
            "talent/pair_detail.html",
            {
                "pair": pair,
                "form": f,
                "can_record": can_record,
                "activities": pair.activities.all(),
                "summaries": pair.summaries.all(),
            },
        ),
    )


def _centre(request) -> None:
    if not rules.can_view_candidates(request.user):
        raise PermissionDenied


@login_required
def candidate_list(request):
    _centre(request)
    candidates = queries.candidates_visible_to(request.user).annotate(n_events=Count("events"))
    return render(request, "talent/candidate_list.html", {"candidates": candidates})


@login_required
def candidate_detail(request, pk: int):
    # Only the centre's members see any candidate: everyone else gets the answer of a missing one.
    candidate = queries.access_candidate(request.user, pk)
    form = CandidateEventForm(request.POST or None)
    return submit_form(
        request,
        form,
        lambda data: services.add_candidate_event(candidate=candidate, by=request.user, **data),
        success_message=_("The service is recorded in the ledger."),
        success_url=reverse("talent:candidate_detail", args=[candidate.pk]),
        render_form=lambda f: render(
            request,
            "talent/candidate_detail.html",
            {"candidate": candidate, "form": f, "events": candidate.events.all()},
        ),
    )


@login_required
def top_talent_list(request):
    if not rules.can_view_programme(request.user):
        raise PermissionDenied
    return render(
        request, "talent/top_talent_list.html", {"talents": queries.top_talents_visible_to(request.user)}
    )


@login_required
def top_talent_detail(request, pk: int):
    talent = queries.access_top_talent(request.user, pk)
    can_manage = rules.can_manage_programme(request.user)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = EngagementForm(request.POST or None)
    return submit_form(
        request,
        form,
        lambda data: services.add_engagement(talent=talent, by=request.user, **data),
        success_message=_("The engagement is recorded."),
        success_url=reverse("talent:top_talent_detail", args=[talent.pk]),
        render_form=lambda f: render(
            request,
            "talent/top_talent_detail.html",
            {"talent": talent, "form": f, "can_manage": can_manage, "engagements": talent.engagements.all()},
        ),
    )


@login_required
def engineer_list(request):
    if not rules.can_view_programme(request.user):
        raise PermissionDenied
    members = UnionMember.objects.annotate(n_engineers=Count("engineers"))
    engineers = queries.engineers_visible_to(request.user)
    return render(
        request,
        "talent/engineer_list.html",
        {
            "members": members,
            "excellent": engineers.filter(excellent_year__isnull=False),
            "engineers": engineers,
        },
    )
