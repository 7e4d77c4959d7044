"""The talent app on the calls engine: kinds registered, decisions become outcomes, honours,
supported people and mid-term results."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kexie.calls import kinds
from kexie.calls import services as calls
from kexie.calls.enums import Decision, SubmissionState
from kexie.calls.models import Submission
from kexie.talent.enums import EvaluationResult, NominationOutcome, RoundState, SupportState
from kexie.talent.models import MidtermEvaluation, Nomination, SupportedPerson
from kexie.talent.services import awards, engine, programme

pytestmark = pytest.mark.django_db


def test_talent_owns_the_award_and_programme_kinds():
    assert kinds.get("award").app_label == "talent"
    assert kinds.get("programme").app_label == "talent"
    assert kinds.get("talent.midterm").measures == (7,)


@pytest.fixture
def award_call(orgs, zuzhi):
    return calls.create_call(
        kind="award",
        title="2025年重庆市十佳科技青年奖",
        organiser=orgs["组织人事部"],
        year=2025,
        by=zuzhi,
        form_schema=engine.AWARD_FORM,
        endorsement_chain=[],
        needs_code=False,
        closes_at=timezone.now() + dt.timedelta(days=20),
    )


def test_round_call_carries_the_award_eligibility(catalogue, orgs, zuzhi):
    round_ = awards.open_round(
        award=catalogue["young_women_scientist"], year=2026, by=zuzhi, reference_date=date(2026, 6, 30)
    )
    call = engine.create_round_call(
        round_=round_, organiser=orgs["组织人事部"], by=zuzhi, closes_at=timezone.now() + dt.timedelta(days=9)
    )
    round_.refresh_from_db()
    assert round_.call_id == call.pk
    assert call.eligibility[1] == {
        "rule": "age",
        "birth_field": "birth_date",
        "sex_field": "sex",
        "reference_date": "2026-06-30",
        "max": {"female": 45},
    }
    with pytest.raises(ValidationError, match="已关联申报"):
        engine.create_round_call(
            round_=round_, organiser=orgs["组织人事部"], by=zuzhi, closes_at=call.closes_at
        )


def _decided(call, applicant, zuzhi, decision, *, state=SubmissionState.DECIDED, data=None, score=None):
    s = calls.create_submission(
        call=call, applicant=applicant, title="推荐材料", organization_name="重庆大学", by=zuzhi
    )
    # The review itself is the engine's (tested there); here the dossier arrives decided.
    Submission.objects.filter(pk=s.pk).update(
        state=state,
        decision=decision,
        decided_by=zuzhi,
        decided_at=timezone.now(),
        final_score=score,
        person_name="林晓",
        data=data or {"sex": "female", "birth_date": "1992-05-01", "district": "500103", "deeds": "事迹"},
    )
    return Submission.objects.get(pk=s.pk)


def test_award_decision_becomes_outcome_and_final_result_an_honour(
    catalogue, award_call, zuzhi, make_user, make_expert
):
    calls.open_call(award_call, by=zuzhi)
    nominee = make_user("linxiao", role=None)
    expert = make_expert("林晓", user=nominee)
    round_ = awards.open_round(
        award=catalogue["cq_top_ten_youth"], year=2025, by=zuzhi, call_id=award_call.pk
    )
    s = _decided(award_call, nominee, zuzhi, Decision.SELECTED)
    kinds.run_decision_hook(s)
    nomination = Nomination.objects.get(submission_id=s.pk)
    assert (nomination.outcome, nomination.expert, nomination.round) == (
        NominationOutcome.WINNER,
        expert,
        round_,
    )
    expert.refresh_from_db()
    assert expert.honours == []  # not before the results are final
    Submission.objects.filter(pk=s.pk).update(state=SubmissionState.FINAL)
    s.refresh_from_db()
    kinds.run_decision_hook(s)
    kinds.run_decision_hook(s)  # idempotent
    expert.refresh_from_db()
    assert expert.honours == ["2025年重庆市十佳科技青年奖"]
    assert Nomination.objects.filter(submission_id=s.pk).count() == 1
    round_.refresh_from_db()
    assert round_.state == RoundState.CLOSED


def test_unlinked_award_call_is_left_alone(award_call, zuzhi, make_user):
    calls.open_call(award_call, by=zuzhi)
    s = _decided(award_call, make_user("x", role=None), zuzhi, Decision.SELECTED)
    kinds.run_decision_hook(s)
    assert Nomination.objects.count() == 0


def test_programme_selection_admits_to_the_cohort(orgs, zuzhi, make_user):
    call = calls.create_call(
        kind="programme",
        title="2025年度青年科技人才托举工程",
        organiser=orgs["组织人事部"],
        year=2025,
        by=zuzhi,
        endorsement_chain=[],
        form_schema=engine.PROGRAMME_FORM,
        closes_at=timezone.now() + dt.timedelta(days=20),
    )
    calls.open_call(call, by=zuzhi)
    cohort = programme.create_cohort(
        name="2025年度托举", year=2025, starts_on=date(2025, 7, 1), by=zuzhi, call_id=call.pk
    )
    data = {
        "sex": "male",
        "birth_date": "1994-02-03",
        "project_title": "高性能镁合金",
        "mentors": [{"name": "潘院士", "organization": "重庆大学"}],
    }
    s = _decided(
        call, make_user("wang", role=None), zuzhi, Decision.SELECTED, state=SubmissionState.FINAL, data=data
    )
    kinds.run_decision_hook(s)
    kinds.run_decision_hook(s)
    person = SupportedPerson.objects.get(submission_id=s.pk)
    assert (person.cohort, person.project_title, [m.name for m in person.mentors.all()]) == (
        cohort,
        "高性能镁合金",
        ["潘院士"],
    )
    assert person.reports.count() == 3


def test_midterm_is_an_engine_call_and_its_score_the_result(orgs, zuzhi):
    cohort = programme.create_cohort(name="2024年度托举", year=2024, starts_on=date(2024, 7, 1), by=zuzhi)
    people = [
        programme.add_supported_person(
            cohort=cohort,
            by=zuzhi,
            name=name,
            sex="female",
            birth_date=date(1993, 1, 1),
            organization_name="西南大学",
            project_title="课题",
            mentors=[{"name": "导师"}],
        )
        for name in ("甲", "乙")
    ]
    call = engine.start_midterm(cohort=cohort, organiser=orgs["组织人事部"], by=zuzhi)
    assert call.kind == "talent.midterm"
    assert call.submissions.count() == 2
    first, second = (SupportedPerson.objects.get(pk=p.pk) for p in people)
    for person, score, decision in ((first, 91.5, Decision.SELECTED), (second, 41.0, Decision.NOT_SELECTED)):
        Submission.objects.filter(pk=person.midterm_submission_id).update(
            state=SubmissionState.FINAL, decision=decision, final_score=score, decided_by=zuzhi
        )
        kinds.run_decision_hook(Submission.objects.get(pk=person.midterm_submission_id))
    assert dict(MidtermEvaluation.objects.values_list("person__name", "result")) == {
        "甲": EvaluationResult.EXCELLENT,
        "乙": EvaluationResult.FAIL,
    }
    second.refresh_from_db()
    assert second.state == SupportState.TERMINATED
    with pytest.raises(ValidationError, match="已经启动"):
        engine.start_midterm(cohort=cohort, organiser=orgs["组织人事部"], by=zuzhi)


def test_evaluation_bands():
    assert engine.result_for(90, Decision.SELECTED) == EvaluationResult.EXCELLENT
    assert engine.result_for(75, Decision.SELECTED) == EvaluationResult.GOOD
    assert engine.result_for(60, Decision.SELECTED) == EvaluationResult.PASS
    assert engine.result_for(59.9, Decision.SELECTED) == EvaluationResult.FAIL
    assert engine.result_for(95, Decision.NOT_SELECTED) == EvaluationResult.FAIL


def test_supported_person_is_flagged_on_engine_dossiers(
    award_call, zuzhi, make_user, make_expert, monkeypatch
):
    from kexie.talent import queries

    calls.open_call(award_call, by=zuzhi)
    nominee = make_user("tuoju", role=None)
    expert = make_expert("托举人", user=nominee)
    s = calls.create_submission(call=award_call, applicant=nominee, title="推荐材料", by=zuzhi)
    assert "托举对象" not in kinds.flags_for(s)
    monkeypatch.setattr(queries, "supported_expert_ids", lambda on=None: {expert.pk})
    assert "托举对象" in kinds.flags_for(s)


def test_earlier_winners_recorded_here_are_refused_by_the_engine(
    catalogue, orgs, zuzhi, make_user, make_expert
):
    """The award kind's prior_winners hook: an honour on the expert's profile and a winner recorded
    in an earlier round of the same award both make the engine refuse the dossier, in Chinese."""
    award = catalogue["cq_top_ten_youth"]
    earlier = awards.open_round(award=award, year=2024, by=zuzhi, quota=2)
    Nomination.objects.create(
        round=earlier,
        name="周可",
        sex="female",
        birth_date=date(1991, 2, 3),
        organization_name="西南大学",
        outcome=NominationOutcome.WINNER,
    )
    round_ = awards.open_round(award=award, year=2026, by=zuzhi, quota=3, reference_date=date(2026, 6, 30))
    call = engine.create_round_call(
        round_=round_,
        organiser=orgs["组织人事部"],
        by=zuzhi,
        closes_at=timezone.now() + dt.timedelta(days=9),
        needs_code=False,
    )
    calls.open_call(call, by=zuzhi)
    honoured = make_user("linxiao", role=None, full_name="林晓")
    make_expert("林晓", user=honoured, honours=["2025年重庆市十佳科技青年奖"], birth_year=1992)
    person = {"sex": "female", "birth_date": "1992-05-01", "deeds": "长期从事新材料研究。"}
    cases = [
        (honoured, {**person, "name": "林晓"}, "林晓 已获“2025年重庆市十佳科技青年奖”，不得重复推荐"),
        (
            make_user("zhouke", role=None),
            {**person, "name": "周可", "birth_date": "1991-02-03"},
            "周可 已获“2024年重庆市十佳科技青年奖”",
        ),
    ]
    for user, data, message in cases:
        s = calls.create_submission(call=call, applicant=user, title="推荐材料", organization_name="重庆大学")
        calls.save_draft(s, by=user, data=data)
        with pytest.raises(ValidationError) as exc:
            calls.submit(s, by=user)
        assert message in " ".join(exc.value.messages)
        assert Submission.objects.get(pk=s.pk).state == SubmissionState.DRAFT
    # Someone else of the same name but another date of birth is not an earlier winner.
    other = make_user("zhouke2", role=None)
    s = calls.create_submission(call=call, applicant=other, title="推荐材料", organization_name="重庆大学")
    calls.save_draft(s, by=other, data={**person, "name": "周可", "birth_date": "1993-02-03"})
    assert calls.submit(s, by=other).state == SubmissionState.SUBMITTED
