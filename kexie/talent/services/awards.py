"""Awards and campaigns: the catalogue, yearly rounds, nominations and their outcomes, public votes.

Winners are recorded as honours on the expert's profile through the expert library's own service.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.reference import districts
from kexie.core.services import record_event, snapshot
from kexie.core.transitions import transition
from kexie.experts import services as expert_services
from kexie.experts.enums import Sex
from kexie.experts.models import Expert
from kexie.talent.catalogue import CATALOGUE
from kexie.talent.enums import AwardKind, AwardLevel, NominationOutcome, RoundState
from kexie.talent.models import Award, AwardRound, Nomination, Vote

ROUND_ORDER = [
    RoundState.PREPARING,
    RoundState.NOMINATING,
    RoundState.REVIEWING,
    RoundState.PUBLICITY,
    RoundState.CLOSED,
]
BURST_WINDOW = timedelta(hours=1)


@transaction.atomic
def sync_catalogue() -> int:
    """Write the catalogue (talent/catalogue.py) to the database; returns how many rows changed."""
    changed = 0
    for order, (code, name, level, kind, organiser, department, limits, description) in enumerate(CATALOGUE):
        values = {
            "name": name,
            "level": level,
            "kind": kind,
            "organiser": organiser,
            "department": department,
            "age_limits": limits,
            "description": description,
            "sort_order": order,
        }
        award = Award.objects.filter(code=code).first()
        if award is None:
            award = Award.objects.create(code=code, **values)
        elif any(getattr(award, k) != v for k, v in values.items()):
            Award.objects.filter(pk=award.pk).update(**values)
        else:
            continue
        changed += 1
        record_event(award, "talent.award.sync", actor_name="system", after={"code": code, "name": name})
    return changed


def _check_voting(award: Award, voting_opens, voting_closes, vote_weight) -> None:
    errors = {}
    weight = Decimal(str(vote_weight or 0))
    if not Decimal(0) <= weight <= Decimal(1):
        errors["vote_weight"] = _("The weight of public votes must be between 0 and 1.")
    if (voting_opens is None) != (voting_closes is None):
        errors["voting_closes"] = _("Give both the opening and the closing day of the public vote.")
    elif voting_opens is not None:
        if award.kind != AwardKind.CAMPAIGN:
            errors["voting_opens"] = _("Only a selection campaign has a public vote.")
        elif voting_closes < voting_opens:
            errors["voting_closes"] = _("The vote cannot close before it opens.")
    elif weight > 0:
        errors["vote_weight"] = _("A weight for public votes needs a voting period.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def open_round(
    *,
    award: Award,
    year: int,
    by,
    reference_date: date | None = None,
    quota: int = 0,
    voting_opens: date | None = None,
    voting_closes: date | None = None,
    vote_weight: Decimal | int = 0,
    burst_limit: int = 20,
    call_id: int | None = None,
) -> AwardRound:
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    if AwardRound.objects.filter(award=award, year=year).exists():
        raise ValidationError(
            {"year": _("%(award)s already has a round in %(year)s.") % {"award": award, "year": year}}
        )
    if quota < 0:
        raise ValidationError({"quota": _("The number of places cannot be negative.")})
    if burst_limit < 1:
        raise ValidationError({"burst_limit": _("The burst limit must be at least 1.")})
    _check_voting(award, voting_opens, voting_closes, vote_weight)
    round_ = AwardRound.objects.create(
        award=award,
        year=year,
        reference_date=reference_date or date(year, 12, 31),
        quota=quota,
        voting_opens=voting_opens,
        voting_closes=voting_closes,
        vote_weight=Decimal(str(vote_weight or 0)),
        burst_limit=burst_limit,
        call_id=call_id,
        created_by=by,
        updated_by=by,
    )
    record_event(
        round_,
        "talent.round.open",
        actor=by,
        after=snapshot(round_, ["award", "year", "quota", "voting_opens", "voting_closes", "vote_weight"]),
    )
    return round_


@transaction.atomic
def link_round_call(*, round: AwardRound, call_id: int, by) -> AwardRound:  # noqa: A002 - the domain word
    if round.call_id and round.call_id != call_id:
        raise ValidationError(_("This round is already run by another call."))
    AwardRound.objects.filter(pk=round.pk).update(call_id=call_id)
    round.refresh_from_db()
    record_event(round, "talent.round.link_call", actor=by, after={"call": call_id})
    return round


@transaction.atomic
def advance_round(*, round: AwardRound, by, to: str) -> AwardRound:  # noqa: A002
    """Move a round one step on (preparing → nominating → in review → publicity → published)."""
    if to not in ROUND_ORDER[1:]:
        raise ValidationError(_("Unknown state."))
    round.refresh_from_db()  # the caller's copy may be older than another writer's step
    previous = ROUND_ORDER[ROUND_ORDER.index(to) - 1]
    if round.state != previous:
        raise ValidationError(
            _("A round moves one step at a time: it is “%(now)s”.") % {"now": round.get_state_display()}
        )
    if to == RoundState.CLOSED and round.nominations.filter(outcome=NominationOutcome.PENDING).exists():
        raise ValidationError(_("Decide every nomination before the results are published."))
    values = {"state": to, "updated_by": by}
    if to == RoundState.CLOSED:
        values["results_published_on"] = timezone.localdate()
    transition(round, expected=previous, values=values)
    if to == RoundState.CLOSED:
        # Honours reach the profiles when the results are published, after the publicity period.
        for winner in round.nominations.filter(outcome=NominationOutcome.WINNER).select_related(
            "round__award"
        ):
            record_honour(nomination=winner, by=by)
    record_event(round, "talent.round.advance", actor=by, before={"state": previous}, after={"state": to})
    return round


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def check_eligibility(*, award: Award, reference_date: date, sex: str, birth_date: date) -> None:
    """The catalogue's age limits per sex at the round's reference date (an award for women only
    lists only "female")."""
    limits = award.age_limits or {}
    if not limits:
        return
    if sex not in limits:
        raise ValidationError({"sex": _("%(award)s is not open to this sex.") % {"award": award.name}})
    age = _age(birth_date, reference_date)
    if age > int(limits[sex]):
        raise ValidationError(
            {
                "birth_date": _(
                    "%(award)s accepts candidates up to %(limit)s years of age on %(date)s; "
                    "this one is %(age)s."
                )
                % {"award": award.name, "limit": limits[sex], "date": reference_date.isoformat(), "age": age}
            }
        )


@transaction.atomic
def add_nomination(
    *,
    round: AwardRound,  # noqa: A002
    by,
    name: str,
    sex: str,
    birth_date: date,
    organization_name: str,
    district: str = "",
    channel: str = "",
    deeds: str = "",
    expert: Expert | None = None,
    submission_id: int | None = None,
) -> Nomination:
    round = AwardRound.objects.select_for_update().select_related("award").get(pk=round.pk)  # noqa: A001
    errors = {}
    if round.state != RoundState.NOMINATING:
        raise ValidationError(_("This round does not take nominations now."))
    if not (name or "").strip():
        errors["name"] = _("The name is required.")
    if sex not in Sex.values:
        errors["sex"] = _("Choose the sex.")
    if birth_date is None:
        errors["birth_date"] = _("The date of birth is required.")
    if not (organization_name or "").strip():
        errors["organization_name"] = _("The organization is required.")
    if district and district not in districts():
        errors["district"] = _("Unknown district code %(code)s.") % {"code": district}
    if errors:
        raise ValidationError(errors)
    check_eligibility(award=round.award, reference_date=round.reference_date, sex=sex, birth_date=birth_date)
    earlier = Nomination.objects.filter(round__award=round.award, outcome=NominationOutcome.WINNER)
    if expert is not None:
        earlier = earlier.filter(expert=expert)
    else:
        earlier = earlier.filter(name=name.strip(), birth_date=birth_date)
    if earlier.exists():
        raise ValidationError(
            _("%(name)s has already won %(award)s.") % {"name": name, "award": round.award.name}
        )
    same = (
        round.nominations.filter(expert=expert)
        if expert
        else round.nominations.filter(name=name.strip(), birth_date=birth_date)
    )
    if same.exists():
        raise ValidationError(_("%(name)s is already nominated in this round.") % {"name": name})
    nomination = Nomination.objects.create(
        round=round,
        expert=expert,
        name=name.strip(),
        sex=sex,
        birth_date=birth_date,
        organization_name=organization_name.strip(),
        district=district,
        channel=channel.strip(),
        deeds=deeds.strip(),
        submission_id=submission_id,
        created_by=by,
        updated_by=by,
    )
    record_event(
        nomination,
        "talent.nomination.add",
        actor=by,
        after={"round": round.pk, "expert": getattr(expert, "pk", None), "submission": submission_id},
    )
    return nomination


def honour_label(round: AwardRound) -> str:  # noqa: A002
    return f"{round.year}年{round.award.name}"


def record_honour(*, nomination: Nomination, by) -> None:
    """A published win on the expert's profile, through the expert library's own service (audited
    there); nothing when the nominee has no profile or already shows the honour."""
    if not nomination.expert_id:
        return
    expert = Expert.objects.get(pk=nomination.expert_id)
    label = honour_label(nomination.round)
    if label not in expert.honours:
        expert_services.update_expert(expert=expert, by=by, honours=[*expert.honours, label])


@transaction.atomic
def decide_nomination(*, nomination: Nomination, outcome: str, by) -> Nomination:
    """Record the outcome of a nomination: recommended upwards (national awards), winner or not
    selected. A winner's honour reaches the expert's profile when the results are published (or at
    once for a national result recorded after the round closed)."""
    round = AwardRound.objects.select_for_update().select_related("award").get(pk=nomination.round_id)  # noqa: A001
    national_result = (
        round.award.level == AwardLevel.NATIONAL
        and nomination.outcome == NominationOutcome.RECOMMENDED
        and outcome in (NominationOutcome.WINNER, NominationOutcome.NOT_SELECTED)
    )
    # The national result comes months after the association's own round is closed.
    if round.state not in (RoundState.REVIEWING, RoundState.PUBLICITY) and not national_result:
        raise ValidationError(_("Outcomes are recorded while the round is in review or in publicity."))
    if outcome not in (
        NominationOutcome.RECOMMENDED,
        NominationOutcome.WINNER,
        NominationOutcome.NOT_SELECTED,
    ):
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome == NominationOutcome.RECOMMENDED and round.award.level != AwardLevel.NATIONAL:
        raise ValidationError(
            {"outcome": _("Only nominations for a national award are recommended upwards.")}
        )
    expected = [NominationOutcome.PENDING]
    if round.award.level == AwardLevel.NATIONAL and outcome != NominationOutcome.RECOMMENDED:
        expected.append(NominationOutcome.RECOMMENDED)
    counted = (
        NominationOutcome.RECOMMENDED
        if round.award.level == AwardLevel.NATIONAL
        else NominationOutcome.WINNER
    )
    if round.quota and outcome == counted:
        taken = round.nominations.filter(outcome=counted).exclude(pk=nomination.pk).count()
        if taken >= round.quota:
            raise ValidationError(
                _("All %(n)s places of this round are taken.") % {"n": round.quota}, code="over_quota"
            )
    before = nomination.outcome
    transition(
        nomination,
        field="outcome",
        expected=expected,
        values={"outcome": outcome, "decided_at": timezone.now(), "updated_by": by},
        message=_("This nomination is already decided; reload the page."),
    )
    if outcome == NominationOutcome.WINNER and round.state == RoundState.CLOSED:
        record_honour(nomination=nomination, by=by)
    record_event(
        nomination,
        "talent.nomination.decide",
        actor=by,
        before={"outcome": before},
        after={"outcome": outcome},
    )
    return nomination


# --- public votes ------------------------------------------------------------------------------


def voting_open(round: AwardRound, *, on: date | None = None) -> bool:  # noqa: A002
    day = on or timezone.localdate()
    return (
        round.has_voting
        and round.voting_opens <= day <= round.voting_closes
        and round.state in (RoundState.REVIEWING, RoundState.PUBLICITY)
    )


@transaction.atomic
def cast_vote(*, nomination: Nomination, user, ip: str | None, now=None) -> Vote:
    """One vote per signed-in user per campaign per day. A burst from one address (more than the
    round's limit within an hour) flags the address's votes of that hour: they do not count until
    staff clear them."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    round = AwardRound.objects.get(pk=nomination.round_id)  # noqa: A001 - fresh state and window
    if not getattr(user, "is_authenticated", False):
        raise ValidationError(_("Sign in to vote."))
    if not voting_open(round, on=day):
        raise ValidationError(_("Voting for this campaign is not open."))
    if Vote.objects.filter(round=round, user=user, day=day).exists():
        raise ValidationError(
            _("You have already voted in this campaign today; come back tomorrow."), code="voted"
        )
    try:
        with transaction.atomic():
            vote = Vote.objects.create(round=round, nomination=nomination, user=user, day=day, ip=ip)
    except IntegrityError:
        raise ValidationError(
            _("You have already voted in this campaign today; come back tomorrow."), code="voted"
        ) from None
    Vote.objects.filter(pk=vote.pk).update(created_at=now)
    if ip:
        recent = Vote.objects.filter(
            round=round, ip=ip, created_at__gt=now - BURST_WINDOW, created_at__lte=now
        )
        if recent.count() > round.burst_limit:
            recent.filter(flagged=False).update(flagged=True)
    vote.refresh_from_db()
    record_event(
        vote,
        "talent.vote.cast",
        actor=user,
        after={"round": round.pk, "nomination": nomination.pk, "flagged": vote.flagged},
    )
    return vote


@transaction.atomic
def clear_flags(*, round: AwardRound, ip: str, by) -> int:  # noqa: A002
    """Staff judge a flagged address legitimate (a campus, an office): its votes count again."""
    n = Vote.objects.filter(round=round, ip=ip, flagged=True).update(flagged=False, cleared_by=by)
    if not n:
        raise ValidationError(_("No flagged votes from this address."))
    record_event(round, "talent.vote.clear_flags", actor=by, after={"ip": ip, "votes": n})
    return n
