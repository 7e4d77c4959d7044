"""Browser journey (Playwright, Debian's chromium): a scientist files a need on a phone → 组织人事部
routes it → the 督办 task is in the unit's ledger with its deadline → the unit replies → 不满意 reopens
it → a second reply → 满意; measure 6's indicators move. Screenshots at 390 and 1366 px."""

from __future__ import annotations

from pathlib import Path

import pytest

from kexie.policy.indicators import registered
from kexie.workers.enums import NeedState
from kexie.workers.models import Need
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/**")


def _sign_out(page):
    page.context.clear_cookies()


def test_need_from_phone_to_satisfied_reply(
    browser, phone_page, live_server, settings, scientist, triage, bureau, bureau_staff, categories
):
    settings.STAFF_SECOND_FACTOR = "optional"
    base = live_server.url
    page = phone_page
    page.set_default_timeout(60000)  # the first request of a live server warms up its imports
    _sign_in(page, base, scientist.username)
    page.goto(f"{base}/workers/needs/new/")
    page.select_option("select[name=category]", label="职称")
    page.fill("input[name=title]", "民营企业工程师职称申报通道")
    page.fill(
        "textarea[name=description]", "民营科技企业工程师申报高级职称缺少评审通道，希望推动建立评审委员会。"
    )
    page.select_option("select[name=district]", value="500113")
    page.screenshot(path=str(SHOTS / "workers-need-form-390.png"), full_page=True)
    page.click("[data-testid=submit-need]")
    page.wait_for_url("**/workers/needs/*/")
    receipt = page.locator("[data-testid=receipt]").inner_text()
    need = Need.objects.get(receipt=receipt)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    desk = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    desk.set_default_timeout(60000)
    _sign_in(desk, base, triage.username)
    desk.goto(f"{base}/workers/needs/{need.pk}/")
    desk.select_option("select[name=unit]", label=bureau.name)
    desk.fill("input[name=workdays]", "5")
    desk.click("[data-testid=route]")
    desk.wait_for_selector(".alert-success")
    need.refresh_from_db()
    assert need.state == NeedState.ROUTED
    desk.screenshot(path=str(SHOTS / "workers-need-routed-1366.png"), full_page=True)
    desk.context.clear_cookies()

    _sign_in(desk, base, bureau_staff.username)
    desk.goto(f"{base}/supervision/tasks/{need.task_id}/")
    assert need.receipt in desk.content()
    assert need.reply_due.isoformat() in desk.content()
    desk.goto(f"{base}/workers/needs/{need.pk}/")
    assert desk.locator("[data-testid=filer]").inner_text().startswith("林青")
    desk.fill("textarea[name=text]", "已会同职称处研究，拟于明年设立行业评审委员会。")
    desk.click("[data-testid=reply-submit]")
    desk.wait_for_selector(".alert-success")

    page.goto(f"{base}/workers/needs/{need.pk}/")
    page.check("input[name=rating][value=unsatisfied]")
    page.fill("textarea[name=reason]", "没有给出时间表")
    page.click("[data-testid=rate]")
    page.wait_for_selector(".alert-success")
    need.refresh_from_db()
    assert need.state == NeedState.REOPENED

    desk.goto(f"{base}/workers/needs/{need.pk}/")
    desk.fill("textarea[name=text]", "补充答复：行业评审委员会将于明年3月成立，届时开放申报。")
    desk.click("[data-testid=reply-submit]")
    desk.wait_for_selector(".alert-success")

    page.goto(f"{base}/workers/needs/{need.pk}/")
    page.check("input[name=rating][value=satisfied]")
    page.click("[data-testid=rate]")
    page.wait_for_selector(".alert-success")
    page.screenshot(path=str(SHOTS / "workers-need-closed-390.png"), full_page=True)
    need.refresh_from_db()
    assert need.state == NeedState.CLOSED
    indicators = {i.key: i for i in registered()}
    assert indicators["workers.satisfaction"].function(None).value == 50.0  # 不满意 then 满意
    assert indicators["workers.replied_on_time"].function(None).value == 100.0
    desk.context.close()


def test_district_requests_a_talk_on_a_phone_and_staff_schedule_it(
    browser, phone_page, live_server, settings, make_user, orgs
):
    from datetime import timedelta

    from django.utils import timezone

    from kexie.accounts.enums import Role
    from kexie.workers import spirit
    from kexie.workers.models import SpiritTalk

    settings.STAFF_SECOND_FACTOR = "optional"
    base = live_server.url
    district = make_user("yuzhong", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会", full_name="赵敏")
    staff = make_user("xuanchuan", role=Role.DEPARTMENT_STAFF, org_name="宣传文化部", full_name="吴宣")
    spirit.add_speaker(name="陈守仁", title="研究员", topics="扎根西南水利", by=staff)
    page = phone_page
    page.set_default_timeout(60000)
    _sign_in(page, base, district.username)
    page.goto(f"{base}/workers/spirit/")
    page.select_option("select[name=requester]", label="渝中区科学技术协会")
    page.fill("input[name=topic]", "科学家精神进校园")
    page.fill("input[name=preferred_date]", (timezone.localdate() + timedelta(days=10)).isoformat())
    page.fill("input[name=expected_audience]", "300")
    page.click("[data-testid=request-talk]")
    page.wait_for_selector(".alert-success")
    page.screenshot(path=str(SHOTS / "workers-spirit-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    talk = SpiritTalk.objects.get()
    assert talk.requester.name == "渝中区科学技术协会"

    desk = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    desk.set_default_timeout(60000)
    _sign_in(desk, base, staff.username)
    desk.goto(f"{base}/workers/spirit/")
    request = desk.locator("[data-testid=talk-request]").first
    request.locator("summary", has_text="安排").click()
    request.locator("select[name=speaker]").select_option(label="陈守仁")
    request.locator("input[name=scheduled_at]").fill(
        (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT14:30")
    )
    request.locator("input[name=place]").fill("巴蜀中学报告厅")
    request.locator("button", has_text="安排").click()
    desk.wait_for_selector(".alert-success")
    desk.screenshot(path=str(SHOTS / "workers-spirit-1366.png"), full_page=True)
    talk.refresh_from_db()
    assert talk.state == "scheduled" and talk.place == "巴蜀中学报告厅"
    desk.context.close()


def test_archive_item_uploaded_catalogued_found_and_shown(
    browser, page, live_server, settings, curator, tmp_path
):
    """A curator uploads and catalogues an item; the public finds it through search and sees it on the
    exhibition page; a restricted item stays out of both."""
    from kexie.search.tasks import update_search_index  # noqa: F401 - the index runs in-process (immediate)
    from kexie.workers.models import ArchiveItem

    settings.STAFF_SECOND_FACTOR = "optional"
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    page.set_default_timeout(60000)
    _sign_in(page, base, curator.username)
    page.goto(f"{base}/workers/archive/manage/")
    page.fill("input[name=scientist_name]", "陈守仁")
    page.fill("input[name=born]", "1931")
    page.fill("input[name=field]", "水利工程")
    page.select_option("select[name=access]", value="public")
    page.click("main button[type=submit]")
    page.wait_for_url("**/workers/archive/collections/*/")
    pdf = tmp_path / "讲义.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    for title, level in [("坝工讲义手稿", "public"), ("坝工口述史访谈", "restricted")]:
        page.fill("input[name=title]", title)
        page.fill("input[name=creator]", "陈守仁")
        page.fill("input[name=date]", "1978-09")
        page.select_option("select[name=item_type]", value="manuscript")
        page.fill("input[name=rights]", "经家属授权")
        page.fill("input[name=provenance]", "2024 年度采集")
        page.select_option("select[name=access]", value=level)
        page.set_input_files("input[name=file]", str(pdf))
        page.click("[data-testid=save-item]")
        page.wait_for_url("**/workers/archive/items/*/")
        if level == "public":
            page.screenshot(path=str(SHOTS / "workers-archive-item-1366.png"), full_page=True)
        page.go_back()
        page.goto(page.url)
    assert ArchiveItem.objects.count() == 2

    public = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    ).new_page()
    public.set_default_timeout(60000)
    public.goto(f"{base}/search/?q=坝工")
    results = public.locator("[data-testid=search-hit][data-kind=archive]")
    results.first.wait_for()
    assert results.count() == 1 and "讲义手稿" in results.first.inner_text()
    public.goto(f"{base}/workers/archive/")
    body = public.locator("main").inner_text()
    assert "坝工讲义手稿" in body and "口述史" not in body
    public.screenshot(path=str(SHOTS / "workers-exhibition-390.png"), full_page=True)
    public.context.close()
