"""Fixtures for surveys: owners and other roles, a small published survey with skip logic."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from kexie.accounts.enums import Role
from kexie.surveys import services
from kexie.surveys.enums import ConditionOperator, QuestionKind

OWNER_ORG = "战略发展部"


@pytest.fixture(autouse=True)
def _english(settings):
    # These tests read the English messages; requests without Accept-Language fall back to
    # LANGUAGE_CODE, so pages render in English too.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def owner(make_user):
    return make_user("zhanlue", role=Role.DEPARTMENT_STAFF, org_name=OWNER_ORG)


@pytest.fixture
def other_staff(make_user):
    return make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")


@pytest.fixture
def district_staff(make_user):
    return make_user("yuzhong", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会")


@pytest.fixture
def leader(make_user):
    return make_user("leader", role=Role.LEADER)


@pytest.fixture
def supervisor(make_user):
    return make_user("duban", role=Role.SUPERVISOR)


@pytest.fixture
def draft(orgs, owner):
    """A draft: section 1 sex (single), employed (single); section 2 hours (number, only if employed=1),
    channels (multiple), satisfaction (rating 1–5), comment (optional text)."""
    survey = services.create_survey(title="科技工作者状况调查", organization=orgs[OWNER_ORG], by=owner)
    first = services.add_section(survey=survey, title="基本情况", by=owner)
    sex = services.add_question(
        section=first, text="性别", kind=QuestionKind.SINGLE, code="sex", options=["男", "女"], by=owner
    )
    employed = services.add_question(
        section=first,
        text="是否在职",
        kind=QuestionKind.SINGLE,
        code="employed",
        options=["是", "否"],
        by=owner,
    )
    second = services.add_section(survey=survey, title="工作", by=owner)
    services.add_question(
        section=second,
        text="每周工作小时",
        kind=QuestionKind.NUMBER,
        code="hours",
        by=owner,
        condition=(employed, ConditionOperator.EQUALS, "1"),
    )
    services.add_question(
        section=second,
        text="信息渠道",
        kind=QuestionKind.MULTIPLE,
        code="channels",
        options=["网络", "期刊", "会议"],
        by=owner,
    )
    services.add_question(
        section=second, text="满意度", kind=QuestionKind.RATING, code="satisfaction", by=owner
    )
    services.add_question(
        section=second, text="意见建议", kind=QuestionKind.TEXT, code="comment", required=False, by=owner
    )
    survey.sex = sex
    return survey


@pytest.fixture
def published(draft, owner):
    return services.publish_survey(survey=draft, by=owner)


def questions(survey) -> dict:
    return {q.code: q for q in services.ordered_questions(survey)}


def answer(survey, values: dict, **start) -> object:
    """Start, answer every page at once and submit a response: values by question code."""
    response = services.start_response(survey=survey, **start)
    by_code = questions(survey)
    services.save_answers(
        response=response, answers={by_code[c]: v for c, v in values.items()}, check_required=False
    )
    return services.submit_response(response=response)


def xlsx(rows: list[list], *, sheet: str = "margins") -> io.BytesIO:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "margins.xlsx"
    return out
