"""What the variance estimator needs to know about a calibration (raking) of the weights."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .coding import FloatArray, IndexArray


class Calibration:
    """The margin structure that calibrated weights were raked to.

    Raking to margins is calibration with the raking distance (Deville & Särndal 1992), so the
    variance of a calibrated estimator is, to first order, the variance of the weighted *residuals*
    of its linearised variable on the margin indicators (Särndal, Swensson & Wretman 1992,
    §6.6 and eq. 6.6.9; Lumley 2010, ch. 7): what the margins explain is fixed by the population
    targets and carries no sampling variance.

    Every margin indicator is constant within a *cell* (one combination of margin categories), so
    the regression is solved on the cell table rather than on respondents, and a residual is the
    respondent's value minus the fitted value of its cell.

    Like R's ``survey::calibrate`` the regression coefficients are weighted by the *base* (design)
    weights and the residuals are then multiplied by the calibrated weights, g_k d_k e_k.
    """

    def __init__(
        self,
        *,
        names: tuple[str, ...],
        levels: tuple[np.ndarray, ...],
        cell: IndexArray,
        cell_categories: NDArray[np.intp],
        base_weights: FloatArray,
    ) -> None:
        self.names = names
        self.levels = levels
        self.cell = cell
        self.cell_categories = cell_categories
        self.base_weights = base_weights
        self.n = int(cell.size)
        n_cells, n_margins = cell_categories.shape
        self.n_cells = int(n_cells)
        # Margin 0 keeps all its categories (they span the intercept); the others drop their
        # first, which would be collinear. A category empty in the sample leaves a zero column,
        # which the pseudo-inverse ignores.
        offsets = np.zeros(n_margins, dtype=np.intp)
        width = len(levels[0])
        for m in range(1, n_margins):
            offsets[m] = width - 1
            width += len(levels[m]) - 1
        columns = cell_categories + offsets
        keep = np.ones_like(columns, dtype=bool)
        keep[:, 1:] = cell_categories[:, 1:] > 0
        rows = np.broadcast_to(np.arange(n_cells)[:, None], columns.shape)
        self._x = sp.csr_matrix(
            (np.ones(int(keep.sum())), (rows[keep], columns[keep])), shape=(n_cells, width)
        )
        cell_weight = np.bincount(cell, weights=base_weights, minlength=n_cells)
        gram = (self._x.T @ self._x.multiply(cell_weight[:, None])).toarray()
        # rcond well above rounding noise of the Gram matrix, far below any real category share.
        self._gram_pinv = np.linalg.pinv(gram, rcond=1e-12, hermitian=True)

    def residuals(self, values: FloatArray) -> FloatArray:
        """``values`` minus their base-weighted least-squares fit on the margin indicators."""
        cell_sums = np.bincount(self.cell, weights=self.base_weights * values, minlength=self.n_cells)
        coefficients = self._gram_pinv @ (self._x.T @ cell_sums)
        fitted = self._x @ coefficients
        return values - fitted[self.cell]
