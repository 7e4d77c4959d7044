"""Turning respondent-level arrays into validated numeric vectors and categorical codes."""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from numpy.typing import ArrayLike, NDArray

from .errors import WeightingError

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]

# Integer codes spanning at most this many values (or 4 per respondent) are recoded with one
# bincount, O(n), instead of a sort: strata, clusters and margin categories are small integers in
# practice, and a sort of a million codes costs more than the whole raking.
_DENSE_SPAN = 1 << 20


def as_vector(values: ArrayLike, *, variable: str, n: int | None = None) -> FloatArray:
    """A 1-D float64 copy-free view of ``values``, finite, of length ``n`` when given."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise WeightingError(
            _("The values of %(variable)s must be numbers.") % {"variable": variable},
            code="not_numeric",
        ) from None
    check_length(array, variable=variable, n=n)
    bad = ~np.isfinite(array)
    if bad.any():
        raise WeightingError(
            _("Respondent %(index)s has no valid value for %(variable)s.")
            % {"index": int(np.flatnonzero(bad)[0]) + 1, "variable": variable},
            code="missing_value",
        )
    return array


def as_weights(values: ArrayLike) -> FloatArray:
    """Respondent weights: finite, non-negative, not all zero."""
    weights = as_vector(values, variable="weights")
    if weights.size == 0:
        raise WeightingError(_("There are no respondents."), code="empty")
    negative = weights < 0
    if negative.any():
        index = int(np.flatnonzero(negative)[0])
        raise WeightingError(
            _("The weight of respondent %(index)s is negative (%(value)s).")
            % {"index": index + 1, "value": f"{weights[index]:g}"},
            code="negative_weight",
        )
    if not weights.sum() > 0:
        raise WeightingError(_("All weights are zero."), code="zero_weights")
    return weights


def check_length(array: np.ndarray, *, variable: str, n: int | None) -> None:
    if array.ndim != 1 or (n is not None and array.shape[0] != n):
        raise WeightingError(
            _("%(variable)s has %(count)s values, but there are %(expected)s respondents.")
            % {
                "variable": variable,
                "count": array.size,
                "expected": n if n is not None else array.size,
            },
            code="length_mismatch",
        )


def factorize(values: ArrayLike, *, variable: str, n: int | None = None) -> tuple[IndexArray, np.ndarray]:
    """Codes 0..k-1 for each respondent, and the k labels in sorted order.

    Missing values (``None``, NaN) are refused: a respondent without a stratum, cluster or margin
    category cannot be weighted, and silently dropping them would bias every estimate.
    """
    array = np.asarray(values)
    check_length(array, variable=variable, n=n)
    if array.dtype.kind in "iu" and array.size:
        lowest, highest = int(array.min()), int(array.max())
        span = highest - lowest + 1
        if span <= max(4 * array.size, _DENSE_SPAN):
            shifted = array.astype(np.intp, copy=False) - lowest
            present = np.bincount(shifted, minlength=span) > 0
            recode = np.cumsum(present, dtype=np.intp) - 1
            return recode[shifted], np.flatnonzero(present) + lowest
    if array.dtype.kind == "b":
        array = array.astype(np.int8)
        return factorize(array, variable=variable, n=n)
    missing = _missing_mask(array)
    if missing.any():
        raise WeightingError(
            _("Respondent %(index)s has no valid value for %(variable)s.")
            % {"index": int(np.flatnonzero(missing)[0]) + 1, "variable": variable},
            code="missing_value",
        )
    try:
        labels, codes = np.unique(array, return_inverse=True)
    except TypeError:
        # Mixed label types (e.g. 1 and "1" from a hand-made spreadsheet): keep first-seen order.
        mapping: dict[Hashable, int] = {}
        codes = np.fromiter((mapping.setdefault(v, len(mapping)) for v in array), np.intp, array.size)
        labels = np.empty(len(mapping), dtype=object)
        labels[:] = list(mapping)
    return codes.reshape(-1).astype(np.intp, copy=False), labels


def _missing_mask(array: np.ndarray) -> NDArray[np.bool_]:
    if array.dtype.kind == "f":
        return np.isnan(array)
    if array.dtype.kind == "O":
        return np.fromiter((_is_missing(v) for v in array), bool, array.size)
    return np.zeros(array.shape, dtype=bool)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def label(value: Any) -> str:
    """A category label as staff typed it: numpy scalars lose their dtype decoration."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
