"""The global search page: one box over every kind the reader may see, with facets and pages.

Scope is decided per kind before the index is asked (a kind the reader may not see is never
queried, and unpublished achievements are filtered out for the public), and the ids of the page
shown are checked again against each owning app's scoped queryset, so a stale or too-wide index
entry never reaches the page. The index holds no personal data (see each app's documents.py).
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.db.models import QuerySet
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from kexie.core.forms import StyledFormMixin
from kexie.core.reference import district_name
from kexie.experts import queries as expert_queries
from kexie.experts import rules as expert_rules
from kexie.search import index as search
from kexie.search.documents import Filters, Hit
from kexie.search.enums import DocumentKind, Facet
from kexie.transfer import queries as transfer_queries
from kexie.transfer import rules as transfer_rules
from kexie.transfer.models import ServiceTeam

PAGE_SIZE = 20
# A page of "all kinds" merges each kind's best hits, so it can reach only this deep.
MAX_RESULTS = search.MAX_LIMIT
FACET_ROWS = 12


@dataclass(frozen=True)
class KindScope:
    """How one kind is searched for one reader: the index filter and the rows they may open."""

    kind: str
    flags: tuple[str, ...]
    rows: Callable[[], QuerySet]
    url_name: str


def _scopes(user) -> dict[str, KindScope]:
    """The kinds ``user`` may find, in tab order. A kind absent here is never queried."""
    scopes: list[KindScope] = []
    if expert_rules.can_view_library(user):
        scopes.append(
            KindScope(
                DocumentKind.EXPERT,
                (),
                lambda: expert_queries.experts_visible_to(user).select_related("organization"),
                "experts:detail",
            )
        )
    registry = transfer_rules.can_view_registry(user)
    scopes.append(
        KindScope(
            DocumentKind.ACHIEVEMENT,
            () if registry else ("published",),
            lambda: transfer_queries.achievements_visible_to(user),
            "transfer:achievement_detail",
        )
    )
    scopes.append(
        KindScope(
            DocumentKind.DEMAND,
            (),
            lambda: transfer_queries.demands_visible_to(user),
            "transfer:demand_detail",
        )
    )
    if registry:
        scopes.append(
            KindScope(
                DocumentKind.TEAM,
                (),
                lambda: ServiceTeam.objects.select_related("lead_organization"),
                "transfer:team_detail",
            )
        )
    registered = set(search.registered_kinds())
    return {str(scope.kind): scope for scope in scopes if str(scope.kind) in registered}


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


_MARK = re.compile(r"(</?mark>)")


def marked(highlighted: str) -> SafeString:
    """A backend's highlighted text made safe whatever it is: every piece between <mark> tags is
    unescaped and escaped again (idempotent on escaped text, neutral on raw text), so the only
    markup that reaches the page is <mark> itself."""
    parts = _MARK.split(highlighted or "")
    balanced = parts.count("<mark>") == parts.count("</mark>")
    pieces = []
    for part in parts:
        if _MARK.fullmatch(part):
            if balanced:
                pieces.append(part)
        else:
            pieces.append(escape(html.unescape(part)))
    text = "".join(pieces)
    return mark_safe(text)  # noqa: S308 - every piece of text above went through escape()


@dataclass
class Result:
    hit: Hit
    kind_label: str
    url: str
    row: object
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


def _run(text: str, data: dict, scopes: dict[str, KindScope], *, offset: int) -> Outcome:
    """One index query per kind the reader may see: the chosen kind(s) for hits and facets, the
    others only for their tab counts. Filters differ by kind (the public's achievements), which
    is why the kinds are not asked in one query."""
    chosen = [data["kind"]] if data.get("kind") in scopes else list(scopes)
    base = Filters(
        districts=(data["district"],) if data.get("district") else (),
        disciplines=(data["discipline"],) if data.get("discipline") else (),
        industries=(data["industry"],) if data.get("industry") else (),
    )
    outcome = Outcome(
        facets={Facet.DISTRICT: Counter(), Facet.DISCIPLINE: Counter(), Facet.INDUSTRY: Counter()}
    )
    hits: list[Hit] = []
    single = len(chosen) == 1
    for kind, scope in scopes.items():
        filters = dataclasses.replace(base, kinds=(kind,), flags=scope.flags)
        if kind in chosen:
            results = search.query(
                text,
                filters=filters,
                facets=[Facet.DISTRICT, Facet.DISCIPLINE, Facet.INDUSTRY],
                limit=PAGE_SIZE if single else min(offset + PAGE_SIZE, MAX_RESULTS),
                offset=offset if single else 0,
                count=True,
            )
            hits.extend(results.hits)
            for name, counts in results.facets.items():
                for facet in counts:
                    if facet.level == 1 or name == Facet.DISTRICT:
                        outcome.facets[Facet(name)][facet.value] += facet.count
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


def _visible(hits: list[Hit], scopes: dict[str, KindScope]) -> list[Result]:
    """The hits whose rows the reader may open, one query per kind on the page."""
    wanted: dict[str, list[int]] = {}
    for hit in hits:
        if hit.id.isdigit():
            wanted.setdefault(hit.kind, []).append(int(hit.id))
    rows: dict[tuple[str, int], object] = {}
    for kind, ids in wanted.items():
        for row in scopes[kind].rows().filter(pk__in=ids):
            rows[(kind, row.pk)] = row
    labels = dict(DocumentKind.choices)
    results = []
    for hit in hits:
        row = rows.get((hit.kind, int(hit.id))) if hit.id.isdigit() else None
        if row is None:
            continue
        results.append(
            Result(
                hit=hit,
                kind_label=labels.get(hit.kind, hit.kind),
                url=reverse(scopes[hit.kind].url_name, args=[row.pk]),
                row=row,
                district_name=district_name(hit.district),
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


def _facet_rows(outcome: Outcome, name: Facet, request, data: dict) -> list[dict]:
    rows = []
    selected = data.get(name.value, "")
    for value, count in outcome.facets.get(name, Counter()).most_common(FACET_ROWS):
        label = district_name(value) if name == Facet.DISTRICT else outcome.labels.get((name, value), "")
        query = request.GET.copy()
        query.pop("page", None)
        if selected == value:
            query.pop(name.value, None)
        else:
            query[name.value] = value
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
    scopes = _scopes(request.user)
    number = _page_number(request.GET.get("page"))
    outcome = None
    page = None
    if text:
        single = data.get("kind") in scopes
        deepest = math.inf if single else MAX_RESULTS
        offset = (number - 1) * PAGE_SIZE
        if offset >= deepest:
            number, offset = 1, 0
        outcome = _run(text, data, scopes, offset=offset)
        reachable = min(outcome.total, deepest)
        page = Page(number=number, num_pages=max(1, math.ceil(reachable / PAGE_SIZE)))
    labels = dict(DocumentKind.choices)
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
        for kind in scopes:
            query = base.copy()
            query["kind"] = kind
            tabs.append(
                {
                    "value": kind,
                    "label": labels.get(kind, kind),
                    "count": outcome.kind_counts[kind],
                    "active": data.get("kind") == kind,
                    "query": query.urlencode(),
                }
            )
    facets = []
    if outcome is not None:
        for name, title in [
            (Facet.DISTRICT, _("District")),
            (Facet.DISCIPLINE, _("Discipline")),
            (Facet.INDUSTRY, _("Industry")),
        ]:
            rows = _facet_rows(outcome, name, request, data)
            if rows:
                facets.append({"name": name.value, "title": title, "rows": rows})
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
            "kind_names": [labels[kind] for kind in scopes],
            "filtered": any(data.get(name) for name in ("district", "discipline", "industry")),
        },
    )
