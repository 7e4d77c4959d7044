"""三审三校 as data, versions, scheduling, withdrawal, screening and attachments: the bad input of
the issue is refused with a clear message and nothing goes out by mistake."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kexie.core.models import AuditEvent
from kexie.news import queries, services, sources
from kexie.news.enums import Column, Decision, VersionState
from kexie.news.models import Attachment, NewsItem, WorkflowStep
from kexie.policy.enums import TaskState

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _through(version, editor, head, leader, **final):
    services.review(editor, version, decision=Decision.PASS)
    services.review(head, version, decision=Decision.PASS)
    return services.review(leader, version, decision=Decision.PASS, **final)


def test_steps_are_data(db):
    assert list(WorkflowStep.objects.values_list("code", "reviewer")) == [
        ("first", "editor"),
        ("second", "department_head"),
        ("final", "leader"),
    ]


def test_case_from_ledger_through_three_reviews_with_one_return(ledger_case, writer, editor, head, leader):
    item = services.case_from_ledger(writer, case=ledger_case)
    assert item.column == Column.CASE and item.source_task_id == ledger_case.task_id
    version = services.submit(writer, item.latest_version)
    assert version.step.code == "first"
    services.review(editor, version, decision=Decision.PASS, comment="文字已校")
    with pytest.raises(ValidationError) as exc:
        services.review(head, version, decision=Decision.RETURN)
    assert "comment" in exc.value.message_dict
    services.review(head, version, decision=Decision.RETURN, comment="请补充参与人数来源")
    version.refresh_from_db()
    assert version.state == VersionState.DRAFT
    services.update_draft(writer, version, title=version.title, body=version.body + "（数据来源：区县报表）")
    services.submit(writer, version)
    _through(version, editor, head, leader)
    item.refresh_from_db()
    assert item.is_public and queries.public_items(Column.CASE).filter(pk=item.pk).exists()
    actions = set(AuditEvent.objects.filter(object_id=str(item.pk)).values_list("action", flat=True))
    assert {
        "news.item_created",
        "news.submitted",
        "news.passed",
        "news.returned",
        "news.published",
    } <= actions


def test_wrong_reviewer_is_refused(ledger_case, writer, editor, head, leader):
    item = services.case_from_ledger(writer, case=ledger_case)
    version = services.submit(writer, item.latest_version)
    with pytest.raises(PermissionDenied):
        services.review(leader, version, decision=Decision.PASS)  # the editor's step comes first
    with pytest.raises(PermissionDenied):
        services.review(writer, version, decision=Decision.PASS)


def test_publishing_without_final_review_is_refused(writer, editor, head):
    item = services.create_item(writer, column=Column.NEWS, title="科普讲解大赛举行", body="正文")
    version = item.latest_version
    with pytest.raises(ValidationError) as exc:
        services.publish(writer, version)
    assert "终审" in str(exc.value) or "final review" in str(exc.value)
    services.submit(writer, version)
    services.review(editor, version, decision=Decision.PASS)
    with pytest.raises(ValidationError):
        services.publish(head, version)  # still at the second step
    item.refresh_from_db()
    assert item.published_version is None and not queries.public_items().exists()


def test_scheduled_time_in_the_past_is_refused(writer, editor, head, leader):
    past = timezone.now() - timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.create_item(writer, column=Column.NEWS, title="标题", body="正文", publish_at=past)
    assert "publish_at" in exc.value.message_dict
    assert not NewsItem.objects.exists()
    item = services.create_item(writer, column=Column.NEWS, title="标题", body="正文")
    version = services.submit(writer, item.latest_version)
    services.review(editor, version, decision=Decision.PASS)
    services.review(head, version, decision=Decision.PASS)
    with pytest.raises(ValidationError):
        services.review(leader, version, decision=Decision.PASS, publish_at=past)
    version.refresh_from_db()
    assert version.state == VersionState.IN_REVIEW


def test_scheduled_item_appears_when_its_time_comes(writer, editor, head, leader):
    later = timezone.now() + timedelta(days=1)
    item = services.create_item(writer, column=Column.NOTICE, title="关于开展科普日活动的通知", body="正文")
    version = services.submit(writer, item.latest_version)
    _through(version, editor, head, leader, publish_at=later)
    item.refresh_from_db()
    assert item.published_version_id == version.pk and not item.is_public
    assert not queries.public_items().exists()
    version.published_at = timezone.now() - timedelta(seconds=1)
    version.save(update_fields=["published_at"])
    assert queries.public_items().filter(pk=item.pk).exists()


def test_screened_word_is_shown_not_replaced_and_must_be_confirmed(writer, editor, head, leader):
    services.add_sensitive_word(editor, word="最权威", note="广告法绝对化用语")
    with pytest.raises(PermissionDenied):
        services.add_sensitive_word(writer, word="第一")
    body = "本市最权威的科普基地向公众开放。"
    item = services.create_item(writer, column=Column.NEWS, title="科普基地开放", body=body)
    version = services.submit(writer, item.latest_version)
    assert version.screen_hits == ["最权威"]
    with pytest.raises(ValidationError) as exc:
        services.review(editor, version, decision=Decision.PASS)
    assert "最权威" in str(exc.value)
    version.refresh_from_db()
    assert version.step.code == "first" and version.body == body
    services.review(
        editor, version, decision=Decision.PASS, acknowledge_hits=True, comment="语境为引用，保留"
    )
    services.review(head, version, decision=Decision.PASS, acknowledge_hits=True)
    services.review(leader, version, decision=Decision.PASS, acknowledge_hits=True)
    version.refresh_from_db()
    assert version.state == VersionState.PUBLISHED and version.body == body


def test_wrong_attachment_type_is_refused(writer, media):
    item = services.create_item(writer, column=Column.NOTICE, title="通知", body="正文")
    version = item.latest_version
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(writer, version, SimpleUploadedFile("run.exe", b"MZ\x90\x00"))
    assert "run.exe" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(writer, version, SimpleUploadedFile("通知.pdf", b"<script>alert(1)</script>"))
    assert "通知.pdf" in exc.value.message_dict["file"][0]
    assert not Attachment.objects.exists()
    att = services.add_attachment(
        writer, version, SimpleUploadedFile("通知.pdf", PDF, content_type="text/html")
    )
    assert att.content_type == "application/pdf"


def test_published_version_is_frozen_and_a_change_is_a_new_version(writer, editor, head, leader):
    item = services.create_item(writer, column=Column.NEWS, title="旧标题", body="正文")
    v1 = services.submit(writer, item.latest_version)
    _through(v1, editor, head, leader)
    with pytest.raises(ValidationError):
        services.update_draft(writer, v1, title="改", body="改")
    v2 = services.new_version(writer, item)
    assert v2.number == 2 and v2.state == VersionState.DRAFT
    services.update_draft(writer, v2, title="新标题", body="正文修订")
    item.refresh_from_db()
    assert item.published_version_id == v1.pk  # the public still sees v1 until v2 passes its review
    services.submit(writer, v2)
    _through(v2, editor, head, leader)
    item.refresh_from_db()
    v1.refresh_from_db()
    assert item.published_version_id == v2.pk and v1.state == VersionState.SUPERSEDED
    assert v1.title == "旧标题"


def test_withdrawal_needs_a_reason_and_hides_the_item(writer, editor, head, leader):
    item = services.create_item(writer, column=Column.NEWS, title="标题", body="正文")
    _through(services.submit(writer, item.latest_version), editor, head, leader)
    with pytest.raises(ValidationError) as exc:
        services.withdraw(editor, item, reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.withdraw(writer, item, reason="数据有误")
    services.withdraw(editor, item, reason="数据有误，待核实")
    assert not queries.public_items().exists()
    assert AuditEvent.objects.filter(action="news.withdrawn", object_id=str(item.pk)).exists()


def test_case_needs_a_completed_task(completed_task, writer):
    completed_task.state = TaskState.IN_PROGRESS
    completed_task.save()
    with pytest.raises(ValidationError) as exc:
        services.case_from_ledger(writer, task=completed_task)
    assert "task" in exc.value.message_dict
    assert not NewsItem.objects.exists()


def test_typical_person_needs_an_expert_and_consent(writer, editor):
    from kexie.experts.models import Expert  # noqa: PLC0415

    with pytest.raises(ValidationError) as exc:
        services.create_item(writer, column=Column.PERSON, title="张三", body="事迹")
    assert "expert" in exc.value.message_dict
    expert = Expert.objects.create(name="张三", title="professor")
    item = services.create_item(
        writer, column=Column.PERSON, title="张三：扎根基层", body="事迹", expert=expert
    )
    with pytest.raises(ValidationError) as exc:
        services.submit(writer, item.latest_version)
    assert "consent_note" in exc.value.message_dict
    assert item.latest_version.state == VersionState.DRAFT
    with pytest.raises(ValidationError):
        services.record_consent(writer, item, note=" ")
    services.record_consent(writer, item, note="本人签署同意书")
    assert services.submit(writer, item.latest_version).state == VersionState.IN_REVIEW


def test_hand_over_pre_approved_and_reviewed(orgs, writer):
    sources.register_source("test.gongshi", label="公示", column=Column.NOTICE, pre_approved=True)
    sources.register_source("test.activity", label="活动", column=Column.NEWS)
    try:
        org = orgs["科学技术普及部"]
        a = sources.hand_over(
            "test.gongshi", ref="1", title="评审结果公示", url="/calls/1/", organization=org, author=writer
        )
        b = sources.hand_over("test.activity", ref="9", title="科普活动", organization=org, author=writer)
        assert (
            sources.hand_over("test.gongshi", ref="1", title="x", organization=org, author=writer).pk == a.pk
        )
        public = set(queries.public_items().values_list("pk", flat=True))
        assert a.pk in public and b.pk not in public
        assert b.latest_version.state == VersionState.IN_REVIEW
    finally:
        sources.unregister_source("test.gongshi")
        sources.unregister_source("test.activity")


def test_published_items_are_found_and_withdrawn_ones_are_not(
    writer, editor, head, leader, django_capture_on_commit_callbacks
):
    from kexie.search import index  # noqa: PLC0415

    item = services.create_item(
        writer, column=Column.NEWS, title="科技馆夜场开放", body="周五晚间开放科普夜场"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _through(services.submit(writer, item.latest_version), editor, head, leader)
    hits = index.query("夜场", kinds=["news"]).hits
    assert [h.id for h in hits] == [str(item.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(editor, item, reason="时间调整")
    assert not index.query("夜场", kinds=["news"]).hits


def test_a_schedule_that_passed_during_review_publishes_now(writer, editor, head, leader):
    item = services.create_item(
        writer, column=Column.NEWS, title="标题", body="正文", publish_at=timezone.now() + timedelta(hours=1)
    )
    version = services.submit(writer, item.latest_version)
    services.review(editor, version, decision=Decision.PASS)
    services.review(head, version, decision=Decision.PASS)
    type(version).objects.filter(pk=version.pk).update(publish_at=timezone.now() - timedelta(minutes=5))
    version.refresh_from_db()
    services.publish(leader, version)
    item.refresh_from_db()
    assert item.is_public


def test_publish_does_not_skip_the_screen(writer, editor, head, leader):
    services.add_sensitive_word(editor, word="最权威")
    item = services.create_item(writer, column=Column.NEWS, title="标题", body="正文")
    version = services.submit(writer, item.latest_version)
    services.review(editor, version, decision=Decision.PASS)
    services.review(head, version, decision=Decision.PASS)
    services.add_sensitive_word(editor, word="正文")  # the list grew during review
    with pytest.raises(ValidationError):
        services.publish(leader, version)
    item.refresh_from_db()
    assert item.published_version is None
