"""Societies fixtures: the seeded 期刊编辑学会 registered as a society, its secretary, staff, a second
society and its secretary, an expert."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.accounts.services import add_membership
from kexie.experts.models import Expert
from kexie.search import index as search
from kexie.search.backends.tantivy_backend import TantivyBackend
from kexie.societies import documents, services
from kexie.societies.enums import EventKind, SearchKind
from kexie.societies.models import IndexingDatabase

EDITORS = "重庆市科学技术期刊编辑学会"


@pytest.fixture(autouse=True)
def backend(tmp_path) -> Iterator[TantivyBackend]:
    backend = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(backend)
    search.register_source(SearchKind.SOCIETY, documents.society_documents)
    search.register_source(SearchKind.JOURNAL, documents.journal_documents)
    yield backend
    search.set_backend(None)


@pytest.fixture
def staff(make_user):
    return make_user("kechuang", role=Role.DEPARTMENT_STAFF, org_name="科学技术创新部", full_name="刘创新")


@pytest.fixture
def leader(make_user):
    return make_user("leader", role=Role.LEADER)


@pytest.fixture
def society(orgs):
    return services.register_society(
        by=None,
        name=EDITORS,
        organization=orgs[EDITORS],
        supervising_unit=orgs["科学技术创新部"],
        party_office=orgs["科技社团党委办公室"],
        discipline="编辑出版",
        individual_members=320,
        unit_members=41,
    )


@pytest.fixture
def secretary(make_user, society):
    return make_user("bianji", role=Role.SOCIETY_STAFF, org_name=EDITORS, full_name="周秘书")


@pytest.fixture
def other_society(orgs):
    return services.register_society(
        by=None, name="重庆市机械工程学会", supervising_unit=orgs["科学技术创新部"]
    )


@pytest.fixture
def other_secretary(make_user, other_society):
    user = make_user("jixie", role=None)
    add_membership(user=user, organization=other_society.organization, role=Role.SOCIETY_STAFF)
    return user


@pytest.fixture
def expert(db):
    return Expert.objects.create(name="陈海外", title="professor", organization_name="重庆大学")


@pytest.fixture
def cscd(db):
    return IndexingDatabase.objects.get_or_create(name="CSCD", defaults={"order": 1})[0]


@pytest.fixture
def make_event(society, secretary):
    def factory(*, capacity=2, days=10, deadline_days=5, kind=EventKind.SYMPOSIUM, **extra):
        today = timezone.localdate()
        values = {
            "kind": kind,
            "title": "期刊融合出版学术研讨会",
            "starts_on": today + timedelta(days=days),
            "ends_on": today + timedelta(days=days + 1),
            "venue": "重庆科技馆报告厅",
            "description": "围绕科技期刊融合出版开展学术研讨。",
            "capacity": capacity,
            "registration_deadline": timezone.now() + timedelta(days=deadline_days),
        }
        values.update(extra)
        return services.create_event(by=secretary, society=society, **values)

    return factory


@pytest.fixture
def approved_event(make_event, secretary, staff):
    event = make_event()
    services.apply_event(event=event, by=secretary)
    return services.decide_event(event=event, by=staff, approve=True)
