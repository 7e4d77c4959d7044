"""Award and campaign pages: the catalogue with its rounds, a round's nominations (staff), the
public campaign page with voting."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.context import current_context
from kexie.core.views import run_transition
from kexie.talent import queries, rules
from kexie.talent.enums import AwardKind, AwardLevel, NominationOutcome, RoundState
from kexie.talent.models import Award
from kexie.talent.services import awards


def index(request):
    """Measure 8's page: the catalogue and this year's rounds; campaigns open to the public vote."""
    rounds = list(queries.rounds_visible_to(request.user).order_by("-year", "award__sort_order")[:60])
    return render(
        request,
        "talent/index.html",
        {
            "catalogue": Award.objects.all(),
            "rounds": rounds,
            "voting": [r for r in rounds if awards.voting_open(r)],
            "can_view_awards": rules.can_view_awards(request.user),
            "can_view_programme": rules.can_view_programme(request.user),
            "is_centre": rules.is_academy_centre(request.user),
        },
    )


@login_required
def round_detail(request, pk: int):
    round_ = queries.access_round(request.user, pk)  # 404 first: an id reveals nothing
    if not rules.can_view_awards(request.user):
        raise PermissionDenied
    nominations = list(round_.nominations.select_related("expert").order_by("outcome", "name"))
    supported = queries.supported_expert_ids(on=round_.reference_date)
    tally = queries.vote_tally(round_) if round_.has_voting else {}
    scores = queries.vote_scores(round_) if round_.has_voting else {}
    rows = [
        {
            "n": n,
            "supported": n.expert_id in supported,
            "votes": tally.get(n.pk, (0, 0)),
            "vote_score": scores.get(n.pk),
        }
        for n in nominations
    ]
    can_manage = rules.can_manage_awards(request.user)
    order = awards.ROUND_ORDER
    next_state = order[order.index(round_.state) + 1] if round_.state != RoundState.CLOSED else None
    outcomes = [NominationOutcome.WINNER, NominationOutcome.NOT_SELECTED]
    if round_.award.level == AwardLevel.NATIONAL:
        outcomes.insert(0, NominationOutcome.RECOMMENDED)
    return render(
        request,
        "talent/round_detail.html",
        {
            "round": round_,
            "rows": rows,
            "can_manage": can_manage,
            "next_state": next_state,
            "next_label": dict(RoundState.choices).get(next_state, ""),
            "outcomes": [(o, dict(NominationOutcome.choices)[o]) for o in outcomes],
            "flagged": queries.flagged_addresses(round_) if round_.has_voting else [],
        },
    )


@login_required
@require_POST
def round_advance(request, pk: int):
    round_ = queries.access_round(request.user, pk)
    if not rules.can_manage_awards(request.user):
        raise PermissionDenied
    return run_transition(
        request,
        lambda: awards.advance_round(round=round_, by=request.user, to=request.POST.get("to", "")),
        success_message=_("The round moved on."),
        redirect_to=reverse("talent:round_detail", args=[round_.pk]),
    )


@login_required
@require_POST
def nomination_decide(request, pk: int):
    nomination = queries.access_nomination(request.user, pk)
    if not rules.can_manage_awards(request.user):
        raise PermissionDenied
    return run_transition(
        request,
        lambda: awards.decide_nomination(
            nomination=nomination, outcome=request.POST.get("outcome", ""), by=request.user
        ),
        success_message=_("The outcome is recorded."),
        redirect_to=reverse("talent:round_detail", args=[nomination.round_id]),
    )


@login_required
@require_POST
def round_clear_flags(request, pk: int):
    round_ = queries.access_round(request.user, pk)
    if not rules.can_manage_awards(request.user):
        raise PermissionDenied
    return run_transition(
        request,
        lambda: awards.clear_flags(round=round_, ip=request.POST.get("ip", ""), by=request.user),
        success_message=_("The votes from this address count again."),
        redirect_to=reverse("talent:round_detail", args=[round_.pk]),
    )


def nomination_detail(request, pk: int):
    """One nomination: staff see it all; the public a campaign candidate or a published winner."""
    nomination = queries.access_nomination(request.user, pk)
    return render(
        request,
        "talent/nomination_detail.html",
        {"nomination": nomination, "staff": rules.can_view_awards(request.user)},
    )


def campaign(request, pk: int):
    """The public page of a campaign: candidates, their deeds and (signed in) a vote a day."""
    round_ = queries.access_round(request.user, pk)
    if round_.award.kind != AwardKind.CAMPAIGN or not round_.has_voting:
        raise PermissionDenied
    nominations = queries.nominations_visible_to(request.user).filter(round=round_).order_by("name")
    tally = queries.vote_tally(round_)
    voted = None
    if request.user.is_authenticated:
        voted = round_.votes.filter(user=request.user).order_by("-day").values_list("day", flat=True).first()
    return render(
        request,
        "talent/campaign.html",
        {
            "round": round_,
            "rows": [(n, tally.get(n.pk, (0, 0))[0]) for n in nominations],
            "open": awards.voting_open(round_),
            "voted_today": voted == timezone.localdate(),
        },
    )


@login_required
@require_POST
def campaign_vote(request, pk: int):
    nomination = queries.access_nomination(request.user, pk)
    return run_transition(
        request,
        lambda: awards.cast_vote(nomination=nomination, user=request.user, ip=current_context().ip),
        success_message=_("Thank you, your vote is counted."),
        redirect_to=reverse("talent:campaign", args=[nomination.round_id]),
    )
