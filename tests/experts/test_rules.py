"""Role × state permission matrix of expert profiles, through the rules and through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.experts import rules
from kexie.experts.enums import VerificationState

# role, organization → (view library, curate, see personal data)
ROLES = {
    # 三员分立: the administrators manage accounts, not the library.
    "admin": (Role.ADMIN, "重庆市科学技术协会", (False, False, False)),
    "secadmin": (Role.SECURITY_ADMIN, "重庆市科学技术协会", (False, False, False)),
    "leader": (Role.LEADER, "重庆市科学技术协会", (True, False, False)),
    "supervisor": (Role.SUPERVISOR, "重庆市科学技术协会", (True, False, False)),
    "auditor": (Role.AUDITOR, "重庆市科学技术协会", (True, False, False)),
    "kechuang_head": (Role.DEPARTMENT_HEAD, "科学技术创新部", (True, True, True)),
    "kechuang_staff": (Role.DEPARTMENT_STAFF, "科学技术创新部", (True, True, False)),
    "zuzhi_head": (Role.DEPARTMENT_HEAD, "组织人事部", (True, True, True)),
    "zhanlue_staff": (Role.DEPARTMENT_STAFF, "战略发展部", (True, True, False)),
    "kepu_head": (Role.DEPARTMENT_HEAD, "科学技术普及部", (True, False, False)),
    "yuzhong": (Role.DISTRICT_STAFF, "渝中区科学技术协会", (True, False, False)),
    "enterprise": (Role.ENTERPRISE, "重庆市科学技术协会", (False, False, False)),
    "other_expert": (Role.EXPERT, "重庆市科学技术协会", (False, False, False)),
}


@pytest.mark.parametrize("name", sorted(ROLES))
@pytest.mark.parametrize(
    "state", [VerificationState.UNVERIFIED, VerificationState.VERIFIED, VerificationState.REJECTED]
)
def test_role_state_matrix(make_user, make_expert, name, state):
    role, org, (view, curate, personal) = ROLES[name]
    user = make_user(name, role=role, org_name=org)
    expert = make_expert("李明", state=state)

    assert rules.can_view_library(user) is view
    assert rules.can_view_expert(user, expert) is view
    assert rules.can_edit_expert(user, expert) is curate
    assert rules.can_verify_expert(user, expert) is curate
    assert (rules.can_import(user), rules.can_export(user)) == (curate, curate)
    assert rules.can_see_personal_data_of(user, expert) is personal


@pytest.mark.parametrize(
    "state", [VerificationState.UNVERIFIED, VerificationState.VERIFIED, VerificationState.REJECTED]
)
def test_own_profile_matrix(expert_user, make_expert, state):
    mine = make_expert("张伟", user=expert_user, state=state)

    assert rules.can_view_expert(expert_user, mine) is True
    assert rules.can_edit_expert(expert_user, mine) is True
    assert rules.can_verify_expert(expert_user, mine) is False
    assert rules.can_see_personal_data_of(expert_user, mine) is True
    assert rules.can_view_library(expert_user) is False


def test_curator_with_own_profile_cannot_verify_it(make_user, make_expert):
    curator = make_user("kc2", role=Role.DEPARTMENT_STAFF, org_name="科学技术创新部")
    mine = make_expert("王强", user=curator, state=VerificationState.UNVERIFIED)

    assert rules.can_verify_expert(curator, mine) is False


PAGES = ["experts:create", "experts:queue", "experts:import", "experts:import_template", "experts:export"]


@pytest.mark.parametrize("page", PAGES)
def test_curation_pages_refused_to_reading_staff(login, kepu_staff, page):
    assert login(kepu_staff).get(reverse(page)).status_code == 403


def test_library_refused_to_enterprise_and_anonymous(login, enterprise_user, client):
    assert client.get(reverse("experts:list")).status_code == 302
    assert login(enterprise_user).get(reverse("experts:list")).status_code == 403


def test_verify_refused_to_reading_staff_changes_nothing(login, kepu_staff, make_expert):
    pending = make_expert("王强", state=VerificationState.UNVERIFIED)

    response = login(kepu_staff).post(reverse("experts:verify", args=[pending.pk]))

    pending.refresh_from_db()
    assert response.status_code == 403
    assert pending.state == VerificationState.UNVERIFIED


def test_edit_refused_to_reading_staff_changes_nothing(login, kepu_staff, expert):
    response = login(kepu_staff).post(reverse("experts:edit", args=[expert.pk]), {"name": "改名"})

    expert.refresh_from_db()
    assert response.status_code == 403
    assert expert.name == "李明"
