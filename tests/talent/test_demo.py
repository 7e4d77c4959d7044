"""The talent demo: every part present, the indicators of measures 7 and 8 computed from it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kexie.accounts.models import User
from kexie.calls import services as calls_services
from kexie.calls.models import Call
from kexie.policy.indicators import get as get_indicator
from kexie.site.demo import load_demo_users
from kexie.talent import demo
from kexie.talent.enums import AwardLevel, NominationOutcome, ReportState, RoundState
from kexie.talent.models import (
    AcademicianPair,
    AwardRound,
    Candidate,
    Engagement,
    Engineer,
    Nomination,
    SupportedPerson,
    Vote,
)

pytestmark = pytest.mark.django_db


def test_demo_has_every_part_and_is_idempotent():
    load_demo_users()
    users = {u.username: u for u in User.objects.all()}
    logins = demo.load_demo(users)
    assert [u for u, _d in logins] == ["tuoju_demo", "talent_reviewer1", "talent_reviewer2", "yuanshi_centre"]
    assert (
        AwardRound.objects.filter(award__level=AwardLevel.NATIONAL, state=RoundState.NOMINATING).count() == 1
    )
    assert (
        AwardRound.objects.filter(award__level=AwardLevel.MUNICIPAL, state=RoundState.PUBLICITY).count() == 1
    )
    national = AwardRound.objects.get(award__code="youth_sci_tech")
    call = Call.objects.get(pk=national.call_id)
    assert (call.kind, call.state, call.channels.get().codes.count()) == ("award", "open", 5)
    # One dossier in through the 渝中区 channel with a code, waiting for the channel's endorsement.
    dossier = call.submissions.get()
    assert dossier.channel.organization.name == "渝中区科学技术协会" and dossier.code is not None
    assert dossier.state == "submitted" and calls_services.next_step(dossier) == "channel"
    # The Chongqing award runs on the engine: reviewed, decided, in 公示 on the public page.
    municipal = AwardRound.objects.get(award__code="cq_innovation_pioneer")
    municipal_call = Call.objects.get(pk=municipal.call_id)
    assert (municipal_call.state, municipal_call.rounds.get().state) == ("publicity", "closed")
    assert municipal_call.publicity_start is not None
    outcomes = sorted(Nomination.objects.filter(round=municipal).values_list("outcome", flat=True))
    assert outcomes == sorted([NominationOutcome.WINNER] * 3 + [NominationOutcome.NOT_SELECTED] * 2)
    campaign = AwardRound.objects.get(award__code="most_beautiful_worker")
    assert Vote.objects.filter(round=campaign, flagged=False).count() == 5 * len(users)
    assert Vote.objects.filter(round=campaign, flagged=True).count() == 7
    person = SupportedPerson.objects.get(expert__user__username="tuoju_demo")
    assert person.reports.get(support_year=1).state == ReportState.ACCEPTED
    assert person.reports.get(support_year=2).state == ReportState.DUE
    assert SupportedPerson.objects.count() == 5
    assert AcademicianPair.objects.count() == 3
    assert Candidate.objects.count() == 2
    assert Engagement.objects.count() == 5
    assert Engineer.objects.filter(excellent_year__isnull=False).count() == 3
    # Last year's winners carry the honour; this year's (in publicity) not yet.
    assert person.expert.honours == []
    published = Nomination.objects.filter(round__state=RoundState.CLOSED, outcome=NominationOutcome.WINNER)
    assert published.count() == 2
    counts = (Nomination.objects.count(), Vote.objects.count())
    demo.load_demo(users)
    assert (Nomination.objects.count(), Vote.objects.count()) == counts

    reading = get_indicator("talent.people_supported").compute(None)
    assert reading.value == Decimal(5)
    on_time = get_indicator("talent.reports_on_time").compute(None)
    assert on_time.value == Decimal("80.0")  # one of five year-1 reports came late
    nominations = get_indicator("talent.nominations").compute(None)
    assert nominations.value == Decimal(Nomination.objects.count())
    # Per district (the district view): the districts' nominations add up to the city-wide figure.
    from kexie.accounts.queries import district_associations

    by_district = get_indicator("talent.nominations_by_district")
    per_district = [by_district.compute_for_district(d, None).value for d in district_associations()]
    assert sum(per_district) == by_district.compute(None).value > 0
    assert sum(1 for value in per_district if value) >= 2
    assert get_indicator("talent.pairs_active").compute(None).value == Decimal(3)
    assert get_indicator("talent.engagements").compute(None).value == Decimal(5)
