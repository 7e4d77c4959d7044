from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kexie.literacy.scoring import (
    PoolItem,
    assemble,
    grade,
    is_correct,
    item_points,
    largest_remainder,
    score_paper,
)

TIERS = [
    {"min": 85, "label": "advanced", "literate": True},
    {"min": 70, "label": "literate", "literate": True},
    {"min": 55, "label": "basic", "literate": False},
]
BLUEPRINT = {"knowledge": 40, "method": 20, "spirit": 20, "application": 20}


def pool():
    return [
        PoolItem(id=d * 100 + n, dimension=dim, difficulty=1 + n % 5)
        for d, dim in enumerate(BLUEPRINT)
        for n in range(15)
    ]


def test_largest_remainder_sums_to_total():
    assert largest_remainder(20, BLUEPRINT) == {"knowledge": 8, "method": 4, "spirit": 4, "application": 4}
    assert largest_remainder(7, {"a": 1, "b": 1, "c": 1}) == {"a": 3, "b": 2, "c": 2}


def test_assemble_follows_dimension_weights_and_difficulty_mix():
    paper = assemble(
        pool(),
        blueprint=BLUEPRINT,
        difficulty_mix={"easy": 50, "medium": 25, "hard": 25},
        item_count=20,
        seed=7,
    )
    dims = [i.dimension for i in paper]
    assert {d: dims.count(d) for d in BLUEPRINT} == {
        "knowledge": 8,
        "method": 4,
        "spirit": 4,
        "application": 4,
    }
    knowledge = [i for i in paper if i.dimension == "knowledge"]
    assert sum(1 for i in knowledge if i.difficulty <= 2) == 4
    assert sum(1 for i in knowledge if i.difficulty == 3) == 2
    assert sum(1 for i in knowledge if i.difficulty >= 4) == 2
    assert len({i.id for i in paper}) == 20


def test_assemble_same_seed_same_paper_other_seed_other_paper():
    first = assemble(pool(), blueprint=BLUEPRINT, difficulty_mix={}, item_count=20, seed=1)
    assert first == assemble(
        list(reversed(pool())), blueprint=BLUEPRINT, difficulty_mix={}, item_count=20, seed=1
    )
    assert first != assemble(pool(), blueprint=BLUEPRINT, difficulty_mix={}, item_count=20, seed=2)


def test_assemble_short_band_filled_from_other_bands():
    items = [PoolItem(id=n, dimension="knowledge", difficulty=1) for n in range(5)]
    paper = assemble(items, blueprint={"knowledge": 1}, difficulty_mix={"hard": 100}, item_count=5, seed=3)
    assert sorted(i.id for i in paper) == [0, 1, 2, 3, 4]


def test_assemble_short_dimension_refused():
    with pytest.raises(ValidationError) as caught:
        assemble(pool(), blueprint=BLUEPRINT, difficulty_mix={}, item_count=100, seed=1)
    assert "knowledge" in caught.value.messages[0]


def test_item_points_graded_total_100_and_benchmark_fixed():
    paper = assemble(pool(), blueprint=BLUEPRINT, difficulty_mix={}, item_count=20, seed=1)
    points = item_points(paper, blueprint=BLUEPRINT, points_per_item=None)
    assert sum(points) == Decimal(100)
    assert {p for p, i in zip(points, paper, strict=True) if i.dimension == "knowledge"} == {Decimal(5)}
    assert item_points(paper, blueprint=BLUEPRINT, points_per_item=Decimal(2)) == [Decimal(2)] * 20


@pytest.mark.parametrize(
    ("correct", "label", "literate"),
    [
        (20, "advanced", True),
        (17, "advanced", True),
        (16, "literate", True),
        (14, "literate", True),
        (13, "basic", False),
        (11, "basic", False),
        (10, "low", False),
    ],
)
def test_score_paper_graded_tiers_at_thresholds(correct, label, literate):
    result = score_paper(
        points=[Decimal(5)] * 20,
        correct_flags=[True] * correct + [False] * (20 - correct),
        kind="graded",
        tiers=TIERS,
        fail_label="low",
    )
    assert (result.score, result.tier, result.literate, result.correct) == (
        Decimal(correct * 5),
        label,
        literate,
        correct,
    )


def test_score_paper_thresholds_are_data():
    tiers = [{"min": 90, "label": "strict", "literate": True}]
    result = score_paper(
        points=[Decimal(5)] * 20,
        correct_flags=[True] * 17 + [False] * 3,
        kind="graded",
        tiers=tiers,
        fail_label="no",
    )
    assert (result.score, result.tier, result.literate) == (Decimal(85), "no", False)


@pytest.mark.parametrize(("correct", "passed"), [(30, True), (29, False), (50, True), (0, False)])
def test_score_paper_benchmark_rule_60_percent(correct, passed):
    result = score_paper(
        points=[Decimal(2)] * 50,
        correct_flags=[True] * correct + [False] * (50 - correct),
        kind="benchmark",
        pass_share=Decimal(60),
        pass_label="pass",
        fail_label="fail",
    )
    assert (result.score, result.literate, result.tier) == (
        Decimal(correct * 2),
        passed,
        "pass" if passed else "fail",
    )


def test_is_correct_multiple_needs_exact_set():
    assert is_correct([2, 0], [0, 2]) is True
    assert is_correct([0], [0, 2]) is False
    assert is_correct([0, 1, 2], [0, 2]) is False
    assert is_correct(None, [0]) is False


def test_grade_below_all_tiers_gives_fail_label():
    assert grade(score=Decimal("54.99"), tiers=TIERS, fail_label="low") == ("low", False)
