"""Browser journey of the think tank (Playwright, Debian's chromium): a district proposes a question →
staff merge it into its duplicate and put it in the topic guide → a topic call runs on the calls
engine (application, review, award) → the project delivers a report → an editor turns it into a
brief → a leader signs it off → the .docx is issued → a 批示 is recorded → it creates a 督办 task for
a department → the task's completion shows on the brief and on measure 14."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from kexie.accounts.enums import Role
from kexie.calls.models import Call, Submission
from kexie.policy import services as policy_services
from kexie.policy.models import Measure, Task
from kexie.policy.notices.parser import parse_notice
from kexie.policy.services import confirm_notice, create_notice_draft, draft_unit_names, match_organizations
from kexie.thinktank import services
from kexie.thinktank.models import Brief, Project, Question, TopicGuide
from tests.conftest import PASSWORD
from tests.thinktank.conftest import REPORT_DOCX_TEXT, docx_bytes
from tests.thinktank.flows import reviewers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
NOTICE = ROOT / "kexie" / "seed" / "notice-yukexiefa-2022-84.txt"


def _sign_in(browser, base: str, username: str, *, width: int = 1366):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"thinktank-{name}.png"), full_page=True)


def test_question_to_brief_to_supervised_task(browser, live_server, make_user, settings, tmp_path):
    settings.STAFF_SECOND_FACTOR = "optional"
    base = live_server.url
    supervisor = make_user("duban", role=Role.SUPERVISOR)
    text = NOTICE.read_text(encoding="utf-8")
    draft = create_notice_draft(text=text, source_name="notice.txt", by=supervisor, parsed=parse_notice(text))
    confirm_notice(notice=draft, mapping=match_organizations(draft_unit_names(draft.draft)), by=supervisor)
    district = make_user("yuzhong", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会")
    staff = make_user("zhanlue", role=Role.DEPARTMENT_STAFF, org_name="战略发展部")
    make_user("zhanlue_head", role=Role.DEPARTMENT_HEAD, org_name="战略发展部")
    leader = make_user("leader", role=Role.LEADER)
    worker = make_user("kechuang", role=Role.DEPARTMENT_STAFF, org_name="科学技术创新部")
    make_user("scholar", role=Role.EXPERT)
    reviewers(2)
    kept = services.propose_question(
        by=staff,
        title="成渝地区双城经济圈科技创新中心建设路径研究",
        background="围绕成渝地区双城经济圈建设具有全国影响力的科技创新中心，研究重点任务和体制机制。",
    )
    services.curate_question(question=kept, by=staff, field="innovation", importance=5)

    # 1. A district proposes a question, on a phone.
    page = _sign_in(browser, base, "yuzhong", width=390)
    page.goto(f"{base}/thinktank/questions/new/")
    page.fill("input[name=title]", "成渝双城经济圈科技创新中心协同建设研究")
    page.fill("textarea[name=background]", "成渝地区双城经济圈如何协同建设科技创新中心，需要研究路径与机制。")
    page.click("[data-testid=tt-submit]")
    page.wait_for_selector("[data-testid=question-state]")
    assert page.locator("[data-testid=question-state]").inner_text() == "已报送"
    _shot(page, "question-390")
    page.context.close()
    duplicate = Question.objects.get(created_by=district)

    # 2. Staff see the duplicate found by the search engine, merge it, build and publish the guide.
    page = _sign_in(browser, base, "zhanlue")
    page.goto(f"{base}/thinktank/questions/{duplicate.pk}/")
    page.wait_for_selector("[data-testid=similar-row]")
    _shot(page, "merge-1366")
    assert kept.title in page.locator("[data-testid=similar-row]").first.inner_text()
    page.locator("[data-testid=merge]").first.click()
    page.wait_for_url(f"{base}/thinktank/questions/{kept.pk}/")
    assert "2 次提出" in page.locator("main").inner_text()
    page.goto(f"{base}/thinktank/guides/new/")
    page.fill("input[name=year]", str(timezone.localdate().year))
    page.fill("input[name=title]", "年度科技智库研究课题指南")
    page.click("[data-testid=tt-submit]")
    page.wait_for_selector("[data-testid=topic-form]")
    page.select_option("select[name=question]", str(kept.pk))
    page.click("[data-testid=topic-form] button[type=submit]")
    page.wait_for_selector("[data-testid=topics] li.mb-2")
    page.click("[data-testid=guide-publish]")
    page.wait_for_selector("[data-testid=guide-state]:has-text('已发布')")
    guide = TopicGuide.objects.get()

    # 3. The topic call runs on the calls engine's pages: staff open it from the guide, a scholar
    #    applies, staff pass the formal check and run a review round, two experts score, staff award.
    _shot(page, "guide-call-1366")
    page.click("[data-testid=open-topic-call]")
    page.wait_for_selector("[data-testid=open]")
    call = Call.objects.get(kind="thinktank.topic")
    assert page.url.endswith(f"/calls/manage/{call.pk}/")
    page.click("[data-testid=open]")
    page.wait_for_selector("text=申报已开始")
    page.context.close()
    page = _sign_in(browser, base, "scholar", width=390)
    page.goto(f"{base}/calls/{call.pk}/")
    page.fill("input[name=title]", "成渝科技创新中心协同建设路径研究")
    page.fill("input[name=organization_name]", "重庆大学")
    page.click("[data-testid=start]")
    page.wait_for_selector("[data-testid=dossier-form]")
    page.select_option("select[name=topic]", str(guide.topics.get().pk))
    page.fill("input[name=principal]", "王教授")
    page.fill("textarea[name=plan]", "采用文献研究、实地调研与比较分析相结合的方法开展研究。")
    page.fill("input[name=budget]", "8")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=state]")
    submission = Submission.objects.get(call=call)
    page.context.close()
    page = _sign_in(browser, base, "zhanlue")
    page.goto(f"{base}/calls/dossiers/{submission.pk}/")
    page.click("[data-testid=pass]")
    page.wait_for_selector("text=形式审查意见已记录")
    page.goto(f"{base}/calls/manage/{call.pk}/rounds/new/")
    page.fill("input[name=name]", "课题评审")
    page.fill("input[name=reviewers_per_submission]", "2")
    page.click("[data-testid=save]")
    page.wait_for_selector("text=已添加评审轮次")
    page.click("summary:has-text('从专家库邀请')")
    for box in page.locator("input[name=expert][type=checkbox]").all():
        box.check()
    page.click("[data-testid=invite]")
    page.wait_for_selector("text=已邀请评审专家")
    page.click("[data-testid=assign]")
    page.wait_for_selector("[data-testid=report]")
    round_url = page.url
    for username in ("tt_reviewer1", "tt_reviewer2"):
        reviewer_page = _sign_in(browser, base, username, width=390)
        reviewer_page.goto(f"{base}/calls/reviews/")
        reviewer_page.click("form[action$='/accept/'] button")
        reviewer_page.click("[data-testid=to-review] a")
        reviewer_page.fill("input[name=merit]", "52")
        reviewer_page.fill("input[name=impact]", "35")
        reviewer_page.click("[data-testid=save-score]")
        reviewer_page.wait_for_selector("text=评审意见已保存")
        reviewer_page.context.close()
    page.goto(round_url)
    page.click("button[name=action][value=close]")
    page.wait_for_selector("text=本轮评审已结束")
    page.goto(f"{base}/calls/manage/{call.pk}/")
    page.select_option("select[name=rule]", "top_n")
    page.fill("input[name=value]", "1")
    page.click("[data-testid=decide]")
    page.wait_for_selector("text=评审结果已确定")
    project = Project.objects.get()
    assert project.call_ref == f"{call.pk}:{submission.pk}"
    # 4. The project's account delivers its report (.docx).
    page = _sign_in(browser, base, "scholar")
    page.goto(f"{base}/thinktank/projects/{project.pk}/")
    page.click("[data-testid=deliver]")
    page.fill("input[name=title]", "成渝科技创新中心协同建设研究报告")
    page.fill("input[name=year]", str(timezone.localdate().year))
    docx_path = tmp_path / "report.docx"
    docx_path.write_bytes(docx_bytes(REPORT_DOCX_TEXT))
    page.set_input_files("input[name=file]", str(docx_path))
    page.click("[data-testid=tt-submit]")
    page.wait_for_selector("[data-testid=deliverables] li a")
    result = project.deliverables.get()
    assert "协同创新基金" in result.full_text
    page.context.close()

    # 5. Staff turn it into a brief and send it to the editor; the editor passes it on.
    page = _sign_in(browser, base, "zhanlue")
    page.goto(f"{base}/thinktank/results/{result.pk}/")
    page.click("[data-testid=make-brief]")
    page.fill(
        "textarea[name=body]",
        "一、基本判断。成渝地区双城经济圈科技创新中心建设进入攻坚期，需要系统谋划。\n"
        "二、对策建议。建议设立成渝协同创新基金，建设重大科研仪器设备共享平台。",
    )
    page.click("[data-testid=tt-submit]")
    page.click("[data-testid=brief-submit]")
    page.wait_for_selector("[data-testid=brief-state]:has-text('编辑审核')")
    brief = Brief.objects.get()
    page.context.close()
    page = _sign_in(browser, base, "zhanlue_head")
    page.goto(f"{base}/thinktank/briefs/{brief.pk}/")
    page.click("[data-testid=brief-approve]")
    page.wait_for_selector("[data-testid=brief-state]:has-text('待领导签发')")
    page.context.close()

    # 6. The leader signs it off; staff issue it with its number and download the .docx.
    page = _sign_in(browser, base, "leader")
    page.goto(f"{base}/thinktank/briefs/{brief.pk}/")
    assert page.locator("[data-testid=brief-issue]").count() == 0
    page.click("[data-testid=brief-sign]")
    page.wait_for_selector("[data-testid=brief-state]:has-text('已签发')")
    page.context.close()
    page = _sign_in(browser, base, "zhanlue")
    page.goto(f"{base}/thinktank/briefs/{brief.pk}/")
    page.click("[data-testid=brief-issue]")
    year = timezone.localdate().year
    page.wait_for_selector(f"[data-testid=issue-label]:has-text('{year}年第1期')")
    with page.expect_download() as download:
        page.click("[data-testid=brief-docx]")
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert f"{year}年第1期" in "\n".join(p.text for p in document.paragraphs)

    # 7. A 批示 is recorded and creates a 督办 task for 科学技术创新部.
    page.click("[data-testid=feedback-new]")
    page.select_option("select[name=kind]", "instruction")
    page.fill("input[name=given_by]", "市政府分管副市长")
    page.select_option("select[name=level]", "city_leader")
    page.fill("input[name=given_on]", timezone.localdate().isoformat())
    page.fill("textarea[name=text]", "建议很有价值，请市科协研究落实。")
    page.get_by_label("科学技术创新部").check()
    page.fill("input[name=task_due]", (timezone.localdate() + timedelta(days=30)).isoformat())
    page.click("[data-testid=tt-submit]")
    page.wait_for_selector("[data-testid=brief-task]")
    task = Task.objects.get(source="brief")
    assert task.lead.name == "科学技术创新部"

    # 8. The department completes the task (the ledger's own services); the brief and measure 14 show it.
    policy_services.record_progress(task=task, text="已形成落实方案并报市政府。", by=worker, percent=100)
    policy_services.request_completion(task=task, by=worker)
    policy_services.approve_completion(task=task, by=leader)
    page.reload()
    assert page.locator("[data-testid=task-state]").first.inner_text().startswith("已办结")
    assert page.locator("[data-testid=brief-task] .kx-light-done").count() == 1
    _shot(page, "brief-1366")
    page.context.close()
    page = _sign_in(browser, base, "leader", width=390)
    page.goto(f"{base}/thinktank/briefs/{brief.pk}/")
    _shot(page, "brief-390")
    measure = Measure.objects.get(number=14)
    page.goto(base + reverse("policy:measure_detail", args=[measure.pk]))
    section = page.locator("main").inner_text()
    assert "建议批示督办事项办结数" in section
    _shot(page, "measure14-390")
    page.context.close()


def test_public_column_on_a_phone(browser, live_server, make_user, settings):
    settings.STAFF_SECOND_FACTOR = "optional"
    staff = make_user("zhanlue", role=Role.DEPARTMENT_STAFF, org_name="战略发展部")
    public = services.add_result(
        by=staff,
        title="重庆科技工作者创新环境调查报告",
        authors="课题组",
        year=2026,
        access="public",
        summary="公开发布的调查报告。",
    )
    services.publish_to_column(result=public, by=staff)
    services.add_result(by=staff, title="内部研判材料", authors="课题组", year=2026)
    for width in (390, 1366):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}/thinktank/column/")
        rows = page.locator("[data-testid=column-row]")
        assert rows.count() == 1
        assert "重庆科技工作者创新环境调查报告" in rows.first.inner_text()
        assert "内部研判材料" not in page.locator("main").inner_text()
        _shot(page, f"column-{width}")
        context.close()
