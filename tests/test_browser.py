"""Browser journey (Playwright driving Debian's chromium): sign in with the second factor, see the
home page in Chinese, on a desktop and a phone."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kexie.accounts.enums import Role
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, username: str, device: TOTPDevice) -> None:
    # "/" is the public portal for an anonymous visitor: its sign-in button leads to the login page.
    page.goto(f"{base}/")
    page.click("[data-testid=portal-login]")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/2fa/verify/**")
    device.refresh_from_db()
    page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_leader_signs_in_with_second_factor_and_sees_chinese_home(page, live_server, make_user, settings):
    settings.STAFF_SECOND_FACTOR = "required"
    user = make_user("leader", role=Role.LEADER, full_name="王志坚")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _sign_in(page, live_server.url, "leader", device)
    assert page.title() == "我的首页 · 科协创新服务平台"
    assert page.locator("h1").first.inner_text() == "王志坚，您好"
    assert page.get_by_text("助推科技成果转移转化").is_visible()
    assert page.locator("[data-testid=memberships]").inner_text().strip() == "重庆市科学技术协会 · 领导"


def test_wrong_password_shows_chinese_error(page, live_server, make_user):
    make_user("alice", role=Role.EXPERT)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "not-the-password")
    page.click("main button[type=submit]")
    assert "用户名或密码不正确" in page.locator(".alert-danger").inner_text()


def test_phone_layout_collapses_navigation(phone_page, live_server, make_user, settings):
    settings.STAFF_SECOND_FACTOR = "optional"
    make_user("expert", role=Role.EXPERT, full_name="张三")
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "expert")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    # An expert's navigation: the sections it may open (成果转化 for the expert profile), never 督办.
    group = page.locator("[data-nav-group=transfer]")
    assert not group.is_visible()
    toggler.click()
    group.wait_for(state="visible")
    assert page.locator("[data-nav-group=supervision]").count() == 0
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
