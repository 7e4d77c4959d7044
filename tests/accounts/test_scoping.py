"""Organization scoping of a page and an API endpoint, as a role matrix."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.accounts.services import ROOT_NAME
from kexie.core.models import AuditEvent

KEPU = "科学技术普及部"
ZHANLUE = "战略发展部"
YUZHONG = "渝中区科学技术协会"
WANZHOU = "万州区科学技术协会"

# role, home organization, {target organization: may see}
MATRIX = [
    (Role.LEADER, ROOT_NAME, {KEPU: True, ZHANLUE: True, YUZHONG: True, WANZHOU: True}),
    (Role.ADMIN, ROOT_NAME, {KEPU: True, ZHANLUE: True, YUZHONG: True, WANZHOU: True}),
    (Role.AUDITOR, ROOT_NAME, {KEPU: True, ZHANLUE: True, YUZHONG: True, WANZHOU: True}),
    (Role.DEPARTMENT_HEAD, KEPU, {KEPU: True, ZHANLUE: False, YUZHONG: False, WANZHOU: False}),
    (Role.DEPARTMENT_STAFF, ZHANLUE, {KEPU: False, ZHANLUE: True, YUZHONG: False, WANZHOU: False}),
    (Role.DISTRICT_STAFF, YUZHONG, {KEPU: False, ZHANLUE: False, YUZHONG: True, WANZHOU: False}),
    (Role.EXPERT, WANZHOU, {KEPU: False, ZHANLUE: False, YUZHONG: False, WANZHOU: True}),
]


@pytest.mark.parametrize(("role", "home", "expected"), MATRIX)
def test_organization_page_scoped_by_role(make_user, login, orgs, role, home, expected):
    client = login(make_user("u", role=role, org_name=home))
    seen = {
        name: client.get(reverse("accounts:organization_detail", args=[orgs[name].pk])).status_code
        for name in expected
    }
    assert seen == {name: 200 if ok else 403 for name, ok in expected.items()}


@pytest.mark.parametrize(("role", "home", "expected"), MATRIX)
def test_organization_endpoint_scoped_by_role(make_user, login, orgs, role, home, expected):
    client = login(make_user("u", role=role, org_name=home))
    seen = {name: client.get(f"/api/v1/organizations/{orgs[name].pk}").status_code for name in expected}
    assert seen == {name: 200 if ok else 404 for name, ok in expected.items()}


@pytest.mark.parametrize(
    ("role", "home", "count"),
    [
        (Role.LEADER, ROOT_NAME, 56),
        (Role.DISTRICT_STAFF, YUZHONG, 1),
        (Role.DEPARTMENT_STAFF, KEPU, 1),
    ],
)
def test_organization_list_endpoint_scoped(make_user, login, role, home, count):
    client = login(make_user("u", role=role, org_name=home))
    names = [o["name"] for o in client.get("/api/v1/organizations").json()]
    assert len(names) == count
    if count == 1:
        assert names == [home]


def test_no_membership_sees_no_organization(make_user, login, orgs):
    client = login(make_user("nobody", role=""))
    assert client.get("/api/v1/organizations").json() == []
    assert client.get(reverse("accounts:organization_detail", args=[orgs[KEPU].pk])).status_code == 403


def test_anonymous_is_sent_to_login_and_api_refuses(client, orgs):
    response = client.get(reverse("accounts:organization_detail", args=[orgs[KEPU].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get("/api/v1/organizations").status_code == 401


def test_seed_has_units_of_notice_and_38_districts(orgs):
    from kexie.accounts.enums import OrganizationKind
    from kexie.accounts.models import Organization

    districts = Organization.objects.filter(kind=OrganizationKind.DISTRICT_ASSOCIATION)
    assert districts.count() == 38
    assert districts.get(code="500103").name == "渝中区科学技术协会"
    assert districts.get(code="500243").short_name == "彭水苗族土家族自治县科协"
    for unit in [
        "科学技术创新部",
        "国际合作部",
        "院士工作服务中心",
        "宣传文化部",
        "科技社团党委办公室",
        "重庆市科学技术期刊编辑学会",
        "科学技术普及部",
        "组织人事部",
        "战略发展部",
        "市科协科技服务中心",
        "重庆科技报",
        "市反邪教协会办公室",
        "重庆科技馆",
        "重庆科技融媒体中心",
    ]:
        assert orgs[unit].parent == orgs[ROOT_NAME]


def test_member_mobile_masked_unless_role_may_see(make_user, login, orgs):
    make_user("member", role=Role.DEPARTMENT_STAFF, org_name=KEPU, mobile="13912345678")
    staff = login(make_user("peer", role=Role.DEPARTMENT_STAFF, org_name=KEPU))
    page = staff.get(reverse("accounts:organization_detail", args=[orgs[KEPU].pk])).content.decode()
    assert "139****5678" in page
    assert "13912345678" not in page
    head = login(make_user("head", role=Role.DEPARTMENT_HEAD, org_name=KEPU))
    assert (
        "13912345678"
        in head.get(reverse("accounts:organization_detail", args=[orgs[KEPU].pk])).content.decode()
    )


def test_user_administration_refused_to_non_admin_and_nothing_changes(make_user, login, orgs):
    leader = login(make_user("leader", role=Role.LEADER))
    before = AuditEvent.objects.count()
    response = leader.post(
        reverse("accounts:user_create"),
        {"username": "intruder", "full_name": "X", "organization": orgs[KEPU].pk, "role": Role.ADMIN},
    )
    assert response.status_code == 403
    from kexie.accounts.models import User

    assert not User.objects.filter(username="intruder").exists()
    assert AuditEvent.objects.count() == before


def test_admin_creates_account_with_membership_and_audit(make_user, login, orgs):
    admin = make_user("root", role=Role.ADMIN)
    client = login(admin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "newstaff",
            "full_name": "新同事",
            "email": "",
            "mobile": "13800001111",
            "organization": orgs[KEPU].pk,
            "role": Role.DEPARTMENT_STAFF,
        },
        follow=True,
    )
    content = response.content.decode()
    assert "账号 newstaff 已创建" in content
    from kexie.accounts.models import Membership, User

    user = User.objects.get(username="newstaff")
    assert user.must_change_password is True
    assert list(Membership.objects.filter(user=user).values_list("organization__name", "role")) == [
        (KEPU, Role.DEPARTMENT_STAFF)
    ]
    actions = set(AuditEvent.objects.filter(actor_id=admin.pk).values_list("action", flat=True))
    assert {"accounts.user.create", "accounts.membership.add"} <= actions


def test_admin_create_account_bad_mobile_names_field_and_saves_nothing(make_user, login, orgs):
    client = login(make_user("root", role=Role.ADMIN))
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "newstaff",
            "full_name": "新同事",
            "mobile": "12345",
            "organization": orgs[KEPU].pk,
            "role": Role.DEPARTMENT_STAFF,
        },
    )
    assert "“12345”不是有效的手机号码" in response.content.decode()
    from kexie.accounts.models import User

    assert not User.objects.filter(username="newstaff").exists()
