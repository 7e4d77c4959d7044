"""Pure functions of the literacy module: paper assembly from a blueprint and scoring. No database."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Difficulty bands of a blueprint's mix: 1–2 easy, 3 medium, 4–5 hard.
BANDS = {"easy": (1, 2), "medium": (3,), "hard": (4, 5)}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PoolItem:
    id: int
    dimension: str
    difficulty: int


def largest_remainder(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split `total` whole items in proportion to `weights` (Hamilton's method; ties by key order)."""
    positive = {key: float(w) for key, w in weights.items() if float(w) > 0}
    if not positive:
        return dict.fromkeys(weights, 0)
    whole = sum(positive.values())
    exact = {key: total * w / whole for key, w in positive.items()}
    counts = {key: int(value) for key, value in exact.items()}
    short = total - sum(counts.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - counts[k]), list(positive).index(k)))[:short]:
        counts[key] += 1
    return {key: counts.get(key, 0) for key in weights}


def band_of(difficulty: int) -> str:
    for band, levels in BANDS.items():
        if difficulty in levels:
            return band
    return "medium"


def assemble(
    pool: Iterable[PoolItem],
    *,
    blueprint: Mapping[str, float],
    difficulty_mix: Mapping[str, float],
    item_count: int,
    seed: int,
) -> list[PoolItem]:
    """Draw `item_count` items: per dimension by its weight, within it by the difficulty mix; a band
    that runs short is filled from the dimension's other bands. The same pool and seed give the same
    paper. Raises ValidationError naming the dimension that has too few reviewed items."""
    if item_count < 1:
        raise ValidationError({"item_count": _("A paper needs at least one item.")})
    rng = random.Random(seed)  # noqa: S311 - a reproducible paper, not a secret
    by_dimension: dict[str, list[PoolItem]] = {}
    for item in sorted(pool, key=lambda i: i.id):
        by_dimension.setdefault(item.dimension, []).append(item)
    per_dimension = largest_remainder(item_count, blueprint)
    mix = {band: float(difficulty_mix.get(band, 0)) for band in BANDS}
    if not any(mix.values()):
        mix = dict.fromkeys(BANDS, 1.0)
    paper: list[PoolItem] = []
    for dimension, count in per_dimension.items():
        if count == 0:
            continue
        items = by_dimension.get(dimension, [])
        if len(items) < count:
            raise ValidationError(
                _("The dimension “%(dimension)s” has %(have)s reviewed items; the blueprint needs %(need)s.")
                % {"dimension": dimension, "have": len(items), "need": count}
            )
        chosen: list[PoolItem] = []
        for band, wanted in largest_remainder(count, mix).items():
            in_band = [i for i in items if band_of(i.difficulty) == band]
            chosen.extend(rng.sample(in_band, min(wanted, len(in_band))))
        if len(chosen) < count:
            rest = [i for i in items if i not in chosen]
            chosen.extend(rng.sample(rest, count - len(chosen)))
        paper.extend(chosen)
    rng.shuffle(paper)
    return paper


def item_points(
    paper: Sequence[PoolItem], *, blueprint: Mapping[str, float], points_per_item: Decimal | None
) -> list[Decimal]:
    """Points of each item: a fixed number each (benchmark rule), or each dimension's weight shared
    among its items, scaled so that the paper totals 100."""
    if points_per_item is not None:
        return [Decimal(points_per_item) for _item in paper]
    counts: dict[str, int] = {}
    for item in paper:
        counts[item.dimension] = counts.get(item.dimension, 0) + 1
    present = sum(Decimal(str(blueprint.get(d, 0))) for d in counts)
    if present <= 0:
        return [Decimal(100) / len(paper) for _item in paper]
    return [
        (Decimal(str(blueprint.get(item.dimension, 0))) * 100 / present / counts[item.dimension])
        for item in paper
    ]


def is_correct(choice: Iterable[int] | None, answer: Iterable[int]) -> bool:
    if choice is None:
        return False
    return sorted({int(c) for c in choice}) == sorted({int(a) for a in answer})


@dataclass(frozen=True)
class Result:
    score: Decimal
    correct: int
    tier: str
    literate: bool


def grade(*, score: Decimal, tiers: Sequence[Mapping], fail_label: str) -> tuple[str, bool]:
    for tier in sorted(tiers, key=lambda t: Decimal(str(t["min"])), reverse=True):
        if score >= Decimal(str(tier["min"])):
            return str(tier["label"]), bool(tier.get("literate", False))
    return fail_label, False


def score_paper(
    *,
    points: Sequence[Decimal],
    correct_flags: Sequence[bool],
    kind: str,
    tiers: Sequence[Mapping] = (),
    pass_share: Decimal | None = None,
    pass_label: str = "",
    fail_label: str = "",
) -> Result:
    """Score to 100 and place in a tier. `kind` "benchmark": pass at `pass_share` percent of the maximum."""
    total = sum(points, Decimal(0))
    earned = sum((p for p, ok in zip(points, correct_flags, strict=True) if ok), Decimal(0))
    score = (earned * 100 / total).quantize(CENT, ROUND_HALF_UP) if total else Decimal("0.00")
    correct = sum(1 for ok in correct_flags if ok)
    if kind == "benchmark":
        passed = score >= Decimal(pass_share or 0)
        return Result(
            score=score, correct=correct, tier=pass_label if passed else fail_label, literate=passed
        )
    label, literate = grade(score=score, tiers=tiers, fail_label=fail_label)
    return Result(score=score, correct=correct, tier=label, literate=literate)
