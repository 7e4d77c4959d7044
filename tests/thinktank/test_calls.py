"""The topic call runs on the calls engine; the decision hook creates the awarded project."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kexie.calls import kinds
from kexie.calls import services as calls
from kexie.thinktank import services
from kexie.thinktank.calls import KIND, open_topic_call, topic_decided
from kexie.thinktank.enums import ProjectKind, ProjectState
from kexie.thinktank.models import Project
from tests.thinktank.flows import run_topic_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(staff, district):
    question = services.propose_question(
        by=district,
        title="区县科协决策咨询能力提升研究",
        background="区县科协研究力量薄弱，需要研究如何提升决策咨询能力。",
    )
    guide = services.create_guide(by=staff, year=2026, title="2026年度课题指南")
    services.add_topic(guide=guide, by=staff, question=question)
    return services.publish_guide(guide=guide, by=staff)


def test_topic_kind_is_registered_with_its_hook():
    kind = kinds.get(KIND)
    assert (kind.app_label, kind.measures, kind.on_decision) == ("thinktank", (14,), topic_decided)


def test_a_draft_guide_cannot_open_a_call(staff):
    guide = services.create_guide(by=staff, year=2027, title="草稿指南")
    with pytest.raises(ValidationError):
        open_topic_call(guide=guide, by=staff, closes_at=None)


def test_awarded_application_becomes_a_project_once(guide, staff, make_user):
    applicant = make_user("applicant", role=None)
    call, submission = run_topic_call(
        guide=guide,
        staff=staff,
        applicant=applicant,
        organization_name="重庆大学",
        title="区县科协决策咨询能力提升路径",
    )
    project = Project.objects.get()
    assert (project.kind, project.state, project.owner, project.topic) == (
        ProjectKind.TOPIC,
        ProjectState.UNDER_WAY,
        applicant,
        guide.topics.first(),
    )
    assert (project.lead_organization, project.principal, project.amount) == ("重庆大学", "王教授", 8)
    assert project.call_ref == f"{call.pk}:{submission.pk}"
    topic_decided(submission)  # the engine calls the hook again when results are final
    assert Project.objects.count() == 1


def test_not_selected_creates_no_project(guide, staff, make_user):
    applicant = make_user("applicant", role=None)
    call, submission = run_topic_call(
        guide=guide, staff=staff, applicant=applicant, organization_name="西南大学", title="课题"
    )
    Project.objects.all().delete()
    calls.decide(call, by=staff, selections={submission.pk: ("not_selected", "")}, note="复议")
    assert Project.objects.count() == 0


def test_guide_page_opens_one_topic_call(client, login, guide, staff, district):
    from django.urls import reverse

    from kexie.calls.models import Call

    url = reverse("thinktank:guide_call", args=[guide.pk])
    login(district)
    assert client.post(url, {"closes_at": "2030-01-10T17:00"}).status_code == 403
    login(staff)
    response = client.post(url, {"closes_at": ""}, follow=True)
    assert "请填写申报截止时间" in response.content.decode() and not Call.objects.exists()
    response = client.post(url, {"closes_at": "2030-01-10T17:00"})
    call = Call.objects.get(kind=KIND)
    assert (
        response.url == reverse("calls:call_manage", args=[call.pk])
        and call.extra["thinktank_guide"] == guide.pk
    )
    response = client.post(url, {"closes_at": "2030-01-10T17:00"}, follow=True)
    assert "该课题指南已有课题申报" in response.content.decode() and Call.objects.count() == 1
    page = client.get(reverse("thinktank:guide_detail", args=[guide.pk])).content.decode()
    assert reverse("calls:call_manage", args=[call.pk]) in page
