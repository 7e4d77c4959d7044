"""The search-source registry: a kind registered by an app appears on the global search page with
its label, scope, summary and detail URL, and disappears for readers its scope hides it from."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.models import Organization
from kexie.search import index as search
from kexie.search import sources
from kexie.search.documents import SearchDocument
from kexie.search.sources import SearchSource, SourceScope

URL = reverse("search:results")
KIND = "unit"


def unit_documents(ids):
    units = Organization.objects.all() if ids is None else Organization.objects.filter(pk__in=ids)
    return [SearchDocument(kind=KIND, id=unit.pk, title=unit.name, body=unit.name) for unit in units]


def unit_scope(user):
    if not getattr(user, "is_authenticated", False):
        return None
    # Only the district associations: an index hit outside this queryset must not reach the page.
    return SourceScope(rows=Organization.objects.filter(kind=OrganizationKind.DISTRICT_ASSOCIATION))


@pytest.fixture
def unit_source(backend, orgs):
    sources.register(
        SearchSource(
            kind=KIND,
            label="Unit",
            loader=unit_documents,
            scope=unit_scope,
            url=lambda unit: f"/units/{unit.pk}/",
            summary=lambda unit: [unit.short_name, "seeded"],
            facets=(),
        )
    )
    search.refresh(kind=KIND, ids=list(Organization.objects.values_list("pk", flat=True)))
    yield
    sources._sources.pop(KIND)
    search.unregister_source(KIND)


def test_registered_source_shows_its_tab_hits_summary_and_url(client, login, make_user, unit_source):
    login(make_user("reader", role=Role.DEPARTMENT_STAFF))
    yuzhong = Organization.objects.get(name="渝中区科学技术协会")
    response = client.get(URL, {"q": "渝中区科学技术协会", "kind": KIND})
    tabs = {tab["value"]: tab["label"] for tab in response.context["tabs"]}
    assert tabs[KIND] == "Unit"
    first = response.context["outcome"].results[0]
    assert (first.hit.kind, first.row.pk, first.url, first.kind_label, first.summary) == (
        KIND,
        yuzhong.pk,
        f"/units/{yuzhong.pk}/",
        "Unit",
        "渝中区科协 · seeded",
    )
    assert f'href="/units/{yuzhong.pk}/"' in response.content.decode()


def test_registered_source_rechecks_hits_against_its_scope(client, login, make_user, unit_source):
    login(make_user("reader", role=Role.DEPARTMENT_STAFF))
    response = client.get(URL, {"q": "科学技术协会", "kind": KIND})
    kinds = {r.row.kind for r in response.context["outcome"].results}
    assert kinds == {OrganizationKind.DISTRICT_ASSOCIATION}
    # The association itself (市科协) is indexed and matches, but its scope leaves it out.
    assert "重庆市科学技术协会" not in {r.row.name for r in response.context["outcome"].results}


def test_source_hidden_by_its_scope_is_never_a_tab(client, unit_source):
    response = client.get(URL, {"q": "科协"})
    assert KIND not in {tab["value"] for tab in response.context["tabs"]}
    assert "Unit" not in response.context["kind_names"]


def test_source_without_a_loader_in_the_index_is_not_offered(client, login, make_user, unit_source):
    search.unregister_source(KIND)
    login(make_user("reader", role=Role.DEPARTMENT_STAFF))
    response = client.get(URL, {"q": "科协"})
    assert KIND not in {tab["value"] for tab in response.context["tabs"]}


def test_facets_are_offered_in_their_order():
    assert [facet.name for facet in sources.facets()] == ["district", "discipline", "industry"]
