"""The 托举 selection and its mid-term evaluation driven as users drive them, through the pages (the
talent programme page starts the call, the engine's pages run it): applications → unit and
organiser endorse → formal check → review round with assignment → reviewers score → decision (the
cohort is created by the kind's on_decision) → 公示 → published (people admitted) → mid-term
evaluation as an engine call reviewed on the engine's pages → results on the person's record."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.services import add_membership, create_organization
from kexie.calls.enums import CallState, SubmissionState
from kexie.calls.models import Assignment, Call, ReviewRound, Submission
from kexie.talent.enums import CohortState, EvaluationResult
from kexie.talent.models import Cohort, SupportedPerson

pytestmark = pytest.mark.django_db
RUBRIC = json.dumps([{"key": "merit", "label": "创新潜力", "min": 0, "max": 100}])


@pytest.fixture
def unit(orgs):
    return create_organization(
        name="重庆示范大学",
        short_name="示范大学",
        kind=OrganizationKind.UNIVERSITY,
        parent=orgs["重庆市科学技术协会"],
    )


@pytest.fixture
def unit_staff(make_user, unit):
    user = make_user("keyanchu", role=None, full_name="科研处")
    add_membership(user=user, organization=unit, role=Role.DEPARTMENT_STAFF)
    return user


def _run_review(client, login, zuzhi, call, experts, scores):
    """Staff add a round, invite the experts and assign on the round page; each reviewer scores on
    the review page; staff close the round (aggregation)."""
    login(zuzhi)
    response = client.post(
        reverse("calls:round_create", args=[call.pk]),
        {
            "name": "通讯评审",
            "kind": "remote",
            "reviewers_per_submission": 2,
            "max_load": 5,
            "aggregation": "mean",
            "rubric": RUBRIC,
        },
    )
    review_round = ReviewRound.objects.get(call=call)
    assert response.status_code == 302
    url = reverse("calls:round", args=[review_round.pk])
    client.post(url, {"action": "invite", "expert": [e.pk for e in experts]})
    client.post(url, {"action": "assign"})
    assignments = Assignment.objects.filter(round=review_round, active=True).select_related(
        "reviewer__expert__user", "submission"
    )
    assert assignments.count() == 2 * call.submissions.exclude(state=SubmissionState.DRAFT).count()
    for a in assignments:
        login(a.reviewer.expert.user)
        page = client.get(reverse("calls:review", args=[a.pk]))
        assert page.status_code == 200
        response = client.post(
            reverse("calls:review", args=[a.pk]),
            {"merit": scores[a.submission_id], "comment": "意见明确"},
        )
        assert response.status_code == 302, response.content.decode()[:500]
    login(zuzhi)
    client.post(url, {"action": "close"})
    review_round.refresh_from_db()
    return review_round


def _decide_and_publish(client, zuzhi, call, rule, value):
    manage = reverse("calls:call_manage", args=[call.pk])
    response = client.post(reverse("calls:decide", args=[call.pk]), {"rule": rule, "value": value})
    assert response.status_code == 302
    client.post(manage, {"action": "publicity"})
    call.refresh_from_db()
    assert call.state == CallState.PUBLICITY
    Call.objects.filter(pk=call.pk).update(publicity_end=timezone.localdate() - dt.timedelta(days=1))
    client.post(manage, {"action": "finalise"})
    call.refresh_from_db()
    assert call.state == CallState.FINAL


def test_selection_and_midterm_through_the_pages(  # noqa: PLR0915 - one journey
    client, login, zuzhi, make_user, make_expert, unit, unit_staff, kepu
):
    year = timezone.localdate().year
    reviewers = [
        make_expert(name, user=make_user(f"rev{i}", role=Role.EXPERT), organization_name=org)
        for i, (name, org) in enumerate([("李审", "西南大学"), ("陈审", "重庆邮电大学")])
    ]
    applicants = [
        make_user("zhangsan", role=None, full_name="张三"),
        make_user("lisi", role=None, full_name="李四"),
    ]
    make_expert("张三", user=applicants[0], organization_name="重庆示范大学")

    # 1. Staff start the year's selection from the programme page; bad input comes back in Chinese.
    login(kepu)
    assert client.get(reverse("talent:programme_call_new")).status_code == 403
    login(zuzhi)
    assert "programme-call-new" in client.get(reverse("talent:cohort_list")).content.decode()
    closes = (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "year": year,
        "closes_at": closes,
        "support_years": 0,
        "annual_amount": 20,
        "starts_on": f"{year}-07-01",
    }
    response = client.post(reverse("talent:programme_call_new"), form)
    assert response.status_code == 200 and "托举期为 1 至 10 年" in response.content.decode()
    assert not Call.objects.exists()
    response = client.post(reverse("talent:programme_call_new"), {**form, "support_years": 3})
    call = Call.objects.get(kind="programme")
    assert response.status_code == 302 and response.url == reverse("calls:call_manage", args=[call.pk])
    client.post(response.url, {"action": "open"})
    call.refresh_from_db()
    assert call.state == CallState.OPEN and call.endorsement_chain == ["unit", "organiser"]

    # 2. Two young scientists apply on the call's page and fill the dossier.
    dossiers = []
    for user, project in zip(applicants, ["高性能镁合金构件", "页岩气储层智能改造"], strict=True):
        login(user)
        response = client.post(
            reverse("calls:call", args=[call.pk]), {"title": project, "organization_name": "重庆示范大学"}
        )
        submission = Submission.objects.get(call=call, applicant=user)
        edit = reverse("calls:dossier_edit", args=[submission.pk])
        assert response.status_code == 302 and response.url == edit
        answers = {
            "name": user.full_name,
            "sex": "male",
            "birth_date": "1995-04-01",
            "district": "500106",
            "project_title": project,
            "plan": "围绕关键科学问题开展三年研究。",
            "mentors": "潘院士，重庆大学",
        }
        response = client.post(edit, {**answers, "mentors": "", "action": "submit"})
        assert (
            "导师" in response.content.decode() and Submission.objects.get(pk=submission.pk).state == "draft"
        )
        response = client.post(edit, {**answers, "action": "submit"})
        assert response.status_code == 302
        dossiers.append(Submission.objects.get(pk=submission.pk))

    # 3. The unit and the organiser endorse; staff pass the formal check.
    for s in dossiers:
        login(unit_staff)
        client.post(reverse("calls:endorse", args=[s.pk]))
        login(zuzhi)
        client.post(reverse("calls:endorse", args=[s.pk]))
        client.post(reverse("calls:formal_check", args=[s.pk]), {"outcome": "pass"})
        s.refresh_from_db()
        assert s.state == SubmissionState.ACCEPTED

    # 4. Review on the engine's pages; the decision creates the cohort; publication admits.
    _run_review(client, login, zuzhi, call, reviewers, {dossiers[0].pk: 90, dossiers[1].pk: 70})
    response = client.post(reverse("calls:decide", args=[call.pk]), {"rule": "top_n", "value": 1})
    cohort = Cohort.objects.get(call_id=call.pk)
    assert (cohort.year, cohort.support_years, cohort.state) == (year, 3, CohortState.SELECTING)
    assert not cohort.people.exists()  # admitted only once the results are published
    client.post(reverse("calls:call_manage", args=[call.pk]), {"action": "publicity"})
    Call.objects.filter(pk=call.pk).update(publicity_end=timezone.localdate() - dt.timedelta(days=1))
    client.post(reverse("calls:call_manage", args=[call.pk]), {"action": "finalise"})
    cohort.refresh_from_db()
    person = SupportedPerson.objects.get(cohort=cohort)
    assert (person.name, person.project_title, cohort.state) == (
        "张三",
        "高性能镁合金构件",
        CohortState.SUPPORTING,
    )
    assert [m.name for m in person.mentors.all()] == ["潘院士"]
    assert person.instalments.count() == 3 and str(person.instalments.first().amount) == "20.00"
    page = client.get(reverse("talent:cohort_list")).content.decode()
    assert "张三" in page and "start-midterm" in page

    # 5. Mid-term: started from the programme page, filed by the person, reviewed on the engine's pages.
    response = client.post(reverse("talent:cohort_midterm", args=[cohort.pk]))
    cohort.refresh_from_db()
    midterm = Call.objects.get(pk=cohort.midterm_call_id)
    assert midterm.kind == "talent.midterm" and response.url == reverse(
        "calls:call_manage", args=[midterm.pk]
    )
    response = client.post(reverse("talent:cohort_midterm", args=[cohort.pk]))
    assert response.status_code == 302 and Call.objects.filter(kind="talent.midterm").count() == 1
    login(applicants[0])
    mine = client.get(reverse("calls:my_dossiers")).content.decode()
    report = Submission.objects.get(call=midterm)
    assert report.applicant == applicants[0] and reverse("calls:dossier", args=[report.pk]) in mine
    response = client.post(
        reverse("calls:dossier_edit", args=[report.pk]),
        {"progress": "完成镁合金构件中试，发表论文三篇。", "outputs": "授权发明专利一项", "action": "submit"},
    )
    assert response.status_code == 302
    login(zuzhi)
    client.post(reverse("calls:formal_check", args=[report.pk]), {"outcome": "pass"})
    _run_review(client, login, zuzhi, midterm, reviewers, {report.pk: 92})
    _decide_and_publish(client, zuzhi, midterm, "min_score", 60)
    person.refresh_from_db()
    assert person.evaluation.result == EvaluationResult.EXCELLENT and float(person.evaluation.score) == 92.0
    page = client.get(reverse("talent:person_detail", args=[person.pk])).content.decode()
    assert "优秀" in page
