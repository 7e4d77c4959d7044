from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kexie.core.crypto import blind_index
from kexie.core.models import AuditEvent
from kexie.experts import services
from kexie.experts.enums import VerificationState
from kexie.experts.models import Expert, Work
from tests.experts.conftest import ID_A, ID_B, MOBILE_A


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_create_expert_stores_encrypted_contact_and_blind_index(expert, curator):
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, id_number FROM experts_expert WHERE id = %s", [expert.pk])
        raw = cursor.fetchone()

    assert MOBILE_A not in raw[0]
    assert ID_A not in raw[1]
    assert Expert.objects.get(pk=expert.pk).id_number == ID_A
    assert expert.id_number_index == blind_index(ID_A)
    assert sorted(expert.disciplines.values_list("code", flat=True)) == ["F0201"]
    event = AuditEvent.objects.get(action="experts.expert.create", object_id=str(expert.pk))
    assert event.actor_id == curator.pk
    assert "mobile" not in event.after and "id_number" not in event.after


def test_create_expert_refuses_duplicate_id_number(expert, make_expert):
    before = Expert.objects.count()

    with pytest.raises(ValidationError) as exc:
        make_expert("王强", id_number=ID_A.lower())

    assert "id_number" in exc.value.error_dict
    assert Expert.objects.count() == before


def test_create_expert_refuses_bad_contact_and_unknown_code(make_expert):
    with pytest.raises(ValidationError) as exc:
        make_expert("王强", mobile="12345", id_number="500103198001010017")
    assert set(exc.value.error_dict) == {"mobile", "id_number"}
    with pytest.raises(ValidationError) as exc:
        make_expert("王强", disciplines=["Z9999"])
    assert set(exc.value.error_dict) == {"disciplines"}
    assert Expert.objects.count() == 0
    assert _events("experts.expert.create") == 0


def test_create_own_profile_twice_is_refused(expert_user, make_expert):
    make_expert("张伟", by=expert_user, user=expert_user, state=VerificationState.UNVERIFIED)

    with pytest.raises(ValidationError):
        make_expert("张伟", by=expert_user, user=expert_user, state=VerificationState.UNVERIFIED)

    assert Expert.objects.filter(user=expert_user).count() == 1


def test_update_verified_profile_by_expert_stays_verified_and_audited(make_expert, expert_user):
    mine = make_expert("张伟", user=expert_user)

    services.update_expert(expert=mine, by=expert_user, biography="新简介", mobile="13912345678")

    mine.refresh_from_db()
    assert (mine.state, mine.biography, mine.mobile) == (VerificationState.VERIFIED, "新简介", "13912345678")
    event = AuditEvent.objects.get(action="experts.expert.update", object_id=str(mine.pk))
    assert event.actor_id == expert_user.pk
    assert event.after["mobile"] == "changed"
    assert event.before["biography"] == "" and event.after["biography"] == "新简介"


def test_update_without_changes_records_nothing(expert, curator):
    services.update_expert(expert=expert, by=curator, name="李明", disciplines=["F0201"])

    assert _events("experts.expert.update") == 0


def test_update_rejected_profile_by_expert_returns_to_queue(make_expert, expert_user, curator):
    mine = make_expert("张伟", user=expert_user, state=VerificationState.UNVERIFIED)
    services.reject_expert(expert=mine, by=curator, reason="单位信息不完整")

    services.update_expert(expert=mine, by=expert_user, organization_name="重庆大学机械学院")

    mine.refresh_from_db()
    assert (mine.state, mine.rejection_reason) == (VerificationState.UNVERIFIED, "")


def test_update_refuses_id_number_of_another_expert(expert, make_expert, curator):
    other = make_expert("王强", id_number=ID_B)

    with pytest.raises(ValidationError):
        services.update_expert(expert=other, by=curator, id_number=ID_A)

    other.refresh_from_db()
    assert other.id_number == ID_B
    assert _events("experts.expert.update") == 0


def test_verify_expert_sets_state_and_refuses_twice(make_expert, curator):
    pending = make_expert("王强", state=VerificationState.UNVERIFIED)

    services.verify_expert(expert=pending, by=curator)

    pending.refresh_from_db()
    assert pending.state == VerificationState.VERIFIED
    assert pending.verified_by == curator
    with pytest.raises(ValidationError):
        services.verify_expert(expert=pending, by=curator)
    assert _events("experts.expert.verify") == 1


def test_reject_expert_needs_reason_and_pending_state(make_expert, curator):
    pending = make_expert("王强", state=VerificationState.UNVERIFIED)

    with pytest.raises(ValidationError):
        services.reject_expert(expert=pending, by=curator, reason=" ")
    pending.refresh_from_db()
    assert pending.state == VerificationState.UNVERIFIED

    services.reject_expert(expert=pending, by=curator, reason="无法核实")
    pending.refresh_from_db()
    assert (pending.state, pending.rejection_reason) == (VerificationState.REJECTED, "无法核实")
    with pytest.raises(ValidationError):
        services.reject_expert(expert=pending, by=curator, reason="再次")
    assert _events("experts.expert.reject") == 1


def test_add_and_remove_work(expert, curator):
    work = services.add_work(
        expert=expert, by=curator, kind="paper", title="视觉检测", year=2023, coauthors=[" 王强 ", ""]
    )

    assert work.coauthors == ["王强"]
    with pytest.raises(ValidationError):
        services.add_work(expert=expert, by=curator, kind="paper", title=" ")
    services.remove_work(work=work, by=curator)
    assert Work.objects.count() == 0
    assert (_events("experts.work.add"), _events("experts.work.remove")) == (1, 1)


def test_add_affiliation_and_mentorship_refusals(expert, curator):
    with pytest.raises(ValidationError):
        services.add_affiliation(expert=expert, by=curator, organization_name="")
    with pytest.raises(ValidationError):
        services.add_affiliation(
            expert=expert, by=curator, organization_name="西南大学", start_year=2010, end_year=2005
        )
    with pytest.raises(ValidationError):
        services.add_mentorship(by=curator, advisor_name="甲", student_name="乙")
    with pytest.raises(ValidationError):
        services.add_mentorship(by=curator, advisor=expert, student=expert)
    assert expert.affiliations.count() == 0
    assert _events("experts.mentorship.add") == 0


def test_delete_expert_records_event(expert, curator):
    services.delete_expert(expert=expert, by=curator)

    assert Expert.objects.count() == 0
    assert _events("experts.expert.delete") == 1
