from __future__ import annotations

import pytest

from kexie.transfer.enums import DemandState
from kexie.transfer.models import Docking

pytestmark = pytest.mark.django_db

BASE = "/api/v1/transfer"


def test_public_demands_without_sign_in_only_published_masked(client, make_demand):
    make_demand(DemandState.PUBLISHED, title="公开需求")
    make_demand(DemandState.DRAFT, title="草稿需求")

    rows = client.get(f"{BASE}/public/demands").json()

    assert [(r["title"], r["contact_mobile"]) for r in rows] == [("公开需求", "138****5678")]


def test_demands_scoped_enterprise_own_and_public_staff_all(login, owner, stranger, staff, make_demand):
    make_demand(DemandState.PUBLISHED, title="公开需求")
    make_demand(DemandState.DRAFT, title="草稿需求")

    assert sorted(r["title"] for r in login(stranger).get(f"{BASE}/demands").json()) == ["公开需求"]
    owner_rows = login(owner).get(f"{BASE}/demands").json()
    assert sorted((r["title"], r["contact_mobile"]) for r in owner_rows) == [
        ("公开需求", "13812345678"),
        ("草稿需求", "13812345678"),
    ]
    assert len(login(staff).get(f"{BASE}/demands").json()) == 2


def test_demands_api_refuses_anonymous(client):
    assert client.get(f"{BASE}/demands").status_code == 401


def test_create_docking_api_staff_201_owner_403(login, staff, owner, make_demand):
    demand = make_demand(DemandState.PUBLISHED)
    payload = {"target_kind": "expert", "target_id": "e1", "target_name": "王立新"}

    refused = login(owner).post(
        f"{BASE}/demands/{demand.pk}/dockings", payload, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Docking.objects.count() == 0

    created = login(staff).post(
        f"{BASE}/demands/{demand.pk}/dockings", payload, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["target_name"] == "王立新"
    assert [r["id"] for r in login(staff).get(f"{BASE}/dockings").json()] == [created.json()["id"]]


def test_publish_api_moves_submitted_demand(login, staff, make_demand):
    demand = make_demand(DemandState.SUBMITTED)
    response = login(staff).post(f"{BASE}/demands/{demand.pk}/publish")
    assert (response.status_code, response.json()["state"]) == (200, "published")
