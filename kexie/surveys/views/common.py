"""What the surveys pages share: fetching a survey in scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from kexie.surveys import rules
from kexie.surveys.models import Survey


def visible_survey(request, pk: int) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("organization"), pk=pk)
    if not rules.can_view_survey(request.user, survey):
        raise PermissionDenied
    return survey


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
