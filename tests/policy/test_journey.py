"""The supervision journey in a real browser (Playwright driving Debian's chromium): department staff
report progress with an attachment and ask to close; a leader approves; the dashboard changes."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kexie.accounts.enums import Role
from kexie.policy.models import Evidence, Task
from kexie.policy.services import confirm_notice, create_notice_draft, draft_unit_names, match_organizations
from tests.conftest import PASSWORD
from tests.policy.conftest import SEED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, user) -> None:
    device = TOTPDevice.objects.get(user=user)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/2fa/verify/**")
    # django-otp refuses a code of a time step already used (replay protection); a person signing in
    # again would wait for the next code, the test forgets the last step instead.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def sign_out(page) -> None:
    page.click("[data-testid=user-menu]")
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/")


def measure_row(page, number: int):
    return page.locator(f"[data-testid=measure-row][data-measure='{number}']")


def test_staff_report_leader_approve_dashboard_changes(page, live_server, make_user, settings, tmp_path):
    settings.STAFF_SECOND_FACTOR = "required"
    supervisor = make_user("duban", role=Role.SUPERVISOR)
    staff = make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部", full_name="李晓梅")
    leader = make_user("leader", role=Role.LEADER, full_name="王志坚")
    for user in (staff, leader):
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    draft = create_notice_draft(text=SEED.read_text(encoding="utf-8"), by=supervisor)
    confirm_notice(notice=draft, mapping=match_organizations(draft_unit_names(draft.draft)), by=supervisor)
    task = Task.objects.get(measure__number=9)
    evidence = tmp_path / "2026年公民科学素质调查报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 survey report")
    base = live_server.url

    # The leader's dashboard before: measure 9 not started, nothing completed.
    sign_in(page, base, leader)
    page.goto(f"{base}/supervision/")
    assert measure_row(page, 9).get_attribute("data-light") == "grey"
    sign_out(page)

    # Department staff report progress with an attachment, then ask to close.
    sign_in(page, base, staff)
    page.goto(f"{base}/supervision/tasks/")
    page.get_by_role("link", name="牵头深入实施全民科学素质行动").click()
    page.fill("textarea[name=text]", "完成2026年度公民科学素质抽样调查，城市公民具备科学素质比例为14.1%。")
    page.fill("input[name=percent]", "100")
    page.set_input_files("input[name=files]", str(evidence))
    page.click("[data-testid=submit-report]")
    page.wait_for_load_state()
    assert "进展已报送" in page.locator(".alert-success").inner_text()
    assert page.get_by_role("link", name="2026年公民科学素质调查报告.pdf").is_visible()
    page.click("[data-testid=request-completion]")
    page.wait_for_load_state()
    assert "申请办结" in page.locator(".badge").filter(has_text="申请办结").first.inner_text()
    sign_out(page)

    # The leader sees it waiting, approves, and the dashboard changes.
    sign_in(page, base, leader)
    page.goto(f"{base}/supervision/approvals/")
    page.get_by_role("link", name="牵头深入实施全民科学素质行动").click()
    page.click("[data-testid=approve]")
    page.wait_for_load_state()
    assert "已同意办结" in page.locator(".alert-success").inner_text()
    page.goto(f"{base}/supervision/")
    row = measure_row(page, 9)
    assert row.get_attribute("data-light") == "done"
    assert row.locator("[data-testid=percent]").inner_text() == "100%"
    task.refresh_from_db()
    assert (task.state, task.percent) == ("completed", 100)
    assert Evidence.objects.get().name == "2026年公民科学素质调查报告.pdf"
