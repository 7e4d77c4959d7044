"""The global search page: one box over every kind the reader may see, with facets and pages.

The kinds, their labels, scopes, detail pages and facets come from the search-source registry
(`kexie.search.sources`); this module knows no domain app. Scope is decided per kind before the
index is asked (a kind the reader may not see is never queried, and a source may require index
flags, e.g. only published achievements for the public), and the ids of the page shown are checked
again against the source's scoped queryset, so a stale or too-wide index entry never reaches the
page. The index holds no personal data (see each app's documents.py).
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from kexie.core.forms import StyledFormMixin
from kexie.core.html import marked
from kexie.core.versioned import VersionedCache
from kexie.search import index as search
from kexie.search import sources
from kexie.search.documents import Filters, Hit
from kexie.search.enums import Facet
from kexie.search.sources import SearchSource, SourceScope

PAGE_SIZE = 20
# A page of "all kinds" merges each kind's best hits, so it can reach only this deep.
MAX_RESULTS = search.MAX_LIMIT
FACET_ROWS = 12
# The filters the form takes, each a facet the index counts by.
FILTERS = (Facet.DISTRICT, Facet.DISCIPLINE, Facet.INDUSTRY)

# A search asks the index once per kind, highlights every hit and re-checks the rows the reader may
# open: about twice a plain page's server time. Its outcome is kept per reader (anonymous visitors
# share one: they share a scope), text, filters, page and language until the next audited write;
# OUTCOME_SECONDS bounds the index's own lag behind the data (its updates are background jobs).
# Paging back and forth, a facet undone, a popular term on the portal are then answered from memory.
OUTCOME_SECONDS = 0 if settings.TESTING else 30
_outcomes = VersionedCache("search.outcomes", max_entries=256)

Scopes = dict[str, tuple[SearchSource, SourceScope]]


def facet_label(name: str, value: str) -> str:
    definition = next((facet for facet in sources.facets() if facet.name == name), None)
    return definition.label(value) if definition and value else ""


class GlobalSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.CharField(required=False, max_length=20)
    district = forms.CharField(required=False, max_length=12)
    discipline = forms.CharField(required=False, max_length=10)
    industry = forms.CharField(required=False, max_length=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("A technology, a research area, a need…"), "type": "search"}
        )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data.get("q", "").split())

    def clean_discipline(self) -> str:
        return self.cleaned_data.get("discipline", "").strip().upper()

    def clean_industry(self) -> str:
        return self.cleaned_data.get("industry", "").strip().upper()


@dataclass
class Result:
    hit: Hit
    kind_label: str
    url: str
    row: object
    summary: str = ""
    district_name: str = ""

    @property
    def title_html(self) -> SafeString:
        return marked(self.hit.title_html) if self.hit.title_html else marked(escape(self.hit.title))

    @property
    def snippet_html(self) -> SafeString:
        return marked(self.hit.snippet_html)


@dataclass
class Outcome:
    results: list[Result] = field(default_factory=list)
    total: int = 0
    kind_counts: Counter = field(default_factory=Counter)
    facets: dict[str, Counter] = field(default_factory=dict)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)


def _run(text: str, data: dict, scopes: Scopes, *, offset: int) -> Outcome:
    """One index query per kind the reader may see: the chosen kind(s) for hits and facets, the
    others only for their tab counts. Filters differ by kind (the public's achievements), which
    is why the kinds are not asked in one query."""
    chosen = [data["kind"]] if data.get("kind") in scopes else list(scopes)
    base = Filters(
        districts=(data["district"],) if data.get("district") else (),
        disciplines=(data["discipline"],) if data.get("discipline") else (),
        industries=(data["industry"],) if data.get("industry") else (),
    )
    outcome = Outcome(facets={facet.name: Counter() for facet in sources.facets()})
    hits: list[Hit] = []
    single = len(chosen) == 1
    for kind, (source, scope) in scopes.items():
        filters = dataclasses.replace(base, kinds=(kind,), flags=scope.flags)
        if kind in chosen:
            results = search.query(
                text,
                filters=filters,
                facets=[name for name in source.facets if name in outcome.facets],
                limit=PAGE_SIZE if single else min(offset + PAGE_SIZE, MAX_RESULTS),
                offset=offset if single else 0,
                count=True,
            )
            hits.extend(results.hits)
            for name, counts in results.facets.items():
                for facet in counts:
                    if facet.level == 1:  # the top of a code tree (discipline, industry); flat lists are 1
                        outcome.facets[name][facet.value] += facet.count
                        outcome.labels[(name, facet.value)] = facet.label
        else:
            results = search.query(text, filters=filters, limit=1, snippets=False, count=True)
        outcome.kind_counts[kind] = results.total or 0
    outcome.total = sum(outcome.kind_counts[kind] for kind in chosen)
    if not single:
        hits.sort(key=lambda hit: -hit.score)
        hits = hits[offset : offset + PAGE_SIZE]
    outcome.results = _visible(hits, scopes)
    return outcome


def _visible(hits: list[Hit], scopes: Scopes) -> list[Result]:
    """The hits whose rows the reader may open, one query per kind on the page."""
    wanted: dict[str, list[int]] = {}
    for hit in hits:
        if hit.id.isdigit():
            wanted.setdefault(hit.kind, []).append(int(hit.id))
    rows: dict[tuple[str, int], object] = {}
    for kind, ids in wanted.items():
        for row in scopes[kind][1].rows.filter(pk__in=ids):
            rows[(kind, row.pk)] = row
    results = []
    for hit in hits:
        row = rows.get((hit.kind, int(hit.id))) if hit.id.isdigit() else None
        if row is None:
            continue
        source = scopes[hit.kind][0]
        results.append(
            Result(
                hit=hit,
                kind_label=source.label,
                url=source.url(row),
                row=row,
                summary=" · ".join(part for part in source.summary(row) if part),
                district_name=facet_label(Facet.DISTRICT, hit.district),
            )
        )
    return results


@dataclass
class Page:
    """What pagination.html needs, without materialising the whole result list."""

    number: int
    num_pages: int

    @property
    def paginator(self):
        return self

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 10_000 else 1


def _facet_rows(outcome: Outcome, name: str, request, data: dict) -> list[dict]:
    rows = []
    selected = data.get(name, "")
    for value, count in outcome.facets.get(name, Counter()).most_common(FACET_ROWS):
        label = outcome.labels.get((name, value), "") or facet_label(name, value)
        query = request.GET.copy()
        query.pop("page", None)
        if selected == value:
            query.pop(name, None)
        else:
            query[name] = value
        rows.append(
            {
                "value": value,
                "label": label or value,
                "count": count,
                "active": selected == value,
                "query": query.urlencode(),
            }
        )
    return rows


def search_view(request):
    form = GlobalSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    text = data.get("q", "")
    scopes = sources.scopes_for(request.user)
    number = _page_number(request.GET.get("page"))
    outcome = None
    outcome_key = None
    page = None
    if text:
        single = data.get("kind") in scopes
        deepest = math.inf if single else MAX_RESULTS
        offset = (number - 1) * PAGE_SIZE
        if offset >= deepest:
            number, offset = 1, 0
        reader = request.user.pk if request.user.is_authenticated else None
        outcome_key = (reader, text, repr(sorted(data.items())), offset, translation.get_language())
        outcome = _outcomes.get(
            outcome_key,
            lambda: _run(text, data, scopes, offset=offset),
            timeout=OUTCOME_SECONDS,
            request=request,
        )
        reachable = min(outcome.total, deepest)
        page = Page(number=number, num_pages=max(1, math.ceil(reachable / PAGE_SIZE)))
    tabs = []
    if outcome is not None:
        base = request.GET.copy()
        base.pop("page", None)
        base.pop("kind", None)
        tabs.append(
            {
                "value": "",
                "label": _("All"),
                "count": sum(outcome.kind_counts.values()),
                "active": data.get("kind") not in scopes,
                "query": base.urlencode(),
            }
        )
        for kind, (source, _scope) in scopes.items():
            query = base.copy()
            query["kind"] = kind
            tabs.append(
                {
                    "value": kind,
                    "label": source.label,
                    "count": outcome.kind_counts[kind],
                    "active": data.get("kind") == kind,
                    "query": query.urlencode(),
                }
            )
    facets = []
    if outcome is not None:
        for facet in sources.facets():
            rows = _facet_rows(outcome, facet.name, request, data)
            if rows:
                facets.append({"name": facet.name, "title": facet.title, "rows": rows})
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "text": text,
            "outcome": outcome,
            "page": page,
            "tabs": tabs,
            "facets": facets,
            "query": query.urlencode(),
            "kind_names": [source.label for source, _scope in scopes.values()],
            "filtered": any(data.get(name) for name in FILTERS),
            "outcome_key": outcome_key,
        },
    )
