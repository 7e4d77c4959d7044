"""Possible duplicates in the expert library: one person entered twice.

A name listed under an organization and under a part of it (北京大学 and 北京大学哲学系), or under the
same organization twice (the form does not stop that; the import does), is probably one person.
Staff decide: merge the two profiles (services.merge_experts) or mark them as different people
(services.mark_distinct), after which the pair is no longer offered. Two namesakes at unrelated
organizations are never offered: nothing tells a move from a namesake.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max

from kexie.core import versioned
from kexie.experts.conflicts import normalise
from kexie.experts.models import DistinctPair, Expert

# A shorter organization counts as the other's parent from four characters on (南京大学, not 南京).
MIN_PARENT = 4


def same_organization(first: str, second: str) -> bool:
    """The same organization, or one a part of the other (its name begins with the other's),
    regardless of width, spaces and punctuation."""
    first, second = normalise(first), normalise(second)
    if not first or not second:
        return False
    shorter, longer = sorted((first, second), key=len)
    return longer == shorter or (len(shorter) >= MIN_PARENT and longer.startswith(shorter))


@dataclass(frozen=True)
class DuplicatePair:
    """Two profiles that are probably one person; ``first`` is the older (lower id)."""

    first: Expert
    second: Expert


# The pairs of the library as it last was: (fingerprint, pairs). 0.2-0.4 s to find at 54,000
# experts, so kept until an expert is added, changed or removed or a pair is marked (one aggregate
# query tells); off in the test suite, as kexie.core.versioned's caches are.
_kept: dict[str, tuple[tuple, list[tuple[int, int]]]] = {}


def _fingerprint() -> tuple:
    experts = Expert.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    marked = DistinctPair.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return (experts["n"], experts["last"], experts["top"], marked["n"], marked["top"])


def possible_duplicate_ids() -> list[tuple[int, int]]:
    """(lower id, higher id) of every pair not yet marked as different people, by name, then id.
    Reads four columns of the experts sharing a name, nothing more (the to-do count calls it)."""
    if versioned.DEFAULT_TIMEOUT == 0:
        return _find_pairs()
    fingerprint = _fingerprint()
    kept = _kept.get("pairs")
    if kept is not None and kept[0] == fingerprint:
        return list(kept[1])
    pairs = _find_pairs()
    _kept["pairs"] = (fingerprint, pairs)
    return list(pairs)


def _find_pairs() -> list[tuple[int, int]]:
    names = (
        Expert.objects.values("name").annotate(n=Count("pk")).filter(n__gt=1).values_list("name", flat=True)
    )
    rows = (
        Expert.objects.filter(name__in=names)
        .order_by("name", "pk")
        .values_list("pk", "name", "organization_name", "organization__name")
    )
    distinct = set(DistinctPair.objects.values_list("first_id", "second_id"))
    by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, name, organization_name, platform_name in rows:
        by_name[normalise(name)].append((pk, organization_name or platform_name or ""))
    pairs = []
    for group in by_name.values():
        for index, (first, first_org) in enumerate(group):
            for second, second_org in group[index + 1 :]:
                if (first, second) not in distinct and same_organization(first_org, second_org):
                    pairs.append((first, second))
    return pairs


def possible_duplicates(pairs: Sequence[tuple[int, int]] | None = None) -> list[DuplicatePair]:
    """``pairs`` (all of possible_duplicate_ids() when None) with the profiles a page shows."""
    pairs = possible_duplicate_ids() if pairs is None else pairs
    ids = {pk for pair in pairs for pk in pair}
    experts = Expert.objects.filter(pk__in=ids).select_related("organization").prefetch_related("disciplines")
    by_id = {expert.pk: expert for expert in experts}
    return [DuplicatePair(by_id[first], by_id[second]) for first, second in pairs]


def references_by_relation(expert: Expert) -> list[tuple[Any, int]]:
    """(reverse relation, count) of every record outside the expert library that points at
    ``expert`` through a foreign key, one-to-one or many-to-many."""
    found = []
    for relation in Expert._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        model = relation.related_model
        # The library's own records move with a merge; a many-to-many's link table is counted
        # through its model (ResearchBase.members), not as a table of its own.
        if model._meta.app_label == "experts" or model._meta.auto_created:
            continue
        count = model._default_manager.filter(**{relation.field.name: expert}).count()
        if count:
            found.append((relation, count))
    return found


def references(expert: Expert) -> list[tuple[str, int]]:
    """Records outside the expert library that point at ``expert`` (nominations, reviews, members
    of a research base …): (what, how many). A profile so referred to is not merged away — those
    records belong to their own modules, which the library does not rewrite."""
    return sorted(
        (str(relation.related_model._meta.verbose_name_plural), count)
        for relation, count in references_by_relation(expert)
    )
