"""The 托举 programme: cohorts, supported people, instalments, reports, mid-term evaluation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from kexie.talent import queries
from kexie.talent.enums import CohortState, EvaluationResult, InstalmentState, ReportState, SupportState
from kexie.talent.models import Instalment, MidtermEvaluation, ProgressReport, SupportedPerson
from kexie.talent.services import programme
from tests.talent.conftest import PERSON

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def cohort(zuzhi):
    return programme.create_cohort(
        name="2024年度托举工程", year=2024, starts_on=date(2024, 7, 1), annual_amount=Decimal("15"), by=zuzhi
    )


@pytest.fixture
def person(cohort, zuzhi, make_expert):
    return programme.add_supported_person(
        cohort=cohort,
        by=zuzhi,
        expert=make_expert("林晓"),
        project_title="面向山地城市的韧性交通网络",
        mentors=[{"name": "周院士", "organization_name": "重庆大学"}],
        **PERSON,
    )


def test_person_gets_a_schedule_of_instalments_and_reports(person, cohort):
    assert (person.starts_on, person.ends_on) == (date(2024, 7, 1), date(2027, 7, 1))
    assert list(person.instalments.values_list("number", "due_on", "amount")) == [
        (1, date(2024, 7, 1), Decimal("15.00")),
        (2, date(2025, 7, 1), Decimal("15.00")),
        (3, date(2026, 7, 1), Decimal("15.00")),
    ]
    assert list(person.reports.values_list("support_year", "due_on")) == [
        (1, date(2025, 7, 1)),
        (2, date(2026, 7, 1)),
        (3, date(2027, 7, 1)),
    ]
    assert [m.name for m in person.mentors.all()] == ["周院士"]
    cohort.refresh_from_db()
    assert cohort.state == CohortState.SUPPORTING


def test_person_without_mentor_or_project_is_refused_whole(cohort, zuzhi):
    with pytest.raises(ValidationError) as exc:
        programme.add_supported_person(cohort=cohort, by=zuzhi, project_title="", mentors=[], **PERSON)
    assert set(exc.value.error_dict) == {"project_title", "mentors"}
    assert SupportedPerson.objects.count() == 0
    assert Instalment.objects.count() == 0


def test_same_cohort_year_twice_is_refused(cohort, zuzhi):
    with pytest.raises(ValidationError) as exc:
        programme.create_cohort(name="重复", year=2024, starts_on=date(2024, 7, 1), by=zuzhi)
    assert "year" in exc.value.error_dict


def test_report_on_time_late_returned_and_resubmitted(person, zuzhi):
    first, second = person.reports.all()[:2]
    programme.submit_report(
        report=first, by=zuzhi, progress="完成样机", now=datetime(2025, 6, 30, 10, tzinfo=TZ)
    )
    assert first.on_time is True
    programme.submit_report(
        report=second, by=zuzhi, progress="发表论文", now=datetime(2026, 7, 3, 10, tzinfo=TZ)
    )
    assert second.on_time is False
    with pytest.raises(ValidationError):
        programme.submit_report(report=first, by=zuzhi, progress="again")
    with pytest.raises(ValidationError) as exc:
        programme.review_report(report=first, by=zuzhi, accept=False, comment="")
    assert "comment" in exc.value.error_dict
    programme.review_report(report=first, by=zuzhi, accept=False, comment="请补充经费使用情况")
    assert first.state == ReportState.RETURNED
    programme.submit_report(report=first, by=zuzhi, progress="补充后", now=datetime(2025, 9, 1, tzinfo=TZ))
    first.refresh_from_db()
    assert (first.state, first.on_time) == (ReportState.SUBMITTED, True)


def test_empty_report_is_refused(person, zuzhi):
    report = person.reports.first()
    with pytest.raises(ValidationError) as exc:
        programme.submit_report(report=report, by=zuzhi, progress="  ")
    assert "progress" in exc.value.error_dict
    report.refresh_from_db()
    assert report.state == ReportState.DUE


def test_instalment_paid_once(person, zuzhi):
    first = person.instalments.first()
    programme.pay_instalment(instalment=first, by=zuzhi, paid_on=date(2024, 7, 10))
    with pytest.raises(ValidationError):
        programme.pay_instalment(instalment=first, by=zuzhi)
    first.refresh_from_db()
    assert (first.state, first.paid_on) == (InstalmentState.PAID, date(2024, 7, 10))


def test_failed_evaluation_ends_support_and_withholds_instalments(person, zuzhi):
    programme.pay_instalment(instalment=person.instalments.first(), by=zuzhi)
    programme.record_evaluation(person=person, result=EvaluationResult.FAIL, score=Decimal("52"), by=zuzhi)
    person.refresh_from_db()
    assert person.state == SupportState.TERMINATED
    assert list(person.instalments.values_list("state", flat=True)) == [
        InstalmentState.PAID,
        InstalmentState.WITHHELD,
        InstalmentState.WITHHELD,
    ]
    with pytest.raises(ValidationError):
        programme.record_evaluation(person=person, result=EvaluationResult.GOOD, by=zuzhi)
    assert MidtermEvaluation.objects.count() == 1


def test_score_out_of_range_is_refused(person, zuzhi):
    with pytest.raises(ValidationError) as exc:
        programme.record_evaluation(
            person=person, result=EvaluationResult.GOOD, score=Decimal("120"), by=zuzhi
        )
    assert "score" in exc.value.error_dict
    assert MidtermEvaluation.objects.count() == 0


def test_supported_people_are_flagged_for_award_review(person):
    assert queries.supported_expert_ids(on=date(2025, 1, 1)) == {person.expert_id}
    assert queries.supported_expert_ids(on=date(2024, 1, 1)) == set()


def test_person_sees_own_record_only(person, make_user, make_expert, cohort, zuzhi, kepu, leader):
    own = make_user("linxiao", role=None)
    person.expert.user = own
    person.expert.save(update_fields=["user"])
    other = programme.add_supported_person(
        cohort=cohort,
        by=zuzhi,
        project_title="x",
        mentors=[{"name": "m"}],
        **{**PERSON, "name": "王川"},
    )
    assert set(queries.people_visible_to(own)) == {person}
    assert set(queries.people_visible_to(leader)) == {person, other}
    assert set(queries.people_visible_to(kepu)) == set()
    assert ProgressReport.objects.filter(person=other).count() == 3
