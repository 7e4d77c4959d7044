"""Pages: rendered content, state changes, and query counts over 1 and 3 rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.services import create_organization
from kexie.core.models import AuditEvent
from kexie.core.services import record_event


def test_home_in_chinese_shows_sections_and_memberships(make_user, login):
    client = login(make_user("kp", role=Role.DEPARTMENT_HEAD, org_name="科学技术普及部", full_name="李晓梅"))
    content = client.get(reverse("home")).content.decode()
    assert "李晓梅，您好" in content
    assert "助推科技成果转移转化" in content
    assert "提升科技智库咨政能力" in content
    assert "科学技术普及部" in content
    assert "部室负责人" in content
    assert '<html lang="zh-hans">' in content


def test_home_in_english_when_chosen(make_user, login):
    client = login(make_user("kp", role=Role.EXPERT))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(reverse("home")).content.decode()
    assert "Promote the transfer of sci-tech achievements" in content


def test_audit_page_for_auditor_verifies_and_exports(make_user, login):
    auditor = make_user("aud", role=Role.AUDITOR)
    client = login(auditor)
    page = client.get(reverse("accounts:audit_list") + "?verify=1").content.decode()
    assert "哈希链完整" in page
    assert "accounts.membership.add" in page
    export = client.get(reverse("accounts:audit_export") + "?action=accounts.membership")
    body = export.content.decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("序号,时间,操作人")
    assert len(lines) == 2
    assert AuditEvent.objects.filter(action="core.audit.export", actor_id=auditor.pk).count() == 1


def test_audit_page_refused_to_admin(make_user, login):
    # Separation of duties: the administrator cannot read the audit trail.
    client = login(make_user("root", role=Role.ADMIN))
    assert client.get(reverse("accounts:audit_list")).status_code == 403
    assert client.get(reverse("accounts:audit_export")).status_code == 403


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_organization_list_queries_constant(make_user, login):
    client = login(make_user("root", role=Role.LEADER))
    parent = create_organization(name="测试上级", kind=OrganizationKind.SOCIETY)
    create_organization(name="测试学会1", kind=OrganizationKind.SOCIETY, parent=parent)
    one = _count(client, reverse("accounts:organization_list") + "?q=测试学会")
    for n in (2, 3):
        create_organization(name=f"测试学会{n}", kind=OrganizationKind.SOCIETY, parent=parent)
    three = _count(client, reverse("accounts:organization_list") + "?q=测试学会")
    assert one == three


def test_user_list_queries_constant(make_user, login):
    client = login(make_user("root", role=Role.ADMIN))
    make_user("zz1", role=Role.EXPERT)
    one = _count(client, reverse("accounts:user_list") + "?q=zz")
    make_user("zz2", role=Role.EXPERT)
    make_user("zz3", role=Role.EXPERT)
    three = _count(client, reverse("accounts:user_list") + "?q=zz")
    assert one == three


def test_audit_list_queries_constant(make_user, login):
    client = login(make_user("aud", role=Role.AUDITOR))
    record_event(None, "zz.one", actor_name="x")
    one = _count(client, reverse("accounts:audit_list") + "?action=zz.")
    record_event(None, "zz.two", actor_name="x")
    record_event(None, "zz.three", actor_name="x")
    three = _count(client, reverse("accounts:audit_list") + "?action=zz.")
    assert one == three


@pytest.mark.parametrize("url", ["/healthz"])
def test_health_endpoint(client, db, url):
    assert client.get(url).json() == {"status": "ok"}


def test_notifications_mark_read(make_user, login):
    from kexie.core.models import Notification
    from kexie.core.services import notify

    user = make_user("u", role=Role.EXPERT)
    notify(user=user, title="请报送进展")
    client = login(user)
    assert "请报送进展" in client.get(reverse("notifications")).content.decode()
    client.post(reverse("notifications_read"))
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 0
