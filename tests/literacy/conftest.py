"""Fixtures of the literacy module: reference data (dimensions, rules, core items), editors, citizens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from kexie.accounts.enums import Role
from kexie.accounts.models import Organization
from kexie.literacy import services
from kexie.literacy.enums import QuestionKind, ReviewState
from kexie.literacy.models import Dimension, Question

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


from tests.policy.conftest import notice, seed_text, supervisor  # noqa: E402, F401 - the policy fixtures
