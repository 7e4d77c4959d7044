"""Numbers formatted for people: no 5.64e-11, ± only when it says something, small samples flagged."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

# Below this many answers a rate is not published as a figure: it is flagged instead.
SMALL_SAMPLE = 30


def _as_float(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, InvalidOperation):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def human_number(value, digits: int = 2) -> str:
    """``digits`` decimals, no scientific notation; a tiny non-zero value reads as 0 (e.g. 5.64e-11 → 0.00);
    integers keep no decimals; thousands are grouped."""
    number = _as_float(value)
    if number is None:
        return "—" if value in (None, "") else str(value)
    try:
        digits = int(digits)
    except (TypeError, ValueError):
        digits = 2
    if abs(number) < 0.5 * 10 ** (-digits):
        number = 0.0
    if isinstance(value, int | Decimal) and number == int(number) and not isinstance(value, bool):
        return f"{int(number):,}"
    return f"{number:,.{digits}f}"


def meaningful_margin(margin, estimate=None, digits: int = 2) -> bool:
    """A ± or a confidence interval says something only when the margin shows at the printed precision."""
    number = _as_float(margin)
    return number is not None and abs(number) >= 0.5 * 10 ** (-digits)


def is_small_sample(n, threshold: int = SMALL_SAMPLE) -> bool:
    number = _as_float(n)
    return number is None or number < threshold


def weight_spread(weights) -> float | None:
    """Largest over smallest positive weight (None without two positive weights)."""
    positive = [w for w in (_as_float(x) for x in weights) if w is not None and w > 0]
    if len(positive) < 2:
        return None
    return max(positive) / min(positive)
