import io
import threading
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from kexie.accounts.enums import Role
from kexie.core.models import AuditEvent
from kexie.literacy import services
from kexie.literacy.enums import EstimateSource, PublishState, QuestionKind, ReviewState
from kexie.literacy.models import (
    AssessmentAttempt,
    ContestAnswer,
    ContestAttempt,
    ContestBest,
    LiteracyEstimate,
    Question,
    ScoringRule,
)


def test_load_reference_data_loads_core_items_and_published_rates_once(orgs):
    first = services.load_reference_data()
    assert first == {"dimensions": 4, "rules": 2, "questions": 14, "estimates": 9}
    assert services.load_reference_data() == {"dimensions": 0, "rules": 0, "questions": 0, "estimates": 0}
    city = dict(
        LiteracyEstimate.objects.filter(district=None, source=EstimateSource.PUBLISHED).values_list(
            "year", "rate"
        )
    )
    assert city == {
        2015: Decimal("4.74"),
        2018: Decimal("8.01"),
        2020: Decimal("10.20"),
        2022: Decimal("12.30"),
    }
    k12 = Question.objects.get(external_id="K12")
    assert (k12.kind, k12.options[k12.answer[0]], k12.state) == (
        QuestionKind.SINGLE,
        "地球绕太阳转",
        ReviewState.REVIEWED,
    )
    assert Question.objects.get(external_id="K07").answer == [1]


def _draft(editor, reference, **extra):
    data = {
        "dimension": reference["knowledge"],
        "kind": QuestionKind.SINGLE,
        "text": "水的化学式是？",
        "options": ["H2O", "CO2", "O2"],
        "answer": [0],
        "difficulty": 1,
        "audiences": ["youth"],
    }
    data.update(extra)
    return services.create_question(by=editor, **data)


def test_create_question_records_draft_and_event(editor, reference):
    question = _draft(editor, reference)
    assert (question.state, question.created_by, question.answer) == (ReviewState.DRAFT, editor, [0])
    assert (
        AuditEvent.objects.filter(action="literacy.question.create", object_id=str(question.pk)).count() == 1
    )


def test_create_question_refused_for_district_staff(make_user, reference):
    staff = make_user("yz", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会")
    with pytest.raises(PermissionDenied):
        _draft(staff, reference)
    assert Question.objects.count() == 14


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"answer": [5]}, "answer"),
        ({"options": ["只有一个"]}, "options"),
        ({"difficulty": 6}, "difficulty"),
        ({"kind": QuestionKind.MULTIPLE, "answer": [0]}, "answer"),
        ({"text": " "}, "text"),
    ],
)
def test_create_question_bad_input_names_field_and_writes_nothing(editor, reference, extra, field):
    with pytest.raises(ValidationError) as caught:
        _draft(editor, reference, **extra)
    assert set(caught.value.message_dict) == {field}
    assert Question.objects.count() == 14


def test_review_question_by_second_editor_passes(editor, reviewer, reference):
    question = services.review_question(question=_draft(editor, reference), by=reviewer, approve=True)
    assert (question.state, question.reviewed_by) == (ReviewState.REVIEWED, reviewer)


def test_review_question_by_author_refused_and_unchanged(editor, reference):
    question = _draft(editor, reference)
    with pytest.raises(PermissionDenied):
        services.review_question(question=question, by=editor, approve=True)
    question.refresh_from_db()
    assert question.state == ReviewState.DRAFT


def test_review_question_reject_needs_note(editor, reviewer, reference):
    question = _draft(editor, reference)
    with pytest.raises(ValidationError):
        services.review_question(question=question, by=reviewer, approve=False, note="")
    question.refresh_from_db()
    assert question.state == ReviewState.DRAFT
    services.review_question(question=question, by=reviewer, approve=False, note="答案有误")
    question.refresh_from_db()
    assert (question.state, question.review_note) == (ReviewState.REJECTED, "答案有误")


def test_update_rejected_question_returns_to_draft_reviewed_frozen(editor, reviewer, reference):
    question = _draft(editor, reference)
    services.review_question(question=question, by=reviewer, approve=False, note="改")
    question.refresh_from_db()
    updated = services.update_question(
        question=question,
        by=editor,
        dimension=reference["knowledge"],
        kind=QuestionKind.SINGLE,
        text="新题干",
        options=["a", "b"],
        answer=[1],
        difficulty=2,
    )
    assert (updated.state, updated.text) == (ReviewState.DRAFT, "新题干")
    reviewed = Question.objects.get(external_id="K01")
    with pytest.raises(PermissionDenied):
        services.update_question(
            question=reviewed,
            by=editor,
            dimension=reference["knowledge"],
            kind=QuestionKind.TRUE_FALSE,
            text="x",
            options=[],
            answer=[0],
            difficulty=2,
        )


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append([h for _k, h in services.XLSX_COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


GOOD = [
    "N1",
    "科学知识",
    "单选",
    "水的化学式是？",
    "H2O\nCO2",
    "A",
    1,
    "水由氢和氧组成",
    "自编",
    "化学",
    "青少年、农民",
]


def test_import_questions_creates_drafts(editor, reference):
    report = services.import_questions(
        file=_xlsx([GOOD, ["N2", "科学方法", "判断", "对照组可以排除干扰。", "", "正确", 2, "", "", "", ""]]),
        by=editor,
    )
    assert (report.created, report.updated) == (2, 0)
    n1 = Question.objects.get(external_id="N1")
    assert (n1.state, n1.answer, n1.audiences, n1.dimension.code) == (
        ReviewState.DRAFT,
        [0],
        ["youth", "farmers"],
        "knowledge",
    )
    assert Question.objects.get(external_id="N2").answer == [0]


def test_import_questions_errors_by_row_and_column_nothing_written(editor, reference):
    bad_dimension = ["N2", "玄学", "单选", "题", "a\nb", "A", 1, "", "", "", ""]
    bad_answer = ["N3", "科学知识", "单选", "题", "a\nb", "C", 1, "", "", "", ""]
    reviewed = ["K01", "科学知识", "判断", "改写", "", "正确", 1, "", "", "", ""]
    with pytest.raises(ValidationError) as caught:
        services.import_questions(file=_xlsx([GOOD, bad_dimension, bad_answer, reviewed]), by=editor)
    assert caught.value.messages == [
        "Row 3, column “维度”: unknown dimension “玄学”",
        "Row 4, column “答案”: the answer “C” does not name an option",
        "Row 5, column “编号”: item “K01” is reviewed and cannot be changed",
    ]
    assert not Question.objects.filter(external_id="N1").exists()
    assert Question.objects.count() == 14


def test_import_questions_missing_columns_refused(editor, reference):
    book = Workbook()
    book.active.append(["编号", "题目"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(ValidationError) as caught:
        services.import_questions(file=buffer, by=editor)
    assert "维度" in caught.value.messages[0]


def test_export_questions_round_trips_through_import(editor, reference):
    services.import_questions(file=_xlsx([GOOD]), by=editor)
    data = services.export_questions(Question.objects.filter(external_id="N1"))
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:6] == ("N1", "科学知识", "单选", "水的化学式是？", "H2O\nCO2", "A")
    report = services.import_questions(file=io.BytesIO(data), by=editor)
    assert (report.created, report.updated) == (0, 1)


def test_create_assessment_assembles_reviewed_items_only(bank, editor, make_question):
    draft = make_question(state=ReviewState.DRAFT)
    rule = ScoringRule.objects.get(name=services.GRADED_RULE)
    blueprint = {"knowledge": 40, "method": 20, "spirit": 20, "application": 20}
    assessment = services.create_assessment(
        by=editor, title="卷", rule=rule, item_count=10, blueprint=blueprint, difficulty_mix={}, seed=5
    )
    items = list(assessment.items.all())
    assert len(items) == 10
    assert draft.pk not in {i.question_id for i in items}
    assert sum(i.points for i in items) == Decimal(100)
    again = services.create_assessment(
        by=editor, title="卷2", rule=rule, item_count=10, blueprint=blueprint, difficulty_mix={}, seed=5
    )
    assert [i.question_id for i in again.items.all()] == [i.question_id for i in items]


def test_submit_assessment_scores_and_refuses_second(bank, editor, reviewer, citizen):
    rule = ScoringRule.objects.get(name=services.BENCHMARK_RULE)
    assessment = services.create_assessment(
        by=editor,
        title="基准卷",
        rule=rule,
        item_count=10,
        blueprint={"knowledge": 1, "method": 1},
        difficulty_mix={},
        seed=1,
    )
    services.publish_assessment(assessment=assessment, by=reviewer)
    items = list(assessment.items.select_related("question"))
    answers = {i.question_id: i.question.answer for i in items[:6]} | {i.question_id: [3] for i in items[6:]}
    attempt = services.submit_assessment(assessment=assessment, user=citizen, answers=answers)
    assert (attempt.score, attempt.correct, attempt.literate, attempt.tier) == (
        Decimal(60),
        6,
        True,
        "具备基本科学素质",
    )
    assert attempt.district.name == "渝中区科学技术协会"
    with pytest.raises(ValidationError):
        services.submit_assessment(assessment=assessment, user=citizen, answers={})
    assert AssessmentAttempt.objects.count() == 1


def test_submit_assessment_draft_refused(bank, editor, citizen):
    rule = ScoringRule.objects.get(name=services.GRADED_RULE)
    assessment = services.create_assessment(
        by=editor, title="卷", rule=rule, item_count=4, blueprint={"knowledge": 1}, difficulty_mix={}, seed=1
    )
    with pytest.raises(PermissionDenied):
        services.submit_assessment(assessment=assessment, user=citizen, answers={})
    assert AssessmentAttempt.objects.count() == 0


# --- contest ---------------------------------------------------------------------------------------------


def _play(attempt, user, *, right: int, start, step=timedelta(seconds=5)):
    now = start
    for position in range(len(attempt.question_ids)):
        served = services.serve_question(attempt=attempt, now=now)
        choice = served.question.answer if position < right else [3]
        now += step
        services.answer_question(attempt=attempt, position=position, choice=choice, by=user, now=now)
    attempt.refresh_from_db()
    return attempt


def test_start_round_once_a_day(contest, citizen):
    # Noon local time: "an hour later" is the same day whenever the suite runs (not so at 23:30).
    now = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    attempt = services.start_round(contest=contest, user=citizen, now=now)
    assert (len(attempt.question_ids), attempt.position, attempt.district.code) == (5, 0, "500103")
    with pytest.raises(ValidationError) as caught:
        services.start_round(contest=contest, user=citizen, now=now + timedelta(hours=1))
    assert caught.value.messages == ["You have already taken today's round. Come back tomorrow."]
    assert ContestAttempt.objects.count() == 1
    tomorrow = services.start_round(contest=contest, user=citizen, now=now + timedelta(days=1))
    assert tomorrow.day == attempt.day + timedelta(days=1)


def test_start_round_without_profile_or_outside_dates_refused(contest, make_user, citizen):
    staff = make_user("someone", role=Role.DEPARTMENT_STAFF)
    with pytest.raises(ValidationError):
        services.start_round(contest=contest, user=staff)
    with pytest.raises(ValidationError):
        services.start_round(contest=contest, user=citizen, now=timezone.now() + timedelta(days=30))
    assert ContestAttempt.objects.count() == 0


def test_start_and_answer_serve_the_next_question(contest, citizen):
    start = timezone.now()
    attempt = services.start_round(contest=contest, user=citizen, now=start)
    first = ContestAnswer.objects.get(attempt=attempt)
    assert (first.position, first.question_id, first.served_at) == (0, attempt.question_ids[0], start)
    answered_at = start + timedelta(seconds=7)
    services.answer_question(attempt=attempt, position=0, choice=[0], by=citizen, now=answered_at)
    second = services.serve_question(attempt=attempt, now=answered_at + timedelta(seconds=3))
    assert (second.position, second.question_id, second.served_at) == (
        1,
        attempt.question_ids[1],
        answered_at,
    )
    assert attempt.position == 1


def test_answer_question_last_one_finishes_without_serving(contest, citizen):
    start = timezone.now()
    attempt = services.start_round(contest=contest, user=citizen, now=start)
    for position in range(len(attempt.question_ids)):
        services.answer_question(attempt=attempt, position=position, choice=[0], by=citizen, now=start)
    assert attempt.finished_at == start
    assert ContestAnswer.objects.filter(attempt=attempt).count() == len(attempt.question_ids)
    assert services.serve_question(attempt=attempt) is None


def test_serve_question_keeps_first_served_time(contest, citizen):
    now = timezone.now()
    attempt = services.start_round(contest=contest, user=citizen, now=now)
    first = services.serve_question(attempt=attempt, now=now)
    again = services.serve_question(attempt=attempt, now=now + timedelta(seconds=20))
    assert (again.pk, again.served_at) == (first.pk, now)
    assert first.question_id == attempt.question_ids[0]


@pytest.mark.parametrize(
    ("elapsed", "points", "late"), [(10, 20, False), (32, 20, False), (33, 0, True), (120, 0, True)]
)
def test_answer_question_server_timing(contest, citizen, elapsed, points, late):
    now = timezone.now()
    attempt = services.start_round(contest=contest, user=citizen, now=now)
    served = services.serve_question(attempt=attempt, now=now)
    answer = services.answer_question(
        attempt=attempt,
        position=0,
        choice=served.question.answer,
        by=citizen,
        now=now + timedelta(seconds=elapsed),
    )
    attempt.refresh_from_db()
    assert (answer.points, answer.timed_out, attempt.score, attempt.position) == (points, late, points, 1)


def test_answer_question_twice_counts_once(contest, citizen):
    now = timezone.now()
    attempt = services.start_round(contest=contest, user=citizen, now=now)
    served = services.serve_question(attempt=attempt, now=now)
    services.answer_question(attempt=attempt, position=0, choice=served.question.answer, by=citizen, now=now)
    with pytest.raises(ValidationError):
        services.answer_question(
            attempt=attempt, position=0, choice=served.question.answer, by=citizen, now=now
        )
    attempt.refresh_from_db()
    assert (attempt.score, attempt.position) == (20, 1)
    assert ContestAnswer.objects.filter(answered_at__isnull=False).count() == 1


def test_answer_question_not_served_or_other_user_refused(contest, citizen, district):
    other = services.register_citizen(
        username="citizen2", password="Test-Pass-2026", full_name="李四", district=district
    )
    attempt = services.start_round(contest=contest, user=citizen)
    with pytest.raises(ValidationError) as caught:
        services.answer_question(attempt=attempt, position=1, choice=[0], by=citizen)
    assert caught.value.messages == ["This question has not been served."]
    with pytest.raises(PermissionDenied):
        services.answer_question(attempt=attempt, position=0, choice=[0], by=other)
    assert ContestAnswer.objects.filter(answered_at__isnull=False).count() == 0


def test_finish_round_keeps_best_score(contest, citizen):
    start = timezone.now()
    first = _play(
        services.start_round(contest=contest, user=citizen, now=start), citizen, right=4, start=start
    )
    assert (first.score, first.finished_at is not None) == (80, True)
    best = ContestBest.objects.get(user=citizen)
    assert (best.best_score, best.rounds) == (80, 1)
    day2 = start + timedelta(days=1)
    _play(services.start_round(contest=contest, user=citizen, now=day2), citizen, right=2, start=day2)
    best.refresh_from_db()
    assert (best.best_score, best.rounds) == (80, 2)
    day3 = start + timedelta(days=2)
    _play(services.start_round(contest=contest, user=citizen, now=day3), citizen, right=5, start=day3)
    best.refresh_from_db()
    assert (best.best_score, best.rounds) == (100, 3)
    assert services.serve_question(attempt=ContestAttempt.objects.get(day=timezone.localdate(day3))) is None


def test_themed_contest_draws_only_its_topic(make_question, editor, reviewer, citizen):
    for _n in range(3):
        make_question(topic="应急避险")
    make_question(topic="其他")
    today = timezone.localdate()
    contest = services.save_contest(
        by=editor,
        title="应急",
        topic="应急避险",
        dimension=None,
        starts_on=today,
        ends_on=today,
        questions_per_round=20,
        seconds_per_question=30,
    )
    services.publish_contest(contest=contest, by=reviewer)
    attempt = services.start_round(contest=contest, user=citizen)
    assert set(Question.objects.filter(pk__in=attempt.question_ids).values_list("topic", flat=True)) == {
        "应急避险"
    }
    assert len(attempt.question_ids) == 3


@pytest.mark.django_db(transaction=True)
def test_start_round_concurrent_requests_one_attempt(contest, citizen):
    barrier = threading.Barrier(8)
    outcomes = []

    def attempt_start():
        try:
            barrier.wait()
            services.start_round(contest=contest, user=citizen)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt_start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] + ["refused"] * 7
    assert ContestAttempt.objects.filter(user=citizen).count() == 1


@pytest.mark.django_db(transaction=True)
def test_answer_question_concurrent_double_submit_counts_once(contest, citizen):
    attempt = services.start_round(contest=contest, user=citizen)
    served = services.serve_question(attempt=attempt)
    barrier = threading.Barrier(6)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            services.answer_question(attempt=attempt, position=0, choice=served.question.answer, by=citizen)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    attempt.refresh_from_db()
    assert sorted(outcomes) == ["ok"] + ["refused"] * 5
    assert (attempt.score, attempt.position) == (20, 1)


# --- reader, estimates, binding -----------------------------------------------------------------------------


def test_publish_chapter_and_count_visits(editor, reviewer, bank, district):
    chapter = services.save_chapter(
        by=editor, number=1, title="第一章", summary="", body="正文", questions=bank[:2]
    )
    services.publish_chapter(chapter=chapter, by=reviewer)
    with pytest.raises(ValidationError):
        services.publish_chapter(chapter=chapter, by=reviewer)
    services.record_reader_visit(chapter=chapter, district=district)
    services.record_reader_visit(chapter=chapter, district=district)
    services.record_reader_visit(chapter=chapter, district=None)
    assert {(v.district_id, v.count) for v in chapter.visits.all()} == {(district.pk, 2), (None, 1)}
    chapter.refresh_from_db()
    assert (chapter.state, chapter.questions.count()) == (PublishState.PUBLISHED, 2)


def test_estimate_from_assessments_city_and_district(bank, editor, reviewer, district, orgs):
    rule = ScoringRule.objects.get(name=services.GRADED_RULE)
    assessment = services.create_assessment(
        by=editor, title="卷", rule=rule, item_count=4, blueprint={"knowledge": 1}, difficulty_mix={}, seed=1
    )
    services.publish_assessment(assessment=assessment, by=reviewer)
    items = list(assessment.items.select_related("question"))
    for n in range(4):
        user = services.register_citizen(
            username=f"c{n}", password="Test-Pass-2026", full_name="某", district=district
        )
        answers = {i.question_id: i.question.answer for i in items} if n == 0 else {}
        services.submit_assessment(assessment=assessment, user=user, answers=answers)
    year = timezone.localdate().year
    saved = services.estimate_from_assessments(year=year, by=reviewer)
    city = LiteracyEstimate.objects.get(year=year, district=None, source=EstimateSource.ASSESSMENT)
    assert (city.rate, city.n, len(saved)) == (Decimal("25.00"), 4, 2)
    assert city.ci_low < city.rate < city.ci_high
    # SE of a proportion 1/4 from 4 equal-weight respondents: sqrt(p(1-p)/(n-1)) = 0.25
    assert city.se == Decimal("25.000")


def test_estimate_from_assessments_too_few_refused(reference, reviewer):
    with pytest.raises(ValidationError):
        services.estimate_from_assessments(year=2026, by=reviewer)
    assert LiteracyEstimate.objects.filter(source=EstimateSource.ASSESSMENT).count() == 0
