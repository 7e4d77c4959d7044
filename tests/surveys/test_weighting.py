"""Margins upload (every error by row, nothing saved), weighting runs against the engine, weighted results."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from kexie.core.models import AuditEvent
from kexie.surveys import services
from kexie.surveys.enums import QuestionKind
from kexie.surveys.models import MarginRow, Option, Question, WeightingRun, WeightingScheme
from kexie.surveys.results import add_weighted, question_results
from kexie.surveys.stats import rake, weighted_proportion
from tests.surveys.conftest import answer, xlsx

pytestmark = pytest.mark.django_db

# district, sex, literate
SAMPLE = [
    ("500103", "1", "1"),
    ("500103", "1", "2"),
    ("500103", "2", "1"),
    ("500103", "2", "2"),
    ("500105", "1", "1"),
    ("500105", "2", "2"),
    ("500105", "2", "2"),
    ("500105", "1", "2"),
]


@pytest.fixture
def weighted_survey(orgs, owner):
    survey = services.create_survey(title="素质调查", organization=orgs["战略发展部"], by=owner)
    section = services.add_section(survey=survey, title="一", by=owner)
    services.add_question(
        section=section,
        text="区县",
        kind=QuestionKind.SINGLE,
        code="district",
        options=[("500103", "渝中区"), ("500105", "江北区")],
        by=owner,
    )
    services.add_question(
        section=section, text="性别", kind=QuestionKind.SINGLE, code="sex", options=["男", "女"], by=owner
    )
    services.add_question(
        section=section,
        text="具备科学素质",
        kind=QuestionKind.SINGLE,
        code="literate",
        options=["是", "否"],
        by=owner,
    )
    services.publish_survey(survey=survey, by=owner)
    for district, sex, literate in SAMPLE:
        answer(survey, {"district": district, "sex": sex, "literate": literate})
    return survey


MARGINS = [
    ["variable", "category", "population"],
    ["district", "渝中区", 600],
    ["district", "500105", 400],
    ["sex", "男", 480],
    ["sex", "女", 520],
]


def test_upload_margins_saves_rows_by_option_value(weighted_survey, owner):
    scheme = services.upload_margins(survey=weighted_survey, file=xlsx(MARGINS), by=owner)
    assert scheme.total == 1000
    assert set(scheme.margin_rows.values_list("variable", "category", "population")) == {
        ("district", "500103", 600),
        ("district", "500105", 400),
        ("sex", "1", 480),
        ("sex", "2", 520),
    }
    assert AuditEvent.objects.filter(action="surveys.margins.upload").count() == 1


def test_upload_margins_one_sheet_per_variable(weighted_survey, owner):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = "district"
    for row in (["类别", "人口"], ["渝中区", 600], ["江北区", 400]):
        ws.append(row)
    ws2 = workbook.create_sheet("sex")
    for row in (["category", "population"], ["1", 480], ["2", 520]):
        ws2.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    scheme = services.upload_margins(survey=weighted_survey, file=out, by=owner)
    assert scheme.mapping.keys() == {"district", "sex"}


@pytest.mark.parametrize(
    ("rows", "messages"),
    [
        (
            [
                ["variable", "category", "population"],
                ["district", "渝中区", 600],
                ["district", "江北区", 400],
                ["sex", "男", 480],
                ["sex", "女", 500],
            ],
            ["The margins do not sum to the same population total: district = 1,000; sex = 980."],
        ),
        (
            [
                ["variable", "category", "population"],
                ["district", "渝中区", 600],
                ["district", "沙坪坝区", 400],
            ],
            ["Sheet margins, row 3: 沙坪坝区 is not an answer of question district “区县”."],
        ),
        (
            [
                ["variable", "category", "population"],
                ["district", "渝中区", -5],
                ["district", "江北区", "很多"],
            ],
            [
                "Sheet margins, row 2: the population of 渝中区 must be a number of zero or more.",
                "Sheet margins, row 3: the population of 江北区 must be a number of zero or more.",
            ],
        ),
        (
            [["variable", "category", "population"], ["age", "18-29", 10]],
            ["Margin age: the survey has no single-choice question with this variable name."],
        ),
        (
            [["variable", "category", "population"], ["district", "渝中区", 6], ["district", "渝中区", 4]],
            ["Sheet margins, row 3: district = 渝中区 appears twice (also Sheet margins, row 2)."],
        ),
        (
            [["名称", "数量"], ["a", 1]],
            ["Sheet margins: the first row must name the columns variable, category and population."],
        ),
    ],
)
def test_upload_margins_errors_save_nothing(weighted_survey, owner, rows, messages):
    with pytest.raises(ValidationError) as exc:
        services.upload_margins(survey=weighted_survey, file=xlsx(rows), by=owner)
    assert exc.value.messages == messages
    assert WeightingScheme.objects.count() == MarginRow.objects.count() == 0


def test_upload_margins_question_nobody_answered_refused(weighted_survey, owner):
    section = weighted_survey.sections.first()
    urban = Question.objects.create(
        survey=weighted_survey,
        section=section,
        position=9,
        code="urban",
        text="城乡",
        kind=QuestionKind.SINGLE,
    )
    Option.objects.create(question=urban, position=1, value="1", label="城镇")
    Option.objects.create(question=urban, position=2, value="2", label="乡村")
    rows = [
        ["variable", "category", "population"],
        ["district", "渝中区", 600],
        ["district", "江北区", 400],
        ["urban", "城镇", 700],
        ["urban", "乡村", 300],
    ]
    with pytest.raises(ValidationError) as exc:
        services.upload_margins(survey=weighted_survey, file=xlsx(rows), by=owner)
    assert exc.value.messages == ["No submitted response answers every margin question."]
    assert WeightingScheme.objects.count() == 0


def test_upload_margins_empty_category_refused(weighted_survey, owner):
    section = weighted_survey.sections.first()
    q = weighted_survey.questions.get(code="district")
    Option.objects.create(question=q, position=3, value="500106", label="沙坪坝区")
    rows = [
        ["variable", "category", "population"],
        ["district", "渝中区", 500],
        ["district", "江北区", 400],
        ["district", "沙坪坝区", 100],
    ]
    with pytest.raises(ValidationError) as exc:
        services.upload_margins(survey=weighted_survey, file=xlsx(rows), by=owner)
    assert len(exc.value.messages) == 1 and "500106" in exc.value.messages[0]
    assert WeightingScheme.objects.count() == 0
    assert section is not None


def test_upload_not_xlsx_refused(weighted_survey, owner):
    import io

    with pytest.raises(ValidationError) as exc:
        services.upload_margins(survey=weighted_survey, file=io.BytesIO(b"district,1\n"), by=owner)
    assert exc.value.messages == ["The file “uploaded file” is not an Excel workbook (.xlsx)."]


def test_single_margin_weights_closed_form(weighted_survey, owner):
    rows = [["variable", "category", "population"], ["district", "渝中区", 600], ["district", "江北区", 400]]
    scheme = services.upload_margins(survey=weighted_survey, file=xlsx(rows), by=owner)
    run = services.run_weighting(scheme=scheme, by=owner)
    # Post-stratification: every respondent of a district weighs N_h / n_h.
    assert sorted({round(w, 9) for w in run.weights.values()}) == [100.0, 150.0]
    assert run.report["converged"] is True and run.report["respondents"] == 8 and run.report["excluded"] == 0
    results = {r.question.code: r for r in question_results(weighted_survey)}
    add_weighted(list(results.values()), run)
    # Literate: 渝中区 2/4, 江北区 1/4 → (600·0.5 + 400·0.25) / 1000 = 0.4
    assert results["literate"].options[0].weighted.value == pytest.approx(0.4, abs=1e-12)


def test_run_weighting_reproduces_engine(weighted_survey, owner):
    scheme = services.upload_margins(survey=weighted_survey, file=xlsx(MARGINS), by=owner)
    run = services.run_weighting(scheme=scheme, by=owner)
    district = np.array([d for d, _s, _l in SAMPLE], dtype=object)
    sex = np.array([s for _d, s, _l in SAMPLE], dtype=object)
    literate = np.array([1.0 if lit == "1" else 0.0 for _d, _s, lit in SAMPLE])
    expected = rake(
        np.full(8, 125.0),
        {"district": (district, {"500103": 600, "500105": 400}), "sex": (sex, {"1": 480, "2": 520})},
    )
    stored = np.array(list(run.weights.values()))
    assert np.allclose(stored, expected.weights, rtol=0, atol=1e-9)
    assert run.report["iterations"] == expected.iterations
    assert run.report["max_margin_error"] == pytest.approx(expected.max_margin_error)
    results = question_results(weighted_survey)
    info = add_weighted(results, run)
    assert info == {"respondents": 8, "reproduced": True}
    # Percentages get the logit interval on the results page.
    engine = weighted_proportion(expected.design(), literate, interval="logit")
    mine = results[2].options[0].weighted
    assert (mine.value, mine.se, mine.ci_low, mine.ci_high) == pytest.approx(
        (engine.value, engine.se, engine.ci_low, engine.ci_high), abs=1e-12
    )
    fixed = weighted_proportion(expected.design().uncalibrated(), literate)
    assert results[2].options[0].fixed.se == pytest.approx(fixed.se, abs=1e-12)
    assert AuditEvent.objects.filter(action="surveys.weighting.run", object_id=str(run.pk)).count() == 1


def test_run_weighting_with_trimming_and_strata(weighted_survey, owner):
    scheme = services.upload_margins(survey=weighted_survey, file=xlsx(MARGINS), by=owner)
    run = services.run_weighting(scheme=scheme, lower=0.5, upper=1.22, strata="district", by=owner)
    weights = np.array(list(run.weights.values()))
    assert weights.max() <= 1.22 * 125 * (1 + 1e-9)
    assert run.parameters == {"lower": 0.5, "upper": 1.22, "strata": "district", "clusters": ""}
    assert (run.report["rounds"], run.report["trimmed"]) == (1, 2)


def test_run_weighting_bad_bounds_refused(weighted_survey, owner):
    scheme = services.upload_margins(survey=weighted_survey, file=xlsx(MARGINS), by=owner)
    with pytest.raises(ValidationError):
        services.run_weighting(scheme=scheme, lower=2, upper=1, by=owner)
    with pytest.raises(ValidationError):
        services.run_weighting(scheme=scheme, strata="nope", by=owner)
    assert WeightingRun.objects.count() == 0
