"""The calls journey in a real browser: codes → a dossier on a phone → unit and channel endorse →
a return at the formal check → resubmission → assignment with a conflict excluded (reason shown) →
scores → normalised ranking → 公示 → an objection handled → the result letter downloaded.
Screenshots at 390 and 1366 px go to docs/screenshots/calls-*.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kexie.calls import services
from kexie.calls.enums import CallState, FormalOutcome, SubmissionState
from kexie.calls.models import Assignment, Call, Submission
from tests.conftest import PASSWORD

from .conftest import ANSWERS, endorse_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def _context(browser, phone: bool):
    if phone:
        return browser.new_context(
            locale="zh-CN",
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
            accept_downloads=True,
        )
    return browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, accept_downloads=True)


def _as(browser, base, user, *, phone=False):
    context = _context(browser, phone)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return context, page


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"calls-{name}.png"), full_page=True)


def test_calls_journey(
    browser,
    live_server,
    settings,
    tmp_path,
    call,
    channel,
    staff,
    channel_admin,
    unit_staff,
    nominee,
    reviewers,
    make_user,
    university,
):
    settings.STAFF_SECOND_FACTOR = "optional"
    base = live_server.url
    Call.objects.filter(pk=call.pk).update(check_until=timezone.localdate() + dt.timedelta(days=30))
    channel.quota = 5
    channel.save()
    # Two other dossiers already accepted (so that the ranking has something to normalise).
    others = []
    codes = services.issue_codes(channel, 2, by=channel_admin)
    for n, code in enumerate(codes):
        user = make_user(f"other{n}", role=None)
        s = services.create_submission(
            call=call, applicant=user, code=code.code, organization=university, title=f"储层改造技术{n}"
        )
        services.save_draft(s, by=user, data={**ANSWERS, "name": f"候选{n}", "team": []})
        services.attach_file(s, field_key="evidence", upload=SimpleUploadedFile("a.pdf", PDF), by=user)
        s = endorse_all(
            services.submit(s, by=user), unit_staff=unit_staff, channel_admin=channel_admin, staff=staff
        )
        others.append(services.formal_check(s, by=staff, outcome=FormalOutcome.PASS))

    # 1. The channel administrator issues a batch of codes.
    ctx_admin, admin_page = _as(browser, base, channel_admin)
    admin_page.goto(f"{base}/calls/channels/{channel.pk}/")
    admin_page.fill("input[name=count]", "2")
    admin_page.click("[data-testid=issue]")
    admin_page.wait_for_selector("text=已发放 2 个推荐码")
    code = channel.codes.filter(used_at__isnull=True).order_by("-pk").first().code
    assert code in admin_page.locator("[data-testid=codes]").inner_text()
    _shot(admin_page, "channel-1366")

    # 2. The nominee fills the dossier on a phone; a wrong code first.
    ctx_nom, phone = _as(browser, base, nominee, phone=True)
    phone.goto(f"{base}/calls/{call.pk}/")
    phone.fill("input[name=code]", "WRONGCODE1")
    phone.fill("input[name=title]", "页岩气智能钻井关键技术")
    phone.fill("input[name=organization_name]", "重庆示范大学")
    phone.click("[data-testid=start]")
    assert "无效" in phone.locator("main").inner_text()
    phone.fill("input[name=code]", code)
    phone.click("[data-testid=start]")
    phone.wait_for_selector("[data-testid=dossier-form]")
    phone.fill("input[name=name]", "林晓雨")
    phone.select_option("select[name=sex]", "female")
    phone.fill("input[name=birth_date]", "1988-03-02")
    phone.fill("input[name=papers]", "12")
    phone.fill("textarea[name=summary]", ANSWERS["summary"])
    phone.fill("textarea[name=team]", "周海，重庆大学")
    bad = tmp_path / "note.exe"
    bad.write_bytes(b"MZ\x90\x00")
    phone.set_input_files("input[name=evidence]", str(bad))
    phone.click("[data-testid=save]")
    assert "文件类型不被接受" in phone.locator("main").inner_text()
    pdf = tmp_path / "证明材料.pdf"
    pdf.write_bytes(PDF)
    phone.set_input_files("input[name=evidence]", str(pdf))
    _shot(phone, "dossier-390")
    phone.click("[data-testid=submit]")
    phone.wait_for_selector("[data-testid=state]")
    assert "待推荐审核" in phone.locator("[data-testid=state]").inner_text()
    submission = Submission.objects.get(code__code=code)

    # 3. Unit, channel and organiser endorse.
    ctx_unit, unit_page = _as(browser, base, unit_staff)
    unit_page.goto(f"{base}/calls/dossiers/{submission.pk}/")
    unit_page.click("[data-testid=endorse]")
    unit_page.wait_for_selector("text=已推荐审核通过")
    admin_page.goto(f"{base}/calls/dossiers/{submission.pk}/")
    admin_page.click("[data-testid=endorse]")
    admin_page.wait_for_selector("text=已推荐审核通过")
    ctx_staff, staff_page = _as(browser, base, staff)
    staff_page.goto(f"{base}/calls/dossiers/{submission.pk}/")
    staff_page.click("[data-testid=endorse]")
    staff_page.wait_for_selector("[data-testid=check-box]")

    # 4. The formal check returns it with a reason on one field; the nominee corrects and resubmits.
    staff_page.locator("select[name=field]").first.select_option("summary")
    staff_page.locator("input[name=reason]").first.fill("请补充近五年代表性成果")
    staff_page.click("[data-testid=return]")
    staff_page.wait_for_selector("[data-testid=reasons]")
    phone.goto(f"{base}/calls/dossiers/{submission.pk}/")
    assert "请补充近五年代表性成果" in phone.locator("[data-testid=reasons]").inner_text()
    _shot(phone, "returned-390")
    phone.click("[data-testid=edit]")
    phone.fill("textarea[name=summary]", ANSWERS["summary"] + "近五年成果：页岩气示范井三口。")
    phone.click("[data-testid=submit]")
    phone.wait_for_selector("[data-testid=state]")
    assert "待形式审查" in phone.locator("[data-testid=state]").inner_text()
    staff_page.goto(f"{base}/calls/dossiers/{submission.pk}/")
    staff_page.click("[data-testid=pass]")
    staff_page.wait_for_selector("text=形式审查意见已记录")

    # 5. Staff create a round on its page, invite the pool and run the assignment.
    staff_page.goto(f"{base}/calls/manage/{call.pk}/rounds/new/")
    staff_page.fill("input[name=name]", "通讯评审")
    staff_page.fill("input[name=reviewers_per_submission]", "2")
    staff_page.fill("input[name=max_load]", "3")
    staff_page.click("[data-testid=save]")
    staff_page.wait_for_selector("text=已添加评审轮次")
    staff_page.click("summary:has-text('从专家库邀请')")
    for box in staff_page.locator("input[name=expert][type=checkbox]").all():
        box.check()
    staff_page.click("[data-testid=invite]")
    staff_page.wait_for_selector("text=已邀请评审专家")
    staff_page.click("[data-testid=assign]")
    staff_page.wait_for_selector("[data-testid=report]")
    exclusions = staff_page.locator("[data-testid=exclusions]").inner_text()
    assert "王钧" in exclusions and "现就职于评审对象所属单位重庆示范大学" in exclusions
    assert "王钧" not in staff_page.locator("[data-testid=assignments]").inner_text()
    _shot(staff_page, "round-1366")

    # 6. Reviewers score (the first one on a phone, with an out-of-range score refused).
    first = (
        Assignment.objects.filter(submission=submission, active=True)
        .select_related("reviewer__expert")
        .first()
    )
    reviewer_user = first.reviewer.expert.user
    ctx_rev, rev = _as(browser, base, reviewer_user, phone=True)
    rev.goto(f"{base}/calls/reviews/{first.pk}/")
    assert "林晓雨" not in rev.locator("main").inner_text()  # blind
    rev.fill("input[name=merit]", "75")
    rev.fill("input[name=impact]", "30")
    rev.click("[data-testid=save-score]")
    assert "分数须在 0 至 60 之间" in rev.locator("main").inner_text()
    rev.fill("input[name=merit]", "55")
    rev.fill("textarea[name=comment]", "成果突出")
    _shot(rev, "review-390")
    rev.click("[data-testid=save-score]")
    rev.wait_for_selector("text=评审意见已保存")
    base_scores = {submission.pk: 50, others[0].pk: 42, others[1].pk: 35}
    for a in Assignment.objects.filter(round__call=call, active=True, scored_at__isnull=True).select_related(
        "reviewer__expert"
    ):
        bonus = 8 if a.reviewer.expert.name == "陈研" else 0
        services.score(
            a,
            by=a.reviewer.expert.user,
            scores={"merit": base_scores[a.submission_id] + bonus, "impact": 30},
            comment="意见",
        )

    # 7. Ranking with normalisation, decisions, publicity.
    round_pk = first.round_id
    staff_page.goto(f"{base}/calls/rounds/{round_pk}/")
    staff_page.click("[data-testid=aggregate]")
    staff_page.wait_for_selector("[data-testid=ranking]")
    ranking = staff_page.locator("[data-testid=ranking]").inner_text()
    assert "标准化得分" in ranking and "页岩气智能钻井关键技术" in ranking.splitlines()[1]
    _shot(staff_page, "ranking-1366")
    staff_page.goto(f"{base}/calls/manage/{call.pk}/")
    staff_page.select_option("select[name=rule]", "top_n")
    staff_page.fill("input[name=value]", "2")
    staff_page.click("[data-testid=decide]")
    staff_page.wait_for_selector("text=评审结果已确定")
    staff_page.click("[data-testid=start-publicity]")
    staff_page.wait_for_selector("text=公示已开始")
    call.refresh_from_db()
    assert call.state == CallState.PUBLICITY
    Call.objects.filter(pk=call.pk).update(publicity_start=timezone.localdate())

    # 8. A real-name objection on the public page (phone), handled by staff.
    citizen = make_user("citizen", role=None, full_name="张三")
    ctx_cit, pub = _as(browser, base, citizen, phone=True)
    pub.goto(f"{base}/calls/{call.pk}/publicity/")
    assert "林晓雨" in pub.locator("[data-testid=publicity-list]").inner_text()
    pub.click("[data-testid=object]")
    assert "匿名异议不予受理" in pub.locator("main").inner_text()
    pub.fill("input[name=real_name]", "张三")
    pub.fill("input[name=contact]", "13800000000")
    pub.fill("textarea[name=body]", "该候选人论文数量与实际不符，请核实。")
    pub.click("[data-testid=object]")
    pub.wait_for_selector("text=您的异议已收到")
    _shot(pub, "publicity-390")
    staff_page.goto(f"{base}/calls/manage/{call.pk}/")
    staff_page.click("[data-testid=handle]")
    staff_page.select_option("select[name=outcome]", "dismissed")
    staff_page.fill("textarea[name=handling]", "核对论文清单与检索报告")
    staff_page.fill("textarea[name=result]", "经核实，数量属实，不予支持。")
    staff_page.click("[data-testid=save]")
    staff_page.wait_for_selector("text=异议处理情况已记录")

    # 9. After the window, the results are published and the nominee downloads the letter.
    Call.objects.filter(pk=call.pk).update(publicity_end=timezone.localdate() - dt.timedelta(days=1))
    staff_page.goto(f"{base}/calls/manage/{call.pk}/")
    staff_page.click("[data-testid=finalise]")
    staff_page.wait_for_selector("text=结果已发布")
    _shot(staff_page, "manage-1366")
    submission.refresh_from_db()
    assert submission.state == SubmissionState.FINAL
    phone.goto(f"{base}/calls/dossiers/{submission.pk}/")
    with phone.expect_download() as download:
        phone.click("[data-testid=letter]")
    path = download.value.path()
    assert Path(path).read_bytes()[:2] == b"PK"
    for ctx in (ctx_admin, ctx_nom, ctx_unit, ctx_staff, ctx_rev, ctx_cit):
        ctx.close()
