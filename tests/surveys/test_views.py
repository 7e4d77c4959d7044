"""Survey pages: builder, distribution, answering, results, exports, weighting; permissions, query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kexie.accounts.enums import Role
from kexie.surveys import services
from kexie.surveys.enums import QuestionKind, SurveyState
from kexie.surveys.models import Answer, Question, Response, Survey, WeightingRun, WeightingScheme
from tests.surveys.conftest import OWNER_ORG, answer, questions, xlsx

pytestmark = pytest.mark.django_db


# ---- builder ----------------------------------------------------------------------------------


def test_create_survey_view_creates_and_redirects(login, owner, orgs):
    client = login(owner)
    response = client.post(
        reverse("surveys:create"),
        {"title": "快速调查", "organization": orgs["战略发展部"].pk, "description": ""},
    )
    survey = Survey.objects.get(title="快速调查")
    assert response.status_code == 302 and response["Location"] == reverse("surveys:detail", args=[survey.pk])
    assert survey.created_by == owner


def test_create_survey_view_offers_only_own_organization(login, owner, orgs):
    client = login(owner)
    response = client.post(
        reverse("surveys:create"), {"title": "x", "organization": orgs["科学技术普及部"].pk}
    )
    assert response.status_code == 200
    assert Survey.objects.count() == 0


def test_question_create_view_with_condition(login, owner, draft):
    client = login(owner)
    q = questions(draft)
    section = draft.sections.last()
    response = client.post(
        reverse("surveys:question_create", args=[draft.pk]),
        {
            "section": section.pk,
            "text": "单位类型",
            "code": "unit",
            "kind": "single",
            "required": "on",
            "options": "1=高校\n2=企业\n科研院所",
            "rows": "",
            "scale_min": 1,
            "scale_max": 5,
            "condition_question": q["employed"].pk,
            "condition_operator": "equals",
            "condition_value": "1",
        },
    )
    assert response.status_code == 302
    unit = Question.objects.get(code="unit")
    assert [(o.value, o.label) for o in unit.options.all()] == [
        ("1", "高校"),
        ("2", "企业"),
        ("3", "科研院所"),
    ]
    assert (unit.condition_question_id, unit.condition_value) == (q["employed"].pk, "1")


def test_detail_lists_questions_and_publish_problems(login, owner, orgs):
    survey = services.create_survey(title="空调查", organization=orgs["战略发展部"], by=owner)
    response = login(owner).get(reverse("surveys:detail", args=[survey.pk]))
    assert "The survey has no questions." in response.content.decode()


def test_publish_view_publishes(login, owner, draft):
    response = login(owner).post(reverse("surveys:publish", args=[draft.pk]))
    assert response.status_code == 302
    assert Survey.objects.get(pk=draft.pk).state == SurveyState.PUBLISHED


def test_revise_view_creates_version(login, owner, published):
    response = login(owner).post(reverse("surveys:revise", args=[published.pk]))
    copy = Survey.objects.get(previous=published)
    assert response["Location"] == reverse("surveys:detail", args=[copy.pk])
    assert copy.version == 2


def test_edit_published_question_forbidden(login, owner, published):
    q = questions(published)["sex"]
    response = login(owner).post(reverse("surveys:question_edit", args=[q.pk]), {"text": "改"})
    assert response.status_code == 403
    assert Question.objects.get(pk=q.pk).text == "性别"


def test_preview_renders_every_question(login, owner, draft):
    body = login(owner).get(reverse("surveys:preview", args=[draft.pk])).content.decode()
    assert body.count('data-testid="answer-question"') == 6


# ---- permissions matrix -----------------------------------------------------------------------

ROLES = {
    "owner": (Role.DEPARTMENT_STAFF, "战略发展部"),
    "owner_head": (Role.DEPARTMENT_HEAD, "战略发展部"),
    "other_department": (Role.DEPARTMENT_STAFF, "科学技术普及部"),
    "leader": (Role.LEADER, "重庆市科学技术协会"),
    "supervisor": (Role.SUPERVISOR, "重庆市科学技术协会"),
    "district": (Role.DISTRICT_STAFF, "渝中区科学技术协会"),
    "district_other": (Role.DISTRICT_STAFF, "江北区科学技术协会"),
}

# (page, state) → roles allowed (status 200)
MATRIX = [
    ("detail", "draft", {"owner", "owner_head", "leader", "supervisor"}),
    ("detail", "published", {"owner", "owner_head", "leader", "supervisor", "district"}),
    ("distribution", "published", {"owner", "owner_head", "leader", "supervisor", "district"}),
    ("results", "published", {"owner", "owner_head", "leader", "supervisor"}),
    ("weighting", "published", {"owner", "owner_head", "leader", "supervisor"}),
    ("question_create", "draft", {"owner", "owner_head", "leader"}),
    ("question_create", "published", set()),
    ("edit", "published", {"owner", "owner_head", "leader"}),
]


@pytest.mark.parametrize(("page", "state", "allowed"), MATRIX)
@pytest.mark.parametrize("role", sorted(ROLES))
def test_permission_matrix(login, make_user, draft, owner, orgs, page, state, allowed, role):
    if state == "published":
        services.publish_survey(survey=draft, by=owner)
        services.issue_invitations(survey=draft, organization=orgs["渝中区科学技术协会"], quota=2, by=owner)
    kind, org = ROLES[role]
    user = make_user(f"u-{role}", role=kind, org_name=org)
    response = login(user).get(reverse(f"surveys:{page}", args=[draft.pk]))
    # One access rule per object: a survey the role cannot see is 404 (its existence is not
    # revealed); a visible survey the role may not act on is 403.
    sees = next(roles for (p, s, roles) in MATRIX if p == "detail" and s == state)
    assert response.status_code == (200 if role in allowed else 403 if role in sees else 404)


@pytest.mark.parametrize(
    ("role", "may"), [("owner", True), ("leader", True), ("supervisor", False), ("other_department", False)]
)
def test_permission_publish(login, make_user, draft, role, may):
    kind, org = ROLES[role]
    user = make_user(f"p-{role}", role=kind, org_name=org)
    login(user).post(reverse("surveys:publish", args=[draft.pk]))
    assert Survey.objects.get(pk=draft.pk).state == (SurveyState.PUBLISHED if may else SurveyState.DRAFT)


def test_list_shows_only_visible_surveys(login, owner, other_staff, draft, orgs):
    services.create_survey(title="科普部调查", organization=orgs["科学技术普及部"], by=other_staff)
    body = login(owner).get(reverse("surveys:list")).content.decode()
    assert "科技工作者状况调查" in body and "科普部调查" not in body


def test_list_query_count_constant(login, leader, owner, orgs):
    client = login(leader)
    services.create_survey(title="调查0", organization=orgs["战略发展部"], by=owner)
    one = _queries(client, reverse("surveys:list"))
    for n in (1, 2):
        services.create_survey(title=f"调查{n}", organization=orgs["战略发展部"], by=owner)
    three = _queries(client, reverse("surveys:list"))
    assert client.get(reverse("surveys:list")).content.decode().count('data-testid="survey-row"') == 3
    assert one == three


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def test_results_and_distribution_query_counts_do_not_grow(login, owner, published, orgs):
    client = login(owner)
    services.issue_invitations(survey=published, organization=orgs["渝中区科学技术协会"], quota=3, by=owner)
    answer(published, {"sex": "1", "employed": "2", "channels": ["1"], "satisfaction": "4"})
    counts_one = [
        _queries(client, reverse(f"surveys:{p}", args=[published.pk]))
        for p in ("results", "distribution", "detail")
    ]
    services.issue_invitations(survey=published, organization=orgs["江北区科学技术协会"], quota=3, by=owner)
    services.issue_invitations(survey=published, organization=orgs["万州区科学技术协会"], quota=3, by=owner)
    for _ in range(2):
        answer(published, {"sex": "2", "employed": "1", "hours": 40, "channels": ["2"], "satisfaction": "3"})
    counts_three = [
        _queries(client, reverse(f"surveys:{p}", args=[published.pk]))
        for p in ("results", "distribution", "detail")
    ]
    assert counts_one == counts_three


# ---- answering --------------------------------------------------------------------------------


def test_public_link_answer_flow_with_skip_and_required(client, published):
    start = client.post(reverse("surveys:public_start", args=[published.public_token]))
    response = Response.objects.get()
    url = reverse("surveys:answer", args=[response.resume_token])
    assert start["Location"] == url
    q = questions(published)
    missing = client.post(url, {"action": "next", f"q{q['sex'].pk}": "1"})
    assert "Please answer “是否在职”." in missing.content.decode()
    assert Answer.objects.count() == 0
    page2 = client.post(url, {"action": "next", f"q{q['sex'].pk}": "1", f"q{q['employed'].pk}": "2"})
    assert page2["Location"] == f"{url}?page=1"
    body = client.get(page2["Location"]).content.decode()
    assert "每周工作小时" not in body and "信息渠道" in body
    done = client.post(
        f"{url}?page=1",
        {
            "action": "next",
            f"q{q['channels'].pk}": ["1", "3"],
            f"q{q['satisfaction'].pk}": "5",
            f"q{q['comment'].pk}": "",
        },
    )
    assert done["Location"] == reverse("surveys:done", args=[response.resume_token])
    response.refresh_from_db()
    assert response.submitted_at is not None
    assert services.saved_answers(response) == {
        q["sex"].pk: "1",
        q["employed"].pk: "2",
        q["channels"].pk: ["1", "3"],
        q["satisfaction"].pk: 5,
    }


def test_public_link_resumes_same_session(client, published):
    client.post(reverse("surveys:public_start", args=[published.public_token]))
    client.post(reverse("surveys:public_start", args=[published.public_token]))
    assert Response.objects.count() == 1


def test_save_and_continue_later_keeps_partial(client, published):
    client.post(reverse("surveys:public_start", args=[published.public_token]))
    response = Response.objects.get()
    q = questions(published)
    url = reverse("surveys:answer", args=[response.resume_token])
    client.post(url, {"action": "save", f"q{q['sex'].pk}": "2"})
    body = client.get(url).content.decode()
    assert f'name="q{q["sex"].pk}" value="2" checked' in body


def test_code_page_starts_and_resumes(client, published, owner, orgs):
    code = (
        services.issue_invitations(
            survey=published, organization=orgs["渝中区科学技术协会"], quota=1, by=owner
        )
        .invitations.get()
        .code
    )
    first = client.post(reverse("surveys:code"), {"code": code.lower()})
    second = client.post(reverse("surveys:code"), {"code": code})
    assert first["Location"] == second["Location"]
    assert Response.objects.get().station == orgs["渝中区科学技术协会"]


def test_code_page_unknown_code_message(client, published):
    body = client.post(reverse("surveys:code"), {"code": "ABCD2345"}).content.decode()
    # One answer for unknown, used and closed codes (issue 10): it does not tell which codes exist.
    assert "This invitation code cannot be used: it is wrong, already used, or its survey is closed." in body


def test_closed_survey_refuses_public_link(client, published, owner):
    services.close_survey(survey=published, by=owner)
    response = client.post(reverse("surveys:public_start", args=[published.public_token]))
    assert response.status_code == 410
    assert Response.objects.count() == 0


def test_sign_in_survey_redirects_anonymous(client, published):
    Survey.objects.filter(pk=published.pk).update(requires_sign_in=True)
    response = client.get(reverse("surveys:public_start", args=[published.public_token]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---- results and exports ----------------------------------------------------------------------

SMALL = [
    {
        "sex": "1",
        "employed": "1",
        "hours": 40,
        "channels": ["1", "2"],
        "satisfaction": "5",
        "comment": "很好",
    },
    {"sex": "1", "employed": "2", "channels": ["1"], "satisfaction": "3"},
    {"sex": "2", "employed": "1", "hours": 50, "channels": ["3"], "satisfaction": "4"},
    {"sex": "2", "employed": "1", "hours": 45, "channels": ["1", "3"], "satisfaction": "4"},
]


@pytest.fixture
def answered(published):
    for values in SMALL:
        answer(published, values)
    return published


def test_results_counts_and_percentages_exact(login, owner, answered):
    from kexie.surveys.results import question_results

    results = {r.question.code: r for r in question_results(answered)}
    assert [(o.label, o.count, o.percent) for o in results["channels"].options] == [
        ("网络", 3, 75.0),
        ("期刊", 1, 25.0),
        ("会议", 2, 50.0),
    ]
    assert [(o.label, o.count, o.percent) for o in results["sex"].options] == [
        ("男", 2, 50.0),
        ("女", 2, 50.0),
    ]
    assert (
        results["hours"].answered,
        results["hours"].mean,
        results["hours"].minimum,
        results["hours"].maximum,
    ) == (3, 45.0, 40, 50)
    assert results["satisfaction"].mean == 4.0
    assert [o.count for o in results["satisfaction"].options] == [0, 0, 1, 2, 1]
    body = login(owner).get(reverse("surveys:results", args=[answered.pk])).content.decode()
    assert "4 submitted responses" in body


def test_crosstab_exact(login, owner, answered):
    response = login(owner).get(
        reverse("surveys:results", args=[answered.pk]), {"row": "sex", "column": "employed"}
    )
    table = response.context["crosstab"]
    assert [(line["label"], line["cells"], line["total"]) for line in table["table"]] == [
        ("男", [(1, 50.0), (1, 50.0)], 2),
        ("女", [(2, 100.0), (0, 0.0)], 2),
    ]
    assert (table["column_totals"], table["total"]) == ([3, 1], 4)


def test_export_responses_csv_content(login, owner, answered):
    response = login(owner).get(reverse("surveys:export", args=[answered.pk, "responses", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][3:] == ["sex", "employed", "hours", "channels", "satisfaction", "comment"]
    assert [r[3:] for r in rows[1:]] == [
        ["男", "是", "40", "网络; 期刊", "5", "很好"],
        ["男", "否", "", "网络", "3", ""],
        ["女", "是", "50", "会议", "4", ""],
        ["女", "是", "45", "网络; 会议", "4", ""],
    ]


def test_export_tables_xlsx_content(login, owner, answered):
    response = login(owner).get(reverse("surveys:export", args=[answered.pk, "tables", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:5] == ["Variable", "Question", "Answer", "Count", "Percent"]
    assert rows[[r[:3] for r in rows].index(["channels", "信息渠道", "会议"])][:5] == [
        "channels",
        "信息渠道",
        "会议",
        2,
        50,
    ]
    assert rows[[r[:3] for r in rows].index(["hours", "每周工作小时", "Mean"])][:5] == [
        "hours",
        "每周工作小时",
        "Mean",
        3,
        45,
    ]


def test_export_responses_xlsx_content(login, owner, answered):
    response = login(owner).get(reverse("surveys:export", args=[answered.pk, "responses", "xlsx"]))
    rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert len(rows) == 5 and rows[1][3:] == ["男", "是", 40, "网络; 期刊", 5, "很好"]


def test_export_forbidden_to_district(login, make_user, answered, owner, orgs):
    user = make_user("d", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会")
    url = reverse("surveys:export", args=[answered.pk, "responses", "csv"])
    assert login(user).get(url).status_code == 404  # not a station of this survey: invisible
    services.issue_invitations(survey=answered, organization=orgs["渝中区科学技术协会"], quota=1, by=owner)
    assert login(user).get(url).status_code == 403  # a station sees the survey, not its responses


def test_export_text_formula_is_neutralised(login, owner, published):
    answer(
        published,
        {"sex": "1", "employed": "2", "channels": ["1"], "satisfaction": "3", "comment": '=HYPERLINK("x")'},
    )
    response = login(owner).get(reverse("surveys:export", args=[published.pk, "responses", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][-1] == '\'=HYPERLINK("x")'


# ---- distribution and weighting pages ---------------------------------------------------------


def test_distribution_issue_codes_and_progress(login, owner, published, orgs):
    client = login(owner)
    response = client.post(
        reverse("surveys:distribution", args=[published.pk]),
        {"organization": orgs["渝中区科学技术协会"].pk, "quota": 5},
    )
    assert response.status_code == 302
    body = client.get(reverse("surveys:distribution", args=[published.pk])).content.decode()
    assert body.count('data-testid="progress-row"') == 1 and "渝中区科学技术协会" in body
    batch = published.batches.get()
    codes = (
        client.get(reverse("surveys:batch_codes", args=[batch.pk])).content.decode("utf-8-sig").splitlines()
    )
    assert len(codes) == 6 and codes[1].split(",")[0] in set(batch.invitations.values_list("code", flat=True))


def test_qr_code_is_svg(login, owner, published):
    response = login(owner).get(reverse("surveys:qr", args=[published.pk]))
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content


def test_weighting_upload_and_run_views(login, owner, answered):
    client = login(owner)
    bad = client.post(
        reverse("surveys:weighting", args=[answered.pk]),
        {
            "file": xlsx(
                [
                    ["variable", "category", "population"],
                    ["sex", "男", 10],
                    ["employed", "是", 5],
                    ["employed", "否", 6],
                ]
            )
        },
    )
    assert "The margins do not sum to the same population total" in bad.content.decode()
    assert WeightingScheme.objects.count() == 0
    ok = client.post(
        reverse("surveys:weighting", args=[answered.pk]),
        {
            "file": xlsx([["variable", "category", "population"], ["sex", "男", 600], ["sex", "女", 400]]),
            "name": "人口",
        },
    )
    assert ok.status_code == 302
    scheme = WeightingScheme.objects.get()
    client.post(
        reverse("surveys:weighting_run", args=[answered.pk]),
        {"scheme": scheme.pk, "strata": "", "clusters": ""},
    )
    run = WeightingRun.objects.get()
    assert sorted({round(w, 6) for w in run.weights.values()}) == [200.0, 300.0]
    body = client.get(reverse("surveys:results", args=[answered.pk])).content.decode()
    # sex weighted: 男 60%, 女 40%
    assert '<span data-testid="weighted">60.00</span>' in body


def test_api_lists_scoped_surveys_and_results(login, owner, other_staff, answered, orgs):
    services.create_survey(title="科普部调查", organization=orgs["科学技术普及部"], by=other_staff)
    client = login(owner)
    data = client.get("/api/v1/surveys/").json()
    assert [s["title"] for s in data] == ["科技工作者状况调查"]
    results = client.get(f"/api/v1/surveys/{answered.pk}/results").json()
    sex = next(q for q in results["questions"] if q["code"] == "sex")
    assert [(o["label"], o["count"], o["percent"]) for o in sex["options"]] == [
        ("男", 2, 50.0),
        ("女", 2, 50.0),
    ]
    assert login(other_staff).get(f"/api/v1/surveys/{answered.pk}/results").status_code == 404


def test_kind_constants_cover_builder():
    assert set(QuestionKind.values) == {"single", "multiple", "rating", "number", "text", "matrix"}


def test_long_single_choice_is_a_drop_down_and_saves(client, orgs, owner):
    survey = services.create_survey(title="区县", organization=orgs[OWNER_ORG], by=owner)
    section = services.add_section(survey=survey, title="基本情况", by=owner)
    districts = [f"区县{n:02d}" for n in range(38)]
    where = services.add_question(
        section=section,
        text="您所在的区县",
        kind=QuestionKind.SINGLE,
        code="district",
        options=districts,
        by=owner,
    )
    sex = services.add_question(
        section=section, text="性别", kind=QuestionKind.SINGLE, code="sex", options=["男", "女"], by=owner
    )
    services.publish_survey(survey=survey, by=owner)
    client.post(reverse("surveys:public_start", args=[survey.public_token]))
    url = reverse("surveys:answer", args=[Response.objects.get().resume_token])

    page = client.get(url).content.decode()
    assert page.count('data-testid="long-choice"') == 1  # the 38 districts; 男/女 stay buttons
    assert '<option value="38">区县37</option>' in page
    client.post(url, {"action": "save", f"q{where.pk}": "12", f"q{sex.pk}": "2"})
    assert services.saved_answers(Response.objects.get()) == {where.pk: "12", sex.pk: "2"}
    assert '<option value="12" selected>区县11</option>' in client.get(url).content.decode()
