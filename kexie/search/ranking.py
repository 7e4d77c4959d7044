"""Ranking for matching: "find the experts (achievements, teams) that can answer this text".

Plain BM25 compares words only. A demand says "秸秆还田对土壤有机碳的影响" and BM25 happily ranks a
historian whose book mentions 土壤 next to the soil scientist. Matching therefore re-scores the best
text matches with priors that a staff member would apply by hand, each a bounded bonus:

* field boosts: a hit in an expert's stated keywords or a work's title says more than one in a
  long biography;
* discipline prior: which disciplines the query's terms come from, learnt from the indexed
  profiles themselves (per term, how many profiles holding it sit in each discipline), so
  documents filed there gain. No hand-made term lists, and it follows the library as it grows;
* institution prior: other strong matches at the same institution are evidence that the
  institution works on the topic (a colleague's profile does not count for oneself);
* recency: work within the last years counts as current, older work fades;
* activity: a profile backed by several works is better evidence than one built on one title.

Every bonus is a multiple of the query's own weight (the sum of its terms' IDF), so a prior weighs
the same against a two-word query as against a long demand text. Backends supply the counts and
the candidates; the arithmetic lives here so that every backend ranks alike.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kexie.search.taxonomy import discipline_level, industry_path

SIGNAL_LABELS: dict[str, Promise] = {
    "discipline": _("Discipline prior"),
    "org": _("Institution prior"),
    "industry": _("Industry prior"),
    "recency": _("Recent work"),
    "activity": _("Number of works"),
}


@dataclass(frozen=True, slots=True)
class FacetPrior:
    """A bonus for documents filed under the facet values the query points to.

    ``field`` is a facet field ("discipline", "industry", "org"). ``source`` says where the
    distribution over its values comes from:

    * "terms": per query term, how many indexed documents holding it carry each value — a model
      of the whole library, read from the index at query time (one aggregation per term). Right
      for trees with a few thousand codes.
    * "results": the values of the best text matches, weighted by their scores, leaving each
      candidate's own vote out. Right for fields with many values (institutions), where reading
      per-term counts over a million documents would cost more than the whole query.

    For trees each level gets its own weight (``level_weights``, top level first): the top level is
    the surest guess. Values below ``min_probability`` get nothing, so a weak guess reorders nothing.
    """

    field: str
    weight: float
    source: Literal["terms", "results"] = "terms"
    level_weights: tuple[float, ...] = (1.0,)
    min_probability: float = 0.05
    # "terms": at most this many values per level earn a bonus ("results" rewards every value
    # above min_probability: it only ever looks at the candidates' own values).
    max_values: int = 5
    # "terms": holds back mass from a term seen in only a handful of documents.
    smoothing: float = 5.0
    # "terms": values read per term, plenty for the few that can pass min_probability.
    buckets: int = 200
    # "terms": a term in more than this share of documents (研究, 问题) says next to nothing about
    # the field and is the most expensive to count, so it gets no vote — unless it is in fewer
    # than ``min_term_cap`` documents, where counting is cheap and a small library needs every vote.
    max_term_share: float = 0.05
    min_term_cap: int = 50
    # "results": votes are score ** sharpness, so the best matches speak loudest.
    sharpness: float = 2.0


@dataclass(frozen=True, slots=True)
class RankingProfile:
    """How hits are ordered. Prior weights are multiples of the query weight (sum of term IDF)."""

    name: str
    field_boosts: Mapping[str, float] = field(
        default_factory=lambda: {"title": 1.0, "keywords": 1.0, "body": 1.0}
    )
    priors: tuple[FacetPrior, ...] = ()
    recency: float = 0.0
    # Work within the window counts as current; older work fades by half every half-life. A window
    # rather than a pure decay: a researcher between two projects is no less of an expert.
    recency_window: int = 8
    recency_half_life: float = 3.0
    activity: float = 0.0
    # Works beyond this count add nothing more: a prolific profile is not endlessly more relevant.
    activity_saturation: int = 8
    # Year that counts as "now" for recency; None means the current year. Benchmarks pin it.
    reference_year: int | None = None
    # The best text matches that the priors re-score. The text decides who gets that far: a prior
    # reorders plausible answers, it never pulls in a document that shares no word with the query.
    rerank_depth: int = 100
    # Long query texts (a whole demand) keep their most informative terms only.
    max_query_terms: int = 32
    # Words of the query that say nothing about its subject and are left out of it.
    stop_terms: frozenset[str] = frozenset()

    @property
    def reranks(self) -> bool:
        return bool(self.priors) or self.recency > 0 or self.activity > 0


# Plain BM25 over all text fields: the benchmark's baseline.
PLAIN = RankingProfile(name="plain")

# A search box over documents: field boosts, no priors.
RELEVANCE = RankingProfile(name="relevance", field_boosts={"title": 2.0, "keywords": 2.0, "body": 1.0})

# What every enterprise demand says and no expert's subject is: the company form, the city, the wish
# to cooperate with universities. Common enough to match half the library (重庆 is in most
# institution names), and staff reading "matched terms: 有限公司、重庆、合作" learn nothing.
DEMAND_BOILERPLATE = frozenset(
    {
        "重庆", "重庆市", "有限公司", "有限", "公司", "股份", "集团", "企业", "我司", "本公司",
        "希望", "寻求", "需要", "需求", "合作", "高校", "科研院所", "院所", "科研", "专家", "团队",
        "解决方案", "方案", "解决", "形成", "可产业化", "产业化", "提供", "开展", "进行", "相关",
        "问题", "项目", "研究", "技术", "个月", "一年", "两年", "以上", "能够", "实现",
    }
)  # fmt: skip

# Finding experts, achievements or teams for a demand or project text. Weights were chosen on two
# development splits of the National Social Science Fund profiles (cut-offs 2008 and 2011, queries
# from the three years after), where every signal helped on both; the 2014 cut-off and the CSL
# papers are the held-out check reported by bench/matching.py. A heavier institution prior (8)
# won on one split and lost on the other, so the lighter one stays.
MATCHING = RankingProfile(
    name="matching",
    field_boosts={"title": 1.5, "keywords": 2.0, "body": 1.0},
    priors=(
        FacetPrior(field="discipline", weight=0.5, level_weights=(1.0, 0.5, 0.25)),
        # Same mechanism as disciplines; no benchmark data carries industries, so a lighter weight.
        FacetPrior(field="industry", weight=0.25, level_weights=(1.0, 0.5, 0.25, 0.125)),
        FacetPrior(field="org", weight=2.0, source="results", min_probability=0.01),
    ),
    recency=0.2,
    activity=0.1,
)

# Matching for an enterprise's demand: the same, without the demand boilerplate. Not in MATCHING
# itself: a project title's 研究 or 问题 is part of its subject (the NSSFC benchmark lost 0.2 points
# of recall@10 with the list).
DEMAND_MATCHING = dataclasses.replace(MATCHING, name="demand", stop_terms=DEMAND_BOILERPLATE)

PROFILES = {profile.name: profile for profile in (PLAIN, RELEVANCE, MATCHING, DEMAND_MATCHING)}


def level_of(field_name: str, value: str) -> int:
    if field_name == "discipline":
        return discipline_level(value)
    if field_name == "industry":
        return len(industry_path(value))
    return 1


def idf(doc_freq: int, n_docs: int) -> float:
    """BM25's IDF, as tantivy computes it."""
    return math.log(1.0 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def select_terms(
    term_counts: Mapping[str, int],
    doc_freqs: Mapping[str, int],
    n_docs: int,
    limit: int,
    *,
    skip: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """The ``limit`` terms with the highest tf·idf, without ``skip``; a term absent from the index
    cannot match."""
    scored = [
        (count * idf(doc_freqs.get(term, 0), n_docs), term)
        for term, count in term_counts.items()
        if doc_freqs.get(term, 0) > 0 and term not in skip
    ]
    scored.sort(reverse=True)
    return {term: term_counts[term] for _, term in scored[:limit]}


def query_weight(term_counts: Mapping[str, int], doc_freqs: Mapping[str, int], n_docs: int) -> float:
    return sum(count * idf(doc_freqs.get(term, 0), n_docs) for term, count in term_counts.items())


@dataclass(frozen=True, slots=True)
class FacetCounts:
    """Per query term: documents holding it, and per facet value the documents holding it there
    (top values only) — ``{term: (n(t), {value: n(t, value)})}``, read by the backend."""

    by_term: Mapping[str, tuple[int, Mapping[str, int]]]


def predict_from_terms(
    prior: FacetPrior, counts: FacetCounts, term_weights: Mapping[str, float], top: int = 10
) -> list[tuple[str, float]]:
    """P(value | query) per level of the facet, most likely first within each level.

    Each term votes with P(v | t) = n(t, v) / (n(t) + μ), weighted by its IDF. A mixture rather
    than naive Bayes on purpose: search-mode segmentation emits overlapping terms (人工, 智能,
    人工智能) that naive Bayes would count as independent evidence and turn overconfident. The mass
    μ holds back means "no idea", so a level's probabilities sum to less than one when the evidence
    is thin. No base rates are needed, so nothing is counted over the whole index per query.
    """
    usable = {
        term: weight
        for term, weight in term_weights.items()
        if weight > 0 and counts.by_term.get(term, (0, {}))[0] > 0
    }
    weight_sum = sum(usable.values())
    if weight_sum == 0:
        return []
    scores: dict[str, float] = {}
    for term, weight in usable.items():
        n_term, per_value = counts.by_term[term]
        share = weight / ((n_term + prior.smoothing) * weight_sum)
        for value, n in per_value.items():
            scores[value] = scores.get(value, 0.0) + share * n
    levels: dict[int, list[tuple[str, float]]] = {}
    for value, score in scores.items():
        levels.setdefault(level_of(prior.field, value), []).append((value, score))
    result: list[tuple[str, float]] = []
    for level in sorted(levels):
        result.extend(sorted(levels[level], key=lambda item: (-item[1], item[0]))[:top])
    return result


@dataclass(slots=True)
class Candidate:
    """A text match being re-scored: its text score, facet values, year and activity."""

    text_score: float
    values: Mapping[str, set[str]]
    year: int | None = None
    activity: int = 0
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return self.text_score + sum(self.signals.values())


def _eligible(prior: FacetPrior, predicted: Sequence[tuple[str, float]]) -> dict[str, float]:
    """Values that earn a bonus: above the threshold, at most ``max_values`` per level."""
    eligible: dict[str, float] = {}
    per_level: dict[int, int] = {}
    for value, probability in predicted:
        level = level_of(prior.field, value)
        if level > len(prior.level_weights) or probability < prior.min_probability:
            continue
        if per_level.get(level, 0) >= prior.max_values:
            continue
        per_level[level] = per_level.get(level, 0) + 1
        eligible[value] = prior.level_weights[level - 1] * probability
    return eligible


def apply_term_prior(
    prior: FacetPrior, predicted: Sequence[tuple[str, float]], candidates: Sequence[Candidate], weight: float
) -> None:
    eligible = _eligible(prior, predicted)
    for candidate in candidates:
        bonus = sum(eligible.get(value, 0.0) for value in candidate.values.get(prior.field, ()))
        if bonus:
            candidate.signals[prior.field] = prior.weight * weight * bonus


def predict_from_results(
    prior: FacetPrior, candidates: Sequence[Candidate], top: int = 10
) -> list[tuple[str, float]]:
    """The distribution the candidates vote for (everyone's vote counted), for display."""
    votes: dict[str, float] = {}
    total = 0.0
    for candidate in candidates:
        vote = max(candidate.text_score, 0.0) ** prior.sharpness
        total += vote
        for value in candidate.values.get(prior.field, ()):
            votes[value] = votes.get(value, 0.0) + vote
    if total == 0:
        return []
    ranked = sorted(
        ((value, vote / total) for value, vote in votes.items()), key=lambda item: (-item[1], item[0])
    )
    return ranked[:top]


def apply_results_prior(prior: FacetPrior, candidates: Sequence[Candidate], weight: float) -> None:
    """Bonus from the *other* candidates' votes for a candidate's values (leave-one-out), so a
    lone strong match cannot boost itself through its own institution."""
    votes: dict[str, float] = {}
    own: list[float] = []
    total = 0.0
    for candidate in candidates:
        vote = max(candidate.text_score, 0.0) ** prior.sharpness
        own.append(vote)
        total += vote
        for value in candidate.values.get(prior.field, ()):
            votes[value] = votes.get(value, 0.0) + vote
    for candidate, vote in zip(candidates, own, strict=True):
        rest = total - vote
        if rest <= 0:
            continue
        predicted = [(value, (votes[value] - vote) / rest) for value in candidate.values.get(prior.field, ())]
        bonus = sum(
            prior.level_weights[min(level_of(prior.field, value), len(prior.level_weights)) - 1] * probability
            for value, probability in predicted
            if probability >= prior.min_probability
        )
        if bonus:
            candidate.signals[prior.field] = prior.weight * weight * bonus


def reference_year(profile: RankingProfile) -> int:
    return profile.reference_year if profile.reference_year is not None else timezone.now().year


def recency_signal(year: int | None, profile: RankingProfile, weight: float) -> float:
    """Full bonus within ``recency_window`` years of the reference year, then halving every
    ``recency_half_life`` years; no year, no bonus."""
    if profile.recency <= 0 or year is None or year <= 0:
        return 0.0
    overdue = max(0, reference_year(profile) - year - profile.recency_window)
    return profile.recency * weight * 0.5 ** (overdue / profile.recency_half_life)


def activity_signal(activity: int | None, profile: RankingProfile, weight: float) -> float:
    if profile.activity <= 0 or not activity or activity <= 0:
        return 0.0
    saturation = math.log1p(profile.activity_saturation)
    return profile.activity * weight * min(1.0, math.log1p(activity) / saturation)


def rerank(
    profile: RankingProfile,
    candidates: list[Candidate],
    weight: float,
    term_predictions: Mapping[str, Sequence[tuple[str, float]]],
) -> dict[str, list[tuple[str, float]]]:
    """Add every signal to the candidates and sort them; returns the predictions for display.

    ``term_predictions`` holds, per "terms" prior field, what predict_from_terms() gave.
    """
    predictions: dict[str, list[tuple[str, float]]] = {}
    for prior in profile.priors:
        if prior.source == "terms":
            predicted = list(term_predictions.get(prior.field, ()))
            apply_term_prior(prior, predicted, candidates, weight)
        else:
            predicted = predict_from_results(prior, candidates)
            apply_results_prior(prior, candidates, weight)
        if predicted:
            predictions[prior.field] = predicted
    for candidate in candidates:
        recency = recency_signal(candidate.year, profile, weight)
        if recency:
            candidate.signals["recency"] = recency
        activity = activity_signal(candidate.activity, profile, weight)
        if activity:
            candidate.signals["activity"] = activity
    candidates.sort(key=lambda candidate: -candidate.score)
    return predictions
