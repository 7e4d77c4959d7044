"""Browser journey (Playwright, Debian's chromium): a department writes a typical case from a
completed task → 初审 passes → 复审 returns it with a comment → revised → 初审, 复审 pass → the leader
publishes at 终审 → it is on the portal (its front page and the column, on a phone; the column reached
from the desktop top bar) and in the column's Atom feed → withdrawn with a reason → gone from all.
Screenshots at 390 and 1366 px."""

from __future__ import annotations

from pathlib import Path

import pytest

from kexie.news.enums import VersionState
from kexie.news.models import NewsItem
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/**")


def _review(page, base, item, decision, comment=""):
    page.goto(f"{base}/news/manage/{item.pk}/")
    page.check(f"input[name=decision][value={decision}]")
    if comment:
        page.fill("textarea[name=comment]", comment)
    page.click("[data-testid=review-submit]")
    page.wait_for_selector(".alert")


def test_typical_case_from_task_to_portal_and_withdrawn(
    browser, phone_page, live_server, settings, completed_task, writer, editor, head, leader
):
    settings.STAFF_SECOND_FACTOR = "optional"
    base = live_server.url
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    desk.set_default_timeout(60000)
    _sign_in(desk, base, writer.username)
    desk.goto(f"{base}/news/manage/from-ledger/")
    desk.click(f"[data-testid=use-task-{completed_task.pk}]")
    desk.wait_for_url("**/news/manage/*/")
    item = NewsItem.objects.get(source_task=completed_task)
    desk.click("[data-testid=submit-review]")
    desk.wait_for_selector(".alert-success")

    _sign_in(desk, base, editor.username)
    desk.goto(f"{base}/news/manage/")
    assert completed_task.title in desk.locator("[data-testid=waiting]").inner_text()
    _review(desk, base, item, "pass", "文字已校对")
    _sign_in(desk, base, head.username)
    _review(desk, base, item, "return", "请补充参与人数的数据来源")
    assert item.latest_version.state == VersionState.DRAFT
    desk.screenshot(path=str(SHOTS / "news-returned-1366.png"), full_page=True)

    _sign_in(desk, base, writer.username)
    desk.goto(f"{base}/news/manage/{item.pk}/")
    assert "请补充参与人数的数据来源" in desk.locator("[data-testid=reviews]").first.inner_text()
    desk.fill("textarea[name=body]", completed_task.description + "（数据来源：各区县科协报表）")
    desk.click("[data-testid=save-draft]")
    desk.wait_for_selector(".alert-success")
    desk.click("[data-testid=submit-review]")
    desk.wait_for_selector(".alert-success")
    _sign_in(desk, base, editor.username)
    _review(desk, base, item, "pass")
    _sign_in(desk, base, head.username)
    _review(desk, base, item, "pass", "同意")
    _sign_in(desk, base, leader.username)
    desk.goto(f"{base}/news/manage/{item.pk}/")
    desk.screenshot(path=str(SHOTS / "news-final-review-1366.png"), full_page=True)
    _review(desk, base, item, "pass", "同意发布")
    item.refresh_from_db()
    assert item.is_public

    page = phone_page
    page.set_default_timeout(60000)
    page.goto(f"{base}/news/case/")
    assert completed_task.title in page.locator("[data-testid=news-list]").inner_text()
    page.click(f"text={completed_task.title}")
    page.wait_for_selector("[data-testid=news-item]")
    assert "数据来源" in page.locator("[data-testid=news-item]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SHOTS / "news-item-390.png"), full_page=True)
    feed = page.request.get(f"{base}/news/case/feed.atom").text()
    assert completed_task.title in feed
    # On the portal's front page (the 信息公开 block) and in the desktop top bar's 信息公开 menu.
    page.goto(f"{base}/")
    assert completed_task.title in page.locator("[data-testid=news-portal]").inner_text()
    desk.goto(f"{base}/")
    desk.click("[data-nav-group='public-news.home']")
    desk.click("[data-menu='news.column.case']")
    desk.wait_for_url("**/news/case/")
    assert completed_task.title in desk.locator("[data-testid=news-list]").inner_text()

    desk.goto(f"{base}/news/manage/{item.pk}/")
    desk.fill("[data-testid=withdraw-form] textarea[name=reason]", "参与人数口径待复核")
    desk.click("[data-testid=withdraw]")
    desk.wait_for_selector("[data-testid=withdrawn]")
    page.goto(f"{base}/news/case/")
    assert completed_task.title not in page.locator("[data-testid=news-list]").inner_text()
    page.screenshot(path=str(SHOTS / "news-list-390.png"), full_page=True)
    assert completed_task.title not in page.request.get(f"{base}/news/case/feed.atom").text()
    page.goto(f"{base}/")
    assert completed_task.title not in page.content()
    assert page.request.get(f"{base}/news/items/{item.pk}/").status == 404


def test_demo_portal_pages_at_both_widths(browser, phone_page, live_server, orgs, media):
    from kexie.accounts.models import User  # noqa: PLC0415
    from kexie.experts.models import Expert  # noqa: PLC0415
    from kexie.news import demo  # noqa: PLC0415
    from kexie.news.enums import Column  # noqa: PLC0415
    from kexie.policy.demo import load_demo_policy  # noqa: PLC0415
    from kexie.site.demo import DEMO_USERS, load_demo_users  # noqa: PLC0415

    load_demo_users()
    users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in DEMO_USERS])}
    load_demo_policy(users)
    Expert.objects.create(name="陈静", title="professor")  # reference data is flushed here: no expert demo
    demo.load_demo(users)
    base = live_server.url
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    desk.set_default_timeout(60000)
    desk.goto(f"{base}/news/")
    assert "全国科普日 2026" in desk.content()
    desk.screenshot(path=str(SHOTS / "news-home-1366.png"), full_page=True)
    page = phone_page
    page.set_default_timeout(60000)
    topic = NewsItem.objects.get(column=Column.TOPIC)
    page.goto(f"{base}/news/items/{topic.pk}/")
    assert "重庆市科普讲解大赛决赛举行" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SHOTS / "news-topic-390.png"), full_page=True)
    notice = NewsItem.objects.filter(
        column=Column.NOTICE, published_version__attachments__isnull=False
    ).first()
    page.goto(f"{base}/news/items/{notice.pk}/")
    with page.expect_download() as download:
        page.click("text=科普基地申报表.pdf")
    assert download.value.suggested_filename == "科普基地申报表.pdf"
    page.screenshot(path=str(SHOTS / "news-notice-390.png"), full_page=True)
