"""The call kinds outreach registers with the calls engine, and what their decisions record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kexie.calls import kinds
from kexie.calls import services as calls
from kexie.calls.enums import Decision, SubmissionState
from kexie.outreach.models import DemonstrationSite, ScienceTitle

pytestmark = pytest.mark.django_db


SCHEMA = {
    "sections": [
        {
            "key": "basic",
            "title": "基本信息",
            "fields": [
                {
                    "key": "site_name",
                    "label": "示范名称",
                    "type": "text",
                    "required": False,
                    "max_length": 80,
                },
                {
                    "key": "site_kind",
                    "label": "示范类别",
                    "type": "choice",
                    "required": False,
                    "choices": [["district", "区县"], ["community", "社区"], ["base", "基地"]],
                },
            ],
        }
    ]
}


def _submission(manager, orgs, make_user, *, kind: str, **values):
    now = timezone.now()
    call = calls.create_call(
        kind=kind,
        title="2026年科普示范创建",
        organiser=orgs["科学技术普及部"],
        year=2026,
        by=manager,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        endorsement_chain=["organiser"],
        needs_code=False,
        form_schema=SCHEMA,
    )
    calls.open_call(call, by=manager)
    applicant = make_user("applicant", role=None, full_name="李科普")
    return calls.create_submission(call=call, applicant=applicant, by=applicant, **values)


def test_both_kinds_are_registered_for_measure_10():
    assert {k.key: (k.app_label, k.measures) for k in kinds.all_kinds() if k.app_label == "outreach"} == {
        "outreach.demonstration": ("outreach", (10,)),
        "outreach.title": ("outreach", (10,)),
    }


def test_selected_demonstration_is_recorded_once_and_withdrawn_when_reversed(manager, orgs, make_user):
    submission = _submission(
        manager,
        orgs,
        make_user,
        kind="outreach.demonstration",
        title="渝中区科普示范社区",
        organization=orgs["渝中区科学技术协会"],
        data={"site_kind": "community", "site_name": "解放碑街道科普示范社区"},
    )
    assert submission.data == {"site_kind": "community", "site_name": "解放碑街道科普示范社区"}
    submission.decision = Decision.SELECTED
    kinds.run_decision_hook(submission)
    kinds.run_decision_hook(submission)  # idempotent
    site = DemonstrationSite.objects.get()
    assert (site.name, site.kind, site.district, site.year, site.is_final) == (
        "解放碑街道科普示范社区",
        "community",
        "500103",
        2026,
        False,
    )
    submission.state = SubmissionState.FINAL
    kinds.run_decision_hook(submission)
    assert DemonstrationSite.objects.get().is_final is True
    submission.decision = Decision.NOT_SELECTED
    kinds.run_decision_hook(submission)
    assert DemonstrationSite.objects.count() == 0


def test_passed_title_is_recorded_at_the_decided_level(manager, orgs, make_user):
    submission = _submission(manager, orgs, make_user, kind="outreach.title", title="科普职称申报")
    submission.person_name = "李科普"
    submission.decision, submission.decision_level = Decision.SELECTED, "senior_deputy"
    kinds.run_decision_hook(submission)
    title = ScienceTitle.objects.get()
    assert (title.holder, title.level, title.year) == ("李科普", "senior_deputy", 2026)
