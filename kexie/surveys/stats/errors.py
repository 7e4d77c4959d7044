"""The one exception the survey statistics engine raises for bad input."""

from __future__ import annotations


class WeightingError(ValueError):
    """Input that cannot be weighted or estimated from, explained for the staff who supplied it.

    ``message`` is already translated (``gettext`` runs where the error is raised, so the active
    language of the request applies). ``code`` is a stable machine-readable reason; ``margin`` and
    ``category`` name the uploaded margin and category at fault, when there is one, so that a form
    can point at the offending row.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        margin: str | None = None,
        category: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.margin = margin
        self.category = category
