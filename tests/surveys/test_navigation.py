"""The survey tabs: each role sees exactly the tabs whose pages admit it, and each opens."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.surveys import services

pytestmark = pytest.mark.django_db

TABS = ("detail", "distribution", "results", "weighting")
ROLES = {
    "owner": (Role.DEPARTMENT_STAFF, "战略发展部", set(TABS)),
    "leader": (Role.LEADER, "重庆市科学技术协会", set(TABS)),
    "supervisor": (Role.SUPERVISOR, "重庆市科学技术协会", set(TABS)),
    # A station holding invitation codes follows the distribution but reads no results.
    "station": (Role.DISTRICT_STAFF, "渝中区科学技术协会", {"detail", "distribution"}),
}


def tabs(body: str, survey_pk: int) -> set[str]:
    nav = re.search(r'<ul [^>]*data-testid="survey-subnav">(.*?)</ul>', body, re.S).group(1)
    names = {reverse(f"surveys:{tab}", args=[survey_pk]): tab for tab in TABS}
    return {names[href] for href in re.findall(r'href="([^"]+)"', nav)}


@pytest.mark.parametrize("page", ["detail", "distribution"])
@pytest.mark.parametrize("role", sorted(ROLES))
def test_survey_tabs_are_exactly_the_pages_the_role_may_open(
    login, make_user, owner, published, orgs, page, role
):
    services.issue_invitations(survey=published, organization=orgs["渝中区科学技术协会"], quota=2, by=owner)
    kind, org, expected = ROLES[role]
    client = login(make_user(f"u-{role}", role=kind, org_name=org))

    shown = tabs(client.get(reverse(f"surveys:{page}", args=[published.pk])).content.decode(), published.pk)

    assert shown == expected
    opened = {tab: client.get(reverse(f"surveys:{tab}", args=[published.pk])).status_code for tab in TABS}
    assert opened == {tab: 200 if tab in expected else 403 for tab in TABS}
