"""Page-cost fixes that can be checked without a load generator: the dashboard's board and the home
page's to-do list are built once and rebuilt after any audited write; survey counts do not multiply
over a join."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.policy import dashboard_cache, services
from kexie.policy import dashboard_queries as dq
from kexie.policy.models import Task


@pytest.fixture
def cache_on(monkeypatch):
    dashboard_cache.clear()
    monkeypatch.setattr(dashboard_cache, "TIMEOUT_SECONDS", 60)
    calls = {"n": 0}
    real = dq.build_dashboard

    def counting(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(dq, "build_dashboard", counting)
    yield calls
    dashboard_cache.clear()


def test_dashboard_board_is_cached_until_an_audited_write(notice, make_user, login, cache_on):
    leader = make_user("leader", role=Role.LEADER)
    reporter = make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    client = login(leader)
    url = reverse("policy:dashboard")
    first = client.get(url)
    assert first.status_code == 200 and cache_on["n"] == 1
    second = client.get(url)
    assert second.status_code == 200 and cache_on["n"] == 1  # served from the cache
    assert second.context["board"].totals == first.context["board"].totals

    task = Task.objects.filter(measure__notice=notice, lead__name="科学技术普及部").order_by("pk").first()
    services.record_progress(task=task, text="完成 60%", percent=60, by=reporter)
    third = client.get(url)
    assert cache_on["n"] == 2  # the write changed the version: rebuilt
    row = next(r for r in third.context["board"].rows if r.measure.pk == task.measure_id)
    assert row.latest is not None and row.latest.text == "完成 60%"

    # Another reader never gets the leader's board.
    staff = make_user("kepu2", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    login(staff).get(url)
    assert cache_on["n"] == 3


def test_survey_counts_are_right_with_many_responses(make_user, orgs):
    from kexie.surveys import services as surveys
    from kexie.surveys.enums import QuestionKind
    from kexie.surveys.models import Survey
    from kexie.surveys.queries import with_counts

    owner = make_user("zhanlue", role=Role.DEPARTMENT_STAFF, org_name="战略发展部")
    survey = surveys.create_survey(title="调查", organization=orgs["战略发展部"], by=owner)
    section = surveys.add_section(survey=survey, title="一", by=owner)
    questions = [
        surveys.add_question(
            section=section,
            text=f"问题{i}",
            kind=QuestionKind.SINGLE,
            code=f"q{i}",
            options=["是", "否"],
            by=owner,
        )
        for i in range(3)
    ]
    survey = surveys.publish_survey(survey=survey, by=owner)
    for i in range(5):
        response = surveys.start_response(survey=survey)
        surveys.save_answers(response=response, answers=dict.fromkeys(questions, "1"))
        if i < 4:
            surveys.submit_response(response=response)
    counted = with_counts(Survey.objects.filter(pk=survey.pk)).get()
    assert (counted.question_count, counted.submitted_count) == (3, 4)
    empty = surveys.create_survey(title="空", organization=orgs["战略发展部"], by=owner)
    counted = with_counts(Survey.objects.filter(pk=empty.pk)).get()
    assert (counted.question_count, counted.submitted_count) == (0, 0)


def test_home_to_dos_are_kept_until_an_audited_write(make_user, login, monkeypatch):
    from kexie.core import todos
    from kexie.core.services import record_event

    todos.clear_cache()
    monkeypatch.setattr(todos, "TIMEOUT_SECONDS", 30)
    waiting = {"n": 1}
    asked = {"n": 0}

    def provider(user):
        asked["n"] += 1
        return [todos.TodoItem(label="待办测试", count=waiting["n"], url="/")]

    todos.register("tests.page_costs", label="测试", provider=provider)
    try:
        leader = make_user("leader", role=Role.LEADER)
        client = login(leader)
        assert "待办测试" in client.get(reverse("home")).content.decode()
        client.get(reverse("home"))
        assert asked["n"] == 1  # the second view used the kept list
        waiting["n"] = 0
        record_event(leader, "tests.write", actor=leader)  # any audited write moves the version
        assert "待办测试" not in client.get(reverse("home")).content.decode()
        assert asked["n"] == 2
    finally:
        todos.unregister("tests.page_costs")
        todos.clear_cache()


def test_indicator_readings_are_kept_until_an_audited_write(make_user, monkeypatch):
    from decimal import Decimal

    from kexie.core.services import record_event
    from kexie.policy import indicators

    indicators.clear_readings()
    monkeypatch.setattr(indicators, "READING_SECONDS", 60)
    computed = {"n": 0}

    def function(as_of):
        computed["n"] += 1
        return indicators.IndicatorReading(value=Decimal(computed["n"]), as_of=None)

    indicator = indicators.Indicator(key="tests.count", label="计数", unit="", function=function)
    try:
        first, _message = indicators.indicator_reading(indicator)
        again, _message = indicators.indicator_reading(indicator)
        assert (first.value, again.value, computed["n"]) == (1, 1, 1)
        user = make_user("leader", role=Role.LEADER)  # an audited write
        record_event(user, "tests.write", actor=user)
        later, _message = indicators.indicator_reading(indicator)
        assert (later.value, computed["n"]) == (2, 2)
    finally:
        indicators.clear_readings()
