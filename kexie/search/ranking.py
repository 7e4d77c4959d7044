"""Ranking for matching: "find the experts (achievements, teams) that can answer this text".

Plain BM25 compares words only. A demand says "秸秆还田对土壤有机碳的影响" and BM25 happily ranks a
historian whose book mentions 土壤 next to the soil scientist. Matching therefore re-scores the best
text matches with priors that a staff member would apply by hand, each a bounded bonus:

* field boosts: a hit in an expert's stated keywords or a work's title says more than one in a
  long biography;
* discipline prior: which disciplines the query's terms come from, learnt from the indexed
  profiles themselves (per term, how many profiles holding it sit in each discipline), so
  documents filed there gain. No hand-made term lists, and it follows the library as it grows;
* institution prior (available, not used by MATCHING: it pushed small institutions down): other
  strong matches at the same institution as evidence that it works on the topic;
* works, one by one: a profile's best-matching works scored on their own (document-centric);
* character pairs: how much of the query's Chinese character pairs a profile's text holds, which
  sees past the segmenter's mistakes (仪式感对 → 仪式 + 感对);
* recency: work within the last years counts as current, older work fades;
* activity: a profile backed by several works is better evidence than one built on one title.

Every bonus is a multiple of the query's own weight (the sum of its terms' IDF), so a prior weighs
the same against a two-word query as against a long demand text. Backends supply the counts and
the candidates; the arithmetic lives here so that every backend ranks alike.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kexie.search.segment import Segmenter
from kexie.search.taxonomy import discipline_level, industry_path

# BM25's constants, as tantivy uses them (k1, b).
K1 = 1.2
B = 0.75

SIGNAL_LABELS: dict[str, Promise] = {
    "discipline": _("Discipline prior"),
    "org": _("Institution prior"),
    "industry": _("Industry prior"),
    "recency": _("Recent work"),
    "activity": _("Number of works"),
    "works": _("Best-matching work"),
    "characters": _("Characters of the query in the profile"),
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
    # Field weights for one kind of document where they differ from ``field_boosts``: an expert's
    # title is their name, which must never match a topic (朱帮助 for 帮助).
    kind_field_boosts: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    # Weight of a query term by kind (see Segmenter.query_terms); a kind left out weighs 1. Zero
    # drops the term: a single character or a segmentation fragment should not decide a match.
    term_kind_weights: Mapping[str, float] = field(default_factory=dict)
    # Document-centric evidence (Balog's model 2): each of a profile's works (SearchDocument.works)
    # is scored on its own against the query with BM25, and the best ones, summed with weights
    # ``works_decay`` ** rank, add ``works`` × that score. A profile-centric score alone favours a
    # long profile that mentions every word once over the expert with one work on the subject.
    works: float = 0.0
    works_decay: float = 0.5
    works_top: int = 3
    # A title an expert holds twice (the same project filed twice, a book and the project it came
    # from) is one piece of evidence: with ``distinct_works`` it is scored once.
    distinct_works: bool = False
    # Character pairs: the share of the query's pairs of adjacent Chinese characters found in a
    # candidate's text (body and keywords: not the title, an expert's name), each pair weighted by
    # its IDF among the candidates, adds ``characters`` × the query weight × that share. It sees
    # past the segmenter: 仪式感对 is cut 仪式 + 感对, and a work on 仪式感 still shares 仪式 and 式感.
    characters: float = 0.0
    # Within one work, two different query terms at most ``proximity_window`` tokens apart (a
    # phrase of the query kept together in the title) add ``proximity`` × the smaller of their
    # weighted IDFs to that work's score, once per pair. Zero: no proximity bonus.
    proximity: float = 0.0
    proximity_window: int = 2
    # A query term held by more than ``common_share`` of the kind's documents weighs
    # ``common_weight`` times its weight (研究, 问题, 发展: learnt from the library, no list).
    common_share: float = 0.0
    common_weight: float = 1.0
    # Pseudo-relevance feedback: the works of the best ``feedback_docs`` text matches lend up to
    # ``feedback_terms`` of their common terms (held by at least ``feedback_min_docs`` of them) to
    # a second retrieval, each weighing ``feedback_weight`` × its share of those matches. A new
    # project rarely repeats an expert's old titles word for word; their neighbours' words find
    # them. Zero docs: one retrieval.
    feedback_docs: int = 0
    feedback_terms: int = 10
    feedback_min_docs: int = 2
    feedback_weight: float = 0.3
    # A term in more than this share of the library (研究, 问题) finds nothing in particular and
    # makes the second retrieval read long postings: never an expansion term.
    feedback_max_share: float = 0.01

    def boosts_for(self, kind: str) -> Mapping[str, float]:
        return self.kind_field_boosts.get(str(kind), self.field_boosts)

    def term_weight(self, term_kind: str) -> float:
        return self.term_kind_weights.get(term_kind, 1.0)

    @property
    def reranks(self) -> bool:
        return (
            bool(self.priors)
            or self.recency > 0
            or self.activity > 0
            or self.works > 0
            or self.characters > 0
        )


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

# Finding experts, achievements or teams for a demand or project text. Chosen on the development
# half of a time split of the National Social Science Fund PIs, run through the product's own path
# (expert services → index → search.match); the other half is the held-out check that
# bench/matching.py reports (docs/search.md has the figures and what lost).
MATCHING = RankingProfile(
    name="matching",
    field_boosts={"title": 1.5, "keywords": 2.0, "body": 1.0},
    # An expert's title is their name: never a topic.
    kind_field_boosts={"expert": {"title": 0.0, "keywords": 2.0, "body": 1.0}},
    # Single characters say nothing; pieces of a longer word count half. The HMM's guesses keep
    # their weight: half lost on the development split (消保法 is as often a real term as 感对 a
    # fragment); explanations still never show a two-character guess.
    term_kind_weights={"char": 0.0, "part": 0.5},
    priors=(
        # The query's disciplines, predicted from its terms. With the benchmark's experts filed
        # under their disciplines (seventh round): MRR +0.3 and recall@100 +1.2 points on the
        # development split; 0.25 loses 0.1 and 1 loses 0.4 points of MRR, and a second prior
        # from the candidates' own disciplines adds nothing.
        FacetPrior(field="discipline", weight=0.5, level_weights=(1.0, 0.5, 0.25)),
        # Same mechanism as disciplines; no benchmark data carries industries, so a lighter weight.
        FacetPrior(field="industry", weight=0.25, level_weights=(1.0, 0.5, 0.25, 0.125)),
        # No institution prior: it rewarded large institutions (other strong matches there) and
        # pushed small institutions' experts down.
    ),
    recency=0.2,
    activity=0.1,
    # The best work counts most (decay 0.3 rather than 0.5: MRR +0.16 points on the development
    # split with the damping below, recall@10 unchanged).
    works=0.5,
    works_decay=0.3,
    # A title held twice is scored once: recall@10 +0.26, MRR +0.11, recall@100 +0.4 points on
    # the development split (fifth round).
    distinct_works=True,
    # Words held by more than 2 % of the library's experts (研究, 问题, 发展, learnt from the index,
    # no list) weigh three quarters: MRR +0.45 points on the development split.
    common_share=0.02,
    common_weight=0.75,
    # Deeper than the page: the works score brings experts from below BM25's top 100 into it
    # (recall@100 +0.7 points on the development split). It costs: at a million profiles p95 went
    # from 30 to 42 ms (bench/matching.py --compare-latency), inside the 50 ms limit.
    rerank_depth=300,
    # The query's character pairs found in the profile, weighted by IDF among the candidates: MRR
    # +0.35 points and recall@100 +0.4 on the development split, recall@10 unchanged (0.3-0.7 a
    # plateau for MRR; above 0.3 recall@10 falls).
    characters=0.3,
)

# Matching for an enterprise's demand: the same, without the demand boilerplate. Not in MATCHING
# itself: a project title's 研究 or 问题 is part of its subject (the NSSFC benchmark lost 0.2 points
# of recall@10 with the list).
DEMAND_MATCHING = dataclasses.replace(MATCHING, name="demand", stop_terms=DEMAND_BOILERPLATE)

PROFILES = {profile.name: profile for profile in (PLAIN, RELEVANCE, MATCHING, DEMAND_MATCHING)}


@dataclass(frozen=True, slots=True)
class QueryTerms:
    """A query as a ranking profile weighs it: term → weight (occurrences × the weight of the
    term's kind), and the whole words of the query, which are what an explanation may show."""

    counts: dict[str, float]
    words: frozenset[str]


def analyze_query(segmenter: Segmenter, text: str, profile: RankingProfile) -> QueryTerms:
    """The query's terms, weighted by kind (``profile.term_kind_weights``). Both backends call
    this, so they search the same weighted terms. When the weights drop every term (a query of
    single characters such as 茶), they are kept at weight 1: a short query still finds something.
    """
    classified = segmenter.query_terms(text) if text.strip() else []
    counts: dict[str, float] = {}
    words: set[str] = set()
    for term, term_kind in classified:
        if term_kind == "word" or (term_kind == "guess" and len(term) >= 3):  # noqa: PLR2004
            words.add(term)
        weight = profile.term_weight(term_kind)
        if weight > 0:
            counts[term] = counts.get(term, 0.0) + weight
    if not counts:
        for term, _kind in classified:
            counts[term] = counts.get(term, 0.0) + 1.0
    return QueryTerms(counts=counts, words=frozenset(words))


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
    common_share: float = 0.0,
    common_weight: float = 1.0,
) -> dict[str, int]:
    """The ``limit`` terms with the highest tf·idf, without ``skip``; a term absent from the index
    cannot match. A term in more than ``common_share`` of the documents (when above 0) has its
    weight multiplied by ``common_weight``."""
    scored = [
        (count * idf(doc_freqs.get(term, 0), n_docs), term)
        for term, count in term_counts.items()
        if doc_freqs.get(term, 0) > 0 and term not in skip
    ]
    scored.sort(reverse=True)
    common = common_share * n_docs if common_share > 0 else math.inf
    return {
        term: term_counts[term] * (common_weight if doc_freqs[term] > common else 1.0)
        for _, term in scored[:limit]
    }


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
    # The profile's works, each as its segmented terms (for the document-centric score).
    works: tuple[tuple[str, ...], ...] = ()
    signals: dict[str, float] = field(default_factory=dict)
    # The stored document's id (for benchmarks that look at the candidates themselves).
    key: str = ""
    # The text the character pairs are looked for in (body and keywords).
    text: str = ""
    # Each signal's evidence per unit of query weight, before the profile's weights (what a
    # learnt model is trained on: tools/train_matching.py).
    features: dict[str, float] = field(default_factory=dict)

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
        candidate.features[prior.field] = bonus
        if bonus and prior.weight > 0:
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


def recency_unit(year: int | None, profile: RankingProfile) -> float:
    """1 within ``recency_window`` years of the reference year, then halving every
    ``recency_half_life`` years; no year, 0."""
    if year is None or year <= 0:
        return 0.0
    overdue = max(0, reference_year(profile) - year - profile.recency_window)
    return 0.5 ** (overdue / profile.recency_half_life)


def activity_unit(activity: int | None, profile: RankingProfile) -> float:
    """Grows with the log of the number of works, 1 from ``activity_saturation`` on."""
    if not activity or activity <= 0:
        return 0.0
    return min(1.0, math.log1p(activity) / math.log1p(profile.activity_saturation))


def recency_signal(year: int | None, profile: RankingProfile, weight: float) -> float:
    if profile.recency <= 0:
        return 0.0
    return profile.recency * weight * recency_unit(year, profile)


def activity_signal(activity: int | None, profile: RankingProfile, weight: float) -> float:
    if profile.activity <= 0:
        return 0.0
    return profile.activity * weight * activity_unit(activity, profile)


def feedback_terms(
    profile: RankingProfile,
    candidates: Sequence[Candidate],
    terms: Mapping[str, float],
    doc_freqs: Callable[[list[str]], Mapping[str, int]],
    n_docs: int,
) -> dict[str, float]:
    """Expansion terms from the works of the best text matches (in their first-pass order):
    term → weight. ``doc_freqs`` looks the candidates' document frequencies up in the index."""
    top = candidates[: profile.feedback_docs]
    if profile.feedback_docs <= 0 or not top:
        return {}
    held: dict[str, int] = {}
    for candidate in top:
        for term in {t for work in candidate.works for t in work}:
            if len(term) > 1 and term not in terms and term not in profile.stop_terms:
                held[term] = held.get(term, 0) + 1
    common = sorted(
        (term for term, n in held.items() if n >= profile.feedback_min_docs), key=lambda t: (-held[t], t)
    )[: 3 * profile.feedback_terms]
    if not common:
        return {}
    freqs = doc_freqs(common)
    scored = sorted(
        (
            (held[t] * idf(freqs.get(t, 0), n_docs), t)
            for t in common
            if 0 < freqs.get(t, 0) <= profile.feedback_max_share * n_docs
        ),
        key=lambda item: (-item[0], item[1]),
    )[: profile.feedback_terms]
    return {t: profile.feedback_weight * held[t] / len(top) for _, t in scored}


def work_score(
    work: Sequence[str],
    terms: Mapping[str, float],
    idfs: Mapping[str, float],
    avg: float,
    *,
    proximity: float = 0.0,
    window: int = 2,
) -> float:
    """BM25 of one work (its terms) for the weighted query terms, plus the proximity bonus of
    pairs of different query terms at most ``window`` tokens apart."""
    tf: dict[str, int] = {}
    positions: list[tuple[int, str]] = []
    for position, term in enumerate(work):
        if term in terms:
            tf[term] = tf.get(term, 0) + 1
            positions.append((position, term))
    if not tf:
        return 0.0
    norm = K1 * (1 - B + B * len(work) / avg)
    score = sum(terms[t] * idfs.get(t, 0.0) * n * (K1 + 1) / (n + norm) for t, n in tf.items())
    if proximity > 0 and len(tf) > 1:
        pairs: set[tuple[str, str]] = set()
        for i, (here, first) in enumerate(positions):
            for there, second in positions[i + 1 :]:
                if there - here > window:
                    break
                if first != second:
                    pairs.add((first, second) if first < second else (second, first))
        score += proximity * sum(
            min(terms[a] * idfs.get(a, 0.0), terms[b] * idfs.get(b, 0.0)) for a, b in sorted(pairs)
        )
    return score


def apply_works(
    profile: RankingProfile,
    candidates: Sequence[Candidate],
    terms: Mapping[str, float],
    idfs: Mapping[str, float],
) -> None:
    """Document-centric evidence: the best works of each candidate, scored each on its own.

    The average work length is the candidates' own: every backend sees the same candidates, so
    they agree, and no statistic has to be kept for works in the index. The best scores per unit
    of query weight are kept in ``Candidate.features`` ("work1", "work2", …).
    """
    if profile.works <= 0:
        return
    lengths = [len(work) for candidate in candidates for work in candidate.works]
    if not lengths:
        return
    avg = max(1.0, sum(lengths) / len(lengths))
    mass = sum(weight * idfs.get(term, 0.0) for term, weight in terms.items()) or 1.0
    for candidate in candidates:
        works = dict.fromkeys(candidate.works) if profile.distinct_works else candidate.works
        scores = sorted(
            (
                work_score(
                    work, terms, idfs, avg, proximity=profile.proximity, window=profile.proximity_window
                )
                for work in works
            ),
            reverse=True,
        )
        for rank in range(profile.works_top):
            candidate.features[f"work{rank + 1}"] = scores[rank] / mass if rank < len(scores) else 0.0
        total = sum(
            score * profile.works_decay**rank
            for rank, score in enumerate(scores[: profile.works_top])
            if score
        )
        if total > 0:
            candidate.signals["works"] = profile.works * total


def character_pairs(text: str, skip: frozenset[str] = frozenset()) -> set[str]:
    """Pairs of adjacent Chinese characters of ``text`` (not across punctuation, Latin or digits),
    leaving out the words of ``skip`` (a demand's boilerplate)."""
    for term in skip:
        text = text.replace(term, " ")
    pairs = set()
    previous = ""
    for char in text:
        if "\u4e00" <= char <= "\u9fff":
            if previous:
                pairs.add(previous + char)
            previous = char
        else:
            previous = ""
    return pairs


def apply_characters(
    profile: RankingProfile, candidates: Sequence[Candidate], text: str, weight: float
) -> None:
    """The share of the query's character pairs each candidate's text holds, each pair weighted by
    its IDF among the candidates (a pair every candidate holds says nothing); kept per candidate
    in ``Candidate.features["characters"]``."""
    pairs = character_pairs(text, profile.stop_terms)
    if not pairs or not candidates:
        return
    held = [{pair for pair in pairs if pair in candidate.text} for candidate in candidates]
    n = len(candidates)
    df: dict[str, int] = {}
    for found in held:
        for pair in found:
            df[pair] = df.get(pair, 0) + 1
    pair_idf = {pair: idf(df.get(pair, 0), n) for pair in pairs}
    mass = sum(pair_idf.values())
    if mass <= 0:
        return
    for candidate, found in zip(candidates, held, strict=True):
        share = sum(pair_idf[pair] for pair in found) / mass
        candidate.features["characters"] = share
        if profile.characters > 0 and share > 0:
            candidate.signals["characters"] = profile.characters * weight * share


def rerank(
    profile: RankingProfile,
    candidates: list[Candidate],
    weight: float,
    term_predictions: Mapping[str, Sequence[tuple[str, float]]],
    *,
    terms: Mapping[str, float] | None = None,
    idfs: Mapping[str, float] | None = None,
    text: str = "",
) -> dict[str, list[tuple[str, float]]]:
    """Add every signal to the candidates and sort them; returns the predictions for display.

    ``term_predictions`` holds, per "terms" prior field, what predict_from_terms() gave; ``text``
    is the query's text (for the character pairs).
    """
    if profile.reference_year is None:
        # The clock read once per query, not twice per candidate (6 % of the re-scoring's time).
        profile = dataclasses.replace(profile, reference_year=reference_year(profile))
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
        candidate.features["text"] = candidate.text_score / weight if weight > 0 else 0.0
        candidate.features["recency"] = recency_unit(candidate.year, profile)
        candidate.features["activity"] = activity_unit(candidate.activity, profile)
        recency = recency_signal(candidate.year, profile, weight)
        if recency:
            candidate.signals["recency"] = recency
        activity = activity_signal(candidate.activity, profile, weight)
        if activity:
            candidate.signals["activity"] = activity
    if terms is not None and idfs is not None:
        apply_works(profile, candidates, terms, idfs)
    if text and profile.characters > 0:
        apply_characters(profile, candidates, text, weight)
    candidates.sort(key=lambda candidate: -candidate.score)
    return predictions
