"""Notice import: a parsed draft, its edits, and confirming it into sections, measures, targets
and one task per measure."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.services import record_event, snapshot
from kexie.policy import rules
from kexie.policy.enums import (
    NoticeState,
    TaskSource,
)
from kexie.policy.models import (
    Measure,
    MeasureDepartment,
    Notice,
    Section,
    Target,
    Task,
)
from kexie.policy.notices.parser import ParsedNotice, parse_notice
from kexie.policy.services.tasks import TASK_FIELDS

_NORMALISE = re.compile(r"^(重庆市|重庆|市)")


def _key(name: str) -> str:
    return _NORMALISE.sub("", name.strip())


def match_organizations(names: list[str]) -> dict[str, Organization | None]:
    """Map unit names as a notice writes them to organizations: exact name, short name or alias, then
    the same without a leading 重庆市/市. Unmatched names map to None; they are never dropped.

    An enterprise registers itself, so its own name proves nothing: it is matched only through an
    alias staff remembered when they mapped a unit to it, never by its name or a similar one."""
    index: dict[str, Organization] = {}
    loose: dict[str, Organization] = {}
    for org in Organization.objects.filter(is_active=True):
        if org.kind == OrganizationKind.ENTERPRISE:
            for name in org.aliases:
                index.setdefault(name, org)
            continue
        for name in [org.name, org.short_name, *org.aliases]:
            if name:
                index.setdefault(name, org)
                loose.setdefault(_key(name), org)
    return {name: index.get(name) or loose.get(_key(name)) for name in names}


def draft_unit_names(draft: dict) -> list[str]:
    names: list[str] = []
    for section in draft.get("sections", []):
        for measure in section.get("measures", []):
            for name in measure.get("departments", []):
                if name not in names:
                    names.append(name)
    return names


@transaction.atomic
def create_notice_draft(
    *, text: str, source_name: str = "", by, parsed: ParsedNotice | None = None
) -> Notice:
    """Parse `text` (unless the caller parsed it already: `parsed`) and keep the result as an editable
    draft. Raises NoticeParseError with a message for the user when no measure is recognised; nothing
    is saved then."""
    if not rules.can_import_notice(by):
        raise PermissionDenied
    parsed = parsed or parse_notice(text)
    draft = parsed.to_dict()
    notice = Notice.objects.create(
        doc_number=draft.get("doc_number") or "",
        issuer=draft.get("issuer") or "",
        date=parsed.date,
        title=draft.get("title") or source_name or _("Untitled notice"),
        recipients=draft.get("recipients") or [],
        source_text=text,
        source_name=source_name[:200],
        draft=draft,
        created_by=by,
    )
    record_event(
        notice,
        "policy.notice.draft",
        actor=by,
        after={
            "doc_number": notice.doc_number,
            "measures": sum(len(s["measures"]) for s in draft["sections"]),
        },
    )
    return notice


@transaction.atomic
def update_notice_draft(*, notice: Notice, draft: dict, by) -> Notice:
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.state != NoticeState.DRAFT:
        raise ValidationError(_("Only a draft notice can be edited."))
    if not rules.can_import_notice(by):
        raise PermissionDenied
    notice.draft = draft
    notice.doc_number = draft.get("doc_number") or ""
    notice.issuer = draft.get("issuer") or ""
    notice.title = draft.get("title") or notice.title
    notice.recipients = draft.get("recipients") or []
    notice.date = date.fromisoformat(draft["date"]) if draft.get("date") else None
    notice.save(update_fields=["draft", "doc_number", "issuer", "title", "recipients", "date"])
    record_event(notice, "policy.notice.edit_draft", actor=by)
    return notice


@transaction.atomic
def confirm_notice(
    *, notice: Notice, mapping: dict[str, Organization], by, due_date: date | None = None
) -> Notice:
    """Turn the draft into sections, measures, targets and one task per measure (lead = the lead unit,
    cooperating = the others). Every unit name in the draft must be mapped to an organization."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if not rules.can_import_notice(by):
        raise PermissionDenied
    if notice.state != NoticeState.DRAFT:
        raise ValidationError(_("This notice has already been confirmed."))
    draft = notice.draft
    unmapped = [name for name in draft_unit_names(draft) if mapping.get(name) is None]
    if unmapped:
        raise ValidationError(
            _("Map these units to organizations before confirming: %(names)s")
            % {"names": "、".join(unmapped)}
        )
    if (
        notice.doc_number
        and Notice.objects.filter(doc_number=notice.doc_number, state=NoticeState.CONFIRMED).exists()
    ):
        raise ValidationError(
            _("A notice numbered %(number)s is already in the ledger.") % {"number": notice.doc_number}
        )
    measures_by_number: dict[int, Measure] = {}
    for section_index, section_data in enumerate(draft.get("sections", []), start=1):
        section = Section.objects.create(
            notice=notice,
            number=section_data.get("number") or section_index,
            title=(section_data.get("title") or "")[:200],
        )
        for measure_data in section_data.get("measures", []):
            measure = Measure.objects.create(
                notice=notice,
                section=section,
                number=measure_data["number"],
                title=(measure_data.get("title") or "")[:300],
                text=measure_data.get("text") or "",
                clause_start=measure_data.get("start") or 0,
                clause_end=measure_data.get("end") or 0,
            )
            measures_by_number[measure.number] = measure
            names = measure_data.get("departments", [])
            lead_name = measure_data.get("lead") or (names[0] if names else None)
            seen: set[int] = set()
            for order, name in enumerate(names):
                org = mapping[name]
                if org.pk in seen:
                    continue
                seen.add(org.pk)
                MeasureDepartment.objects.create(
                    measure=measure, organization=org, is_lead=name == lead_name, order=order
                )
            if lead_name:
                lead = mapping[lead_name]
                task = Task.objects.create(
                    measure=measure,
                    title=measure.title,
                    source=TaskSource.NOTICE,
                    source_ref=f"{notice.doc_number} {measure.number}".strip(),
                    lead=lead,
                    due_date=due_date,
                    created_by=by,
                )
                task.cooperating.set([mapping[n] for n in names if mapping[n].pk != lead.pk])
                record_event(task, "policy.task.create", actor=by, after=snapshot(task, TASK_FIELDS))
    for target_data in draft.get("targets", []):
        measure = measures_by_number.get(target_data.get("measure"))
        if measure is None:
            continue
        Target.objects.create(
            measure=measure,
            year=target_data.get("year"),
            metric=(target_data.get("metric") or "")[:200],
            comparator=target_data.get("comparator") or ">=",
            value=Decimal(str(target_data.get("value"))),
            unit=(target_data.get("unit") or "")[:20],
        )
    notice.state = NoticeState.CONFIRMED
    notice.confirmed_by = by
    notice.confirmed_at = timezone.now()
    notice.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    record_event(
        notice,
        "policy.notice.confirm",
        actor=by,
        after={"measures": len(measures_by_number), "doc_number": notice.doc_number},
    )
    return notice
