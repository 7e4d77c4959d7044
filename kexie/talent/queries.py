"""Permission-scoped reads of the talent services, and one access rule per object type."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kexie.core import access as access_rules
from kexie.core.access import access
from kexie.talent import rules
from kexie.talent.enums import AwardKind, NominationOutcome, PairState, RoundState
from kexie.talent.models import (
    AcademicianPair,
    AwardRound,
    Candidate,
    Engineer,
    Nomination,
    SupportedPerson,
    TopTalent,
    Vote,
)

PUBLIC_ROUND_STATES = (RoundState.NOMINATING, RoundState.REVIEWING, RoundState.PUBLICITY, RoundState.CLOSED)


def rounds_visible_to(user) -> QuerySet[AwardRound]:
    rounds = AwardRound.objects.select_related("award").annotate(n_nominations=Count("nominations"))
    if rules.can_view_awards(user):
        return rounds
    return rounds.filter(state__in=PUBLIC_ROUND_STATES)


def nominations_visible_to(user) -> QuerySet[Nomination]:
    """Staff see every nomination; everyone else the candidates of a campaign's public vote and the
    winners of published rounds."""
    nominations = Nomination.objects.select_related("round", "round__award")
    if rules.can_view_awards(user):
        return nominations
    voting = Q(round__award__kind=AwardKind.CAMPAIGN, round__voting_opens__isnull=False) & Q(
        round__state__in=(RoundState.REVIEWING, RoundState.PUBLICITY, RoundState.CLOSED)
    )
    winners = Q(round__state=RoundState.CLOSED, outcome=NominationOutcome.WINNER)
    return nominations.filter(voting | winners)


def people_visible_to(user) -> QuerySet[SupportedPerson]:
    people = SupportedPerson.objects.select_related("cohort", "expert")
    if rules.can_view_programme(user):
        return people
    if not getattr(user, "is_authenticated", False):
        return people.none()
    return people.filter(Q(expert__user=user) | Q(mentors__expert__user=user)).distinct()


def pairs_visible_to(user) -> QuerySet[AcademicianPair]:
    pairs = AcademicianPair.objects.select_related("academician", "scientist")
    if rules.can_view_programme(user):
        return pairs
    if not getattr(user, "is_authenticated", False):
        return pairs.none()
    return pairs.filter(Q(academician__user=user) | Q(scientist__user=user))


def candidates_visible_to(user) -> QuerySet[Candidate]:
    if rules.can_view_candidates(user):
        return Candidate.objects.all()
    return Candidate.objects.none()


def top_talents_visible_to(user) -> QuerySet[TopTalent]:
    talents = TopTalent.objects.annotate(n_engagements=Count("engagements"))
    return talents if rules.can_view_programme(user) else talents.none()


def engineers_visible_to(user) -> QuerySet[Engineer]:
    engineers = Engineer.objects.select_related("member")
    return engineers if rules.can_view_programme(user) else engineers.none()


def supported_expert_ids(*, on=None) -> set[int]:
    """Experts supported by the 托举 programme (now or before ``on``): flagged in later award
    review — the notice's "在奖项评选、项目支持中予以倾斜"."""
    day = on or timezone.localdate()
    return set(
        SupportedPerson.objects.filter(expert__isnull=False, starts_on__lte=day).values_list(
            "expert_id", flat=True
        )
    )


def vote_tally(round_: AwardRound) -> dict[int, tuple[int, int]]:
    """Per nomination of the round: (votes that count, flagged votes)."""
    rows = (
        Vote.objects.filter(round=round_)
        .values("nomination_id")
        .annotate(counted=Count("pk", filter=Q(flagged=False)), flagged=Count("pk", filter=Q(flagged=True)))
    )
    return {row["nomination_id"]: (row["counted"], row["flagged"]) for row in rows}


def vote_scores(round_: AwardRound) -> dict[int, Decimal]:
    """Public votes as a score of 0–100 per nomination (the most voted gets 100)."""
    tally = vote_tally(round_)
    top = max((counted for counted, _flagged in tally.values()), default=0)
    if not top:
        return {}
    return {
        pk: (Decimal(counted) * 100 / top).quantize(Decimal("0.01")) for pk, (counted, _f) in tally.items()
    }


def combined_score(*, review: Decimal | None, votes: Decimal | None, weight: Decimal) -> Decimal | None:
    """The final score of a campaign: the review score and the public vote with the round's weight."""
    if review is None:
        return None
    weight = Decimal(weight)
    return (Decimal(review) * (1 - weight) + Decimal(votes or 0) * weight).quantize(Decimal("0.01"))


def flagged_addresses(round_: AwardRound) -> list[dict]:
    return list(
        Vote.objects.filter(round=round_, flagged=True)
        .values("ip")
        .annotate(n=Count("pk"))
        .order_by("-n", "ip")
    )


def active_pairs() -> QuerySet[AcademicianPair]:
    return AcademicianPair.objects.filter(state=PairState.ACTIVE)


# --- one access rule per object ----------------------------------------------------------------


def access_round(user, pk) -> AwardRound:
    return access(rounds_visible_to(user), pk)


def access_nomination(user, pk) -> Nomination:
    return access(nominations_visible_to(user), pk)


def access_person(user, pk) -> SupportedPerson:
    return access(people_visible_to(user), pk)


def access_pair(user, pk) -> AcademicianPair:
    return access(pairs_visible_to(user), pk)


def access_candidate(user, pk) -> Candidate:
    return access(candidates_visible_to(user), pk)


def access_top_talent(user, pk) -> TopTalent:
    return access(top_talents_visible_to(user), pk)


access_rules.register("talent.round", visible=rounds_visible_to, access=access_round)
access_rules.register("talent.nomination", visible=nominations_visible_to, access=access_nomination)
access_rules.register("talent.person", visible=people_visible_to, access=access_person)
access_rules.register("talent.pair", visible=pairs_visible_to, access=access_pair)
access_rules.register("talent.candidate", visible=candidates_visible_to, access=access_candidate)
access_rules.register("talent.top_talent", visible=top_talents_visible_to, access=access_top_talent)
