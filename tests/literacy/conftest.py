"""Fixtures of the literacy module: reference data (dimensions, rules, core items), editors, citizens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from kexie.accounts.enums import Role
from kexie.accounts.models import Organization
from kexie.literacy import services
from kexie.literacy.enums import QuestionKind, ReviewState
from kexie.literacy.models import Dimension, LiteracySurvey, Question, ScoringRule
from kexie.surveys import services as surveys
from tests.surveys.conftest import xlsx

KEPU = "科学技术普及部"
YUZHONG = "渝中区科学技术协会"


@pytest.fixture(autouse=True)
def _english(settings):
    # These tests read the English messages; requests without Accept-Language fall back to
    # LANGUAGE_CODE, so pages render in English too.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def reference(orgs):
    services.load_reference_data()
    return {d.code: d for d in Dimension.objects.all()}


@pytest.fixture
def editor(make_user):
    return make_user("kepu_editor", role=Role.DEPARTMENT_STAFF, org_name=KEPU)


@pytest.fixture
def reviewer(make_user):
    return make_user("kepu_head", role=Role.DEPARTMENT_HEAD, org_name=KEPU)


@pytest.fixture
def citizen(orgs):
    return services.register_citizen(
        username="citizen1", password="Test-Pass-2026", full_name="张三", district=orgs[YUZHONG]
    )


@pytest.fixture
def make_question(reference):
    counter = {"n": 0}

    def factory(
        dimension="knowledge", difficulty=3, kind=QuestionKind.SINGLE, state=ReviewState.REVIEWED, topic=""
    ):
        counter["n"] += 1
        options = ["正确", "错误"] if kind == QuestionKind.TRUE_FALSE else ["甲", "乙", "丙", "丁"]
        answer = [0, 2] if kind == QuestionKind.MULTIPLE else [0]
        return Question.objects.create(
            dimension=reference[dimension],
            kind=kind,
            text=f"题目{counter['n']}",
            options=options,
            answer=answer,
            difficulty=difficulty,
            explanation=f"解析{counter['n']}",
            topic=topic,
            state=state,
        )

    return factory


@pytest.fixture
def bank(make_question):
    """Reviewed items: 10 per dimension, difficulties 1–5 twice over."""
    return [
        make_question(dimension=code, difficulty=1 + n % 5)
        for code in ("knowledge", "method", "spirit", "application")
        for n in range(10)
    ]


@pytest.fixture
def contest(bank, editor, reviewer):
    today = timezone.localdate()
    contest = services.save_contest(
        by=editor,
        title="竞赛",
        topic="",
        dimension=None,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=10),
        questions_per_round=5,
        seconds_per_question=30,
    )
    return services.publish_contest(contest=contest, by=reviewer)


@pytest.fixture
def district(orgs) -> Organization:
    return orgs[YUZHONG]


YEAR = 2025
YUZHONG_CODE, JIANGBEI_CODE = "500103", "500105"


@pytest.fixture
def paper(bank, editor, reviewer):
    """Four method items (key: the first option), 25 points each: three right (75) reach 具备科学素质."""
    assessment = services.create_assessment(
        by=editor,
        title="调查卷",
        rule=services_rule(),
        item_count=4,
        blueprint={"method": 1},
        difficulty_mix={},
        seed=7,
    )
    return services.publish_assessment(assessment=assessment, by=reviewer)


def services_rule() -> ScoringRule:
    return ScoringRule.objects.get(name=services.GRADED_RULE)


@pytest.fixture
def literacy_survey(paper, editor) -> LiteracySurvey:
    return services.create_literacy_survey(year=YEAR, assessment=paper, by=editor)


def respond(literacy_survey, *, district: str, correct: int, sex="1", age="2", urban="1"):
    """Submit a response from `district` with the first `correct` items right and the others wrong."""
    survey = literacy_survey.survey
    by_code = {q.code: q for q in surveys.ordered_questions(survey)}
    values = {"district": district, "sex": sex, "age": age, "urban": urban}
    for n, item in enumerate(
        literacy_survey.assessment.items.select_related("question").order_by("position")
    ):
        key = item.question.answer[0]
        chosen = key if n < correct else (key + 1) % len(item.question.options)
        values[services.item_code(item.position)] = str(chosen + 1)
    response = surveys.start_response(survey=survey)
    surveys.save_answers(response=response, answers={by_code[c]: v for c, v in values.items()})
    return surveys.submit_response(response=response)


def upload_districts(literacy_survey, by, populations: dict[str, int]):
    names = dict(services.survey.district_options())
    rows = [["variable", "category", "population"]]
    rows += [["district", names[code], population] for code, population in populations.items()]
    return surveys.upload_margins(survey=literacy_survey.survey, file=xlsx(rows), by=by)


@pytest.fixture
def answered(literacy_survey, editor):
    """渝中 4 respondents (2 literate), 江北 5 (1 literate); margins 600 000 and 400 000."""
    for correct in (4, 3, 2, 0):
        respond(literacy_survey, district=YUZHONG_CODE, correct=correct)
    for correct in (3, 2, 1, 0, 0):
        respond(literacy_survey, district=JIANGBEI_CODE, correct=correct)
    upload_districts(literacy_survey, editor, {YUZHONG_CODE: 600_000, JIANGBEI_CODE: 400_000})
    return literacy_survey


from tests.policy.conftest import notice, seed_parsed, seed_text, supervisor  # noqa: E402, F401 - the policy fixtures
