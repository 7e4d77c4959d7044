"""科普示范 creation and the 科普专业技术职称 evaluation run end to end through the pages: outreach
drafts the call with its form, channels and round; the calls engine's pages take it through
recommendation codes, the dossier, endorsement, the formal check, reviewers scoring, the decision,
publicity and publication; the kind's on_decision registers the site or title in outreach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.calls.enums import CallState, SubmissionState
from kexie.calls.models import Assignment, Call, ReviewRound, Submission
from kexie.experts.enums import ProfessionalTitle, Sex, VerificationState
from kexie.experts.models import Expert
from kexie.outreach.models import DemonstrationSite, ScienceTitle

pytestmark = pytest.mark.django_db

CASES = {
    "outreach.demonstration": (
        "解放碑街道科普示范社区",
        {
            "site_name": "解放碑街道科普示范社区",
            "site_kind": "community",
            "district": "500103",
            "summary": "社区建有科普活动室和科普长廊，常年开展科普讲座、科学实验和应急科普宣传。",
        },
        {"organisation": "26", "facilities": "25", "effect": "35"},
    ),
    "outreach.title": (
        "科普专业技术职称申报（何晓科）",
        {
            "name": "何晓科",
            "level": "intermediate",
            "unit": "渝中区科技馆",
            "years": "8",
            "summary": "长期从事科技馆展教工作，策划科普展览6项，开展科普讲座百余场，出版科普图书2部。",
        },
        {"ability": "42", "results": "44"},
    ),
}


@pytest.fixture
def reviewers(make_user):
    users = [
        make_user(f"rev{i}", role=Role.EXPERT, full_name=n) for i, n in enumerate(["李工", "陈研", "王钧"])
    ]
    return [
        Expert.objects.create(
            name=u.full_name,
            sex=Sex.MALE,
            birth_year=1970,
            organization_name="重庆师范大学",
            title=ProfessionalTitle.PROFESSOR,
            keywords=["科学传播"],
            state=VerificationState.VERIFIED,
            user=u,
        )
        for u in users
    ]


def post(client, name, args=(), data=None):
    response = client.post(reverse(name, args=args), data or {})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


@pytest.mark.parametrize("kind", list(CASES))
def test_call_runs_through_the_pages_and_registers_the_result(
    kind, client, login, manager, district_user, make_user, reviewers
):
    title, answers, scores = CASES[kind]
    # 1. The science popularisation department drafts the call from the outreach page.
    login(manager)
    response = client.post(reverse("outreach:recognition"), {"kind": "outreach.nothing", "year": 2026})
    assert response.status_code == 200 and "outreach.nothing" in response.content.decode()
    closes = (timezone.localtime() + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    post(client, "outreach:recognition", data={"kind": kind, "year": 2026, "closes_at": closes})
    call = Call.objects.get(kind=kind)
    assert call.channels.count() == 38 and call.rounds.get().rubric
    post(client, "calls:call_manage", [call.pk], {"action": "open"})
    # 2. 渝中区科协 issues a recommendation code on its channel.
    login(district_user)
    channel = call.channels.get(organization__code="500103")
    post(client, "calls:channel", [channel.pk], {"count": 1})
    code = channel.codes.get().code
    # 3. The applicant starts the dossier with the code, fills it in (a missing field first) and submits.
    applicant = make_user("applicant", role=None, full_name="何晓科")
    login(applicant)
    post(client, "calls:call", [call.pk], {"code": code, "title": title, "organization_name": "解放碑街道"})
    submission = Submission.objects.get(call=call)
    url = reverse("calls:dossier_edit", args=[submission.pk])
    response = client.post(url, {**answers, "summary": "", "title": title, "action": "submit"})
    assert response.status_code == 200 and "必填" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).state == SubmissionState.DRAFT
    post(client, "calls:dossier_edit", [submission.pk], {**answers, "title": title, "action": "submit"})
    # 4. Endorsed by the unit (the district for a unit without accounts), the district, the organiser.
    login(district_user)
    post(client, "calls:endorse", [submission.pk], {"comment": "同意推荐"})
    post(client, "calls:endorse", [submission.pk], {"comment": "同意推荐"})
    login(manager)
    post(client, "calls:endorse", [submission.pk])
    post(client, "calls:formal_check", [submission.pk], {"outcome": "pass"})
    post(client, "calls:call_manage", [call.pk], {"action": "close"})
    # 5. Review: three experts invited, they accept, the dossier is assigned and scored.
    review_round = ReviewRound.objects.get(call=call)
    post(client, "calls:round", [review_round.pk], {"action": "invite", "expert": [e.pk for e in reviewers]})
    for expert in reviewers:
        login(expert.user)
        reviewer = review_round.reviewers.get(expert=expert)
        post(client, "calls:invitation", [reviewer.pk, "accept"])
    login(manager)
    post(client, "calls:round", [review_round.pk], {"action": "assign"})
    assert Assignment.objects.filter(round=review_round, active=True).count() == 3
    for assignment in Assignment.objects.filter(round=review_round, active=True).select_related("reviewer"):
        login(assignment.reviewer.expert.user)
        post(client, "calls:review", [assignment.pk], {**scores, "comment": "材料翔实。"})
    login(manager)
    post(client, "calls:round", [review_round.pk], {"action": "close"})
    # 6. The decision registers the result in outreach, not yet public.
    post(client, "calls:decide", [call.pk], {"rule": "top_n", "value": "1"})
    model = DemonstrationSite if kind == "outreach.demonstration" else ScienceTitle
    record = model.objects.get(submission_id=submission.pk)
    assert record.is_final is False
    shown = answers.get("site_name") or answers["name"]
    staff_page = client.get(reverse("outreach:recognition")).content.decode()
    assert shown in staff_page and "text-bg-warning" in staff_page  # decided, not yet published
    client.logout()
    public = client.get(reverse("outreach:recognition")).content.decode()
    assert shown not in public
    # 7. Publicity, then (the working days of the window having run) the results are published.
    login(manager)
    post(client, "calls:call_manage", [call.pk], {"action": "publicity"})
    assert Call.objects.get(pk=call.pk).state == CallState.PUBLICITY
    Call.objects.filter(pk=call.pk).update(publicity_end=timezone.localdate() - dt.timedelta(days=1))
    post(client, "calls:call_manage", [call.pk], {"action": "finalise"})
    record.refresh_from_db()
    assert record.is_final is True and record.year == 2026
    if kind == "outreach.demonstration":
        assert (record.name, record.kind, record.district) == (
            "解放碑街道科普示范社区",
            "community",
            "500103",
        )
    else:
        assert (record.holder, record.level) == ("何晓科", "intermediate")
    client.logout()
    public = client.get(reverse("outreach:recognition")).content.decode()
    assert shown in public and "text-bg-warning" not in public
