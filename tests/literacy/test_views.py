import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from kexie.accounts.enums import Role
from kexie.accounts.models import User
from kexie.accounts.services import create_api_token
from kexie.literacy import services
from kexie.literacy.enums import PublishState, ReviewState
from kexie.literacy.models import ContestAnswer, Contestant, ContestAttempt, Question, ReaderVisit
from tests.literacy.conftest import JIANGBEI_CODE, KEPU, YUZHONG

STAFF_PAGES = [
    "literacy:question_list",
    "literacy:question_new",
    "literacy:question_import",
    "literacy:assessment_new",
    "literacy:contest_new",
    "literacy:chapter_new",
]
STATS_PAGES = ["literacy:participation", "literacy:planner"]

# role, organization -> may edit the bank / may see statistics
MATRIX = [
    (Role.DEPARTMENT_STAFF, KEPU, True, True),
    (Role.DEPARTMENT_HEAD, KEPU, True, True),
    (Role.DEPARTMENT_STAFF, "战略发展部", False, True),
    (Role.DISTRICT_STAFF, YUZHONG, False, True),
    (Role.LEADER, "重庆市科学技术协会", False, True),
    (Role.AUDITOR, "重庆市科学技术协会", False, True),
    (Role.ADMIN, "重庆市科学技术协会", False, False),  # accounts, not business data
    (Role.VOLUNTEER, YUZHONG, False, False),
]


@pytest.mark.parametrize(("role", "org", "edit", "stats"), MATRIX)
def test_pages_permission_matrix(make_user, login, reference, role, org, edit, stats):
    client = login(make_user("u", role=role, org_name=org))
    for name in STAFF_PAGES:
        assert client.get(reverse(name)).status_code == (200 if edit else 403), name
    for name in STATS_PAGES:
        assert client.get(reverse(name)).status_code == (200 if stats else 403), name
    assert client.get(reverse("literacy:rate")).status_code == 200


def test_public_pages_anonymous(client, contest, editor, reviewer, bank):
    chapter = services.save_chapter(
        by=editor, number=1, title="身边的科学", summary="", body="正文", questions=[]
    )
    draft = services.save_chapter(by=editor, number=2, title="草稿章", summary="", body="正文", questions=[])
    services.publish_chapter(chapter=chapter, by=reviewer)
    with override("en"):
        home = client.get(reverse("literacy:home")).content.decode()
        assert "竞赛" in home and "身边的科学" in home and "草稿章" not in home
        assert client.get(reverse("literacy:chapter_detail", args=[draft.pk])).status_code == 403
        page = client.get(reverse("literacy:contest_detail", args=[contest.pk])).content.decode()
        assert "Register to take part" in page
    assert client.get(reverse("literacy:question_list")).status_code == 302


def test_chapter_detail_counts_visit_by_district(client, login, editor, reviewer, citizen, reference):
    chapter = services.publish_chapter(
        chapter=services.save_chapter(
            by=editor, number=1, title="章", summary="", body="第一段", questions=[]
        ),
        by=reviewer,
    )
    assert "第一段" in client.get(reverse("literacy:chapter_detail", args=[chapter.pk])).content.decode()
    login(citizen).get(reverse("literacy:chapter_detail", args=[chapter.pk]))
    assert {(v.district.name if v.district else None, v.count) for v in ReaderVisit.objects.all()} == {
        (None, 1),
        (YUZHONG, 1),
    }


def test_register_creates_citizen_and_signs_in(client, orgs, reference):
    response = client.post(
        reverse("literacy:register"),
        {
            "username": "xiaoyu",
            "full_name": "张小渝",
            "district": orgs[YUZHONG].pk,
            "password": "Strong-Pass-2026",
        },
    )
    assert response.status_code == 302
    contestant = Contestant.objects.get(user__username="xiaoyu")
    assert contestant.district.name == YUZHONG
    assert not contestant.user.memberships.exists()  # a contestant is no volunteer or staff
    assert client.get(reverse("literacy:profile")).status_code == 200


def test_contest_play_page_never_contains_answer_key_or_explanation(login, contest, citizen):
    client = login(citizen)
    client.post(reverse("literacy:contest_start", args=[contest.pk]))
    attempt = ContestAttempt.objects.get(user=citizen)
    page = client.get(reverse("literacy:contest_play", args=[contest.pk])).content.decode()
    question = Question.objects.get(pk=attempt.question_ids[0])
    assert question.text in page
    assert question.explanation not in page
    assert "answer" not in json.loads(
        page.split('id="literacy-timing" type="application/json">')[1].split("</script>")[0]
    )


def test_contest_play_round_through_pages_shows_result_with_explanations(login, contest, citizen):
    client = login(citizen)
    client.post(reverse("literacy:contest_start", args=[contest.pk]))
    attempt = ContestAttempt.objects.get(user=citizen)
    for position, qid in enumerate(attempt.question_ids):
        client.get(reverse("literacy:contest_play", args=[contest.pk]))
        client.post(
            reverse("literacy:contest_play", args=[contest.pk]),
            {"position": position, "choice": Question.objects.get(pk=qid).answer},
        )
    attempt.refresh_from_db()
    assert (attempt.score, attempt.finished_at is not None) == (100, True)
    with override("en"):
        page = client.get(reverse("literacy:contest_play", args=[contest.pk])).content.decode()
    assert "Today's score: 100 (5 of 5 correct)" in page
    assert Question.objects.get(pk=attempt.question_ids[0]).explanation in page
    second = client.post(reverse("literacy:contest_start", args=[contest.pk]))
    assert second.status_code == 302 and ContestAttempt.objects.count() == 1


def test_question_review_through_page(login, editor, reviewer, reference):
    question = services.create_question(
        by=editor,
        dimension=reference["method"],
        kind="true_false",
        text="对照实验需要对照组。",
        options=[],
        answer=[0],
        difficulty=1,
    )
    own = login(editor).get(reverse("literacy:question_detail", args=[question.pk])).content.decode()
    assert 'data-testid="approve"' not in own
    client = login(reviewer)
    client.post(reverse("literacy:question_detail", args=[question.pk]), {"decision": "approve", "note": ""})
    question.refresh_from_db()
    assert question.state == ReviewState.REVIEWED


def test_question_import_page_lists_errors_nothing_written(login, editor, reference):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([h for _k, h in services.XLSX_COLUMNS])
    book.active.append(["X1", "科学知识", "单选", "题", "a\nb", "Z", 1, "", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "bank.xlsx"
    with override("en"):
        page = login(editor).post(reverse("literacy:question_import"), {"file": buffer}).content.decode()
    assert "Row 2, column “答案”: the answer “Z” does not name an option" in page
    assert not Question.objects.filter(external_id="X1").exists()


def test_question_export_is_xlsx(login, editor, reference):
    response = login(editor).get(reverse("literacy:question_list") + "?export=xlsx")
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 15 and rows[0][0] == "编号"


def test_question_list_query_count_constant(login, editor, make_question):
    client = login(editor)
    counts = {}
    for rows in (1, 3):
        while Question.objects.filter(state=ReviewState.DRAFT).count() < rows:
            make_question(state=ReviewState.DRAFT)
        client.get(reverse("literacy:question_list"))
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("literacy:question_list") + "?state=draft").content.decode()
        counts[rows] = len(ctx.captured_queries)
        assert page.count('data-testid="question-row"') == rows
    assert counts[1] == counts[3]


def _finish_rounds(contest, n, district, prefix="p"):
    for i in range(n):
        user = services.register_citizen(
            username=f"{prefix}{i}", password="Test-Pass-2026", full_name=f"人{i}", district=district
        )
        attempt = services.start_round(contest=contest, user=user)
        for position in range(len(attempt.question_ids)):
            services.serve_question(attempt=attempt)
            services.answer_question(attempt=attempt, position=position, choice=[0], by=user)


def test_contest_leaderboard_query_count_constant(client, contest, district):
    counts = {}
    for rows in (1, 3):
        _finish_rounds(contest, 1 if rows == 1 else 2, district, prefix=f"r{rows}-")
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("literacy:contest_detail", args=[contest.pk])).content.decode()
        counts[rows] = len(ctx.captured_queries)
    assert counts[1] == counts[3]
    assert "渝中区科协" in page


def test_participation_page_counts_by_district(login, contest, district, make_user):
    _finish_rounds(contest, 2, district)
    client = login(make_user("yz", role=Role.DISTRICT_STAFF, org_name=YUZHONG))
    page = client.get(reverse("literacy:participation")).content.decode()
    assert 'data-testid="total-takers">2<' in page


def test_planner_gives_sizes_per_district(login, make_user, reference):
    client = login(make_user("zl", role=Role.DEPARTMENT_STAFF, org_name="战略发展部"))
    response = client.get(
        reverse("literacy:planner"),
        {
            "margin": "3",
            "proportion": "15",
            "deff": "1",
            "response_rate": "100",
            "populations": "渝中区科学技术协会, 500000\n江北区, 120000",
        },
    )
    rows = response.context["rows"]
    assert len(rows) == 38
    # n0 = 1.96² × 0.15 × 0.85 / 0.03² = 544.2; with N = 500000: 544.2 / (1 + 543.2/500000) = 543.6 → 544
    yuzhong = next(r for r in rows if r["district"].name == YUZHONG)
    assert yuzhong["size"] == 544
    assert yuzhong["population"] == 500000 and isinstance(yuzhong["population"], int)
    # the plain district name, as people write it, is understood too
    assert next(r for r in rows if r["district"].code == "500105")["population"] == 120000
    bad = client.get(
        reverse("literacy:planner"),
        {"margin": "3", "proportion": "15", "deff": "1", "response_rate": "100", "populations": "火星区, 10"},
    )
    assert bad.context["rows"] == [] and len(bad.context["errors"]) == 1


def test_api_contest_serves_without_key_and_enforces_rules(login, contest, citizen):
    client = login(citizen)
    started = client.post(f"/api/v1/literacy/contests/{contest.pk}/rounds")
    assert started.status_code == 201
    body = started.json()
    assert set(body) == {
        "finished",
        "position",
        "total",
        "text",
        "kind",
        "options",
        "seconds",
        "seconds_left",
        "score",
    }
    qid = ContestAttempt.objects.get(user=citizen).question_ids[0]
    answered = client.post(
        f"/api/v1/literacy/contests/{contest.pk}/rounds/today/answers",
        {"position": 0, "choice": Question.objects.get(pk=qid).answer},
        content_type="application/json",
    )
    assert answered.json()["score"] == 20
    following = answered.json()["next"]
    second = Question.objects.get(pk=ContestAttempt.objects.get(user=citizen).question_ids[1])
    assert (following["position"], following["text"], following["finished"]) == (1, second.text, False)
    assert "answer" not in following
    resumed = client.get(f"/api/v1/literacy/contests/{contest.pk}/rounds/today").json()
    assert (resumed["position"], resumed["text"]) == (1, second.text)
    again = client.post(
        f"/api/v1/literacy/contests/{contest.pk}/rounds/today/answers",
        {"position": 0, "choice": [0]},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert client.post(f"/api/v1/literacy/contests/{contest.pk}/rounds").status_code == 409
    assert ContestAnswer.objects.filter(answered_at__isnull=False).count() == 1


def test_api_contest_answer_and_resume_query_counts(client, contest, citizen):
    """The requests every taker repeats stay a handful of queries (bench/contest_load.py plays this)."""
    _token, raw = create_api_token(user=citizen, name="app", days=1)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    client.post(f"/api/v1/literacy/contests/{contest.pk}/rounds")
    with CaptureQueriesContext(connection) as resume:
        assert client.get(f"/api/v1/literacy/contests/{contest.pk}/rounds/today").status_code == 200
    with CaptureQueriesContext(connection) as answer:
        response = client.post(
            f"/api/v1/literacy/contests/{contest.pk}/rounds/today/answers",
            {"position": 0, "choice": [0]},
            content_type="application/json",
        )
    assert response.status_code == 200
    # token, today's attempt with its contest, the served question
    assert len(resume.captured_queries) == 3
    # the same three reads; in one transaction (the test's savepoint and its release): two conditional
    # updates, the totals, the next question served; then that question read for the response
    assert len(answer.captured_queries) == 10


def test_api_questions_editors_only(login, editor, citizen, reference):
    assert login(citizen).get("/api/v1/literacy/questions").status_code == 403
    rows = login(editor).get("/api/v1/literacy/questions?dimension=knowledge").json()
    assert len(rows) == 14


def test_api_estimates_public(client, reference):
    rows = client.get("/api/v1/literacy/estimates").json()
    assert [(r["year"], r["rate"]) for r in rows if r["district"] is None] == [
        (2015, 4.74),
        (2018, 8.01),
        (2020, 10.2),
        (2022, 12.3),
    ]


def test_contest_not_running_day_refused_in_page(login, citizen, editor, reviewer, bank):
    today = timezone.localdate()
    contest = services.save_contest(
        by=editor,
        title="将来",
        topic="",
        dimension=None,
        starts_on=today + timedelta(days=2),
        ends_on=today + timedelta(days=3),
        questions_per_round=5,
        seconds_per_question=30,
    )
    services.publish_contest(contest=contest, by=reviewer)
    login(citizen).post(reverse("literacy:contest_start", args=[contest.pk]))
    assert ContestAttempt.objects.count() == 0
    assert contest.state == PublishState.PUBLISHED


# --- what the public may see ----------------------------------------------------------------------------


def test_contest_board_masks_names_for_others_and_ranks_only_groups_of_five(
    client, login, make_user, contest, district, orgs
):
    _finish_rounds(contest, 5, district, prefix="yz")  # 5 in 渝中区: ranked
    jiangbei = next(o for o in orgs.values() if o.code == JIANGBEI_CODE)
    _finish_rounds(contest, 1, jiangbei, prefix="jb")  # 1 in 江北区: listed, not ranked
    url = reverse("literacy:contest_detail", args=[contest.pk])

    public = client.get(url)
    names = [row["name"] for row in public.context["leaders"]]
    assert set(names) == {"人*"}
    assert [(r["name"], r["rank"]) for r in public.context["districts"]] == [
        ("渝中区科协", 1),
        ("江北区科协", None),
    ]
    assert "人0" not in public.content.decode()

    yz0 = User.objects.get(username="yz0")
    own = login(yz0).get(url).context["leaders"]
    assert sorted(row["name"] for row in own) == ["人*"] * 5 + ["人0"]
    staff = login(make_user("zl", role=Role.DEPARTMENT_STAFF, org_name="战略发展部")).get(url)
    assert sorted(row["name"] for row in staff.context["leaders"]) == [
        "人0",
        "人0",
        "人1",
        "人2",
        "人3",
        "人4",
    ]

    api = client.get(f"/api/v1/literacy/contests/{contest.pk}/leaderboard").json()
    assert {row["name"] for row in api["people"]} == {"人*"}
    assert [(r["name"], r["rank"]) for r in api["districts"]] == [("渝中区科协", 1), ("江北区科协", None)]


def test_survey_paper_is_not_open_as_an_assessment(login, literacy_survey, paper, citizen):
    client = login(citizen)
    assert paper not in client.get(reverse("literacy:home")).context["assessments"]
    assert client.get(reverse("literacy:assessment", args=[paper.pk])).status_code == 404  # not revealed
    with pytest.raises(PermissionDenied):
        services.submit_assessment(assessment=paper, user=citizen, answers={})


def test_question_page_shows_audience_and_state_labels(login, editor, make_question):
    question = make_question(state=ReviewState.REJECTED)
    Question.objects.filter(pk=question.pk).update(audiences=["youth", "farmers"])
    client = login(editor)
    with override("zh-hans"):
        page = client.get(
            reverse("literacy:question_detail", args=[question.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
    assert "青少年、农民" in page
    assert "未通过" in page
