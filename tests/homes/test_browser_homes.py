"""The hand-over journey in a browser: an enterprise registers from the portal and posts a demand;
staff see it in 我的待办 and are notified, publish it and start a docking; the enterprise is notified and
sees the docking request. Screenshots of the homes go to docs/screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kexie.accounts.enums import Role
from kexie.core.models import Notification
from kexie.search import index as search
from kexie.search.backends.tantivy_backend import TantivyBackend
from kexie.transfer import documents
from kexie.transfer.enums import SearchKind
from kexie.transfer.models import Demand, Docking, Industry
from kexie.transfer.services import load_industries
from tests.conftest import PASSWORD
from tests.transfer.conftest import YUZHONG, expert_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def backend(tmp_path):
    backend = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(backend)
    search.register_source(SearchKind.DEMAND, documents.demand_documents)
    search.register_source(SearchKind.ACHIEVEMENT, documents.achievement_documents)
    search.register_source(SearchKind.TEAM, documents.team_documents)
    yield backend
    search.set_backend(None)


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:
        page.wait_for_url("**/2fa/verify/**")
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        device.refresh_from_db()
        page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
        page.click("main button[type=submit]")
        page.wait_for_load_state()


def sign_out(page) -> None:
    page.click("[data-testid=user-menu]")
    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_url("**/accounts/login/")


def test_enterprise_registers_posts_staff_todo_notified_publish_enterprise_sees_docking(
    page, live_server, make_user, settings
):
    settings.STAFF_SECOND_FACTOR = "required"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load_industries()
    industry = Industry.objects.get(code="34")
    staff = make_user(
        "kechuang",
        role=Role.DEPARTMENT_STAFF,
        org_name="科学技术创新部",
        full_name="刘洋",
        email="ly@example.cn",
    )
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    search.index_documents(
        [
            expert_document(
                "e1", "王立新", "工业机器人 减速器 齿轮 精度 传动", disciplines=["E0501"], district=YUZHONG
            )
        ]
    )
    base = live_server.url

    # The portal leads an anonymous visitor to the enterprise registration.
    page.goto(f"{base}/")
    assert page.locator("[data-testid=portal]").is_visible()
    page.locator("[data-testid=portal] [data-menu='transfer.register']").click()
    page.wait_for_url("**/transfer/register/")
    page.fill("input[name=enterprise_name]", "重庆精工传动有限公司")
    page.select_option("select[name=district]", YUZHONG)
    page.fill("input[name=full_name]", "何建")
    page.fill("input[name=mobile]", "13800001111")
    page.fill("input[name=username]", "jinggong")
    page.fill("input[name=password]", "Chuandong#7741q")
    page.fill("input[name=password2]", "Chuandong#7741q")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "/transfer/demands/new/" in page.url, page.locator("main").inner_text()[:600]

    # It posts a demand and submits it for review.
    page.fill("input[name=title]", "工业机器人减速器精度提升")
    page.fill("textarea[name=description]", "我公司工业机器人RV减速器回差偏大，需要提升齿轮加工精度。")
    page.select_option("select[name=industry]", str(industry.pk))
    page.select_option("select[name=district]", YUZHONG)
    page.select_option("select[name=budget]", "50-100")
    page.fill("input[name=contact_name]", "何建")
    page.fill("input[name=contact_mobile]", "13800001111")
    page.click("[data-testid=save-demand]")
    page.wait_for_load_state()
    page.click("[data-testid=submit-demand]")
    page.wait_for_load_state()
    demand = Demand.objects.get()
    assert demand.state == "submitted"
    sign_out(page)

    # Staff: the demand is in 我的待办, and a notification (in-app and by e-mail) links to it.
    assert Notification.objects.filter(user=staff, event="transfer.demand_submitted").count() == 1
    assert any("待审需求" in m.subject for m in mail.outbox if "ly@example.cn" in m.to)
    sign_in(page, base, "kechuang")
    todo = page.locator("[data-testid=todo] a[data-todo]", has_text="等待审核的技术需求")
    assert todo.locator("[data-count]").inner_text() == "1"
    page.screenshot(path=str(SHOTS / "homes-journey-staff-todo.png"), full_page=True)
    assert "1" in page.locator("a[href='/notifications/'] .badge").inner_text()
    todo.click()
    page.get_by_role("link", name="工业机器人减速器精度提升").click()
    page.click("[data-testid=publish-demand]")
    page.wait_for_load_state()
    page.click("[data-testid=open-matches]")
    page.wait_for_load_state()
    page.locator("[data-testid=experts] [data-testid=match][data-id=e1] [data-testid=create-docking]").click()
    page.wait_for_load_state()
    docking = Docking.objects.get()
    sign_out(page)

    # The enterprise is told of the publication and of the docking, and sees the docking request.
    sign_in(page, base, "jinggong", "Chuandong#7741q")
    events = set(Notification.objects.filter(user__username="jinggong").values_list("event", flat=True))
    assert {"transfer.demand_published", "transfer.docking_created"} <= events
    panel = page.locator("[data-testid=home-enterprise]")
    assert panel.is_visible()
    page.screenshot(path=str(SHOTS / "homes-journey-enterprise-home.png"), full_page=True)
    page.goto(f"{base}/notifications/")
    page.get_by_role("link", name="您的需求有对接请求：王立新").click()
    page.wait_for_url(f"**/transfer/dockings/{docking.pk}/")
    assert "王立新" in page.locator("main").inner_text()
