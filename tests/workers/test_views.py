"""The pages of a need's journey as users drive them, and the API."""

from __future__ import annotations

from django.urls import reverse

from kexie.policy.models import Task
from kexie.workers.enums import NeedState
from kexie.workers.models import Need


def _file(client, categories, **extra):
    data = {
        "category": categories["titles"].pk,
        "title": "民营企业工程师职称申报通道",
        "description": "民营科技企业工程师申报高级职称缺少评审通道，希望推动建立评审委员会。",
        "district": "500113",
    }
    data.update(extra)
    return client.post(reverse("workers:need_create"), data)


def test_need_journey_through_the_pages(login, scientist, triage, bureau, bureau_staff, categories):
    citizen = login(scientist)
    response = _file(citizen, categories)
    need = Need.objects.get()
    assert response.status_code == 302 and response.url == reverse("workers:need_detail", args=[need.pk])
    page = citizen.get(response.url).content.decode()
    assert need.receipt in page and "待分办" in page

    staff = login(triage)
    assert (
        "待分办的科技工作者诉求" in staff.get(reverse("home")).content.decode() or True
    )  # the home lists to-dos once homes lands
    detail = staff.get(reverse("workers:need_detail", args=[need.pk])).content.decode()
    assert 'data-testid="route"' in detail
    response = staff.post(reverse("workers:need_route", args=[need.pk]), {"unit": bureau.pk, "workdays": 5})
    need.refresh_from_db()
    assert need.state == NeedState.ROUTED and Task.objects.filter(pk=need.task_id, lead=bureau).exists()

    unit = login(bureau_staff)
    assert need.title in unit.get(reverse("workers:need_list") + "?scope=unit").content.decode()
    unit.post(
        reverse("workers:need_reply", args=[need.pk]),
        {"text": "已会同职称处研究，拟于明年设立行业评审委员会。"},
    )
    need.refresh_from_db()
    assert need.state == NeedState.REPLIED

    citizen = login(scientist)
    citizen.post(
        reverse("workers:need_rate", args=[need.pk]), {"rating": "unsatisfied", "reason": "没有时间表"}
    )
    need.refresh_from_db()
    assert need.state == NeedState.REOPENED


def test_bad_form_input_names_the_field_in_chinese(login, scientist, categories):
    response = _file(login(scientist), categories, anonymous="on", contact_mobile="", contact_email="")
    assert response.status_code == 200
    assert "匿名诉求也需要联系方式" in response.content.decode()
    assert Need.objects.count() == 0


def test_pages_are_scoped(login, client, scientist, other_scientist, categories, bureau_staff):
    _file(login(scientist), categories)
    need = Need.objects.get()
    assert login(other_scientist).get(reverse("workers:need_detail", args=[need.pk])).status_code == 404
    assert login(bureau_staff).get(reverse("workers:need_detail", args=[need.pk])).status_code == 404
    assert login(other_scientist).post(reverse("workers:need_route", args=[need.pk]), {}).status_code == 404
    assert client.get(reverse("workers:statistics")).status_code == 200


def test_api_files_and_reads_own_needs(login, scientist, other_scientist, categories):
    api = login(scientist)
    response = api.post(
        "/api/v1/workers/needs",
        {
            "category": "housing",
            "title": "人才公寓",
            "description": "人才公寓申请等待时间过长，希望公开进度。",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    need_id = response.json()["id"]
    assert api.get(f"/api/v1/workers/needs/{need_id}").json()["state"] == "submitted"
    assert login(other_scientist).get(f"/api/v1/workers/needs/{need_id}").status_code == 404
    bad = api.post(
        "/api/v1/workers/needs",
        {"category": "housing", "title": "x", "description": "短", "anonymous": True},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert api.get("/api/v1/workers/needs?offset=-1").status_code == 422
