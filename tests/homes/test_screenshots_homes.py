"""Each demo role's home at 1366 and 390 px, into docs/screenshots (homes-<role>-<width>.png); the
anonymous portal too; for a district association's staff also their district view
(homes-<role>-district-<width>.png). Also checks that no such page scrolls sideways on a phone.

KEXIE_SCREENSHOT_ROLES=yuzhong,calls_channel (comma-separated logins, "anonymous" for the portal)
takes only those roles' pictures, e.g. after a change to one kind of home."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kexie.site.demo import DEMO_PASSWORD, EXTRA_LOGINS, load_demo
from tests.conftest import load_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {1366: 900, 390: 844}


def test_every_demo_role_home_screenshots(browser, live_server, settings):
    settings.STAFF_SECOND_FACTOR = "optional"
    load_reference_data()  # NSFC disciplines (a transactional test may start after another's flush)
    logins = [username for username, _description in [*load_demo(), *EXTRA_LOGINS]]
    only = {name.strip() for name in os.environ.get("KEXIE_SCREENSHOT_ROLES", "").split(",") if name.strip()}
    SHOTS.mkdir(parents=True, exist_ok=True)
    for username in [None, *logins]:
        if only and (username or "anonymous") not in only:
            continue
        for width, height in WIDTHS.items():
            context = browser.new_context(
                locale="zh-CN", viewport={"width": width, "height": height}, device_scale_factor=1
            )
            page = context.new_page()
            page.set_default_timeout(30000)
            if username is not None:
                page.goto(f"{live_server.url}/accounts/login/")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", DEMO_PASSWORD)
                page.click("main button[type=submit]")
                page.wait_for_url(f"{live_server.url}/")
            else:
                page.goto(f"{live_server.url}/")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
                username,
                width,
            )
            name = username or "anonymous"
            page.screenshot(path=str(SHOTS / f"homes-{name}-{width}.png"), full_page=width == 1366)
            if page.locator('[data-home="district"]').count():
                page.goto(f"{live_server.url}/supervision/districts/")
                page.wait_for_selector('[data-testid="district-indicators"]')
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
                    username,
                    width,
                    "district view",
                )
                page.screenshot(
                    path=str(SHOTS / f"homes-{name}-district-{width}.png"), full_page=width == 1366
                )
            context.close()
