"""What the surveys pages share: fetching a survey in scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from kexie.surveys import rules
from kexie.surveys.models import Survey
from kexie.surveys.queries import access_survey


def visible_survey(request, pk: int) -> Survey:
    return access_survey(request.user, pk)


def managed_survey(request, pk: int) -> Survey:
    survey = visible_survey(request, pk)
    if not rules.can_manage_survey(request.user, survey):
        raise PermissionDenied
    return survey


def decorate_questions(questions, answers=None, errors=None) -> None:
    """Attach what the answer template needs: the current answer, errors, rating scale, matrix rows."""
    answers = answers or {}
    errors = errors or {}
    for q in questions:
        q.current = answers.get(q.pk)
        q.errors = errors.get(q.code, [])
        q.scale = list(range(q.scale_min, q.scale_max + 1))
        q.matrix_rows = [(n, row, (q.current or {}).get(row)) for n, row in enumerate(q.rows)]
