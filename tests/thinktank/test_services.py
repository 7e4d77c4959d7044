"""Services of the think tank: every exit path of the main writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from kexie.core.models import AuditEvent
from kexie.policy import services as policy_services
from kexie.policy.enums import TaskSource, TaskState
from kexie.policy.indicators import get as get_indicator
from kexie.policy.models import Task
from kexie.search import index as search
from kexie.thinktank import queries, services
from kexie.thinktank.enums import (
    Access,
    BriefState,
    FeedbackKind,
    FeedbackLevel,
    GuideState,
    ProjectKind,
    ProjectState,
    QuestionState,
    ReviewConclusion,
    ReviewStage,
    SearchKind,
)
from kexie.thinktank.models import Brief, BriefCounter, Question, Result
from kexie.thinktank.search import similar_questions
from tests.thinktank.conftest import BODY, TEXT, docx_upload, reindex_all

pytestmark = pytest.mark.django_db


# --- questions -------------------------------------------------------------------------------------


def test_propose_question_files_it_under_the_proposer_organization(district, orgs):
    question = services.propose_question(
        by=district,
        title="如何提升区县科协决策咨询能力",
        background="区县科协研究力量薄弱，缺少稳定的选题渠道和专家支撑。",
    )
    assert question.state == QuestionState.SUBMITTED
    assert question.proposer_organization == orgs["渝中区科学技术协会"]
    assert (
        AuditEvent.objects.filter(action="thinktank.question.propose", object_id=str(question.pk)).count()
        == 1
    )


def test_propose_question_too_short_is_refused_and_nothing_saved(district):
    with pytest.raises(ValidationError) as exc:
        services.propose_question(by=district, title="短", background="太短")
    assert set(exc.value.message_dict) == {"title", "background"}
    assert Question.objects.count() == 0


def test_similar_questions_finds_the_duplicate_and_merge_folds_it(district, staff):
    kept = services.propose_question(
        by=district,
        title="成渝地区双城经济圈科技创新中心建设路径研究",
        background="围绕成渝地区双城经济圈建设具有全国影响力的科技创新中心，研究重点任务和体制机制。",
    )
    services.propose_question(
        by=district,
        title="城市更新中的历史文化保护",
        background="老旧小区改造与历史街区保护如何兼顾，需要系统研究。",
    )
    duplicate = services.propose_question(
        by=staff,
        title="成渝双城经济圈科技创新中心建设研究",
        background="成渝地区双城经济圈如何建设科技创新中心，需要研究路径与机制。",
    )
    reindex_all()
    found = similar_questions(duplicate)
    assert found[0] == kept
    services.merge_question(duplicate=duplicate, into=kept, by=staff)
    duplicate.refresh_from_db()
    kept.refresh_from_db()
    assert duplicate.state == QuestionState.MERGED
    assert duplicate.merged_into == kept
    assert kept.support == 2
    with pytest.raises(ValidationError):
        services.merge_question(duplicate=duplicate, into=kept, by=staff)


def test_merge_by_a_district_is_refused(district):
    a = services.propose_question(
        by=district, title="问题一的标题文字", background="背景说明文字足够长，超过二十个字符了吧，是的。"
    )
    b = services.propose_question(
        by=district, title="问题二的标题文字", background="背景说明文字足够长，超过二十个字符了吧，是的。"
    )
    with pytest.raises(PermissionDenied):
        services.merge_question(duplicate=a, into=b, by=district)
    a.refresh_from_db()
    assert a.state == QuestionState.SUBMITTED


def test_guide_takes_open_questions_and_publishes(district, staff):
    question = services.propose_question(
        by=district,
        title="科技社团参与决策咨询机制研究",
        background="市级科技社团如何有序参与决策咨询，需要制度设计。",
    )
    services.curate_question(question=question, by=staff, field="organization", importance=5)
    guide = services.create_guide(by=staff, year=2026, title="2026年度科技智库研究课题指南")
    with pytest.raises(ValidationError):
        services.publish_guide(guide=guide, by=staff)
    topic = services.add_topic(guide=guide, by=staff, question=question)
    assert topic.title == question.title
    question.refresh_from_db()
    assert question.state == QuestionState.IN_GUIDE
    with pytest.raises(ValidationError):
        services.add_topic(guide=guide, by=staff, question=question)
    guide = services.publish_guide(guide=guide, by=staff)
    assert guide.state == GuideState.PUBLISHED
    with pytest.raises(ValidationError):
        services.add_topic(guide=guide, by=staff, title="晚到的课题")


def test_curate_rejects_bad_importance(district, staff):
    question = services.propose_question(
        by=district, title="问题的标题文字", background="背景说明文字足够长，超过二十个字符了吧，是的。"
    )
    with pytest.raises(ValidationError) as exc:
        services.curate_question(question=question, by=staff, field="nonsense", importance=9)
    assert set(exc.value.message_dict) == {"field", "importance"}


# --- results ------------------------------------------------------------------------------------------


def test_result_docx_text_is_extracted_and_found_by_search(staff):
    result = services.add_result(
        by=staff,
        title="西部科学城建设评估报告",
        authors="城市化与区域创新极发展研究中心",
        year=2026,
        upload=docx_upload(),
    )
    assert "协同创新基金" in result.full_text
    assert result.file_name == "report.docx"
    reindex_all()
    hits = search.query("协同创新基金", kinds=[SearchKind.RESULT]).hits
    assert [h.id for h in hits] == [str(result.pk)]


def test_result_file_that_is_not_what_its_name_says_is_refused(staff):
    fake = SimpleUploadedFile("report.pdf", b"#!/bin/sh\necho hi\n")
    with pytest.raises(ValidationError) as exc:
        services.add_result(by=staff, title="报告", authors="某某", year=2026, upload=fake)
    assert "file" in exc.value.message_dict
    assert Result.objects.count() == 0


def test_result_other_extension_is_refused(staff):
    with pytest.raises(ValidationError) as exc:
        services.add_result(
            by=staff,
            title="报告",
            authors="某某",
            year=2026,
            upload=SimpleUploadedFile("a.txt", TEXT.encode()),
        )
    assert "file" in exc.value.message_dict


def test_internal_result_cannot_go_into_the_column(staff, publicity):
    result = services.add_result(by=staff, title="内部报告", authors="某某", year=2026)
    with pytest.raises(ValidationError):
        services.publish_to_column(result=result, by=publicity)
    assert queries.column_results().count() == 0
    services.set_access(result=result, by=staff, access=Access.PUBLIC)
    services.publish_to_column(result=result, by=publicity)
    assert list(queries.column_results()) == [result]
    services.set_access(result=result, by=staff, access=Access.INTERNAL)
    result.refresh_from_db()
    assert result.column_published_at is None
    assert queries.column_results().count() == 0


def test_column_constraint_holds_in_the_database(staff):
    result = services.add_result(by=staff, title="内部报告", authors="某某", year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.filter(pk=result.pk).update(column_published_at=timezone.now())


# --- projects --------------------------------------------------------------------------------------


def test_evaluation_project_runs_to_completion(staff, make_user):
    with pytest.raises(ValidationError) as exc:
        services.create_project(
            by=staff, kind=ProjectKind.EVALUATION, title="评估", lead_organization="某院", principal="李"
        )
    assert "client" in exc.value.message_dict
    project = services.create_project(
        by=staff,
        kind=ProjectKind.EVALUATION,
        title="科技创新政策第三方评估",
        lead_organization="重庆大学",
        principal="李教授",
        client="市科技局",
    )
    services.add_milestone(project=project, by=staff, title="调研", due_date=timezone.localdate())
    services.record_review(
        project=project,
        by=staff,
        stage=ReviewStage.MIDTERM,
        held_on=timezone.localdate(),
        conclusion=ReviewConclusion.PASSED,
    )
    project.refresh_from_db()
    assert project.state == ProjectState.MIDTERM_PASSED
    with pytest.raises(ValidationError):
        services.record_review(
            project=project,
            by=staff,
            stage=ReviewStage.FINAL,
            held_on=timezone.localdate(),
            conclusion=ReviewConclusion.PASSED,
        )
    services.add_result(
        by=staff, project=project, title="评估报告", authors="李教授", year=2026, upload=docx_upload()
    )
    services.record_review(
        project=project,
        by=staff,
        stage=ReviewStage.FINAL,
        held_on=timezone.localdate(),
        conclusion=ReviewConclusion.PASSED,
    )
    project.refresh_from_db()
    assert project.state == ProjectState.COMPLETED
    with pytest.raises(PermissionDenied):
        services.add_result(by=staff, project=project, title="迟交", authors="李", year=2026)


# --- briefs ----------------------------------------------------------------------------------------------


def test_brief_cannot_be_issued_without_sign_off(staff, editor):
    brief = services.create_brief(by=staff, title="建议", authors="专家", body=BODY)
    with pytest.raises(ValidationError):
        services.issue_brief(brief=brief, by=staff)
    services.submit_brief(brief=brief, by=staff)
    services.review_brief(brief=brief, by=editor, approve=True)
    with pytest.raises(ValidationError):
        services.issue_brief(brief=brief, by=staff)
    brief.refresh_from_db()
    assert brief.state == BriefState.AWAITING_SIGNOFF
    assert brief.number is None


def test_only_a_leader_signs_and_only_the_editor_reviews(staff, editor, leader):
    brief = services.create_brief(by=staff, title="建议", authors="专家", body=BODY)
    services.submit_brief(brief=brief, by=staff)
    with pytest.raises(PermissionDenied):
        services.review_brief(brief=brief, by=staff, approve=True)
    with pytest.raises(ValidationError):
        services.review_brief(brief=brief, by=editor, approve=False)
    services.review_brief(brief=brief, by=editor, approve=False, reason="数据需核实")
    brief.refresh_from_db()
    assert (brief.state, brief.return_reason) == (BriefState.DRAFT, "数据需核实")
    services.submit_brief(brief=brief, by=staff)
    services.review_brief(brief=brief, by=editor, approve=True)
    with pytest.raises(PermissionDenied):
        services.sign_off_brief(brief=brief, by=editor)
    services.sign_off_brief(brief=brief, by=leader)
    brief.refresh_from_db()
    assert brief.state == BriefState.SIGNED


def test_issue_numbers_follow_each_other_within_a_year(issued_brief, staff, editor, leader):
    second = services.create_brief(by=staff, title="第二期建议", authors="专家", body=BODY)
    services.submit_brief(brief=second, by=staff)
    services.review_brief(brief=second, by=editor, approve=True)
    services.sign_off_brief(brief=second, by=leader)
    second = services.issue_brief(brief=second, by=staff)
    year = timezone.localdate().year
    assert (issued_brief.year, issued_brief.number) == (year, 1)
    assert (second.year, second.number) == (year, 2)
    assert second.issue_label == f"{year}年第2期"
    assert BriefCounter.objects.get(year=year).last_number == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Brief.objects.filter(pk=second.pk).update(number=1)


def test_instruction_creates_brief_tasks_and_their_completion_counts(
    issued_brief, staff, leader, orgs, make_user
):
    with pytest.raises(ValidationError) as exc:
        services.record_feedback(
            brief=issued_brief,
            by=staff,
            kind=FeedbackKind.INSTRUCTION,
            given_by="市领导",
            level=FeedbackLevel.CITY_LEADER,
            given_on=timezone.localdate(),
            text="",
            task_departments=[orgs["科学技术创新部"]],
        )
    assert set(exc.value.message_dict) == {"text", "task_due"}
    assert Task.objects.filter(source=TaskSource.BRIEF).count() == 0
    feedback = services.record_feedback(
        brief=issued_brief,
        by=staff,
        kind=FeedbackKind.INSTRUCTION,
        given_by="李副市长",
        level=FeedbackLevel.CITY_LEADER,
        given_on=timezone.localdate(),
        text="请市科协会同有关部门研究落实。",
        task_departments=[orgs["科学技术创新部"]],
        task_due=timezone.localdate() + timedelta(days=30),
    )
    task = feedback.tasks.get()
    assert (task.source, task.lead.name) == (TaskSource.BRIEF, "科学技术创新部")
    assert list(queries.brief_tasks(issued_brief)) == [task]
    worker = make_user("kc", org_name="科学技术创新部")
    policy_services.record_progress(task=task, text="已形成工作方案", by=worker, percent=100)
    policy_services.request_completion(task=task, by=worker)
    policy_services.approve_completion(task=task, by=leader)
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED
    reading = get_indicator("thinktank.brief_tasks").compute(None)
    assert reading.value == 1
    stats = queries.brief_statistics()
    assert (stats["issued"], stats["with_instruction"], stats["instruction_rate"], stats["tasks_done"]) == (
        1,
        1,
        100.0,
        1,
    )


def test_feedback_on_a_draft_brief_is_refused(staff):
    brief = services.create_brief(by=staff, title="建议", authors="专家", body=BODY)
    with pytest.raises(PermissionDenied):
        services.record_feedback(
            brief=brief,
            by=staff,
            kind=FeedbackKind.TRANSFER,
            given_by="市领导",
            level=FeedbackLevel.CITY_LEADER,
            given_on=timezone.localdate(),
            department="市发改委",
        )


def test_adoption_needs_document_and_reference(issued_brief, staff):
    with pytest.raises(ValidationError) as exc:
        services.record_feedback(
            brief=issued_brief,
            by=staff,
            kind=FeedbackKind.ADOPTION,
            given_by="市政府办公厅",
            level=FeedbackLevel.DEPARTMENT,
            given_on=timezone.localdate(),
            document="某文件",
        )
    assert "document" in exc.value.message_dict
