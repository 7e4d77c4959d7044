"""The expert library in a real browser: an expert creates their profile, staff verify it from the
queue, and the profile is found by the library's search; the list works on a phone."""

from __future__ import annotations

import pytest
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kexie.accounts.enums import Role
from kexie.experts.enums import VerificationState
from kexie.experts.models import Expert
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if "/2fa/verify/" in page.url:
        device = TOTPDevice.objects.get(user=user)
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        device.refresh_from_db()
        page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
        page.click("main button[type=submit]")
        page.wait_for_load_state()


def sign_out(page) -> None:
    page.click("[data-testid=user-menu]")
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/")


def test_expert_registers_staff_verify_and_find(page, live_server, make_user, disciplines, settings):
    settings.STAFF_SECOND_FACTOR = "required"
    expert_user = make_user("zhangwei", role=Role.EXPERT, full_name="张伟")
    curator = make_user("kechuang", role=Role.DEPARTMENT_STAFF, org_name="科学技术创新部")
    TOTPDevice.objects.create(user=curator, name="phone", confirmed=True)
    base = live_server.url

    # The expert fills in their own profile; it waits for verification.
    sign_in(page, base, expert_user)
    page.goto(f"{base}/experts/me/")
    assert page.locator("input[name=name]").input_value() == "张伟"
    page.fill("input[name=organization_name]", "重庆邮电大学")
    page.select_option("select[name=title]", "associate_professor")
    page.fill("input[name=disciplines]", "F0201")
    page.fill("input[name=keywords]", "页岩气、地质灾害")
    page.fill("textarea[name=biography]", "长期从事页岩气开发与地质灾害监测研究。")
    page.fill("input[name=mobile]", "13912345678")
    page.click("[data-testid=save]")
    page.wait_for_load_state()
    mine = Expert.objects.get(user=expert_user)
    assert mine.state == VerificationState.UNVERIFIED
    with translation.override("zh-hans"):  # the browser asks for Chinese
        assert page.locator("[data-testid=expert-state]").inner_text() == mine.get_state_display()
    assert page.locator("[data-testid=mobile]").inner_text() == "13912345678"
    sign_out(page)

    # Staff verify it from the queue.
    sign_in(page, base, curator)
    page.goto(f"{base}/experts/queue/")
    assert page.locator("[data-testid=queue-row]").count() == 1
    page.locator("[data-testid=queue-row]").get_by_role("button").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=queue-row]").count() == 0
    mine.refresh_from_db()
    assert mine.state == VerificationState.VERIFIED

    # The library's search finds the profile, with the contact masked for a curating staff member.
    page.goto(f"{base}/experts/?q=页岩气")
    rows = page.locator("[data-testid=expert-row]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-expert") == str(mine.pk)
    assert rows.first.locator("[data-testid=mobile]").inner_text() == "139****5678"
    assert page.locator(f"[data-testid=snippet][data-expert='{mine.pk}'] mark").count() >= 1


def test_library_on_a_phone(phone_page, live_server, curator, make_expert, disciplines, settings):
    settings.STAFF_SECOND_FACTOR = "required"
    TOTPDevice.objects.create(user=curator, name="phone", confirmed=True)
    make_expert("李明", keywords=["人工智能"], by=curator)

    sign_in(phone_page, live_server.url, curator)
    phone_page.goto(f"{live_server.url}/experts/")

    table = phone_page.locator("[data-testid=experts]")
    assert table.is_visible()
    assert table.locator("[data-testid=expert-row]").count() == 1
    # Nothing spills sideways out of the page on a 390 px screen.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
