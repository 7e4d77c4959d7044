"""Permissions as a role × state matrix, and list pages without N+1 queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.societies import rules, services
from kexie.societies.enums import InspectionState
from kexie.societies.models import Inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, staff, leader, secretary, other_secretary):
    return {
        "staff": staff,
        "leader": leader,
        "secretary": secretary,
        "other_secretary": other_secretary,
        "expert": make_user("zhuanjia", role=Role.EXPERT),
    }


# role → (can edit a draft/returned report, can review a submitted one)
MATRIX = {
    "staff": (True, True),
    "leader": (False, False),
    "secretary": (True, False),
    "other_secretary": (False, False),
    "expert": (False, False),
}


@pytest.mark.parametrize("state", list(InspectionState.values))
@pytest.mark.parametrize("who", list(MATRIX))
def test_inspection_matrix(people, society, who, state):
    report = Inspection(society=society, year=2025, state=state)
    edit, review = MATRIX[who]
    user = people[who]
    assert rules.can_edit_inspection(user, report) == (edit and state in rules.EDITABLE_INSPECTION)
    assert rules.can_review_inspection(user, report) == (review and state == InspectionState.SUBMITTED)
    assert rules.can_view_inspection(user, report) == (who in ("staff", "leader", "secretary"))


@pytest.mark.parametrize("who", list(MATRIX))
def test_event_management_matrix(people, approved_event, who):
    user = people[who]
    assert rules.can_manage_event(user, approved_event) == (who in ("staff", "secretary"))
    assert rules.can_check_in(user, approved_event) == (who in ("staff", "secretary"))
    assert rules.can_review_event(user, approved_event) is False  # already decided


def _journals(staff, n):
    for i in range(n):
        services.register_journal(
            by=staff, title=f"刊{i}", cn=f"50-10{i:02d}/N", issn="", publisher="x", discipline="综合"
        )


@pytest.mark.parametrize("url_name", ["societies:journal_list", "societies:showcase"])
def test_journal_lists_query_count_does_not_grow(client, staff, cscd, url_name):
    _journals(staff, 1)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(url_name))
    _journals_more = [
        services.register_journal(
            by=staff, title=f"刊b{i}", cn=f"50-11{i:02d}/N", issn="", publisher="x", discipline="医药"
        )
        for i in range(2)
    ]
    for journal in _journals_more:
        journal.indexing.set([cscd])
    with CaptureQueriesContext(connection) as three:
        client.get(reverse(url_name))
    assert len(three) == len(one)


def test_society_list_query_count_does_not_grow(login, staff, society, orgs):
    client = login(staff)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("societies:society_list"))
    for name in ("重庆市测试学会甲", "重庆市测试学会乙"):
        services.register_society(by=None, name=name, supervising_unit=orgs["科学技术创新部"])
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("societies:society_list"))
    assert len(three) == len(one)
