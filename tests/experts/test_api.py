from __future__ import annotations

from kexie.accounts.services import create_api_token
from tests.experts.conftest import ID_A, MOBILE_A

BASE = "/api/v1/experts"


def _auth(user) -> dict:
    _token, raw = create_api_token(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_list_masks_for_reading_staff(client, kepu_staff, expert, make_expert):
    make_expert("王强", district="500112")

    rows = client.get(f"{BASE}/", **_auth(kepu_staff)).json()

    assert [r["name"] for r in rows] == ["李明", "王强"]
    assert (rows[0]["mobile"], rows[0]["id_number"], rows[0]["masked"]) == (
        "138****8000",
        "5001**********0016",
        True,
    )
    assert rows[0]["disciplines"] == [{"code": "F0201", "name": "计算机科学的基础理论"}]


def test_list_filters_by_district(client, kepu_staff, expert, make_expert):
    make_expert("王强", district="500112")

    rows = client.get(f"{BASE}/", {"district": "500112"}, **_auth(kepu_staff)).json()

    assert [r["name"] for r in rows] == ["王强"]


def test_detail_full_for_curating_head(client, curator_head, expert):
    row = client.get(f"{BASE}/{expert.pk}", **_auth(curator_head)).json()

    assert (row["mobile"], row["id_number"], row["masked"]) == (MOBILE_A, ID_A, False)


def test_expert_sees_only_own_profile(client, expert_user, expert, make_expert):
    mine = make_expert("张伟", user=expert_user, mobile="13912345678")
    auth = _auth(expert_user)

    assert [r["id"] for r in client.get(f"{BASE}/", **auth).json()] == [mine.pk]
    assert client.get(f"{BASE}/{mine.pk}", **auth).json()["mobile"] == "13912345678"
    assert client.get(f"{BASE}/{expert.pk}", **auth).status_code == 404


def test_enterprise_sees_nothing(client, enterprise_user, expert):
    auth = _auth(enterprise_user)

    assert client.get(f"{BASE}/", **auth).json() == []
    assert client.get(f"{BASE}/{expert.pk}", **auth).status_code == 404


def test_bad_limit_is_refused(client, kepu_staff):
    assert client.get(f"{BASE}/", {"limit": 0}, **_auth(kepu_staff)).status_code == 422
