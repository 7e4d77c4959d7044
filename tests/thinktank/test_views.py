"""Pages of the think tank: access, the public column, feed, search and exports, formal documents."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from kexie.core import menus, todos
from kexie.thinktank import services
from kexie.thinktank.enums import Access, EventKind, FeedbackKind, FeedbackLevel, ProjectKind
from tests.thinktank.conftest import docx_upload, reindex_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(staff, publicity):
    public = services.add_result(
        by=staff,
        title="公开的创新生态报告",
        authors="研究中心",
        year=2026,
        access=Access.PUBLIC,
        summary="协同创新基金的公开建议",
        upload=docx_upload(name="public.docx"),
    )
    services.publish_to_column(result=public, by=publicity)
    internal = services.add_result(
        by=staff,
        title="内部的协同创新基金测算",
        authors="研究中心",
        year=2026,
        summary="协同创新基金内部测算",
        upload=docx_upload(name="internal.docx"),
    )
    reindex_all()
    return public, internal


def test_internal_result_never_reaches_the_public(results, client):
    public, internal = results
    column = client.get(reverse("thinktank:column")).content.decode()
    assert public.title in column and internal.title not in column
    feed = client.get(reverse("thinktank:column_feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert public.title in feed.content.decode() and internal.title not in feed.content.decode()
    export = client.get(reverse("thinktank:column_export")).content.decode()
    assert public.title in export and internal.title not in export
    assert client.get(reverse("thinktank:result_detail", args=[internal.pk])).status_code == 404
    assert client.get(reverse("thinktank:result_file", args=[internal.pk])).status_code == 404
    assert client.get(reverse("thinktank:result_export")).status_code == 302  # to the login page
    found = client.get(reverse("search:results"), {"q": "协同创新基金"}).content.decode()
    # Titles are highlighted (<mark>): the links to the detail pages say which results are listed.
    assert reverse("thinktank:result_detail", args=[public.pk]) in found
    assert reverse("thinktank:result_detail", args=[internal.pk]) not in found


def test_staff_find_internal_results_and_export_them(results, staff, login):
    public, internal = results
    client = login(staff)
    found = client.get(reverse("search:results"), {"q": "协同创新基金"}).content.decode()
    assert reverse("thinktank:result_detail", args=[public.pk]) in found
    assert reverse("thinktank:result_detail", args=[internal.pk]) in found
    export = client.get(reverse("thinktank:result_export")).content.decode()
    assert internal.title in export
    assert client.get(reverse("thinktank:result_file", args=[internal.pk])).status_code == 200


def test_api_results_for_the_public_are_public_only(results, client, staff, login):
    public, internal = results
    anonymous = client.get("/api/v1/thinktank/column").json()
    assert [r["id"] for r in anonymous] == [public.pk]
    titles = {r["title"] for r in login(staff).get("/api/v1/thinktank/results").json()}
    assert titles == {public.title, internal.title}


def test_district_user_proposes_and_sees_only_own_questions(district, staff, login):
    other = services.propose_question(
        by=staff, title="别人的问题标题", background="别人的问题背景说明，超过二十个字符的长度要求。"
    )
    client = login(district)
    response = client.post(
        reverse("thinktank:question_new"),
        {
            "title": "山区县科技特派员制度优化研究",
            "background": "山区县科技特派员服务覆盖不均衡，需要研究激励和考核机制。",
            "field": "",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("thinktank:question_list")).content.decode()
    assert "山区县科技特派员制度优化研究" in page and other.title not in page
    assert client.get(reverse("thinktank:question_detail", args=[other.pk])).status_code == 404


def test_bad_question_shows_field_errors(district, login):
    response = login(district).post(reverse("thinktank:question_new"), {"title": "短", "background": "短"})
    assert response.status_code == 200
    assert "至少" in response.content.decode() or "at least" in response.content.decode()


def test_brief_docx_and_pdf_are_laid_out(issued_brief, staff, login):
    client = login(staff)
    response = client.get(reverse("thinktank:brief_docx", args=[issued_brief.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "院士专家建议" in text
    assert issued_brief.issue_label in text
    assert "报送：市委、市政府领导" in text
    assert issued_brief.title in text
    pdf = client.get(reverse("thinktank:brief_pdf", args=[issued_brief.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_brief_page_shows_feedback_and_task_lights(issued_brief, staff, orgs, login):
    services.record_feedback(
        brief=issued_brief,
        by=staff,
        kind=FeedbackKind.INSTRUCTION,
        given_by="李副市长",
        level=FeedbackLevel.CITY_LEADER,
        given_on=timezone.localdate(),
        text="请研究落实。",
        task_departments=[orgs["科学技术创新部"]],
        task_due=timezone.localdate() + timedelta(days=20),
    )
    page = login(staff).get(reverse("thinktank:brief_detail", args=[issued_brief.pk])).content.decode()
    assert "李副市长" in page and "科学技术创新部" in page and "kx-light-" in page


def test_briefs_are_hidden_from_outsiders(issued_brief, make_user, login):
    outsider = make_user("ent", role="enterprise", org_name="重庆市科学技术协会")
    assert login(outsider).get(reverse("thinktank:brief_detail", args=[issued_brief.pk])).status_code == 404
    assert Client().get(reverse("thinktank:brief_docx", args=[issued_brief.pk])).status_code == 302


def test_every_staff_page_renders(staff, results, issued_brief, login):
    guide = services.create_guide(by=staff, year=2026, title="指南")
    project = services.create_project(
        by=staff,
        kind=ProjectKind.CONSULTATION,
        title="咨询",
        lead_organization="院",
        principal="李",
        client="市发改委",
    )
    event = services.create_event(
        by=staff, kind=EventKind.ANNUAL_MEETING, title="重庆市科协年会", held_on=timezone.localdate()
    )
    services.add_viewpoint(
        event=event,
        by=staff,
        speaker="张院士",
        title="加强基础研究",
        text="基础研究是科技创新的源头，需要长期稳定支持。",
    )
    client = login(staff)
    for name, args in [
        ("home", []),
        ("statistics", []),
        ("worker_surveys", []),
        ("network", []),
        ("base_new", []),
        ("question_list", []),
        ("question_new", []),
        ("guide_list", []),
        ("guide_new", []),
        ("guide_detail", [guide.pk]),
        ("project_list", []),
        ("project_new", []),
        ("project_detail", [project.pk]),
        ("project_deliver", [project.pk]),
        ("result_list", []),
        ("result_new", []),
        ("brief_list", []),
        ("brief_new", []),
        ("brief_detail", [issued_brief.pk]),
        ("brief_feedback", [issued_brief.pk]),
        ("column", []),
        ("event_list", []),
        ("event_detail", [event.pk]),
    ]:
        response = client.get(reverse(f"thinktank:{name}", args=args))
        assert response.status_code == 200, name
    compilation = client.get(reverse("thinktank:event_compilation", args=[event.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(compilation.content)).paragraphs)
    assert "观点汇编" in text and "张院士" in text


def test_staff_pages_refuse_a_district_user(district, login):
    client = login(district)
    assert client.get(reverse("thinktank:result_new")).status_code == 403
    assert client.get(reverse("thinktank:guide_new")).status_code == 403


def test_todos_follow_the_brief_through_its_workflow(staff, editor, leader):
    brief = services.create_brief(by=staff, title="建议", authors="专家", body="正文" * 30)
    services.submit_brief(brief=brief, by=staff)
    assert [(str(i.label), i.count) for i in todos.items_for(editor) if "建议" in str(i.label)] == [
        ("待编辑审核的建议", 1)
    ]
    services.review_brief(brief=brief, by=editor, approve=True)
    assert [(str(i.label), i.count, i.urgent) for i in todos.items_for(leader) if "建议" in str(i.label)] == [
        ("待您签发的建议", 1, True)
    ]


def test_menus_one_entry_per_reader(staff, district):
    def keys(user):
        return {e.key for e in menus.entries_for(user) if e.key.startswith("thinktank.")}

    assert keys(AnonymousUser()) == {"thinktank.column"}
    assert keys(staff) == {"thinktank.home"}
    assert keys(district) == {"thinktank.home"}  # district associations are association staff


@pytest.mark.parametrize("page", ["brief_list", "result_list", "question_list", "project_list"])
def test_list_pages_do_not_grow_queries_with_rows(page, staff, login):
    client = login(staff)

    def add(n):
        for i in range(n):
            services.create_brief(by=staff, title=f"建议{i}", authors="专家", body="正文" * 30)
            services.add_result(by=staff, title=f"成果{i}", authors="某某", year=2026)
            services.propose_question(
                by=staff,
                title=f"研究选题标题{i}",
                background="背景说明文字足够长，超过二十个字符了吧，是的。",
            )
            services.create_project(
                by=staff,
                kind="consultation",
                title=f"咨询{i}",
                lead_organization="院",
                principal="李",
                client="市科技局",
            )

    add(1)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(f"thinktank:{page}"))
    add(2)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse(f"thinktank:{page}"))
    assert len(three) == len(one)
