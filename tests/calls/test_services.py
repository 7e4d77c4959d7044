"""The engine end to end through its services, and each refusal with its Chinese message."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kexie.calls import documents, kinds, services
from kexie.calls.enums import (
    CallState,
    Decision,
    FormalOutcome,
    ObjectionState,
    ReviewerState,
    RoundKind,
    SubmissionState,
)
from kexie.calls.models import Assignment, Submission
from kexie.core.models import AuditEvent

from .conftest import ANSWERS, endorse_all

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def messages(exc) -> str:
    return " ".join(exc.value.messages)


def test_code_dossier_endorse_check_return_resubmit(
    call, channel, dossier, nominee, unit_staff, channel_admin, staff
):
    services.attach_file(
        dossier, field_key="evidence", upload=SimpleUploadedFile("证明.pdf", PDF), by=nominee
    )
    submission = services.submit(dossier, by=nominee)
    assert submission.state == SubmissionState.SUBMITTED
    assert services.next_step(submission) == "unit"
    # The channel cannot endorse before the unit.
    with pytest.raises(PermissionDenied):
        services.endorse(submission, by=channel_admin)
    submission = endorse_all(submission, unit_staff=unit_staff, channel_admin=channel_admin, staff=staff)
    assert submission.state == SubmissionState.ENDORSED
    assert [e.step for e in submission.endorsements.all()] == ["unit", "channel", "organiser"]
    submission = services.formal_check(
        submission,
        by=staff,
        outcome=FormalOutcome.RETURN,
        reasons={"summary": "主要事迹缺少近五年的代表性成果"},
    )
    assert submission.state == SubmissionState.RETURNED
    assert submission.returned_reasons == {"summary": "主要事迹缺少近五年的代表性成果"}
    services.save_draft(
        submission, by=nominee, data={"summary": ANSWERS["summary"] + "近五年成果：页岩气示范井三口。"}
    )
    submission = services.resubmit(submission, by=nominee)
    assert submission.state == SubmissionState.ENDORSED  # endorsements stand
    submission = services.formal_check(submission, by=staff, outcome=FormalOutcome.PASS)
    assert submission.state == SubmissionState.ACCEPTED
    actions = set(
        AuditEvent.objects.filter(object_type="calls.submission", object_id=str(submission.pk)).values_list(
            "action", flat=True
        )
    )
    assert {
        "calls.submission.submit",
        "calls.submission.endorse",
        "calls.submission.formal_check",
        "calls.submission.resubmit",
    } <= actions


def test_used_and_unknown_codes_are_refused(call, channel, dossier, nominee, channel_admin):
    used = dossier.code.code
    with pytest.raises(ValidationError) as exc:
        services.create_submission(call=call, applicant=nominee, code=used)
    assert "已被使用" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.create_submission(call=call, applicant=nominee, code="NOSUCHCODE")
    assert "无效" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.create_submission(call=call, applicant=nominee)
    assert "推荐码" in messages(exc)


def test_over_quota_is_refused_and_nothing_changes(call, channel, channel_admin, make_user, university):
    codes = services.issue_codes(channel, 3, by=channel_admin)
    made = []
    for n, code in enumerate(codes):
        user = make_user(f"n{n}", role=None)
        s = services.create_submission(
            call=call, applicant=user, code=code.code, organization=university, title=f"事迹{n}"
        )
        services.save_draft(s, by=user, data={**ANSWERS, "name": f"候选{n}"})
        services.attach_file(s, field_key="evidence", upload=SimpleUploadedFile("a.pdf", PDF), by=user)
        made.append((s, user))
    for s, user in made[:2]:
        services.submit(s, by=user)
    s, user = made[2]
    with pytest.raises(ValidationError) as exc:
        services.submit(s, by=user)
    assert "名额" in messages(exc) and "渝中区科学技术协会" in messages(exc)
    s.refresh_from_db()
    assert s.state == SubmissionState.DRAFT and s.submitted_at is None


def test_bad_answers_name_the_field(dossier, nominee):
    with pytest.raises(ValidationError) as exc:
        services.save_draft(dossier, by=nominee, data={"papers": 500, "birth_date": "1988-13-40", "sex": "x"})
    errors = exc.value.message_dict
    assert "代表性论文数" in errors["papers"][0] and "200" in errors["papers"][0]
    assert "出生日期" in errors["birth_date"][0]
    assert "性别" in errors["sex"][0]
    dossier.refresh_from_db()
    assert dossier.data["papers"] == 12  # nothing half-saved


def test_file_of_wrong_type_or_too_big(dossier, nominee):
    with pytest.raises(ValidationError) as exc:
        services.attach_file(
            dossier, field_key="evidence", upload=SimpleUploadedFile("a.exe", b"MZ..."), by=nominee
        )
    assert "证明材料" in messages(exc) and "pdf" in messages(exc)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024 + 10))
    with pytest.raises(ValidationError) as exc:
        services.attach_file(dossier, field_key="evidence", upload=big, by=nominee)
    assert "1 MB" in messages(exc)
    fake = SimpleUploadedFile("fake.pdf", b"#!/bin/sh\necho hi\n")
    with pytest.raises(ValidationError):
        services.attach_file(dossier, field_key="evidence", upload=fake, by=nominee)
    assert not dossier.attachments.exists()


def test_missing_required_and_ineligible(dossier, nominee):
    services.attach_file(dossier, field_key="evidence", upload=SimpleUploadedFile("a.pdf", PDF), by=nominee)
    services.save_draft(dossier, by=nominee, data={"birth_date": "1975-01-01", "sex": "male"})
    with pytest.raises(ValidationError) as exc:
        services.submit(dossier, by=nominee)
    text = messages(exc)
    assert "51" in text and "40" in text  # aged 51 on 2026-06-30; the limit for men is 40
    services.save_draft(dossier, by=nominee, data={"sex": "female", "birth_date": "1982-01-01"})
    assert services.submit(dossier, by=nominee).state == SubmissionState.SUBMITTED  # 44 ≤ 45 for women


def test_late_submission_is_refused(call, dossier, nominee):
    services.attach_file(dossier, field_key="evidence", upload=SimpleUploadedFile("a.pdf", PDF), by=nominee)
    type(call).objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    dossier.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.submit(dossier, by=nominee)
    assert "截止" in messages(exc)


def test_bad_schema_is_refused_with_every_problem(staff, orgs):
    bad = {
        "sections": [
            {
                "title": "甲",
                "fields": [
                    {"key": "Name", "label": "姓名", "type": "text"},
                    {"key": "a", "label": "数", "type": "number", "min": 5, "max": 1},
                    {"key": "a", "label": "重复", "type": "choice"},
                    {"key": "f", "label": "附件", "type": "file"},
                    {"key": "g", "label": "怪", "type": "weird"},
                ],
            }
        ]
    }
    with pytest.raises(ValidationError) as exc:
        services.create_call(
            kind="award", title="坏表单", organiser=orgs["组织人事部"], year=2026, by=staff, form_schema=bad
        )
    errors = exc.value.message_dict["form_schema"]
    assert len(errors) >= 5
    joined = " ".join(errors)
    for word in ("姓名", "数", "重复", "附件", "怪"):
        assert word in joined


def test_staff_of_another_department_cannot_run_the_call(call, other_staff, dossier):
    with pytest.raises(PermissionDenied):
        services.add_round(call, by=other_staff, rubric=[{"key": "a", "label": "a", "max": 10}])


def test_double_endorsement_under_a_stale_read(dossier, nominee, unit_staff, channel_admin):
    services.attach_file(dossier, field_key="evidence", upload=SimpleUploadedFile("a.pdf", PDF), by=nominee)
    submission = services.submit(dossier, by=nominee)
    stale = Submission.objects.get(pk=submission.pk)
    services.endorse(submission, by=unit_staff)
    # The stale copy still says "unit" is next; the service re-reads under a lock and refuses.
    with pytest.raises(PermissionDenied):
        services.endorse(stale, by=unit_staff)
    assert submission.endorsements.count() == 1


def _to_review(call, dossier, nominee, unit_staff, channel_admin, staff, make_user, university, n=3):
    """Three accepted dossiers (the fixture one plus two more)."""
    out = []
    codes = services.issue_codes(call.channels.get(), n, by=channel_admin)
    call.channels.update(quota=10)
    for i in range(n):
        if i == 0:
            s, user = dossier, nominee
        else:
            user = make_user(f"extra{i}", role=None)
            s = services.create_submission(
                call=call,
                applicant=user,
                code=codes[i].code,
                organization=university,
                title=f"储层改造技术{i}",
            )
            services.save_draft(s, by=user, data={**ANSWERS, "name": f"候选{i}", "team": []})
        services.attach_file(s, field_key="evidence", upload=SimpleUploadedFile("a.pdf", PDF), by=user)
        s = services.submit(s, by=user)
        s = endorse_all(s, unit_staff=unit_staff, channel_admin=channel_admin, staff=staff)
        out.append(services.formal_check(s, by=staff, outcome=FormalOutcome.PASS))
    return out


def test_review_to_result(
    call, dossier, nominee, unit_staff, channel_admin, staff, make_user, university, reviewers
):
    hooked = []
    original = kinds.get("award")
    kinds.register(
        "award",
        label="award",
        app_label="test",
        on_decision=lambda s: hooked.append((s.pk, s.state)),
        replace=True,
    )
    try:
        subs = _to_review(call, dossier, nominee, unit_staff, channel_admin, staff, make_user, university)
        rubric = [
            {"key": "merit", "label": "事迹", "weight": 1, "min": 0, "max": 60},
            {"key": "impact", "label": "影响", "weight": 1, "min": 0, "max": 40},
        ]
        rnd = services.add_round(
            call,
            by=staff,
            kind=RoundKind.REMOTE,
            name="通讯评审",
            rubric=rubric,
            reviewers_per_submission=2,
            max_load=3,
            comment_below=60,
        )
        invited = services.invite_reviewers(rnd, reviewers, by=staff)
        for r in invited:
            services.accept(r, by=r.expert.user)
        report = services.assign(rnd, by=staff)
        # 王钧 works at the nominee's university: excluded for every dossier, with the reason.
        wang = reviewers[2]
        assert rnd.exclusions.filter(expert=wang).count() == 3
        assert "重庆示范大学" in rnd.exclusions.filter(expert=wang).first().reason
        assert not Assignment.objects.filter(round=rnd, reviewer__expert=wang).exists()
        assert report["assigned"] == 6 and report["max_assigned"] <= 3
        for a in Assignment.objects.filter(round=rnd):
            assert a.submission.state == SubmissionState.IN_REVIEW
        # A score outside the range and a low total without a comment are refused.
        a = Assignment.objects.filter(round=rnd).first()
        with pytest.raises(ValidationError) as exc:
            services.score(a, by=a.reviewer.expert.user, scores={"merit": 70, "impact": 10})
        assert "事迹" in messages(exc) and "60" in messages(exc)
        with pytest.raises(ValidationError) as exc:
            services.score(a, by=a.reviewer.expert.user, scores={"merit": 30, "impact": 10})
        assert "comment" in exc.value.message_dict
        with pytest.raises(PermissionDenied):
            services.score(a, by=staff, scores={"merit": 50, "impact": 30})
        harsh = {subs[0].pk: (40, 20), subs[1].pk: (35, 20), subs[2].pk: (30, 20)}
        for a in Assignment.objects.filter(round=rnd).select_related("reviewer__expert"):
            m, i = harsh[a.submission_id]
            if a.reviewer.expert.name == "陈研":
                m, i = m + 15, i + 15  # a generous reviewer
            services.score(a, by=a.reviewer.expert.user, scores={"merit": m, "impact": i}, comment="理由充分")
        results = services.close_round(rnd, by=staff).results.order_by("rank")
        assert [r.submission_id for r in results] == [s.pk for s in subs]
        decided = services.decide(call, by=staff, rule={"top_n": 2})
        assert sorted(s.decision for s in decided) == [
            Decision.NOT_SELECTED,
            Decision.SELECTED,
            Decision.SELECTED,
        ]
        assert all("2" in s.decision_rule for s in decided)
        assert len(hooked) == 3
        call = services.open_publicity(call, by=staff, start=dt.date(2026, 9, 30))
        # 国庆: 10-01..10-07 off; the 5 working days are 9-30, 10-09 (调休 Saturday), 10-10? ...
        assert call.publicity_start == dt.date(2026, 9, 30)
        assert call.state == CallState.PUBLICITY
        objection_day = call.publicity_start
        type(call).objects.filter(pk=call.pk).update(
            publicity_start=timezone.localdate(), publicity_end=timezone.localdate() + dt.timedelta(days=7)
        )
        winner = Submission.objects.get(pk=subs[0].pk)
        with pytest.raises(ValidationError) as exc:
            services.object(winner, by=unit_staff, real_name="", contact="1", body="短")
        assert set(exc.value.message_dict) == {"real_name", "contact", "body"}
        objection = services.object(
            winner,
            by=unit_staff,
            real_name="张三",
            contact="13800000000",
            body="该候选人的论文数量与实际不符，请核实。",
        )
        with pytest.raises(ValidationError):
            services.finalise(call, by=staff, today=timezone.localdate() + dt.timedelta(days=30))
        services.handle_objection(
            objection,
            by=staff,
            outcome=ObjectionState.DISMISSED,
            handling="核对了论文清单与检索报告",
            result="经核实，数量属实，不予支持。",
        )
        with pytest.raises(ValidationError):
            services.finalise(call, by=staff)  # the window is still running
        call = services.finalise(call, by=staff, today=timezone.localdate() + dt.timedelta(days=30))
        assert call.state == CallState.FINAL
        assert Submission.objects.filter(call=call, state=SubmissionState.FINAL).count() == 3
        assert len(hooked) == 6 and hooked[-1][1] == SubmissionState.FINAL
        winner.refresh_from_db()
        docx = documents.result_letter_docx(winner)
        assert docx[:2] == b"PK"
        from docx import Document

        text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
        assert "林晓雨" in text and "入选" in text and winner.reference in text
        assert documents.result_letter_pdf(winner)[:4] == b"%PDF"
        from openpyxl import load_workbook

        sheet = load_workbook(
            io.BytesIO(documents.results_xlsx(call, call.submissions.order_by("rank")))
        ).active
        assert sheet.cell(row=2, column=3).value == "林晓雨" and sheet.cell(row=2, column=8).value == "入选"
        assert objection_day
    finally:
        kinds._registry["award"] = original


def test_publicity_counts_chinese_working_days():
    from kexie.core.workdays import window

    # 2026 National Day: 10-01..10-07 off, 10-10 (Saturday) is a make-up working day.
    first, last, known = window(dt.date(2026, 9, 30), 5)
    assert known and first == dt.date(2026, 9, 30)
    assert last == dt.date(2026, 10, 12)  # 9-30, 10-08, 10-09, 10-10 (调休), 10-12
    first, last, known = window(dt.date(2027, 1, 4), 5)
    assert not known and last == dt.date(2027, 1, 8)


def test_replace_a_reviewer_moves_unscored_work(
    call, dossier, nominee, unit_staff, channel_admin, staff, make_user, university, reviewers
):
    _to_review(call, dossier, nominee, unit_staff, channel_admin, staff, make_user, university, n=1)
    rnd = services.add_round(
        call,
        by=staff,
        rubric=[{"key": "a", "label": "总分", "max": 100}],
        reviewers_per_submission=1,
        max_load=5,
    )
    first, second, _wang = services.invite_reviewers(rnd, reviewers, by=staff)
    services.set_pair(rnd, submission=dossier, expert=first.expert, kind="pin", by=staff)
    services.assign(rnd, by=staff)
    assert Assignment.objects.get(round=rnd).reviewer == first
    services.decline(first, by=first.expert.user, reason="出差")
    new = services.replace(first, second.expert, by=staff)
    active = Assignment.objects.get(round=rnd, active=True)
    assert active.reviewer == new
    first.refresh_from_db()
    assert first.state == ReviewerState.REPLACED


def test_flags_from_another_app_show_on_the_dossier(client, login, dossier, nominee):
    kinds.register_flag("test.flag", lambda s: ["托举对象"] if s.person_name == "林晓雨" else [])
    try:
        assert kinds.flags_for(dossier) == ["托举对象"]
        login(nominee)
        assert "托举对象" in client.get(f"/calls/dossiers/{dossier.pk}/").content.decode()
    finally:
        kinds.unregister_flag("test.flag")


def test_panel_round_votes_and_pass_rule(
    call, dossier, nominee, unit_staff, channel_admin, staff, make_user, university, reviewers
):
    subs = _to_review(call, dossier, nominee, unit_staff, channel_admin, staff, make_user, university, n=2)
    rnd = services.add_round(
        call,
        by=staff,
        kind=RoundKind.PANEL,
        name="会议评审",
        reviewers_per_submission=2,
        max_load=5,
        pass_rule={"fraction": [2, 3]},
    )
    services.invite_reviewers(rnd, reviewers[:2], by=staff)
    services.assign(rnd, by=staff)
    votes = {subs[0].pk: ("yes", "yes"), subs[1].pk: ("yes", "no")}
    for a in Assignment.objects.filter(round=rnd).select_related("reviewer__expert").order_by("pk"):
        with pytest.raises(ValidationError):
            services.score(a, by=a.reviewer.expert.user, scores={"a": 1})
        index = 0 if a.reviewer.expert.name == "李工" else 1
        services.vote(a, by=a.reviewer.expert.user, vote=votes[a.submission_id][index])
    results = {r.submission_id: r for r in services.aggregate(rnd, by=staff)}
    assert results[subs[0].pk].passed is True and results[subs[0].pk].votes_yes == 2
    assert results[subs[1].pk].passed is False  # 1 of 2 < 2/3
    decided = {s.pk: s.decision for s in services.decide(call, by=staff, rule={"panel_pass": True})}
    assert decided == {subs[0].pk: Decision.SELECTED, subs[1].pk: Decision.NOT_SELECTED}


def test_answers_given_at_creation_are_stored(call, channel, channel_admin, nominee, university):
    code = services.issue_codes(channel, 1, by=channel_admin)[0]
    submission = services.create_submission(
        call=call, applicant=nominee, code=code.code, organization=university, title="题目", data=ANSWERS
    )
    submission.refresh_from_db()
    assert submission.data["summary"] == ANSWERS["summary"] and submission.data["papers"] == 12
    assert submission.person_name == "林晓雨"
