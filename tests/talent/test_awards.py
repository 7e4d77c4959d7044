"""Awards and campaigns: rounds, nominations, eligibility, outcomes and honours, public votes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from kexie.core.models import AuditEvent
from kexie.experts.models import Expert
from kexie.talent import queries
from kexie.talent.enums import NominationOutcome, RoundState
from kexie.talent.models import Award, AwardRound, Nomination, Vote
from kexie.talent.services import awards
from tests.talent.conftest import PERSON

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _round(award, by, state=RoundState.NOMINATING, **kw) -> AwardRound:
    r = awards.open_round(award=award, year=kw.pop("year", 2025), by=by, **kw)
    for step in awards.ROUND_ORDER[1 : awards.ROUND_ORDER.index(state) + 1]:
        awards.advance_round(round=r, by=by, to=step)
    return r


def test_sync_catalogue_is_idempotent(db):
    assert awards.sync_catalogue() == 11
    assert awards.sync_catalogue() == 0
    assert set(Award.objects.values_list("name", flat=True)) >= {
        "全国创新争先奖",
        "中国科协求是奖",
        "中国青年科技奖",
        "中国青年女科学家奖",
        "重庆市创新争先奖",
        "重庆市青少年科技创新市长奖",
        "重庆市十佳科技青年奖",
        "最美科技工作者",
        "十大重庆科技创新年度人物",
        "最美工程师",
        "最美科技志愿者",
    }


def test_open_round_twice_in_a_year_is_refused(catalogue, zuzhi):
    awards.open_round(award=catalogue["qiushi"], year=2025, by=zuzhi)
    with pytest.raises(ValidationError) as exc:
        awards.open_round(award=catalogue["qiushi"], year=2025, by=zuzhi)
    assert "year" in exc.value.error_dict
    assert AwardRound.objects.count() == 1


def test_voting_only_for_campaigns_and_weight_in_range(catalogue, zuzhi):
    with pytest.raises(ValidationError) as exc:
        awards.open_round(
            award=catalogue["qiushi"],
            year=2025,
            by=zuzhi,
            voting_opens=date(2025, 5, 1),
            voting_closes=date(2025, 5, 9),
        )
    assert "voting_opens" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        awards.open_round(
            award=catalogue["most_beautiful_worker"],
            year=2025,
            by=zuzhi,
            voting_opens=date(2025, 5, 1),
            voting_closes=date(2025, 5, 9),
            vote_weight=Decimal("1.5"),
        )
    assert "vote_weight" in exc.value.error_dict
    assert AwardRound.objects.count() == 0


def test_round_moves_one_step_at_a_time(catalogue, zuzhi):
    r = awards.open_round(award=catalogue["qiushi"], year=2025, by=zuzhi)
    with pytest.raises(ValidationError):
        awards.advance_round(round=r, by=zuzhi, to=RoundState.REVIEWING)
    r.refresh_from_db()
    assert r.state == RoundState.PREPARING


def test_nomination_outside_the_nominating_phase_is_refused(catalogue, zuzhi):
    r = awards.open_round(award=catalogue["qiushi"], year=2025, by=zuzhi)
    with pytest.raises(ValidationError):
        awards.add_nomination(round=r, by=zuzhi, **PERSON)
    assert Nomination.objects.count() == 0


def test_age_limits_per_sex(catalogue, zuzhi):
    women = _round(catalogue["young_women_scientist"], zuzhi, reference_date=date(2025, 6, 30))
    with pytest.raises(ValidationError) as exc:
        awards.add_nomination(round=women, by=zuzhi, **{**PERSON, "sex": "male"})
    assert "sex" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        awards.add_nomination(round=women, by=zuzhi, **{**PERSON, "birth_date": date(1979, 6, 29)})
    assert "46" in exc.value.messages[0]
    # 45 on the reference date is still eligible.
    ok = awards.add_nomination(round=women, by=zuzhi, **{**PERSON, "birth_date": date(1979, 7, 1)})
    assert ok.age == 45
    assert Nomination.objects.count() == 1


def test_missing_fields_are_named(catalogue, zuzhi):
    r = _round(catalogue["qiushi"], zuzhi)
    with pytest.raises(ValidationError) as exc:
        awards.add_nomination(
            round=r, by=zuzhi, name=" ", sex="", birth_date=None, organization_name="", district="999"
        )
    assert set(exc.value.error_dict) == {"name", "sex", "birth_date", "organization_name", "district"}


def test_winner_gets_the_honour_on_the_profile_and_cannot_win_again(catalogue, zuzhi, make_expert):
    expert = make_expert("林晓", sex="female", birth_year=1992)
    r = _round(catalogue["cq_top_ten_youth"], zuzhi, quota=10)
    nomination = awards.add_nomination(round=r, by=zuzhi, expert=expert, **PERSON)
    awards.advance_round(round=r, by=zuzhi, to=RoundState.REVIEWING)
    awards.decide_nomination(nomination=nomination, outcome=NominationOutcome.WINNER, by=zuzhi)
    expert.refresh_from_db()
    assert expert.honours == []  # not before the results are published
    awards.advance_round(round=r, by=zuzhi, to=RoundState.PUBLICITY)
    awards.advance_round(round=r, by=zuzhi, to=RoundState.CLOSED)
    expert.refresh_from_db()
    assert expert.honours == ["2025年重庆市十佳科技青年奖"]
    assert AuditEvent.objects.filter(action="experts.expert.update", object_id=str(expert.pk)).exists()
    later = _round(catalogue["cq_top_ten_youth"], zuzhi, year=2026)
    with pytest.raises(ValidationError) as exc:
        awards.add_nomination(round=later, by=zuzhi, expert=expert, **PERSON)
    assert "已" in exc.value.messages[0] or "already" in exc.value.messages[0]


def test_places_are_a_hard_limit(catalogue, zuzhi):
    r = _round(catalogue["youth_sci_tech"], zuzhi, quota=1)
    a = awards.add_nomination(round=r, by=zuzhi, **PERSON)
    b = awards.add_nomination(round=r, by=zuzhi, **{**PERSON, "name": "王川"})
    awards.advance_round(round=r, by=zuzhi, to=RoundState.REVIEWING)
    awards.decide_nomination(nomination=a, outcome=NominationOutcome.RECOMMENDED, by=zuzhi)
    with pytest.raises(ValidationError) as exc:
        awards.decide_nomination(nomination=b, outcome=NominationOutcome.RECOMMENDED, by=zuzhi)
    assert exc.value.code == "over_quota"
    b.refresh_from_db()
    assert b.outcome == NominationOutcome.PENDING
    # A national recommendation later becomes a win (中国科协's decision, recorded by staff).
    awards.decide_nomination(nomination=a, outcome=NominationOutcome.WINNER, by=zuzhi)
    a.refresh_from_db()
    assert a.outcome == NominationOutcome.WINNER


def test_results_need_every_nomination_decided(catalogue, zuzhi):
    r = _round(catalogue["qiushi"], zuzhi)
    awards.add_nomination(round=r, by=zuzhi, **PERSON)
    awards.advance_round(round=r, by=zuzhi, to=RoundState.REVIEWING)
    awards.advance_round(round=r, by=zuzhi, to=RoundState.PUBLICITY)
    with pytest.raises(ValidationError):
        awards.advance_round(round=r, by=zuzhi, to=RoundState.CLOSED)
    r.refresh_from_db()
    assert r.state == RoundState.PUBLICITY


# --- votes ---------------------------------------------------------------------------------------


@pytest.fixture
def campaign(catalogue, xuanchuan):
    today = datetime.now(TZ).date()
    r = _round(
        catalogue["most_beautiful_worker"],
        xuanchuan,
        voting_opens=today - timedelta(days=3),
        voting_closes=today + timedelta(days=3),
        vote_weight=Decimal("0.30"),
        burst_limit=2,
    )
    a = awards.add_nomination(round=r, by=xuanchuan, **PERSON)
    b = awards.add_nomination(round=r, by=xuanchuan, **{**PERSON, "name": "王川"})
    awards.advance_round(round=r, by=xuanchuan, to=RoundState.REVIEWING)
    return r, a, b


def test_one_vote_per_person_per_day(campaign, citizen):
    _r, a, b = campaign
    awards.cast_vote(nomination=a, user=citizen, ip="10.0.0.1")
    with pytest.raises(ValidationError) as exc:
        awards.cast_vote(nomination=b, user=citizen, ip="10.0.0.1")
    assert exc.value.code == "voted"
    assert Vote.objects.count() == 1
    # The next day counts again.
    tomorrow = datetime.now(TZ) + timedelta(days=1)
    awards.cast_vote(nomination=b, user=citizen, ip="10.0.0.1", now=tomorrow)
    assert Vote.objects.count() == 2


def test_voting_closed_is_refused(catalogue, xuanchuan, citizen):
    r = _round(
        catalogue["most_beautiful_engineer"],
        xuanchuan,
        voting_opens=date(2020, 1, 1),
        voting_closes=date(2020, 1, 9),
    )
    a = awards.add_nomination(round=r, by=xuanchuan, **PERSON)
    awards.advance_round(round=r, by=xuanchuan, to=RoundState.REVIEWING)
    with pytest.raises(ValidationError):
        awards.cast_vote(nomination=a, user=citizen, ip="10.0.0.1")
    assert Vote.objects.count() == 0


def test_burst_from_one_address_is_flagged_and_does_not_count(campaign, make_user, xuanchuan):
    r, a, b = campaign
    voters = [make_user(f"v{i}", role=None) for i in range(4)]
    awards.cast_vote(nomination=b, user=voters[0], ip="10.0.0.9")
    for v in voters[1:]:
        awards.cast_vote(nomination=a, user=v, ip="10.0.0.1")
    # Three from 10.0.0.1 within the hour: more than the limit of 2, all three flagged.
    assert queries.vote_tally(r) == {a.pk: (0, 3), b.pk: (1, 0)}
    assert queries.vote_scores(r) == {a.pk: Decimal("0.00"), b.pk: Decimal("100.00")}
    assert queries.flagged_addresses(r) == [{"ip": "10.0.0.1", "n": 3}]
    assert awards.clear_flags(round=r, ip="10.0.0.1", by=xuanchuan) == 3
    assert queries.vote_tally(r) == {a.pk: (3, 0), b.pk: (1, 0)}
    with pytest.raises(ValidationError):
        awards.clear_flags(round=r, ip="10.0.0.1", by=xuanchuan)


def test_combined_score_uses_the_round_weight():
    assert queries.combined_score(review=Decimal(80), votes=Decimal(100), weight=Decimal("0.3")) == Decimal(
        "86.00"
    )
    assert queries.combined_score(review=Decimal(80), votes=None, weight=Decimal("0.3")) == Decimal("56.00")
    assert queries.combined_score(review=None, votes=Decimal(100), weight=Decimal("0.3")) is None


def test_public_sees_campaign_candidates_and_winners_only(campaign, catalogue, zuzhi, citizen):
    _r, a, b = campaign
    hidden = _round(catalogue["qiushi"], zuzhi)
    secret = awards.add_nomination(round=hidden, by=zuzhi, **PERSON)
    assert set(queries.nominations_visible_to(citizen)) == {a, b}
    assert secret in set(queries.nominations_visible_to(zuzhi))
    assert Expert.objects.count() == 0
