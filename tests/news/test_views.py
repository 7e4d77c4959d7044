"""The pages: a typical case from the ledger through the three reviews by POSTs, the portal list,
search, feed and sitemap, attachments as downloads, withdrawal removing it from list and feed."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.news import services
from kexie.news.enums import Column, VersionState
from kexie.news.models import NewsItem
from kexie.policy.demo import SEED_NOTICE
from kexie.policy.notices.parser import parse_notice
from kexie.policy.services import confirm_notice, create_notice_draft, draft_unit_names, match_organizations

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _act(client, item, action, **data):
    return client.post(reverse("news:item_action", args=[item.pk, action]), data, follow=True)


def test_journey_through_the_pages(client, login, ledger_case, writer, editor, head, leader):
    login(writer)
    response = client.post(reverse("news:from_ledger"), {"case": ledger_case.pk})
    item = NewsItem.objects.get(source_case=ledger_case)
    assert response["Location"] == reverse("news:manage_item", args=[item.pk])
    page = _act(client, item, "attach", file=SimpleUploadedFile("bad.pdf", b"MZ not a pdf"))
    assert "bad.pdf" in page.content.decode()
    _act(client, item, "submit")
    login(editor)
    assert item.latest_version.title in client.get(reverse("news:manage")).content.decode()
    _act(client, item, "review", decision="pass", comment="已校对")
    login(head)
    page = _act(client, item, "review", decision="return", comment="")
    assert item.latest_version.state == VersionState.IN_REVIEW
    _act(client, item, "review", decision="return", comment="请补充数据来源")
    login(writer)
    _act(client, item, "save", title=ledger_case.title, body=ledger_case.body + "（数据来源：区县报表）")
    _act(client, item, "submit")
    login(editor)
    _act(client, item, "review", decision="pass")
    login(head)
    _act(client, item, "review", decision="pass")
    login(leader)
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = _act(client, item, "review", decision="pass", publish_at=past)
    assert "过去" in page.content.decode() or "in the past" in page.content.decode()
    _act(client, item, "review", decision="pass")
    item.refresh_from_db()
    assert item.is_public
    client.logout()
    column = client.get(reverse("news:column", args=[Column.CASE])).content.decode()
    assert ledger_case.title in column
    assert (
        ledger_case.title
        in client.get(reverse("news:column", args=[Column.CASE]), {"q": "大篷车"}).content.decode()
    )
    assert (
        ledger_case.title
        not in client.get(reverse("news:column", args=[Column.CASE]), {"q": "无关"}).content.decode()
    )
    feed = client.get(reverse("news:feed", args=[Column.CASE]))
    assert (
        feed["Content-Type"].startswith("application/atom+xml") and ledger_case.title in feed.content.decode()
    )
    assert reverse("news:item", args=[item.pk]) in client.get(reverse("news:sitemap")).content.decode()
    item_page = client.get(reverse("news:item", args=[item.pk])).content.decode()
    assert 'property="og:title"' in item_page
    login(leader)
    page = _act(client, item, "withdraw", reason="")
    item.refresh_from_db()
    assert item.withdrawn_at is None
    _act(client, item, "withdraw", reason="案例数据待复核")
    client.logout()
    assert ledger_case.title not in client.get(reverse("news:column", args=[Column.CASE])).content.decode()
    assert ledger_case.title not in client.get(reverse("news:feed", args=[Column.CASE])).content.decode()
    assert client.get(reverse("news:item", args=[item.pk])).status_code == 404


def test_drafts_and_attachments_are_not_public(client, login, writer, editor, head, leader, media, make_user):
    item = services.create_item(writer, column=Column.NOTICE, title="关于申报的通知", body="正文")
    att = services.add_attachment(writer, item.latest_version, SimpleUploadedFile("申报表.pdf", PDF))
    url = reverse("news:attachment", args=[item.pk, att.pk])
    assert client.get(reverse("news:item", args=[item.pk])).status_code == 404
    assert client.get(url).status_code == 404
    outsider = make_user("other", org_name="组织人事部")
    login(outsider)
    assert client.get(reverse("news:manage_item", args=[item.pk])).status_code == 404
    client.logout()
    v = services.submit(writer, item.latest_version)
    for user in (editor, head, leader):
        services.review(user, v, decision="pass")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_words_page_for_editors_only(client, login, writer, editor):
    login(writer)
    assert client.get(reverse("news:words")).status_code == 403
    login(editor)
    client.post(reverse("news:words"), {"word": "绝密"})
    assert "绝密" in client.get(reverse("news:words")).content.decode()


def test_api_lists_only_public_items(client, writer):
    services.create_item(writer, column=Column.NEWS, title="草稿新闻", body="正文")
    response = client.get("/api/v1/news/items/")
    assert response.status_code == 200 and response.json() == []
    assert client.get("/api/v1/news/items/?column=nope").status_code == 400


def test_menus_todos_and_indicators(client, login, writer, editor, head, leader):
    from kexie.core import menus, todos  # noqa: PLC0415
    from kexie.policy import indicators  # noqa: PLC0415

    item = services.create_item(writer, column=Column.CASE, title="案例", body="正文")
    v = services.submit(writer, item.latest_version)
    mine = [t for t in todos.items_for(editor) if t.url == reverse("news:manage")]
    assert [t.count for t in mine] == [1]
    assert not [t for t in todos.items_for(leader) if t.url == reverse("news:manage")]
    assert indicators.compute("news.typical_cases_published").value == 0
    for user in (editor, head, leader):
        services.review(user, v, decision="pass")
    assert indicators.compute("news.typical_cases_published").value == 1
    reading = indicators.compute("news.items_per_column")
    assert reading.value == 1
    services.withdraw(leader, item, reason="撤回")
    assert indicators.compute("news.typical_cases_published").value == 0
    from django.contrib.auth.models import AnonymousUser  # noqa: PLC0415

    keys = {e.key for e in menus.entries_for(AnonymousUser(), section="public")}
    assert {"news.home", "news.column.case"} <= keys and "news.manage" not in keys
    assert "news.manage" in {e.key for e in menus.entries_for(writer, section="public")}
    assert client.get(reverse("news:column_notice")).status_code == 200
    # The top bar: one 信息公开 dropdown holding the columns.
    client.logout()
    page = client.get("/").content.decode()
    bar = page[page.index('data-nav-group="public-news.home"') :]
    bar = bar[: bar.index("</ul>")]
    assert [f'data-menu="news.column.{c.value}"' in bar for c in Column] == [True] * len(Column)


def test_write_page_refuses_a_past_time_and_saves_a_draft(client, login, writer, orgs):
    login(writer)
    url = reverse("news:item_create")
    data = {
        "column": Column.NOTICE,
        "organization": orgs["科学技术普及部"].pk,
        "title": "关于开展科普月活动的通知",
        "body": "正文",
        "valid_until": "2020-01-01",
        "publish_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    page = client.post(url, data)
    text = page.content.decode()
    assert page.status_code == 200 and ("已过去" in text or "in the past" in text)
    assert not NewsItem.objects.exists()
    other = dict(data, organization=orgs["组织人事部"].pk, publish_at="")
    assert client.post(url, other).status_code == 200  # not one of the writer's departments
    assert not NewsItem.objects.exists()
    response = client.post(url, dict(data, publish_at=""))
    item = NewsItem.objects.get()
    assert response["Location"] == reverse("news:manage_item", args=[item.pk])
    assert item.organization == orgs["科学技术普及部"] and item.expired


def test_dashboard_shows_the_closing_order_beside_the_measures(
    client, login, make_user, writer, editor, head, leader
):
    text = SEED_NOTICE.read_text(encoding="utf-8")
    duban = make_user("duban", role=Role.SUPERVISOR)
    draft = create_notice_draft(text=text, source_name="notice.txt", by=duban, parsed=parse_notice(text))
    confirm_notice(notice=draft, mapping=match_organizations(draft_unit_names(draft.draft)), by=duban)
    item = services.create_item(writer, column=Column.CASE, title="案例", body="正文")
    v = services.submit(writer, item.latest_version)
    for user in (editor, head, leader):
        services.review(user, v, decision="pass")

    page = login(leader).get(reverse("policy:dashboard")).content.decode()
    closing = page[page.index('data-testid="closing-order"') : page.index('data-testid="section"')]
    assert 'data-indicator="news.typical_cases_published"' in closing
    assert 'data-indicator="news.typical_people_published"' in closing
    cases = closing[closing.index("news.typical_cases_published") :]
    assert cases[cases.index('data-testid="closing-value">') :].split(">", 1)[1].strip().startswith("1 ")
    assert "典型案例 1" in closing  # items per column, broken down
