"""Staff pages of the literacy rate: the annual survey and its results, estimates, scoring thresholds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kexie.accounts.enums import Role
from kexie.core.models import AuditEvent
from kexie.literacy import services
from kexie.literacy.enums import EstimateSource
from kexie.literacy.models import AssessmentAttempt, LiteracyEstimate, LiteracySurvey, ScoringRule
from tests.literacy.conftest import JIANGBEI_CODE, KEPU, YEAR, YUZHONG, YUZHONG_CODE, respond

# role, organization -> may see the survey results / may manage estimates, thresholds and surveys
MATRIX = [
    (Role.DEPARTMENT_STAFF, KEPU, True, True),
    (Role.DEPARTMENT_HEAD, KEPU, True, True),
    (Role.DEPARTMENT_STAFF, "战略发展部", True, False),
    (Role.DISTRICT_STAFF, YUZHONG, True, False),
    (Role.LEADER, "重庆市科学技术协会", True, False),
    (Role.ADMIN, "重庆市科学技术协会", False, False),  # accounts, not business data
    (Role.VOLUNTEER, YUZHONG, False, False),
]


@pytest.mark.parametrize(("role", "org", "read", "manage"), MATRIX)
def test_pages_permission_matrix(make_user, login, literacy_survey, role, org, read, manage):
    client = login(make_user("u", role=role, org_name=org))
    for url in (
        reverse("literacy:survey_list"),
        reverse("literacy:survey_detail", args=[literacy_survey.pk]),
    ):
        assert client.get(url).status_code == (200 if read else 403), url
    for name in ("literacy:estimate_list", "literacy:estimate_new", "literacy:rule_list"):
        assert client.get(reverse(name)).status_code == (200 if manage else 403), name
    response = client.post(reverse("literacy:survey_compute", args=[literacy_survey.pk]))
    assert response.status_code == (302 if manage else 403)
    create = client.post(
        reverse("literacy:survey_list"), {"year": 2026, "assessment": literacy_survey.assessment_id}
    )
    assert create.status_code == (302 if manage else 403)
    assert LiteracySurvey.objects.filter(year=2026).exists() == manage


def test_anonymous_is_sent_to_sign_in(client, literacy_survey):
    response = client.get(reverse("literacy:survey_detail", args=[literacy_survey.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_survey_page_creates_and_redirects(login, editor, paper):
    client = login(editor)
    response = client.post(reverse("literacy:survey_list"), {"year": 2026, "assessment": paper.pk})
    created = LiteracySurvey.objects.get(year=2026)
    assert response["Location"] == reverse("literacy:survey_detail", args=[created.pk])
    page = client.get(response["Location"]).content.decode()
    assert "2026 Chongqing citizen science literacy survey" in page
    assert 'data-testid="no-estimate"' in page
    assert created.survey.questions.count() == 9


def test_create_survey_page_reports_duplicate_year(login, editor, literacy_survey):
    client = login(editor)
    response = client.post(
        reverse("literacy:survey_list"), {"year": YEAR, "assessment": literacy_survey.assessment_id}
    )
    assert response.status_code == 200
    assert "The literacy survey of 2025 already exists." in response.content.decode()
    assert LiteracySurvey.objects.count() == 1


def test_survey_list_query_count(login, editor, paper, django_assert_max_num_queries):
    client = login(editor)
    counts = []
    for year in (2023, 2024, 2025):
        services.create_literacy_survey(year=year, assessment=paper, by=editor)
        if year in (2023, 2025):
            with CaptureQueriesContext(connection) as ctx:
                page = client.get(reverse("literacy:survey_list")).content.decode()
            counts.append(len(ctx.captured_queries))
            assert f"{year} Chongqing citizen science literacy survey" in page
    assert counts[0] == counts[1]


def test_compute_view_shows_city_and_districts(login, editor, answered):
    client = login(editor)
    response = client.post(reverse("literacy:survey_compute", args=[answered.pk]), follow=True)
    page = response.content.decode()
    assert "The literacy rate of 2025 is computed: 38.00% (3 estimates stored)." in page
    assert page.count('data-testid="row-district"') == 2
    # Both districts have fewer than 30 respondents: flagged.
    assert page.count('data-testid="small-n"') == 2
    assert "Unweighted share of respondents: 33.33%" in page
    assert "literacy-survey-chart" in page
    assert LiteracyEstimate.objects.filter(year=YEAR, source=EstimateSource.SURVEY).count() == 3


def test_compute_view_without_margins_reports_and_keeps_nothing(login, editor, literacy_survey):
    respond(literacy_survey, district=YUZHONG_CODE, correct=4)
    respond(literacy_survey, district=JIANGBEI_CODE, correct=0)
    client = login(editor)
    page = client.post(
        reverse("literacy:survey_compute", args=[literacy_survey.pk]), follow=True
    ).content.decode()
    assert "Upload the population margins of the survey first" in page
    assert not LiteracyEstimate.objects.filter(source=EstimateSource.SURVEY).exists()


# --- estimates -------------------------------------------------------------------------------


def test_estimate_list_shows_published_history(login, editor, reference):
    page = login(editor).get(reverse("literacy:estimate_list"), {"district": "city"}).content.decode()
    for figure in ("4.74%", "8.01%", "10.20%", "12.30%"):
        assert figure in page
    assert page.count('data-testid="estimate-row"') == 4


def test_estimate_list_query_count(login, editor, orgs):
    client = login(editor)
    districts = [orgs[YUZHONG], orgs["江北区科学技术协会"], None]
    counts = []
    for n, district in enumerate(districts, start=1):
        LiteracyEstimate.objects.create(year=2020 + n, district=district, rate=Decimal(n), source="published")
        if n in (1, 3):
            with CaptureQueriesContext(connection) as ctx:
                page = client.get(reverse("literacy:estimate_list")).content.decode()
            counts.append(len(ctx.captured_queries))
            assert page.count('data-testid="estimate-row"') == n
    assert counts[0] == counts[1]


def test_enter_published_figure(login, editor, orgs):
    client = login(editor)
    response = client.post(
        reverse("literacy:estimate_new"),
        {
            "year": 2015,
            "district": "",
            "rate": "4.74",
            "note": "重庆市第十次公民科学素质调查",
            "source_url": "https://www.cqast.cn/",
        },
    )
    assert response["Location"] == reverse("literacy:estimate_list")
    estimate = LiteracyEstimate.objects.get(year=2015)
    assert (estimate.district, estimate.rate, estimate.source, estimate.note, estimate.source_url) == (
        None,
        Decimal("4.74"),
        EstimateSource.PUBLISHED,
        "重庆市第十次公民科学素质调查",
        "https://www.cqast.cn/",
    )
    assert AuditEvent.objects.filter(action="literacy.estimate.record", object_id=str(estimate.pk)).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"rate": "120"}, "rate", "The rate is a percentage between 0 and 100."),
        (
            {"rate": "8", "ci_low": "9", "ci_high": "10"},
            "ci_low",
            "The confidence interval must contain the rate",
        ),
        ({"rate": "8", "ci_low": "7"}, "ci_high", "Give both ends of the confidence interval, or neither."),
        ({"rate": ""}, "rate", "This field is required."),
        ({"rate": "8.01", "year": "2018"}, "year", "A published figure for 2018 (city) already exists"),
    ],
)
def test_enter_published_figure_bad_input(login, editor, reference, data, field, message):
    client = login(editor)
    before = list(LiteracyEstimate.objects.values_list("pk", "rate"))
    response = client.post(reverse("literacy:estimate_new"), {"year": 2019, "district": "", **data})
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in e for e in form.errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert list(LiteracyEstimate.objects.values_list("pk", "rate")) == before


def test_enter_published_figure_error_in_chinese(login, editor, reference, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client = login(editor)
    with translation.override("zh-hans"):
        page = client.post(
            reverse("literacy:estimate_new"), {"year": 2018, "district": "", "rate": "8.01"}
        ).content.decode()
    assert "2018年（全市）的发布数据已存在，请编辑该条数据。" in page


def test_edit_estimate_changes_figure_and_audits(login, editor, reference):
    estimate = LiteracyEstimate.objects.get(year=2022, district=None)
    client = login(editor)
    response = client.post(
        reverse("literacy:estimate_edit", args=[estimate.pk]),
        {
            "rate": "12.31",
            "ci_low": "11.9",
            "ci_high": "12.7",
            "n": "12000",
            "note": "更正",
            "source_url": "",
        },
    )
    assert response["Location"] == reverse("literacy:estimate_list")
    estimate.refresh_from_db()
    assert (estimate.year, estimate.rate, estimate.ci_low, estimate.ci_high, estimate.n, estimate.note) == (
        2022,
        Decimal("12.31"),
        Decimal("11.90"),
        Decimal("12.70"),
        12000,
        "更正",
    )
    event = AuditEvent.objects.get(action="literacy.estimate.update")
    assert (event.before["rate"], event.after["rate"]) == ("12.30", "12.31")


def test_delete_estimate_confirms_then_deletes(login, editor, reference):
    estimate = LiteracyEstimate.objects.get(year=2020, district=None)
    client = login(editor)
    page = client.get(reverse("literacy:estimate_delete", args=[estimate.pk])).content.decode()
    assert "10.20%" in page
    assert LiteracyEstimate.objects.filter(pk=estimate.pk).exists()
    client.post(reverse("literacy:estimate_delete", args=[estimate.pk]))
    assert not LiteracyEstimate.objects.filter(pk=estimate.pk).exists()
    event = AuditEvent.objects.get(action="literacy.estimate.delete")
    assert (event.object_id, event.before["rate"]) == (str(estimate.pk), "10.20")


# --- scoring thresholds ---------------------------------------------------------------------------


def _tiers(*rows):
    data = {"fail_label": "较低"}
    for n, (minimum, label, literate) in enumerate(rows, start=1):
        data[f"min_{n}"], data[f"label_{n}"] = minimum, label
        if literate:
            data[f"literate_{n}"] = "on"
    return data


def test_edit_tiers_saves_highest_first(login, editor, reference):
    rule = ScoringRule.objects.get(name=services.GRADED_RULE)
    client = login(editor)
    response = client.post(
        reverse("literacy:rule_edit", args=[rule.pk]),
        _tiers(("50", "基本具备", False), ("72.5", "具备", True)),
    )
    assert response["Location"] == reverse("literacy:rule_list")
    rule.refresh_from_db()
    assert rule.tiers == [
        {"min": 72.5, "label": "具备", "literate": True},
        {"min": 50, "label": "基本具备", "literate": False},
    ]
    assert rule.fail_label == "较低"
    event = AuditEvent.objects.get(action="literacy.rule.update")
    assert event.before["tiers"][1]["min"] == 70


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            (("60", "甲", False), ("60", "乙", True)),
            "Tier 2: the threshold 60 must be above the previous tier&#x27;s 60.",
        ),
        ((("60", "甲", False), ("101", "乙", True)), "Tier 2: the threshold must be between 0 and 100."),
        (
            (("60", "甲", True), ("80", "乙", False)),
            "Tier 2: a tier above a literate tier must count as literate too.",
        ),
        ((("60", "", True),), "Tier 1: give the tier a name."),
        ((), "Give at least one tier."),
    ],
)
def test_edit_tiers_bad_input_changes_nothing(login, editor, reference, rows, message):
    rule = ScoringRule.objects.get(name=services.GRADED_RULE)
    before = rule.tiers
    response = login(editor).post(reverse("literacy:rule_edit", args=[rule.pk]), _tiers(*rows))
    assert response.status_code == 200
    assert message in response.content.decode()
    rule.refresh_from_db()
    assert rule.tiers == before
    assert not AuditEvent.objects.filter(action="literacy.rule.update").exists()


def test_edit_benchmark_rule(login, editor, reference):
    rule = ScoringRule.objects.get(name=services.BENCHMARK_RULE)
    client = login(editor)
    bad = client.post(
        reverse("literacy:rule_edit", args=[rule.pk]),
        {"points_per_item": "2", "pass_share": "0", "pass_label": "合格", "fail_label": "不合格"},
    )
    assert "The pass share must be above 0 and at most 100 (%)." in bad.content.decode()
    client.post(
        reverse("literacy:rule_edit", args=[rule.pk]),
        {"points_per_item": "2", "pass_share": "65", "pass_label": "合格", "fail_label": "不合格"},
    )
    rule.refresh_from_db()
    assert (rule.points_per_item, rule.pass_share, rule.pass_label, rule.fail_label) == (
        Decimal("2.00"),
        Decimal("65.00"),
        "合格",
        "不合格",
    )


def test_choose_benchmark_rule_for_paper_sets_points(login, editor, paper):
    benchmark = ScoringRule.objects.get(name=services.BENCHMARK_RULE)
    client = login(editor)
    client.post(reverse("literacy:assessment_rule", args=[paper.pk]), {f"a{paper.pk}-rule": benchmark.pk})
    paper.refresh_from_db()
    assert paper.rule == benchmark
    assert list(paper.items.values_list("points", flat=True)) == [Decimal("2.00")] * 4
    assert AuditEvent.objects.get(action="literacy.assessment.set_rule").after == {"rule": benchmark.name}


def test_choose_rule_refused_once_taken(login, editor, paper, citizen):
    services.submit_assessment(assessment=paper, user=citizen, answers={})
    benchmark = ScoringRule.objects.get(name=services.BENCHMARK_RULE)
    page = (
        login(editor)
        .post(
            reverse("literacy:assessment_rule", args=[paper.pk]),
            {f"a{paper.pk}-rule": benchmark.pk},
            follow=True,
        )
        .content.decode()
    )
    assert "1 people have taken this paper" in page
    paper.refresh_from_db()
    assert paper.rule.name == services.GRADED_RULE
    assert AssessmentAttempt.objects.count() == 1
