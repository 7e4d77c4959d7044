"""Waiting work of the talent services (我的待办)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.core import todos
from kexie.talent import rules
from kexie.talent.enums import ReportState, SupportState
from kexie.talent.models import ProgressReport


@todos.register("talent.reports_to_file", label=_("Progress reports to file"))
def reports_to_file(user):
    if not getattr(user, "is_authenticated", False):
        return []
    soon = timezone.localdate() + timedelta(days=30)
    mine = ProgressReport.objects.filter(
        person__expert__user=user,
        person__state=SupportState.ACTIVE,
        state__in=(ReportState.DUE, ReportState.RETURNED),
        due_on__lte=soon,
    )
    n = mine.count()
    overdue = mine.filter(due_on__lt=timezone.localdate()).exists()
    return [
        todos.TodoItem(
            label=_("Progress reports to file"), count=n, url=reverse("talent:cohort_list"), urgent=overdue
        )
    ]


@todos.register("talent.reports_to_review", label=_("Progress reports to review"))
def reports_to_review(user):
    if not rules.can_manage_programme(user):
        return []
    n = ProgressReport.objects.filter(state=ReportState.SUBMITTED).count()
    return [todos.TodoItem(label=_("Progress reports to review"), count=n, url=reverse("talent:cohort_list"))]
