"""Service teams and workstations: create and edit with members, detail pages, who may do it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kexie.core.models import AuditEvent
from kexie.experts.enums import ProfessionalTitle
from kexie.experts.models import Expert
from kexie.search import index as search
from kexie.transfer import services
from kexie.transfer.enums import SearchKind
from kexie.transfer.models import ServiceTeam, Workstation

from .conftest import JIANGBEI, YUZHONG

LEAD = "重庆市科学技术协会"


@pytest.fixture
def library_expert(db) -> Expert:
    return Expert.objects.create(name="周立", organization_name="重庆大学", title=ProfessionalTitle.PROFESSOR)


@pytest.fixture
def team(staff, orgs):
    return services.create_service_team(
        by=staff,
        name="智能制造科技服务团",
        lead_organization=orgs[LEAD],
        description="为企业提供技术诊断。",
        members=[{"name": "王芳", "expertise": "工业机器人"}],
        districts=[YUZHONG],
        disciplines=["E05"],
        industries=["34"],
    )


@pytest.fixture
def workstation(staff, orgs):
    return services.create_workstation(
        by=staff,
        kind="academician",
        name="重庆大学院士专家工作站",
        host_organization=orgs[LEAD],
        district=YUZHONG,
        members=[{"name": "周院士", "expertise": "机械传动"}],
        established_year=2019,
    )


def _actions(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type__endswith=type(obj).__name__.lower(), object_id=str(obj.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def _team_post(orgs, **overrides) -> dict:
    data = {
        "name": "乡村振兴科技服务团",
        "lead_organization": orgs[LEAD].pk,
        "description": "服务山区县农业技术推广。",
        "districts": [YUZHONG, JIANGBEI],
        "disciplines": "C13、c15",
        "industries": "01",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-name": "刘强",
        "members-0-role": "团长",
        "members-0-expertise": "果树栽培",
        "members-1-name": "",
        "members-2-name": "",
    }
    data.update(overrides)
    return data


# --- services ---------------------------------------------------------------------------------------


def test_create_service_team_links_library_expert(staff, orgs, library_expert):
    team = services.create_service_team(
        by=staff,
        name="  新材料  科技服务团 ",
        lead_organization=orgs[LEAD],
        members=[{"expert_id": library_expert.pk, "name": "随便写", "role": "团长"}, {"name": "赵敏"}],
        disciplines=["E05", "E05"],
    )

    assert team.name == "新材料 科技服务团"
    assert team.members == [
        {"name": "周立", "role": "团长", "expert_id": library_expert.pk},
        {"name": "赵敏"},
    ]
    assert team.disciplines == ["E05"]
    assert _actions(team) == ["transfer.team.create"]


def test_create_service_team_bad_members_and_codes_refused_nothing_saved(staff, orgs):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.create_service_team(
            by=staff,
            name="甲团",
            lead_organization=orgs[LEAD],
            members=[{"name": "甲"}, {"role": "顾问"}, {"expert_id": 999999}],
            disciplines=["Z99"],
            industries=["9999"],
        )

    assert exc.value.message_dict == {
        "members": [
            "Member 2: enter a name or an expert id.",
            "Member 3: no expert with the id 999999 in the expert library.",
        ],
        "disciplines": ["Unknown discipline codes: Z99."],
        "industries": ["Unknown industry codes: 9999."],
    }
    assert ServiceTeam.objects.count() == 0
    assert AuditEvent.objects.filter(action="transfer.team.create").count() == 0


def test_update_service_team_records_before_and_after(team, staff, orgs):
    services.update_service_team(
        team=team,
        by=staff,
        name=team.name,
        lead_organization=orgs[LEAD],
        description="新的说明",
        members=[],
        districts=[JIANGBEI],
        disciplines=[],
        industries=["C"],
    )

    team.refresh_from_db()
    assert (team.description, team.members, team.districts, team.industries) == (
        "新的说明",
        [],
        [JIANGBEI],
        ["C"],
    )
    event = AuditEvent.objects.get(action="transfer.team.update", object_id=str(team.pk))
    assert (event.before["districts"], event.after["districts"]) == ([YUZHONG], [JIANGBEI])


def test_update_service_team_to_an_existing_name_refused(team, staff, orgs):
    other = services.create_service_team(by=staff, name="另一个服务团", lead_organization=orgs[LEAD])

    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.update_service_team(team=other, by=staff, name=team.name, lead_organization=orgs[LEAD])

    assert exc.value.message_dict == {"name": ["A service team with this name already exists."]}
    assert ServiceTeam.objects.get(pk=other.pk).name == "另一个服务团"


def test_update_service_team_by_district_staff_refused(team, district_staff, orgs):
    with pytest.raises(PermissionDenied):
        services.update_service_team(team=team, by=district_staff, name="改名", lead_organization=orgs[LEAD])
    assert ServiceTeam.objects.get(pk=team.pk).name == "智能制造科技服务团"


def test_update_service_team_refreshes_search_index(team, staff, orgs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_service_team(
            team=team, by=staff, name="数字农业科技服务团", lead_organization=orgs[LEAD], members=[]
        )

    hits = search.query("数字农业", kinds=[SearchKind.TEAM]).hits
    assert [(hit.id, hit.title) for hit in hits] == [(str(team.pk), "数字农业科技服务团")]


def test_update_workstation(workstation, staff, orgs, library_expert):
    services.update_workstation(
        workstation=workstation,
        by=staff,
        kind="expert",
        name="重庆大学专家工作站",
        host_organization=orgs[LEAD],
        district=JIANGBEI,
        members=[{"expert_id": library_expert.pk, "role": "首席专家"}],
        established_year=2018,
    )

    workstation.refresh_from_db()
    assert (workstation.kind, workstation.name, workstation.district, workstation.established_year) == (
        "expert",
        "重庆大学专家工作站",
        JIANGBEI,
        2018,
    )
    assert workstation.members == [{"name": "周立", "role": "首席专家", "expert_id": library_expert.pk}]
    assert _actions(workstation) == ["transfer.workstation.create", "transfer.workstation.update"]


def test_create_workstation_checks_every_field(staff):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.create_workstation(
            by=staff, kind="castle", name="", host_organization=None, district="1", established_year=1800
        )

    assert exc.value.message_dict == {
        "name": ["The workstation needs a name."],
        "kind": ["Choose the kind of workstation."],
        "host_organization": ["Choose the host organization."],
        "district": ["Choose one of Chongqing's districts and counties."],
        "established_year": ["The established year is between 1950 and this year."],
    }
    assert Workstation.objects.count() == 0


# --- views ------------------------------------------------------------------------------------------


def test_team_create_view_saves_and_shows_detail(login, staff, orgs):
    client = login(staff)

    response = client.post(reverse("transfer:team_create"), _team_post(orgs), follow=True)

    team = ServiceTeam.objects.get()
    assert response.redirect_chain[-1][0] == reverse("transfer:team_detail", args=[team.pk])
    assert (team.districts, team.disciplines, team.industries) == (
        [YUZHONG, JIANGBEI],
        ["C13", "C15"],
        ["01"],
    )
    assert team.members == [{"name": "刘强", "role": "团长", "expertise": "果树栽培"}]
    body = response.content.decode()
    assert "乡村振兴科技服务团" in body
    assert "刘强" in body
    assert "渝中区、江北区" in body


def test_team_create_view_shows_errors_in_chinese_nothing_saved(login, staff, orgs):
    client = login(staff)

    response = client.post(
        reverse("transfer:team_create"),
        _team_post(orgs, **{"disciplines": "Q99", "members-0-name": "", "members-0-expert_id": "999999"}),
    )

    body = response.content.decode()
    assert "学科代码不存在：Q99。" in body
    assert "成员第 1 行：专家库中没有编号为 999999 的专家。" in body
    assert ServiceTeam.objects.count() == 0


def test_team_edit_view_prefills_and_saves(login, staff, orgs, team):
    client = login(staff)
    page = client.get(reverse("transfer:team_edit", args=[team.pk]))
    assert page.context["form"].initial["disciplines"] == "E05"
    assert page.context["members"].forms[0].initial == {
        "name": "王芳",
        "expert_id": None,
        "role": "",
        "expertise": "工业机器人",
    }

    data = _team_post(orgs, name=team.name, **{"members-INITIAL_FORMS": "1", "members-0-DELETE": "on"})
    data["members-1-name"] = "陈静"
    client.post(reverse("transfer:team_edit", args=[team.pk]), data)

    team.refresh_from_db()
    assert team.members == [{"name": "陈静"}]
    assert _actions(team) == ["transfer.team.create", "transfer.team.update"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("district_staff", 403), ("leader", 403), ("owner", 403)],
)
def test_team_form_permissions(request, login, who, status, team):
    client = login(request.getfixturevalue(who))

    assert client.get(reverse("transfer:team_create")).status_code == status
    assert client.get(reverse("transfer:team_edit", args=[team.pk])).status_code == status


@pytest.mark.parametrize(
    ("who", "status", "edit_link"),
    [("staff", 200, True), ("district_staff", 200, False), ("leader", 200, False), ("owner", 404, False)],
)
def test_team_detail_permissions(request, login, who, status, edit_link, team):
    response = login(request.getfixturevalue(who)).get(reverse("transfer:team_detail", args=[team.pk]))

    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "王芳" in body
        assert ('data-testid="edit"' in body) is edit_link


def test_team_detail_anonymous_redirected_to_login(client, team):
    response = client.get(reverse("transfer:team_detail", args=[team.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_team_detail_links_library_members_for_staff(login, staff, orgs, library_expert):
    team = services.create_service_team(
        by=staff, name="丙团", lead_organization=orgs[LEAD], members=[{"expert_id": library_expert.pk}]
    )

    body = login(staff).get(reverse("transfer:team_detail", args=[team.pk])).content.decode()

    assert f'href="{reverse("experts:detail", args=[library_expert.pk])}">周立</a>' in body


def test_workstation_create_view(login, staff, orgs):
    client = login(staff)
    data = {
        "kind": "haizhi",
        "name": "两江海智工作站",
        "host_organization": orgs[LEAD].pk,
        "district": JIANGBEI,
        "established_year": "2021",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-name": "Anna Schmidt",
        "members-0-role": "海外专家",
    }

    response = client.post(reverse("transfer:workstation_create"), data, follow=True)

    station = Workstation.objects.get()
    assert response.redirect_chain[-1][0] == reverse("transfer:workstation_detail", args=[station.pk])
    assert station.members == [{"name": "Anna Schmidt", "role": "海外专家"}]
    assert "Anna Schmidt" in response.content.decode()
    assert _actions(station) == ["transfer.workstation.create"]


def test_workstation_create_view_duplicate_name_in_chinese(login, staff, orgs, workstation):
    data = {
        "kind": "expert",
        "name": workstation.name,
        "host_organization": orgs[LEAD].pk,
        "district": YUZHONG,
        "established_year": "2020",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }

    response = login(staff).post(reverse("transfer:workstation_create"), data)

    assert "名称：已有同名工作站。" in response.content.decode()
    assert Workstation.objects.count() == 1


def test_workstation_edit_view_saves(login, staff, orgs, workstation):
    data = {
        "kind": "academician",
        "name": workstation.name,
        "host_organization": orgs[LEAD].pk,
        "district": YUZHONG,
        "established_year": "2017",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "1",
        "members-0-name": "周院士",
        "members-0-expertise": "机械传动",
    }

    login(staff).post(reverse("transfer:workstation_edit", args=[workstation.pk]), data)

    workstation.refresh_from_db()
    assert workstation.established_year == 2017


@pytest.mark.parametrize(("who", "status"), [("staff", 200), ("district_staff", 403), ("owner", 403)])
def test_workstation_form_permissions(request, login, who, status, workstation):
    client = login(request.getfixturevalue(who))

    assert client.get(reverse("transfer:workstation_create")).status_code == status
    assert client.get(reverse("transfer:workstation_edit", args=[workstation.pk])).status_code == status


def test_workstation_detail_shows_edit_and_evaluation_form_to_staff(login, staff, workstation):
    body = login(staff).get(reverse("transfer:workstation_detail", args=[workstation.pk])).content.decode()

    assert reverse("transfer:workstation_edit", args=[workstation.pk]) in body
    assert "周院士" in body


def test_team_list_query_count(login, staff, orgs):
    client = login(staff)
    services.create_service_team(by=staff, name="团一", lead_organization=orgs[LEAD])
    client.get(reverse("transfer:team_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("transfer:team_list"))
    for name in ("团二", "团三"):
        services.create_service_team(
            by=staff, name=name, lead_organization=orgs["重庆市科学技术期刊编辑学会"]
        )
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("transfer:team_list"))

    assert len(response.context["page"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)
