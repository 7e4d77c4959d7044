"""Typical cases (典型案例): written by the departments of a task, submitted, published."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization
from kexie.core.services import record_event
from kexie.policy import rules
from kexie.policy.enums import (
    CaseState,
)
from kexie.policy.models import (
    Task,
    TypicalCase,
)


@transaction.atomic
def write_case(*, task: Task, title: str, body: str, by, submit: bool = False) -> TypicalCase:
    if not rules.can_write_case(by, task):
        raise PermissionDenied
    if not title.strip() or not body.strip():
        raise ValidationError(_("A typical case needs a title and a text."))
    organization = (
        task.lead
        if rules.is_lead_member(by, task)
        else Organization.objects.get(
            pk=min(rules.department_ids(by) & set(task.cooperating.values_list("pk", flat=True)))
        )
    )
    case = TypicalCase.objects.create(
        task=task,
        organization=organization,
        title=title.strip()[:200],
        body=body.strip(),
        author=by,
        state=CaseState.SUBMITTED if submit else CaseState.DRAFT,
    )
    record_event(
        case,
        "policy.case.write",
        actor=by,
        organization_id=organization.pk,
        after={"title": case.title, "state": case.state},
    )
    return case


@transaction.atomic
def submit_case(*, case: TypicalCase, by) -> TypicalCase:
    if case.author_id != by.pk and not rules.can_write_case(by, case.task):
        raise PermissionDenied
    if TypicalCase.objects.filter(pk=case.pk, state=CaseState.DRAFT).update(state=CaseState.SUBMITTED) == 0:
        raise ValidationError(_("Only a draft case can be submitted."))
    case.refresh_from_db()
    record_event(case, "policy.case.submit", actor=by, organization_id=case.organization_id)
    return case


@transaction.atomic
def publish_case(*, case: TypicalCase, by) -> TypicalCase:
    if not rules.can_publish_case(by, case):
        raise PermissionDenied
    if (
        TypicalCase.objects.filter(pk=case.pk, state=CaseState.SUBMITTED).update(
            state=CaseState.PUBLISHED, published_by=by, published_at=timezone.now()
        )
        == 0
    ):
        raise ValidationError(_("Only a submitted case can be published."))
    case.refresh_from_db()
    record_event(case, "policy.case.publish", actor=by, organization_id=case.organization_id)
    return case
