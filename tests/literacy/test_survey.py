"""The annual literacy survey: its building from a paper, the scoring of responses, the weighted rate
against a closed-form computation, and the replacement of a year's survey estimates."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from scipy import special, stats

from kexie.accounts.enums import Role
from kexie.core.models import AuditEvent
from kexie.literacy import services
from kexie.literacy.enums import EstimateSource, QuestionKind
from kexie.literacy.models import LiteracyEstimate, LiteracySurvey
from kexie.policy import indicators
from kexie.surveys import services as surveys
from kexie.surveys.enums import QuestionKind as SurveyKind
from kexie.surveys.enums import SurveyState
from kexie.surveys.models import Survey
from tests.literacy.conftest import KEPU, YEAR, respond, services_rule
from tests.surveys.conftest import xlsx

YUZHONG, JIANGBEI = "500103", "500105"


# --- building the survey -----------------------------------------------------------------------


def test_create_literacy_survey_builds_published_survey(literacy_survey, paper, orgs):
    survey = literacy_survey.survey
    questions = surveys.ordered_questions(survey)
    codes = [q.code for q in questions]
    assert codes == ["district", "sex", "age", "urban", "education", "item1", "item2", "item3", "item4"]
    assert survey.state == SurveyState.PUBLISHED
    assert survey.organization.name == KEPU
    assert survey.title == "2025 Chongqing citizen science literacy survey"
    by_code = {q.code: q for q in questions}
    assert by_code["district"].options.count() == 38
    assert [o.label for o in by_code["age"].options.all()] == [
        "18–29岁",
        "30–39岁",
        "40–49岁",
        "50–59岁",
        "60–69岁",
    ]
    assert by_code["education"].required is False
    first = paper.items.select_related("question").get(position=1).question
    assert by_code["item1"].text == first.text
    assert [(o.value, o.label) for o in by_code["item1"].options.all()] == [
        (str(n), label) for n, label in enumerate(first.options, start=1)
    ]
    event = AuditEvent.objects.get(action="literacy.survey.create")
    assert event.after["year"] == YEAR and event.after["items"] == 4


def test_create_literacy_survey_refuses_duplicate_year_and_draft_paper(literacy_survey, paper, editor, bank):
    before = (LiteracySurvey.objects.count(), surveys_count())
    with pytest.raises(ValidationError) as exc:
        services.create_literacy_survey(year=YEAR, assessment=paper, by=editor)
    assert exc.value.message_dict == {"year": ["The literacy survey of 2025 already exists."]}
    draft = services.create_assessment(
        by=editor,
        title="草稿卷",
        rule=services_rule(),
        item_count=2,
        blueprint={"knowledge": 1},
        difficulty_mix={},
        seed=1,
    )
    with pytest.raises(ValidationError) as exc:
        services.create_literacy_survey(year=2026, assessment=draft, by=editor)
    assert exc.value.message_dict == {"assessment": ["Choose a published paper."]}
    assert (LiteracySurvey.objects.count(), surveys_count()) == before


def surveys_count() -> int:
    return Survey.objects.count()


def test_create_literacy_survey_needs_literacy_editor(paper, make_user):
    outsider = make_user("zhanlue", role=Role.DEPARTMENT_STAFF, org_name="战略发展部")
    with pytest.raises(PermissionDenied):
        services.create_literacy_survey(year=YEAR, assessment=paper, by=outsider)
    assert LiteracySurvey.objects.count() == 0


def test_multiple_choice_item_becomes_multiple_question(make_question, editor, reviewer, reference):
    for _n in range(3):
        make_question(kind=QuestionKind.MULTIPLE, dimension="method")
    assessment = services.create_assessment(
        by=editor,
        title="多选卷",
        rule=services_rule(),
        item_count=3,
        blueprint={"method": 1},
        difficulty_mix={},
        seed=3,
    )
    services.publish_assessment(assessment=assessment, by=reviewer)
    ls = services.create_literacy_survey(year=2024, assessment=assessment, by=editor)
    item = next(q for q in surveys.ordered_questions(ls.survey) if q.code == "item1")
    assert item.kind == SurveyKind.MULTIPLE
    # Key [0, 2]: options "1" and "3" are right, "1" alone is not.
    rows = [{"item1": ["1", "3"], "item2": ["1", "3"], "item3": ["3", "1"]}, {"item1": ["1"]}]
    results = services.score_responses(ls, rows)
    assert [(r.correct, r.score, r.literate) for r in results] == [
        (3, Decimal("100.00"), True),
        (0, Decimal("0.00"), False),
    ]


# --- scoring and estimation ----------------------------------------------------------------------


def test_score_responses_uses_tiers(literacy_survey):
    rows = [
        {"item1": "1", "item2": "1", "item3": "1", "item4": "1"},
        {"item1": "1", "item2": "1", "item3": "1", "item4": "2"},
        {"item1": "1", "item2": "1", "item3": "2", "item4": "2"},
        {},
    ]
    results = services.score_responses(literacy_survey, rows)
    assert [(r.score, r.tier, r.literate) for r in results] == [
        (Decimal("100.00"), "具备高阶科学素质", True),
        (Decimal("75.00"), "具备科学素质", True),
        (Decimal("50.00"), "科学素质水平较低", False),
        (Decimal("0.00"), "科学素质水平较低", False),
    ]


def _logit_ci(p: float, se: float) -> tuple[float, float]:
    half = stats.norm.ppf(0.975) * se / (p * (1 - p))
    return float(special.expit(special.logit(p) - half)), float(special.expit(special.logit(p) + half))


def _pct(value: float) -> Decimal:
    return Decimal(str(round(value * 100, 2)))


def test_compute_survey_rate_matches_closed_form(answered, editor, orgs):
    saved = services.compute_survey_rate(literacy_survey=answered, by=editor)
    # Post-stratification to the district margin: w = N_d / n_d. The city rate is Σ (N_d/N) p_d and
    # its calibration-aware variance n/(n−1) Σ (N_d/N)² p_d(1−p_d)/n_d (residuals within districts).
    n, shares, p, sizes = (
        9,
        {YUZHONG: 0.6, JIANGBEI: 0.4},
        {YUZHONG: 0.5, JIANGBEI: 0.2},
        {YUZHONG: 4, JIANGBEI: 5},
    )
    rate = sum(shares[d] * p[d] for d in shares)
    se = math.sqrt(n / (n - 1) * sum(shares[d] ** 2 * p[d] * (1 - p[d]) / sizes[d] for d in shares))
    low, high = _logit_ci(rate, se)
    city = LiteracyEstimate.objects.get(year=YEAR, district=None, source=EstimateSource.SURVEY)
    assert (city.rate, city.se, city.ci_low, city.ci_high, city.n) == (
        _pct(rate),
        Decimal(str(round(se * 100, 3))),
        _pct(low),
        _pct(high),
        9,
    )
    assert city.rate == Decimal("38.00")
    # A district is a domain of the same design: n/(n−1) p_d(1−p_d)/n_d.
    rows = {
        e.district.code: e
        for e in LiteracyEstimate.objects.filter(
            year=YEAR, source=EstimateSource.SURVEY, district__isnull=False
        )
    }
    assert set(rows) == {YUZHONG, JIANGBEI}
    for code in (YUZHONG, JIANGBEI):
        d_se = math.sqrt(n / (n - 1) * p[code] * (1 - p[code]) / sizes[code])
        d_low, d_high = _logit_ci(p[code], d_se)
        assert (rows[code].rate, rows[code].se, rows[code].ci_low, rows[code].ci_high, rows[code].n) == (
            _pct(p[code]),
            Decimal(str(round(d_se * 100, 3))),
            _pct(d_low),
            _pct(d_high),
            sizes[code],
        )
    assert len(saved) == 3
    answered.refresh_from_db()
    assert answered.report["unweighted"] == round(3 / 9 * 100, 2)
    assert answered.report["respondents"] == 9
    event = AuditEvent.objects.get(action="literacy.survey.compute")
    assert (event.before, event.after["estimates"]) == ({"estimates": 0}, 3)


def test_recompute_replaces_year_survey_rows_only(answered, editor, orgs):
    stale = LiteracyEstimate.objects.create(
        year=YEAR, district=orgs["万州区科学技术协会"], rate=Decimal("9"), source=EstimateSource.SURVEY
    )
    published = LiteracyEstimate.objects.create(
        year=YEAR, rate=Decimal("14.1"), source=EstimateSource.PUBLISHED
    )
    other_year = LiteracyEstimate.objects.create(year=2024, rate=Decimal("13"), source=EstimateSource.SURVEY)
    services.compute_survey_rate(literacy_survey=answered, by=editor)
    respond(answered, district=JIANGBEI, correct=4)
    services.compute_survey_rate(literacy_survey=answered, by=editor)
    survey_rows = LiteracyEstimate.objects.filter(year=YEAR, source=EstimateSource.SURVEY)
    assert set(survey_rows.values_list("district__code", flat=True)) == {None, YUZHONG, JIANGBEI}
    assert not LiteracyEstimate.objects.filter(pk=stale.pk).exists()
    assert set(
        LiteracyEstimate.objects.filter(pk__in=[published.pk, other_year.pk]).values_list("pk", flat=True)
    ) == {
        published.pk,
        other_year.pk,
    }
    # 江北 now 2 of 6: 0.6·0.5 + 0.4·(2/6).
    assert survey_rows.get(district=None).rate == _pct(0.6 * 0.5 + 0.4 * 2 / 6)
    assert survey_rows.get(district__code=JIANGBEI).n == 6


def test_compute_without_margins_changes_nothing(literacy_survey, editor):
    respond(literacy_survey, district=YUZHONG, correct=4)
    respond(literacy_survey, district=YUZHONG, correct=0)
    kept = LiteracyEstimate.objects.create(year=YEAR, rate=Decimal("11"), source=EstimateSource.SURVEY)
    with pytest.raises(ValidationError) as exc:
        services.compute_survey_rate(literacy_survey=literacy_survey, by=editor)
    assert exc.value.messages == ["Upload the population margins of the survey first (survey → weighting)."]
    assert list(LiteracyEstimate.objects.filter(year=YEAR).values_list("pk", "rate")) == [
        (kept.pk, Decimal("11.00"))
    ]
    assert not AuditEvent.objects.filter(action="literacy.survey.compute").exists()


def test_compute_needs_estimate_manager(answered, make_user):
    district_staff = make_user("dist", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会")
    with pytest.raises(PermissionDenied):
        services.compute_survey_rate(literacy_survey=answered, by=district_staff)
    assert not LiteracyEstimate.objects.filter(source=EstimateSource.SURVEY).exists()


def test_weighting_corrects_skewed_sample(literacy_survey, editor):
    """Young respondents are over-represented and more often literate: the weighted rate is lower."""
    for _n in range(6):
        respond(literacy_survey, district=YUZHONG, correct=4, age="1")
    respond(literacy_survey, district=YUZHONG, correct=0, age="1")
    for correct in (4, 0, 0):
        respond(literacy_survey, district=YUZHONG, correct=correct, age="5")
    rows = [["variable", "category", "population"], ["district", "渝中区", 1000]]
    rows += [["age", "18–29岁", 200], ["age", "60–69岁", 800]]
    surveys.upload_margins(survey=literacy_survey.survey, file=xlsx(rows), by=editor)
    rates = services.weighted_rates(literacy_survey)
    assert rates.unweighted == pytest.approx(0.7)
    assert rates.city.value == pytest.approx(0.2 * 6 / 7 + 0.8 * 1 / 3)


def test_measure9_indicator_reads_computed_survey_rate(answered, editor, notice, reference):
    services.compute_survey_rate(literacy_survey=answered, by=editor)
    reading = indicators.compute("literacy.rate")
    assert (reading.value, reading.as_of.year) == (Decimal("38.00"), YEAR)
    assert dict(reading.breakdown) == {"渝中区科协": Decimal("50.00"), "江北区科协": Decimal("20.00")}
