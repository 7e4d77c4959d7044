"""The supervision API: scoping like the pages, and the same transitions."""

from __future__ import annotations

from kexie.accounts.services import create_api_token
from kexie.policy.enums import TaskState
from kexie.policy.models import Task

BASE = "/api/v1/supervision"


def _auth(user) -> dict:
    _token, raw = create_api_token(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_tasks_scoped_by_department(client, notice, kepu_staff, leader):
    mine = client.get(f"{BASE}/tasks", **_auth(kepu_staff)).json()
    assert sorted(t["measure_number"] for t in mine) == [4, 9, 10, 11, 12]
    assert len(client.get(f"{BASE}/tasks", **_auth(leader)).json()) == 16


def test_task_outside_scope_is_404(client, notice, zhanlue_staff):
    task = Task.objects.get(measure__number=9)
    assert client.get(f"{BASE}/tasks/{task.pk}", **_auth(zhanlue_staff)).status_code == 404


def test_measures_with_departments_and_target(client, notice, kepu_staff):
    measures = client.get(f"{BASE}/notices/{notice.pk}/measures", **_auth(kepu_staff)).json()
    assert len(measures) == 16
    m9 = measures[8]
    assert m9["departments"] == [{"id": m9["departments"][0]["id"], "name": "科学技术普及部", "lead": True}]
    assert m9["targets"][0] | {"id": 0} == {
        "id": 0,
        "year": 2025,
        "metric": "公民具备科学素质的比例",
        "comparator": ">",
        "value": 15.0,
        "unit": "%",
    }


def test_progress_and_completion_through_api(client, notice, kepu_staff, leader):
    task = Task.objects.get(measure__number=9)
    created = client.post(
        f"{BASE}/tasks/{task.pk}/progress",
        {"text": "接口报送", "percent": 80},
        content_type="application/json",
        **_auth(kepu_staff),
    )
    assert created.status_code == 201
    assert created.json()["percent"] == 80
    assert client.post(f"{BASE}/tasks/{task.pk}/approve", **_auth(leader)).status_code == 422
    assert client.post(f"{BASE}/tasks/{task.pk}/request-completion", **_auth(kepu_staff)).json()["state"] == (
        TaskState.COMPLETION_REQUESTED
    )
    assert client.post(f"{BASE}/tasks/{task.pk}/approve", **_auth(kepu_staff)).status_code == 403
    assert (
        client.post(f"{BASE}/tasks/{task.pk}/approve", **_auth(leader)).json()["state"] == TaskState.COMPLETED
    )


def test_progress_refused_outside_scope_writes_nothing(client, notice, zhanlue_staff):
    task = Task.objects.get(measure__number=9)
    response = client.post(
        f"{BASE}/tasks/{task.pk}/progress",
        {"text": "x"},
        content_type="application/json",
        **_auth(zhanlue_staff),
    )
    assert response.status_code == 404
    assert task.reports.count() == 0
