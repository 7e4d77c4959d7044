"""Affinity between a submission and an expert: the search engine's match score (the expert library's
index, ``kexie.search.index.match``), normalised per submission to [0, 1], plus a term-overlap score
for experts the index did not return (so an empty or stale index still gives an order), plus a bonus
for a shared NSFC discipline. Each pair keeps the terms that matched, for the assignment report."""

from __future__ import annotations

import logging
import math
from collections import Counter

import numpy as np

from kexie.calls import schema as form_schema
from kexie.search.segment import tokens

log = logging.getLogger(__name__)

SEARCH_WEIGHT = 0.7
OVERLAP_WEIGHT = 0.3
DISCIPLINE_BONUS = 0.15


def submission_text(submission) -> str:
    parts = [submission.title]
    for field in form_schema.fields_of(submission.call.form_schema):
        if field["type"] in ("text", "longtext") and not field.get("private"):
            value = submission.data.get(field["key"])
            if value and field["key"] not in ("name", "sex", "birth_date", "mobile", "email"):
                parts.append(str(value))
    return "\n".join(parts)


def expert_text(expert) -> str:
    works = " ".join(w.title for w in expert.works.all()[:30])
    disciplines = " ".join(d.name for d in expert.disciplines.all())
    return " ".join([expert.research_areas or "", " ".join(expert.keywords or []), disciplines, works])


def _overlap(a: Counter, b: Counter) -> tuple[float, list[str]]:
    common = set(a) & set(b)
    if not common:
        return 0.0, []
    dot = sum(a[t] * b[t] for t in common)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    ranked = sorted(common, key=lambda t: -(a[t] * b[t]))
    return (dot / norm if norm else 0.0), ranked[:5]


def _search_scores(text: str, expert_ids: set[int], limit: int) -> dict[int, tuple[float, list[str]]]:
    from kexie.experts.enums import SearchKind
    from kexie.search import index as search

    try:
        results = search.match(text[:2000], kinds=[SearchKind.EXPERT], limit=min(max(limit, 1), 200))
    except Exception:  # noqa: BLE001 - a broken index must not stop an assignment; overlap remains
        log.warning("search match failed for assignment affinity", exc_info=True)
        return {}
    found = {}
    for hit in results.hits:
        try:
            pk = int(hit.id)
        except ValueError:
            continue
        if pk in expert_ids:
            terms = []
            if hit.explanation is not None:
                for field_terms in hit.explanation.matched_terms.values():
                    terms += [t for t in field_terms if t not in terms]
            found[pk] = (hit.score, terms[:5])
    return found


def affinity_matrix(submissions, experts, *, use_search: bool = True):
    """(matrix n×m in [0, 1+bonus], why[(i, j)] = short explanation)."""
    n, m = len(submissions), len(experts)
    matrix = np.zeros((n, m))
    why: dict[tuple[int, int], str] = {}
    expert_terms = [Counter(tokens(expert_text(e))) for e in experts]
    expert_disciplines = [{d.code for d in e.disciplines.all()} for e in experts]
    ids = {e.pk: j for j, e in enumerate(experts)}
    for i, submission in enumerate(submissions):
        text = submission_text(submission)
        terms = Counter(tokens(text))
        hits = _search_scores(text, set(ids), m) if use_search else {}
        top = max((score for score, _t in hits.values()), default=0.0)
        wanted = str(submission.data.get("discipline", "") or "")
        for j, expert in enumerate(experts):
            overlap, shared = _overlap(terms, expert_terms[j])
            value = OVERLAP_WEIGHT * overlap
            reasons = []
            if expert.pk in hits and top > 0:
                score, matched = hits[expert.pk]
                value += SEARCH_WEIGHT * score / top
                shared = matched or shared
            elif not hits:
                value = overlap
            if wanted and any(code.startswith(wanted[:3]) for code in expert_disciplines[j]):
                value += DISCIPLINE_BONUS
                reasons.append(f"学科 {wanted}")
            if shared:
                reasons.append("匹配词：" + "、".join(shared[:5]))
            matrix[i, j] = round(value, 6)
            why[(i, j)] = "；".join(reasons)
    return matrix, why
