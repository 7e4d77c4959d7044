"""Browser journey (Playwright, Debian's chromium): a curator finds one expert entered twice (重庆大学
and a college of it), merges the two profiles on a phone, and marks a namesake pair as different
people on a desktop. Screenshots at 390 and 1366 px."""

from __future__ import annotations

from pathlib import Path

import pytest

from kexie.experts import services
from kexie.experts.enums import WorkKind
from kexie.experts.models import DistinctPair, Expert
from tests.experts.test_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_curator_merges_one_person_entered_twice(
    browser, phone_page, live_server, settings, curator, make_expert, disciplines
):
    settings.STAFF_SECOND_FACTOR = "optional"
    kept = make_expert("王健", organization_name="重庆大学")
    other = make_expert("王健", organization_name="重庆大学机械与运载工程学院", disciplines=("E05",))
    services.add_work(expert=other, by=curator, kind=WorkKind.PROJECT, title="焊接机器人视觉引导", year=2023)
    first = make_expert("陈静", organization_name="西南大学")
    second = make_expert("陈静", organization_name="西南大学")
    base = live_server.url
    page = phone_page
    page.set_default_timeout(60000)  # the first request of a live server warms up its imports
    sign_in(page, base, curator)
    page.goto(f"{base}/experts/duplicates/")
    assert page.locator("[data-testid=duplicate-pair]").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SHOTS / "experts-duplicates-390.png"), full_page=True)
    page.click(f"a[href='/experts/{kept.pk}/merge/{other.pk}/']")
    assert "焊接机器人视觉引导" in page.locator("[data-testid=merge-plan]").inner_text()
    page.click("[data-testid=merge-confirm]")
    page.wait_for_url(f"**/experts/{kept.pk}/")
    assert "焊接机器人视觉引导" in page.content()
    assert not Expert.objects.filter(pk=other.pk).exists()
    assert set(kept.disciplines.values_list("code", flat=True)) == {"F0201", "E05"}

    desk = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    desk.set_default_timeout(60000)
    sign_in(desk, base, curator)
    desk.goto(f"{base}/experts/duplicates/")
    assert desk.locator("[data-testid=duplicate-pair]").count() == 1
    desk.screenshot(path=str(SHOTS / "experts-duplicates-1366.png"), full_page=True)
    desk.click("[data-testid=mark-distinct]")
    desk.wait_for_selector("[data-testid=no-duplicates]")
    assert DistinctPair.objects.filter(first=first, second=second).exists()
