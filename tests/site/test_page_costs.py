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


# --- kept fragments and menus (kexie.core.versioned, {% keep %}) ----------------------------------


@pytest.fixture
def keep_on(monkeypatch):
    from kexie.core import navigation, versioned
    from kexie.core.templatetags import kexie_tags

    versioned.clear_all()
    monkeypatch.setattr(kexie_tags, "KEEP_SECONDS", 60)
    monkeypatch.setattr(navigation, "VISIBLE_SECONDS", 60)
    yield
    versioned.clear_all()


def test_versioned_cache_keeps_a_value_until_an_audited_write(make_user):
    from kexie.core.services import record_event
    from kexie.core.versioned import VersionedCache

    cache = VersionedCache("tests.versioned", max_entries=2)
    built = {"n": 0}

    def build():
        built["n"] += 1
        return built["n"]

    assert cache.get("k", build, timeout=60) == 1
    assert cache.get("k", build, timeout=60) == 1  # kept
    assert cache.get("k", build, timeout=0) == 2  # a timeout of 0 turns it off
    user = make_user("writer", role=Role.LEADER)
    record_event(user, "tests.write", actor=user)
    assert cache.get("k", build, timeout=60) == 3  # the write moved the version
    cache.get("a", build, timeout=60)
    cache.get("b", build, timeout=60)
    assert len(cache) == 2  # bounded: the oldest key went


def test_kept_task_rows_are_shared_per_scope_never_across(notice, make_user, keep_on):
    from django.test import Client

    from tests.conftest import verify_session

    leader = make_user("leader", role=Role.LEADER)
    kepu = make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    leader_client, kepu_client = Client(), Client()
    verify_session(leader_client, leader)
    verify_session(kepu_client, kepu)
    url = reverse("policy:task_list")
    all_tasks = Task.objects.filter(measure__notice=notice)
    mine = all_tasks.filter(lead__name="科学技术普及部")
    other = all_tasks.exclude(lead__name="科学技术普及部").exclude(cooperating__name="科学技术普及部").first()
    assert mine.exists() and other is not None

    leader_page = leader_client.get(url).content.decode()
    assert other.title in leader_page
    # The leader's kept rows are not shown to a reader of another scope.
    kepu_page = kepu_client.get(url).content.decode()
    assert other.title not in kepu_page and mine.first().title in kepu_page

    # A write is seen on the next view: the kept rows were for the old data version.
    task = mine.order_by("pk").first()
    services.record_progress(task=task, text="完成 60%", percent=60, by=kepu)
    assert 'aria-valuenow="60"' in leader_client.get(url).content.decode()


def test_a_kept_fragment_carries_each_readers_own_csrf_token(db, keep_on):
    from django.middleware.csrf import _does_token_match, get_token
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    page = Template(
        "{% load kexie_tags %}{% keep 'tests.form' %}<form>{{ n }}{% csrf_token %}</form>{% endkeep %}"
    )
    tokens = []
    for n in (1, 2):
        request = RequestFactory().get("/")
        get_token(request)  # gives this request its own secret
        html = page.render(RequestContext(request, {"n": n}))
        assert "<form>1" in html  # the second render was the kept one
        token = html.split('value="')[1].split('"')[0]
        assert _does_token_match(token, request.META["CSRF_COOKIE"])
        tokens.append((token, request.META["CSRF_COOKIE"]))
    assert not _does_token_match(tokens[1][0], tokens[0][1])  # not the first reader's token


def test_kept_menu_follows_a_role_change(make_user, login, orgs, keep_on):
    from kexie.accounts.services import add_membership

    user = make_user("zhanlue", role=None)  # a citizen: no supervision pages
    client = login(user)
    assert 'data-menu="policy.dashboard"' not in client.get(reverse("notifications")).content.decode()
    add_membership(user=user, organization=orgs["战略发展部"], role=Role.DEPARTMENT_STAFF)  # audited
    assert 'data-menu="policy.dashboard"' in client.get(reverse("notifications")).content.decode()


def test_a_page_reads_the_data_version_once(notice, make_user, login, keep_on, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kexie.core import todos
    from kexie.policy import indicators

    monkeypatch.setattr(todos, "TIMEOUT_SECONDS", 30)
    monkeypatch.setattr(indicators, "READING_SECONDS", 60)
    monkeypatch.setattr(dashboard_cache, "TIMEOUT_SECONDS", 60)
    client = login(make_user("leader", role=Role.LEADER))
    measure = notice.measures.order_by("number").first()
    for url in (
        reverse("home"),
        reverse("policy:dashboard"),
        reverse("policy:measure_detail", args=[measure.pk]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        versions = [q["sql"] for q in queries if 'MAX("core_auditevent"."id")' in q["sql"]]
        assert len(versions) == 1, (url, len(versions))


def test_kept_supervision_pages_match_the_uncached_ones(notice, make_user, keep_on, monkeypatch):
    """Every page with kept parts renders, kept, what it renders without them, for each scope."""
    import re

    from django.test import Client

    from kexie.core.templatetags import kexie_tags
    from kexie.policy import indicators
    from tests.conftest import verify_session

    monkeypatch.setattr(dashboard_cache, "TIMEOUT_SECONDS", 60)
    monkeypatch.setattr(indicators, "READING_SECONDS", 60)
    measure = notice.measures.order_by("number").first()
    urls = [
        reverse("home"),
        reverse("policy:dashboard"),
        reverse("policy:task_list"),
        reverse("policy:measure_detail", args=[measure.pk]),
    ]
    readers = [
        make_user("leader", role=Role.LEADER),
        make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部"),
    ]

    def page(client, url):
        html = client.get(url).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    for reader in readers:
        client = Client()
        verify_session(client, reader)
        for url in urls:
            kept = [page(client, url), page(client, url)]  # built, then from the cache
            monkeypatch.setattr(kexie_tags, "KEEP_SECONDS", 0)
            fresh = page(client, url)
            monkeypatch.setattr(kexie_tags, "KEEP_SECONDS", 60)
            assert kept[0] == kept[1] == fresh, (reader.username, url)
