"""The values that cross the search interface: what goes in, what a query asks, what comes back.

They are plain frozen dataclasses with no backend in them, so a PostgreSQL backend can take and
return exactly the same things as the tantivy one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# Text fields a query searches and the explain reports on.
TEXT_FIELDS: tuple[str, ...] = ("title", "keywords", "body")


@dataclass(frozen=True, slots=True)
class DocumentKey:
    kind: str
    id: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, value: str) -> DocumentKey:
        kind, _, ident = value.partition(":")
        return cls(kind=kind, id=ident)


def make_key(kind: str, ident: object) -> DocumentKey:
    """A document's identity: ids are compared as text, so 12 and "12" are the same document."""
    return DocumentKey(kind=str(kind), id=str(ident))


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One searchable object, flattened by the app that owns it.

    ``title``, ``body`` and ``keywords`` are searched (keywords and title weigh more in matching);
    the rest are filters and facets. Codes are stored as given and expanded to their ancestors
    when indexed, so filing an expert under "A010101" is enough to find them under "A01".
    ``year`` is the most recent year of work and ``activity`` how many works (projects, papers,
    achievements) the profile sums up; matching uses both as priors.
    """

    kind: str
    id: str | int
    title: str = ""
    body: str = ""
    keywords: Sequence[str] = ()
    district: str = ""
    disciplines: Sequence[str] = ()
    industries: Sequence[str] = ()
    flags: Sequence[str] = ()
    org_id: str | int | None = None
    year: int | None = None
    activity: int = 0

    @property
    def key(self) -> DocumentKey:
        return make_key(self.kind, self.id)

    def __post_init__(self) -> None:
        if not str(self.kind) or ":" in str(self.kind):
            raise ValueError(f"Document kind {self.kind!r} must be non-empty and contain no colon.")
        if str(self.id) == "":
            raise ValueError("Document id must not be empty.")


@dataclass(frozen=True, slots=True)
class Filters:
    """Conditions every hit must meet. Empty means "no condition".

    Lists within one field are alternatives (any of the districts); different fields must all
    hold. ``flags`` is the exception: every listed flag must be set. Discipline and industry codes
    match their descendants. ``exclude`` takes keys out, e.g. experts recused for a conflict of
    interest.
    """

    kinds: Sequence[str] = ()
    districts: Sequence[str] = ()
    disciplines: Sequence[str] = ()
    industries: Sequence[str] = ()
    flags: Sequence[str] = ()
    org_ids: Sequence[str | int] = ()
    year_min: int | None = None
    year_max: int | None = None
    exclude: Sequence[DocumentKey] = ()


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int
    label: str = ""
    level: int = 1


@dataclass(frozen=True, slots=True)
class TermScore:
    """How much one query term in one field added to a hit's text score."""

    field: str
    term: str
    score: float


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a hit scored what it did: score == text_score + sum(signals.values()).

    ``terms`` comes from the index's own scoring explanation, so it is what actually matched,
    not a re-computation. ``signals`` holds the matching priors (discipline, recency, activity).
    """

    text_score: float
    terms: tuple[TermScore, ...]
    signals: dict[str, float]

    @property
    def matched_terms(self) -> dict[str, list[str]]:
        """Field → terms that matched there, highest contribution first."""
        by_field: dict[str, list[str]] = {}
        for term_score in sorted(self.terms, key=lambda item: -item.score):
            by_field.setdefault(term_score.field, []).append(term_score.term)
        return by_field

    @property
    def total(self) -> float:
        return self.text_score + sum(self.signals.values())


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    id: str
    score: float
    title: str
    # Already-escaped HTML with <mark> around matched terms.
    title_html: str = ""
    snippet_html: str = ""
    district: str = ""
    disciplines: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    org_id: str = ""
    year: int | None = None
    explanation: Explanation | None = None

    @property
    def key(self) -> DocumentKey:
        return make_key(self.kind, self.id)


@dataclass(frozen=True, slots=True)
class SearchResults:
    hits: list[Hit]
    # The query as the index saw it: segmented terms, stopwords dropped.
    terms: list[str]
    # Number of matching documents; None unless the query asked for it (counting is not free).
    total: int | None = None
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    # Rankings with facet priors: per facet field, the values the query text points to with their
    # probabilities, e.g. {"discipline": [("G03", 0.61), ...]} — what the staff sees as "looks like".
    predictions: dict[str, list[tuple[str, float]]] = field(default_factory=dict)


# Re-exported so that callers need one import for the interface's vocabulary.
__all__ = [
    "TEXT_FIELDS",
    "DocumentKey",
    "Explanation",
    "FacetCount",
    "Filters",
    "Hit",
    "SearchDocument",
    "SearchResults",
    "TermScore",
    "make_key",
]
