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

    ``works`` are the titles of the works a profile sums up (an expert's projects and papers).
    They are searched as part of ``body`` and, for matching, each is also scored on its own
    (document-centric evidence: one work on the subject says more than a word in each of ten).
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
    works: Sequence[str] = ()

    @property
    def key(self) -> DocumentKey:
        return make_key(self.kind, self.id)

    @property
    def body_text(self) -> str:
        """What the ``body`` field indexes: the body, then the works."""
        if not self.works:
            return self.body
        return "\n".join(part for part in (self.body, *self.works) if part)

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
    not a re-computation. ``signals`` holds the matching priors (discipline, recency, activity,
    the best-matching work).

    ``words`` are the whole words of the query (dictionary words, not the pieces search-mode
    segmentation adds such as 机器 from 机器人 or 感器 from 传感器, nor single characters); None
    when unknown. ``terms`` keeps every contribution; ``matched_terms`` and ``matched_words``,
    the lists meant for display, keep the whole words only.
    """

    text_score: float
    terms: tuple[TermScore, ...]
    signals: dict[str, float]
    words: frozenset[str] | None = None

    def _shown(self, term: str) -> bool:
        return self.words is None or term in self.words

    @property
    def matched_terms(self) -> dict[str, list[str]]:
        """Field → whole words that matched there, highest contribution first."""
        by_field: dict[str, list[str]] = {}
        for term_score in sorted(self.terms, key=lambda item: -item.score):
            if self._shown(term_score.term):
                by_field.setdefault(term_score.field, []).append(term_score.term)
        return by_field

    @property
    def matched_words(self) -> list[str]:
        """The whole words of the query that matched in any field, highest total contribution
        first: what a page shows as "matched terms"."""
        totals: dict[str, float] = {}
        for term_score in self.terms:
            if self._shown(term_score.term):
                totals[term_score.term] = totals.get(term_score.term, 0.0) + term_score.score
        return [term for term, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))]

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
