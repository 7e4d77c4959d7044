"""Needs (measure 6): intake, triage with duplicates, routing as a 督办 task with a working-day
deadline, reply, rating and one reopening; bad input refused with nothing written."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kexie.core import workdays
from kexie.core.models import AuditEvent, Notification
from kexie.policy.enums import TaskSource
from kexie.policy.models import Task
from kexie.workers import queries, services
from kexie.workers.enums import NeedState, Rating
from kexie.workers.models import Need, NeedAttachment, NeedReply

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def file(scientist, categories, **extra):
    values = {
        "by": scientist,
        "category": categories["housing"],
        "title": "青年博士人才公寓申请周期过长",
        "description": "引进的两名青年博士申请人才公寓已等待8个月，希望明确审批时限。",
    }
    values.update(extra)
    return services.file_need(**values)


def test_filing_gives_a_receipt_and_audits(scientist, categories, media):
    need = file(scientist, categories, files=[SimpleUploadedFile("说明.pdf", PDF)])
    assert need.receipt == f"SQ{timezone.localdate().year}{need.pk:06d}"
    assert need.state == NeedState.SUBMITTED
    attachment = NeedAttachment.objects.get(need=need)
    assert attachment.size == len(PDF) and len(attachment.sha256) == 64
    assert AuditEvent.objects.filter(action="workers.need.file", object_id=str(need.pk)).exists()


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"anonymous": True}, "contact_mobile", "匿名"),
        ({"title": "  "}, "title", ""),
        ({"description": "太短"}, "description", ""),
        ({"contact_mobile": "12345"}, "contact_mobile", ""),
        ({"contact_email": "not-an-email"}, "contact_email", ""),
        ({"district": "999999"}, "district", "999999"),
        ({"files": [SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 this is an exe")]}, "files", "病毒.pdf"),
        ({"files": [SimpleUploadedFile("a.exe", b"MZ")]}, "files", "a.exe"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(scientist, categories, media, extra, field, words):
    with pytest.raises(ValidationError) as info:
        file(scientist, categories, **extra)
    assert field in info.value.message_dict
    assert words in " ".join(info.value.message_dict[field])
    assert Need.objects.count() == 0 and NeedAttachment.objects.count() == 0


def test_oversized_upload_is_refused(scientist, categories, media, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 1024)
    with pytest.raises(ValidationError) as info:
        file(scientist, categories, files=[SimpleUploadedFile("大.pdf", PDF + b"0" * 2048)])
    assert "大.pdf" in info.value.message_dict["files"][0]
    assert Need.objects.count() == 0


def test_anonymous_need_with_a_contact_route_is_accepted(scientist, categories):
    need = file(scientist, categories, anonymous=True, contact_email="lin@example.com")
    assert need.anonymous and Need.objects.get(pk=need.pk).contact_email == "lin@example.com"


def test_route_creates_a_task_with_a_working_day_deadline(
    scientist, triage, bureau, bureau_staff, categories
):
    need = file(scientist, categories)
    need = services.route_need(need=need, unit=bureau, by=triage, workdays_to_reply=10)
    assert need.state == NeedState.ROUTED
    assert need.reply_due == workdays.add_workdays(timezone.localdate(), 10)
    task = Task.objects.get(pk=need.task_id)
    assert (task.source, task.source_ref, task.lead, task.due_date) == (
        TaskSource.NEED,
        need.receipt,
        bureau,
        need.reply_due,
    )
    assert Notification.objects.filter(user=bureau_staff, url__contains=f"/workers/needs/{need.pk}/").exists()
    assert Notification.objects.filter(user=scientist, url__contains=f"/workers/needs/{need.pk}/").exists()


def test_workdays_follow_the_holiday_schedule_with_adjusted_days():
    # National Day 2026: 1–7 October off, Saturday 10 October a working day (调休).
    assert workdays.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert workdays.is_workday(date(2026, 10, 5)) is False
    # A year the package does not know yet falls back to Monday–Friday.
    assert workdays.is_known(date(2099, 1, 5)) is False
    assert workdays.add_workdays(date(2099, 1, 2), 1) == date(2099, 1, 5)


def test_only_triage_routes_and_merges(scientist, bureau_staff, bureau, categories):
    need = file(scientist, categories)
    with pytest.raises(PermissionDenied):
        services.route_need(need=need, unit=bureau, by=bureau_staff)
    with pytest.raises(PermissionDenied):
        services.merge_need(need=need, into=need, by=scientist)


def test_reply_rate_unsatisfied_reopens_once_then_closes(scientist, triage, bureau, bureau_staff, categories):
    need = services.route_need(need=file(scientist, categories), unit=bureau, by=triage)
    services.reply_need(need=need, text="已会同住建部门研究，将于下月公开轮候进度。", by=bureau_staff)
    need.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.rate_reply(need=need, rating=Rating.UNSATISFIED, reason="", by=scientist)
    assert "reason" in info.value.message_dict
    need = services.rate_reply(need=need, rating=Rating.UNSATISFIED, reason="没有具体时间", by=scientist)
    assert need.state == NeedState.REOPENED and need.reopened
    with pytest.raises(ValidationError):  # rating twice
        services.rate_reply(need=need, rating=Rating.SATISFIED, by=scientist)
    services.reply_need(need=need, text="补充答复：轮候进度将于12月15日在官网公开。", by=bureau_staff)
    need.refresh_from_db()
    need = services.rate_reply(need=need, rating=Rating.UNSATISFIED, reason="仍不满意", by=scientist)
    assert need.state == NeedState.CLOSED  # reopened only once
    assert list(NeedReply.objects.filter(need=need).values_list("round", "rating")) == [
        (1, Rating.UNSATISFIED),
        (2, Rating.UNSATISFIED),
    ]


def test_only_the_routed_unit_replies_and_only_the_filer_rates(
    scientist, other_scientist, triage, bureau, kepu_staff, bureau_staff, categories
):
    need = services.route_need(need=file(scientist, categories), unit=bureau, by=triage)
    with pytest.raises(PermissionDenied):
        services.reply_need(need=need, text="这是一条足够长的答复内容。", by=kepu_staff)
    services.reply_need(need=need, text="这是一条足够长的答复内容。", by=bureau_staff)
    need.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.rate_reply(need=need, rating=Rating.SATISFIED, by=other_scientist)


def test_duplicates_found_through_search_and_merged(
    scientist, other_scientist, triage, categories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = file(scientist, categories)
        file(
            scientist,
            categories,
            title="大型仪器共享预约困难",
            description="高校大型仪器对外共享预约困难，收费标准不一。",
            category=categories["other"],
        )
        duplicate = file(
            other_scientist,
            categories,
            title="人才公寓申请审批时间长",
            description="引进博士申请人才公寓等待时间过长，审批环节不透明。",
        )
    from kexie.workers.search import similar_needs

    similar = similar_needs(duplicate)
    assert similar and similar[0][0] == first
    merged = services.merge_need(need=duplicate, into=first, by=triage)
    assert merged.state == NeedState.MERGED and merged.merged_into == first
    assert queries.need_statistics()["received"] == 2  # merged count once


def test_scoping_of_needs(scientist, other_scientist, triage, bureau, bureau_staff, kepu_staff, categories):
    need = file(scientist, categories, anonymous=True, contact_mobile="13700001111")
    assert list(queries.needs_visible_to(other_scientist)) == []
    assert list(queries.needs_visible_to(bureau_staff)) == []  # not routed yet
    assert list(queries.needs_visible_to(triage)) == [need]
    services.route_need(need=need, unit=bureau, by=triage)
    assert list(queries.needs_visible_to(bureau_staff)) == [need]
    assert list(queries.needs_visible_to(kepu_staff)) == []
    from kexie.workers import rules

    need.refresh_from_db()
    assert rules.can_see_filer(triage, need) is True
    assert rules.can_see_filer(bureau_staff, need) is False  # anonymous towards the department


def test_statistics_and_indicators_move(scientist, triage, bureau, bureau_staff, categories):
    from kexie.policy.indicators import registered

    readings = {i.key: i for i in registered()}
    assert readings["workers.needs_received"].function(None).value == 0
    need = services.route_need(need=file(scientist, categories), unit=bureau, by=triage)
    services.reply_need(need=need, text="这是一条足够长的答复内容。", by=bureau_staff)
    need.refresh_from_db()
    services.rate_reply(need=need, rating=Rating.MOSTLY, by=scientist)
    assert readings["workers.needs_received"].function(None).value == 1
    assert readings["workers.replied_on_time"].function(None).value == 100.0
    assert readings["workers.satisfaction"].function(None).value == 100.0
    stats = queries.need_statistics()
    assert (stats["received"], stats["on_time"], stats["satisfied"]) == (1, 1, 1)
    assert stats["by_category"] == [("人才住房", 1)]
