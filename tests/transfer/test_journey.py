"""The transfer journey in a real browser: an enterprise posts a demand, staff publish it, open its
matches, create a docking, record a signed contract, and measure 2's indicator moves."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kexie.accounts.enums import Role
from kexie.policy.models import Measure
from kexie.policy.services import confirm_notice, create_notice_draft, draft_unit_names, match_organizations
from kexie.search import index as search
from kexie.transfer.models import Demand, Docking
from tests.conftest import PASSWORD
from tests.policy.conftest import SEED
from tests.transfer.conftest import YUZHONG, expert_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
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


def contract_value(page, base: str, measure_pk: int) -> str:
    page.goto(f"{base}/supervision/measures/{measure_pk}/")
    card = page.locator("[data-testid=indicator][data-key='transfer.contract_value']")
    text = card.locator("[data-testid=indicator-value]").inner_text().strip()
    return re.match(r"^[\d.]*", text).group(0)  # the figure without its unit


def test_enterprise_posts_staff_publish_match_dock_sign_indicator_moves(
    page, live_server, make_user, settings, owner, industry
):
    settings.STAFF_SECOND_FACTOR = "required"
    supervisor = make_user("duban", role=Role.SUPERVISOR)
    staff = make_user("kechuang", role=Role.DEPARTMENT_STAFF, org_name="科学技术创新部", full_name="刘洋")
    leader = make_user("leader", role=Role.LEADER, full_name="王志坚")
    for user in (staff, leader):
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    draft = create_notice_draft(text=SEED.read_text(encoding="utf-8"), by=supervisor)
    confirm_notice(notice=draft, mapping=match_organizations(draft_unit_names(draft.draft)), by=supervisor)
    measure = Measure.objects.get(number=2)
    search.index_documents(
        [
            expert_document(
                "e1", "王立新", "工业机器人 减速器 齿轮 精度 传动", disciplines=["E0501"], district=YUZHONG
            )
        ]
    )
    base = live_server.url

    sign_in(page, base, leader)
    assert contract_value(page, base, measure.pk) == "0"
    sign_out(page)

    # The enterprise posts a demand and submits it for review.
    sign_in(page, base, owner)
    page.goto(f"{base}/transfer/demands/new/")
    page.fill("input[name=title]", "工业机器人减速器精度提升")
    page.fill("textarea[name=description]", "我公司工业机器人RV减速器回差偏大，需要提升齿轮加工精度。")
    page.select_option("select[name=industry]", str(industry.pk))
    page.select_option("select[name=district]", YUZHONG)
    page.select_option("select[name=budget]", "50-100")
    page.fill("input[name=contact_name]", "张建国")
    page.fill("input[name=contact_mobile]", "13812345678")
    page.click("[data-testid=save-demand]")
    page.wait_for_load_state()
    page.click("[data-testid=submit-demand]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=demand-state]").get_attribute("data-state") == "submitted"
    demand = Demand.objects.get()
    sign_out(page)

    # Staff publish it, open its matches and dock with the expert.
    sign_in(page, base, staff)
    page.goto(f"{base}/transfer/demands/?state=submitted")
    page.get_by_role("link", name="工业机器人减速器精度提升").click()
    page.click("[data-testid=publish-demand]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=demand-state]").get_attribute("data-state") == "published"
    page.click("[data-testid=open-matches]")
    page.wait_for_load_state()
    expert = page.locator("[data-testid=experts] [data-testid=match][data-id=e1]")
    assert "减速器" in expert.locator("[data-testid=why-terms]").inner_text()
    assert expert.locator("[data-testid=why-district]").count() == 1
    expert.locator("[data-testid=create-docking]").click()
    page.wait_for_load_state()
    docking = Docking.objects.get()
    assert page.url.endswith(f"/transfer/dockings/{docking.pk}/")

    # A signed contract of 120 (ten thousand yuan).
    page.select_option("select[name=outcome-outcome]", "signed")
    page.fill("input[name=outcome-amount]", "120")
    page.fill("input[name=outcome-signed_on]", "2026-11-20")
    page.click("[data-testid=record-outcome]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=outcome]").get_attribute("data-outcome") == "signed"
    demand.refresh_from_db()
    assert demand.state == "signed"
    sign_out(page)

    # The measure-2 page shows the new contract value.
    sign_in(page, base, leader)
    assert contract_value(page, base, measure.pk) == "120"
