"""One access rule per object (kexie.core.access): for every registered object type and several
roles, the list query and the single-object access agree — every object in the list is accessible,
every object not in it is refused with the same answer as a missing one — and so does the in-memory
predicate of rules.py; a page and the API answer alike (404) for an object the reader may not see.

The demo data gives every type objects in many states and owners; it is loaded once for the module
inside a transaction that is rolled back at the end.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse

from kexie.accounts.models import User
from kexie.core import access as access_rules
from kexie.core.access import NotAccessible
from kexie.site.demo import load_demo
from tests.conftest import verify_session

ROLES = [
    None,  # anonymous
    "leader",
    "duban",
    "auditor",
    "kepu_head",
    "kepu_editor",
    "zhanlue_staff",
    "kechuang_staff",
    "kechuang_head",
    "yuzhong",
    "expert_demo",
    "enterprise_demo",
    "citizen_demo",
]
# Per type at most this many objects on each side of the list (the first by primary key): enough to
# cover every state and owner of the demo, few enough to keep the test fast.
SAMPLE = 12
RULES = [rule.name for rule in access_rules.registered()]

# Where a page and an API endpoint show one object of a type (None: no such endpoint).
PAGES = {
    "policy.task": ("policy:task_detail", "/api/v1/supervision/tasks/{pk}"),
    "policy.notice": ("policy:notice_detail", "/api/v1/supervision/notices/{pk}/measures"),
    "policy.case": ("policy:case_detail", None),
    "experts.expert": ("experts:detail", "/api/v1/experts/{pk}"),
    "transfer.demand": ("transfer:demand_detail", "/api/v1/transfer/demands/{pk}"),
    "transfer.achievement": ("transfer:achievement_detail", None),
    "transfer.docking": ("transfer:docking_detail", None),
    "transfer.team": ("transfer:team_detail", None),
    "surveys.survey": ("surveys:detail", "/api/v1/surveys/{pk}/results"),
    "literacy.question": ("literacy:question_detail", None),
    "literacy.assessment": ("literacy:assessment", None),
    "calls.call": ("calls:call", None),
    "calls.submission": ("calls:dossier", "/api/v1/calls/submissions/{pk}"),
    "calls.assignment": ("calls:review", None),
    "calls.objection": ("calls:objection", None),
    "outreach.activity": ("outreach:activity_detail", "/api/v1/outreach/activities/{pk}"),
    "outreach.volunteer": ("outreach:volunteer_detail", None),
    "outreach.venue": ("outreach:venue_detail", "/api/v1/outreach/venues/{pk}"),
    "outreach.bulletin": ("outreach:bulletin_detail", "/api/v1/outreach/bulletins/{pk}"),
    "societies.society": ("societies:society_detail", "/api/v1/societies/societies/{pk}"),
    "societies.inspection": ("societies:inspection_detail", None),
    "societies.founding_request": ("societies:founding_detail", None),
    "societies.event": ("societies:event_detail", None),
    "societies.journal": ("societies:journal_detail", "/api/v1/societies/journals/{pk}"),
    "societies.directory": ("societies:directory_compose", None),
    "societies.alliance": ("societies:alliance_detail", None),
    "societies.project": ("societies:project_detail", None),
    "societies.position": ("societies:duty_support_create", None),
    "workers.need": ("workers:need_detail", "/api/v1/workers/needs/{pk}"),
    "workers.meeting": ("workers:meeting_detail", None),
    "workers.archive_item": ("workers:archive_item", None),
    "talent.round": ("talent:round_detail", None),
    "talent.nomination": ("talent:nomination_detail", None),
    "talent.person": ("talent:person_detail", None),
    "talent.pair": ("talent:pair_detail", None),
    "talent.candidate": ("talent:candidate_detail", None),
    "talent.top_talent": ("talent:top_talent_detail", None),
    "thinktank.question": ("thinktank:question_detail", None),
    "thinktank.project": ("thinktank:project_detail", None),
    "thinktank.result": ("thinktank:result_detail", "/api/v1/thinktank/results/{pk}"),
    "thinktank.brief": ("thinktank:brief_detail", "/api/v1/thinktank/briefs/{pk}"),
    "news.item": ("news:manage_item", None),
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_demo()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _user(username):
    return AnonymousUser() if username is None else User.objects.get(username=username)


def _rule(name):
    return next(rule for rule in access_rules.registered() if rule.name == name)


def _split(rule, user):
    """(visible pks, invisible pks) of the type, each cut to SAMPLE."""
    visible = set(rule.visible(user).values_list("pk", flat=True))
    everything = list(rule.visible(user).model._default_manager.order_by("pk").values_list("pk", flat=True))
    return (
        [pk for pk in everything if pk in visible][:SAMPLE],
        [pk for pk in everything if pk not in visible][:SAMPLE],
    )


def test_every_main_object_type_has_an_access_rule():
    assert set(RULES) == set(PAGES)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("name", RULES)
def test_list_and_single_object_access_agree(demo, db, name, username):
    rule, user = _rule(name), _user(username)
    visible, invisible = _split(rule, user)
    assert visible or invisible, f"the demo has no {name}"
    model = rule.visible(user).model
    for pk in visible:
        obj = rule.access(user, pk)
        assert obj.pk == pk
        if rule.can_view is not None:
            assert rule.can_view(user, obj), f"{name} {pk}: listed for {username} but can_view says no"
    for pk in invisible:
        with pytest.raises(NotAccessible):
            rule.access(user, pk)
        if rule.can_view is not None:
            obj = model._default_manager.get(pk=pk)
            assert not rule.can_view(user, obj), (
                f"{name} {pk}: not listed for {username} but can_view says yes"
            )
    with pytest.raises(NotAccessible):
        rule.access(user, 10**9)  # a missing object: the same answer


@pytest.mark.parametrize("username", [r for r in ROLES if r is not None])
@pytest.mark.parametrize("name", RULES)
def test_page_and_api_answer_alike(demo, db, client, name, username):
    rule, user = _rule(name), _user(username)
    verify_session(client, user)
    page_name, api_path = PAGES[name]
    visible, invisible = _split(rule, user)
    for pk in invisible[:2]:
        assert client.get(reverse(page_name, args=[pk])).status_code == 404, f"page of {name} {pk}"
        if api_path:
            assert client.get(api_path.format(pk=pk)).status_code == 404, f"API of {name} {pk}"
    for pk in visible[:2]:
        assert client.get(reverse(page_name, args=[pk])).status_code != 404, f"page of {name} {pk}"
        if api_path:
            assert client.get(api_path.format(pk=pk)).status_code != 404, f"API of {name} {pk}"
