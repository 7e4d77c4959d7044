"""Support applications and recommendations run on the calls engine: a decision recorded by the
engine's own service runs this app's hook."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kexie.calls import kinds
from kexie.calls import services as calls_services
from kexie.calls.enums import CallState, SubmissionState
from kexie.calls.models import Call, Submission
from kexie.societies import services
from kexie.societies.calls import (
    CONFERENCE_SUPPORT,
    CONFERENCE_SUPPORT_FORM,
    JOURNAL_FUNDING,
    POSITION_RECOMMENDATION,
    RECOMMENDATION_FORM,
)
from kexie.societies.models import Event, JournalFunding, PositionRecommendation

pytestmark = pytest.mark.django_db


def _call(kind, orgs, staff, *, form=None, extra=None):
    call = calls_services.create_call(
        kind=kind,
        title="2026年学术会议资助",
        organiser=orgs["科学技术创新部"],
        year=2026,
        by=staff,
        form_schema=form or CONFERENCE_SUPPORT_FORM,
        extra=extra or {},
    )
    Call.objects.filter(pk=call.pk).update(state=CallState.REVIEW)
    call.refresh_from_db()
    return call


def _dossier(call, applicant, data, organization=None):
    return Submission.objects.create(
        call=call,
        applicant=applicant,
        title="申请",
        data=data,
        state=SubmissionState.IN_REVIEW,
        organization=organization,
    )


def test_kinds_registered():
    keys = {k.key for k in kinds.all_kinds()}
    assert {CONFERENCE_SUPPORT, JOURNAL_FUNDING, POSITION_RECOMMENDATION} <= keys
    assert kinds.get(CONFERENCE_SUPPORT).app_label == "societies"


def test_selected_conference_support_grants_the_event(orgs, staff, secretary, society, approved_event):
    call = _call(CONFERENCE_SUPPORT, orgs, staff, extra={"grant": "8"})
    dossier = _dossier(
        call, secretary, {"event": approved_event.pk, "amount": 10, "plan": "x"}, society.organization
    )
    calls_services.decide(call, by=staff, selections={dossier.pk: ("selected", "")})
    approved_event.refresh_from_db()
    assert approved_event.support_amount == Decimal("8.00")
    assert approved_event.support_reference == f"calls:{dossier.pk}"
    # Revised to not selected: the support is taken back.
    calls_services.decide(call, by=staff, selections={dossier.pk: ("not_selected", "")})
    approved_event.refresh_from_db()
    assert (approved_event.support_amount, approved_event.support_reference) == (None, "")


def test_support_for_another_societys_event_rolls_the_decision_back(
    orgs, staff, other_secretary, other_society, approved_event
):
    call = _call(CONFERENCE_SUPPORT, orgs, staff)
    dossier = _dossier(
        call, other_secretary, {"event": approved_event.pk, "amount": 5}, other_society.organization
    )
    with pytest.raises(ValidationError):
        calls_services.decide(call, by=staff, selections={dossier.pk: ("selected", "")})
    dossier.refresh_from_db()
    assert dossier.state == SubmissionState.IN_REVIEW and dossier.decision == ""
    assert Event.objects.get(pk=approved_event.pk).support_amount is None


def test_selected_recommendation_records_it_once(orgs, staff, expert):
    org = services.create_intl_organization(by=staff, name="国际水协会", acronym="IWA", country="GB")
    call = _call(POSITION_RECOMMENDATION, orgs, staff, form=RECOMMENDATION_FORM)
    dossier = _dossier(call, staff, {"intl_organization": org.pk, "expert": expert.pk, "post": "理事"})
    calls_services.decide(call, by=staff, selections={dossier.pk: ("selected", "")})
    calls_services.decide(call, by=staff, selections={dossier.pk: ("selected", "")})
    rec = PositionRecommendation.objects.get()
    assert (rec.organization, rec.expert, rec.post, rec.source_ref) == (
        org,
        expert,
        "理事",
        f"calls:{dossier.pk}",
    )


def test_selected_journal_funding(orgs, staff):
    journal = services.register_journal(
        by=staff,
        title="重庆医学",
        cn="50-1097/R",
        issn="0253-3626",
        publisher="重庆市卫生信息中心",
        discipline="医学",
    )
    call = _call(JOURNAL_FUNDING, orgs, staff, form=None)
    dossier = _dossier(call, staff, {"journal": journal.pk, "amount": 3})
    calls_services.decide(call, by=staff, selections={dossier.pk: ("selected", "")})
    funding = JournalFunding.objects.get()
    assert (funding.journal, funding.amount, funding.year) == (journal, Decimal("3.00"), 2026)
