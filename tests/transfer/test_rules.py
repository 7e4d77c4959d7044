"""Role × state matrix for demands: who may view, edit, submit, review, close, dock and see contacts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from kexie.transfer import rules
from kexie.transfer.enums import DemandState

pytestmark = pytest.mark.django_db

STATES = ["draft", "submitted", "published", "docking", "signed", "closed"]
ROLES = ["anonymous", "owner", "stranger", "staff", "district", "other_district", "leader"]

# state → role → allowed, per predicate; "-" means no, "V" yes.
MATRIX = {
    "can_view_demand": {
        "anonymous": "--VVV-",
        "owner": "VVVVVV",
        "stranger": "--VVV-",
        "staff": "VVVVVV",
        "district": "-VVVVV",
        "other_district": "--VVV-",
        "leader": "VVVVVV",
    },
    "can_edit_demand": {
        "anonymous": "------",
        "owner": "V-----",
        "stranger": "------",
        "staff": "VV----",
        "district": "VV----",
        "other_district": "------",
        "leader": "------",
    },
    "can_submit_demand": {
        "anonymous": "------",
        "owner": "V-----",
        "stranger": "------",
        "staff": "V-----",
        "district": "V-----",
        "other_district": "------",
        "leader": "------",
    },
    "can_review_demand": {
        "anonymous": "------",
        "owner": "------",
        "stranger": "------",
        "staff": "-V----",
        "district": "-V----",
        "other_district": "------",
        "leader": "------",
    },
    "can_close_demand": {
        "anonymous": "------",
        "owner": "--VVV-",
        "stranger": "------",
        "staff": "--VVV-",
        "district": "--VVV-",
        "other_district": "------",
        "leader": "------",
    },
    "can_match_experts": {
        "anonymous": "------",
        "owner": "------",
        "stranger": "------",
        "staff": "--VVV-",
        "district": "--VVV-",
        "other_district": "------",
        "leader": "------",
    },
    "can_see_suggestions": {
        "anonymous": "------",
        "owner": "--VVV-",
        "stranger": "------",
        "staff": "--VVV-",
        "district": "--VVV-",
        "other_district": "------",
        "leader": "------",
    },
    "can_create_docking": {
        "anonymous": "------",
        "owner": "------",
        "stranger": "------",
        "staff": "--VV--",
        "district": "--VV--",
        "other_district": "------",
        "leader": "------",
    },
    "can_see_contact": {
        "anonymous": "------",
        "owner": "VVVVVV",
        "stranger": "------",
        "staff": "VVVVVV",
        "district": "VVVVVV",
        "other_district": "------",
        "leader": "------",
    },
}


@pytest.fixture
def people(owner, stranger, staff, district_staff, other_district_staff, leader):
    return {
        "anonymous": AnonymousUser(),
        "owner": owner,
        "stranger": stranger,
        "staff": staff,
        "district": district_staff,
        "other_district": other_district_staff,
        "leader": leader,
    }


@pytest.mark.parametrize("predicate", sorted(MATRIX))
def test_demand_permission_matrix_role_by_state(predicate, people, make_demand):
    demands = {state: make_demand(state) for state in STATES}
    check = getattr(rules, predicate)
    actual = {
        role: "".join("V" if check(people[role], demands[state]) else "-" for state in STATES)
        for role in ROLES
    }
    assert actual == MATRIX[predicate]


def test_registry_rules_staff_manage_district_views_enterprise_neither(staff, district_staff, owner, leader):
    assert [rules.can_manage_registry(u) for u in (staff, district_staff, owner, leader)] == [
        True,
        False,
        False,
        False,
    ]
    assert [rules.can_view_registry(u) for u in (staff, district_staff, owner, leader)] == [
        True,
        True,
        False,
        True,
    ]


def test_public_states_are_published_docking_signed():
    assert [
        s.value for s in DemandState if rules.can_view_demand(AnonymousUser(), type("D", (), {"state": s})())
    ] == [
        "published",
        "docking",
        "signed",
    ]
