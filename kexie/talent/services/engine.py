"""What the talent app does with the 申报评审 engine's calls (kexie.calls): a decision on an award
or campaign dossier becomes a nomination outcome (and, once the results are final, an honour on the
expert's profile); a final selection in a programme call admits the person to the 托举 cohort; the
mid-term evaluation of a cohort is an evaluation call whose review round scores each person.

These run inside the engine's transaction (``on_decision`` hooks, see talent/calls.py) and must be
idempotent: the engine calls them at the decision and again when the results are final."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.calls import services as calls
from kexie.calls.enums import Decision, SubmissionState
from kexie.calls.models import Call, Submission
from kexie.core.services import record_event
from kexie.experts.models import Expert
from kexie.talent.enums import AwardLevel, EvaluationResult, NominationOutcome, RoundState, SupportState
from kexie.talent.models import Award, AwardRound, Cohort, MidtermEvaluation, Nomination, SupportedPerson
from kexie.talent.services import programme
from kexie.talent.services.awards import honour_label, record_honour

# Mid-term results from the engine's final score (0–100); a "not selected" decision is a fail.
EVALUATION_BANDS = (
    (90, EvaluationResult.EXCELLENT),
    (75, EvaluationResult.GOOD),
    (60, EvaluationResult.PASS),
)


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _expert_of(user) -> Expert | None:
    return Expert.objects.filter(user=user).first() if user is not None else None


def _person_facts(submission: Submission) -> dict:
    data = submission.data or {}
    return {
        "name": (
            submission.person_name or data.get("name") or getattr(submission.applicant, "full_name", "")
        ).strip(),
        "sex": data.get("sex") or "",
        "birth_date": _date(data.get("birth_date")),
        "organization_name": submission.organization_name or data.get("organization") or "",
        "district": data.get("district") or "",
    }


@transaction.atomic
def apply_award_decision(*, submission: Submission) -> Nomination | None:
    round_ = AwardRound.objects.select_related("award").filter(call_id=submission.call_id).first()
    if round_ is None:
        return None  # an award call that is not a round of the catalogue
    facts = _person_facts(submission)
    if facts["birth_date"] is None or not facts["sex"]:
        raise ValidationError(_("The dossier lacks the nominee's sex or date of birth."))
    nomination = Nomination.objects.filter(submission_id=submission.pk).first()
    if nomination is None:
        nomination = Nomination.objects.create(
            round=round_,
            submission_id=submission.pk,
            expert=_expert_of(submission.applicant),
            channel=submission.channel.organization.name if submission.channel_id else "",
            deeds=(submission.data or {}).get("deeds", ""),
            **facts,
        )
    if submission.decision == Decision.SELECTED:
        outcome = (
            NominationOutcome.RECOMMENDED
            if round_.award.level == AwardLevel.NATIONAL
            else NominationOutcome.WINNER
        )
    elif submission.decision == Decision.NOT_SELECTED:
        outcome = NominationOutcome.NOT_SELECTED
    else:
        outcome = NominationOutcome.PENDING
    final = submission.state == SubmissionState.FINAL
    Nomination.objects.filter(pk=nomination.pk).update(
        outcome=outcome, decided_at=submission.decided_at or timezone.now()
    )
    nomination.refresh_from_db()
    if final and outcome == NominationOutcome.WINNER:
        record_honour(nomination=nomination, by=submission.decided_by)
    wanted = RoundState.CLOSED if final else RoundState.REVIEWING
    if round_.state not in (wanted, RoundState.CLOSED):
        AwardRound.objects.filter(pk=round_.pk).update(
            state=wanted, results_published_on=timezone.localdate() if final else None
        )
    record_event(
        nomination,
        "talent.nomination.from_call",
        actor=submission.decided_by,
        after={"submission": submission.pk, "outcome": outcome, "final": final},
    )
    return nomination


def prior_winners(*, call: Call, series: str) -> list[dict]:
    """The earlier winners of the award a call runs, for the engine's ``not_earlier_winner`` rule:
    winners recorded in earlier rounds of the award, and experts whose profile shows the award
    among their honours (e.g. won before the platform, recorded by staff)."""
    round_ = AwardRound.objects.select_related("award").filter(call_id=call.pk).first()
    award = round_.award if round_ else Award.objects.filter(name=series).first() if series else None
    if award is None:
        return []
    rows = []
    winners = (
        Nomination.objects.filter(round__award=award, outcome=NominationOutcome.WINNER)
        .exclude(round__call_id=call.pk)
        .select_related("round__award", "expert")
    )
    for n in winners:
        rows.append(
            {
                "name": n.name,
                "birth_date": n.birth_date.isoformat(),
                "user_id": n.expert.user_id if n.expert_id else None,
                "label": honour_label(n.round),
            }
        )
    experts = Expert.objects.exclude(honours=[]).only("pk", "name", "birth_year", "user_id", "honours")
    for expert in experts:
        held = [h for h in expert.honours if isinstance(h, str) and award.name in h]
        if held:
            rows.append(
                {
                    "name": expert.name,
                    "birth_year": expert.birth_year,
                    "user_id": expert.user_id,
                    "label": held[0],
                }
            )
    return rows


def _cohort_for(submission: Submission, *, by) -> Cohort:
    """The cohort a programme call selects: the one linked to the call, else this year's cohort not
    yet linked to a call, else a new one from the call's programme settings (``call.extra``)."""
    call = submission.call
    cohort = Cohort.objects.select_for_update().filter(call_id=call.pk).first()
    if cohort is not None:
        return cohort
    same_year = Cohort.objects.select_for_update().filter(year=call.year).first()
    if same_year is not None:
        if same_year.call_id:
            raise ValidationError(
                _("The cohort of %(year)s was selected by another call.") % {"year": call.year}
            )
        Cohort.objects.filter(pk=same_year.pk).update(call_id=call.pk)
        same_year.refresh_from_db()
        return same_year
    settings = (call.extra or {}).get("programme") or {}
    return programme.create_cohort(
        name=settings.get("cohort_name") or _("Cohort %(year)s") % {"year": call.year},
        year=call.year,
        starts_on=_date(settings.get("starts_on")) or timezone.localdate(),
        support_years=int(settings.get("support_years") or 3),
        annual_amount=Decimal(str(settings.get("annual_amount") or 0)),
        call_id=call.pk,
        by=by,
    )


@transaction.atomic
def admit_from_call(*, submission: Submission) -> SupportedPerson | None:
    """A programme dossier selected: the decision creates (or finds) the cohort the call selects;
    once the results are final (after 公示) the person joins it."""
    if submission.decision != Decision.SELECTED:
        return None
    cohort = _cohort_for(submission, by=submission.decided_by)
    if submission.state != SubmissionState.FINAL:
        return None
    existing = SupportedPerson.objects.filter(submission_id=submission.pk).first()
    if existing is not None:
        return existing
    data = submission.data or {}
    mentors = [
        {"name": row.get("name", ""), "organization_name": row.get("organization", "")}
        for row in data.get("mentors") or []
        if isinstance(row, dict)
    ]
    facts = _person_facts(submission)
    return programme.add_supported_person(
        cohort=cohort,
        by=submission.decided_by,
        expert=_expert_of(submission.applicant),
        project_title=data.get("project_title") or submission.title,
        mentors=mentors,
        discipline=data.get("discipline", ""),
        submission_id=submission.pk,
        **facts,
    )


PERSON_FIELDS = [
    {"key": "name", "label": "姓名", "type": "text", "required": True, "max_length": 30},
    {
        "key": "sex",
        "label": "性别",
        "type": "choice",
        "required": True,
        "choices": [["male", "男"], ["female", "女"]],
    },
    {"key": "birth_date", "label": "出生日期", "type": "date", "required": True},
    {
        "key": "district",
        "label": "所在区县(行政区划代码)",
        "type": "text",
        "required": False,
        "max_length": 12,
    },
]
AWARD_FORM = {
    "sections": [
        {"key": "person", "title": "候选人基本情况", "fields": PERSON_FIELDS},
        {
            "key": "deeds",
            "title": "主要事迹",
            "fields": [
                {
                    "key": "deeds",
                    "label": "主要事迹",
                    "type": "longtext",
                    "required": True,
                    "max_length": 3000,
                },
                {
                    "key": "evidence",
                    "label": "证明材料",
                    "type": "file",
                    "required": False,
                    "extensions": ["pdf"],
                    "max_size_mb": 10,
                },
            ],
        },
    ]
}
PROGRAMME_FORM = {
    "sections": [
        {"key": "person", "title": "申请人基本情况", "fields": PERSON_FIELDS},
        {
            "key": "plan",
            "title": "托举计划",
            "fields": [
                {
                    "key": "project_title",
                    "label": "托举项目名称",
                    "type": "text",
                    "required": True,
                    "max_length": 200,
                },
                {
                    "key": "plan",
                    "label": "研究计划",
                    "type": "longtext",
                    "required": True,
                    "max_length": 5000,
                },
                {
                    "key": "mentors",
                    "label": "导师",
                    "type": "persons",
                    "required": True,
                    "columns": [{"key": "name", "label": "姓名"}, {"key": "organization", "label": "单位"}],
                    "max_rows": 3,
                },
            ],
        },
    ]
}


def award_eligibility(round_: AwardRound) -> list[dict]:
    """The catalogue's limits as the engine's eligibility rules: age per sex at the round's reference
    date, earlier winners of the same award excluded."""
    rules = [{"rule": "not_earlier_winner", "series": round_.award.name, "names": []}]
    if round_.award.age_limits:
        rules.append(
            {
                "rule": "age",
                "birth_field": "birth_date",
                "sex_field": "sex",
                "reference_date": round_.reference_date.isoformat(),
                "max": dict(round_.award.age_limits),
            }
        )
    return rules


@transaction.atomic
def create_round_call(*, round_: AwardRound, organiser, by, closes_at, needs_code: bool = True) -> Call:
    """Run a round of the catalogue on the engine: a call of kind ``award`` with the dossier form and
    the award's eligibility, linked to the round."""
    round_ = AwardRound.objects.select_for_update().select_related("award").get(pk=round_.pk)
    if round_.call_id:
        raise ValidationError(_("This round is already run by a call."))
    call = calls.create_call(
        kind="award",
        title=str(round_),
        organiser=organiser,
        year=round_.year,
        by=by,
        form_schema=AWARD_FORM,
        eligibility=award_eligibility(round_),
        closes_at=closes_at,
        needs_code=needs_code,
        extra={"series": round_.award.name, "talent_round": round_.pk},
    )
    AwardRound.objects.filter(pk=round_.pk).update(call_id=call.pk)
    record_event(round_, "talent.round.call", actor=by, after={"call": call.pk})
    return call


@transaction.atomic
def create_programme_call(  # noqa: PLR0913 - the programme's settings, all keyword
    *,
    year: int,
    organiser,
    by,
    closes_at,
    title: str = "",
    support_years: int = 3,
    annual_amount: Decimal | int = 0,
    starts_on: dt.date | None = None,
    age_limits: dict | None = None,
    reference_date: dt.date | None = None,
) -> Call:
    """The year's 托举 selection as an engine call of kind ``programme`` (applications endorsed by
    the unit, formal check, review rounds, decision, 公示); the decision creates the cohort with
    these settings (``on_decision``), the final result admits the people."""
    errors = {}
    if Cohort.objects.filter(year=year).exclude(call_id=None).exists():
        errors["year"] = _("The cohort of %(year)s was selected by another call.") % {"year": year}
    if not 1 <= int(support_years) <= 10:
        errors["support_years"] = _("The support period is 1 to 10 years.")
    if Decimal(str(annual_amount)) < 0:
        errors["annual_amount"] = _("The amount cannot be negative.")
    if errors:
        raise ValidationError(errors)
    eligibility = []
    if age_limits:
        eligibility.append(
            {
                "rule": "age",
                "birth_field": "birth_date",
                "sex_field": "sex",
                "reference_date": (reference_date or dt.date(year, 12, 31)).isoformat(),
                "max": dict(age_limits),
            }
        )
    call = calls.create_call(
        kind="programme",
        title=(title or "").strip() or _("Young talent support programme %(year)s") % {"year": year},
        organiser=organiser,
        year=year,
        by=by,
        form_schema=PROGRAMME_FORM,
        eligibility=eligibility,
        endorsement_chain=["unit", "organiser"],
        closes_at=closes_at,
        needs_code=False,
        extra={
            "programme": {
                "support_years": int(support_years),
                "annual_amount": str(Decimal(str(annual_amount))),
                "starts_on": starts_on.isoformat() if starts_on else "",
            }
        },
    )
    record_event(call, "talent.programme.call", actor=by, after={"year": year, "call": call.pk})
    return call


MIDTERM_FORM = {
    "sections": [
        {
            "key": "midterm",
            "title": "中期进展",
            "fields": [
                {
                    "key": "progress",
                    "label": "中期进展总结",
                    "type": "longtext",
                    "required": True,
                    "max_length": 5000,
                },
                {
                    "key": "outputs",
                    "label": "代表性成果",
                    "type": "longtext",
                    "required": False,
                    "max_length": 3000,
                },
            ],
        }
    ]
}


@transaction.atomic
def start_midterm(*, cohort: Cohort, organiser, by, closes_at=None) -> Call:
    """The cohort's mid-term evaluation as an engine call of kind ``talent.midterm``: one dossier per
    supported person (the person files it when they have an account, else staff do), reviewed in the
    engine's review rounds; the final decision records each person's result."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.midterm_call_id:
        raise ValidationError(_("The mid-term evaluation of this cohort has already started."))
    people = list(cohort.people.filter(state=SupportState.ACTIVE).select_related("expert"))
    if not people:
        raise ValidationError(_("No supported person to evaluate."))
    call = calls.create_call(
        kind="talent.midterm",
        title=_("Mid-term evaluation of %(cohort)s") % {"cohort": cohort.name},
        organiser=organiser,
        year=timezone.localdate().year,
        by=by,
        form_schema=MIDTERM_FORM,
        endorsement_chain=[],
        closes_at=closes_at or timezone.now() + dt.timedelta(days=30),
        decision_rule={"min_score": 60},
        extra={"talent_cohort": cohort.pk},
    )
    calls.open_call(call, by=by)
    for person in people:
        applicant = person.expert.user if person.expert_id and person.expert.user_id else by
        submission = calls.create_submission(
            call=call,
            applicant=applicant,
            title=_("Mid-term report of %(name)s") % {"name": person.name},
            organization_name=person.organization_name,
            by=by,
        )
        Submission.objects.filter(pk=submission.pk).update(person_name=person.name)
        SupportedPerson.objects.filter(pk=person.pk).update(midterm_submission_id=submission.pk)
    Cohort.objects.filter(pk=cohort.pk).update(midterm_call_id=call.pk)
    record_event(cohort, "talent.cohort.midterm", actor=by, after={"call": call.pk, "people": len(people)})
    return call


def result_for(score: float | None, decision: str) -> str:
    if decision == Decision.NOT_SELECTED or score is None:
        return EvaluationResult.FAIL
    for floor, result in EVALUATION_BANDS:
        if score >= floor:
            return result
    return EvaluationResult.FAIL


@transaction.atomic
def apply_midterm_decision(*, submission: Submission) -> MidtermEvaluation | None:
    if submission.state != SubmissionState.FINAL:
        return None
    person = SupportedPerson.objects.filter(midterm_submission_id=submission.pk).first()
    if person is None:
        return None
    existing = MidtermEvaluation.objects.filter(person=person).first()
    if existing is not None:
        return existing
    last_round = submission.call.rounds.order_by("-number").first()
    score = submission.final_score
    return programme.record_evaluation(
        person=person,
        result=result_for(score, submission.decision),
        score=Decimal(str(round(score, 2))) if score is not None else None,
        comment=submission.decision_rule,
        by=submission.decided_by,
        review_round_id=last_round.pk if last_round else None,
    )
