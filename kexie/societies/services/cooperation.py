"""Alliances (联合体) with their member organizations, and 会地合作 / 会企协作 projects with outcomes."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kexie.accounts.models import User
from kexie.core.reference import districts
from kexie.core.services import record_event, snapshot
from kexie.societies import rules
from kexie.societies.countries import COUNTRIES
from kexie.societies.enums import AllianceKind, CooperationKind, CooperationState
from kexie.societies.models import Alliance, AllianceMember, CooperationProject, Society
from kexie.societies.services.common import require


def _member_rows(members) -> list[dict]:
    rows, seen = [], set()
    for number, row in enumerate(members or [], start=1):
        name = str(row.get("name", "")).strip()
        country = str(row.get("country", "") or "CN").strip().upper()
        if not name:
            raise ValidationError(
                {"members": _("Member row %(n)s needs the organization's name.") % {"n": number}}
            )
        if country != "CN" and country not in COUNTRIES:
            raise ValidationError(
                {"members": _("Member row %(n)s: unknown country or region.") % {"n": number}}
            )
        if name in seen:
            raise ValidationError(
                {"members": _("Member row %(n)s repeats %(name)s.") % {"n": number, "name": name}}
            )
        seen.add(name)
        rows.append({"name": name, "country": country, "role": str(row.get("role", "")).strip()})
    return rows


@transaction.atomic
def create_alliance(
    *,
    by: User,
    name: str,
    kind: str,
    established_on,
    lead_society: Society | None = None,
    description: str = "",
    members=(),
) -> Alliance:
    require(rules.is_manager(by) or rules.keeps(by, lead_society))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("The alliance needs a name.")})
    if kind not in AllianceKind.values:
        raise ValidationError({"kind": _("Choose a kind of alliance.")})
    if Alliance.objects.filter(name=name).exists():
        raise ValidationError({"name": _("An alliance named “%(name)s” already exists.") % {"name": name}})
    rows = _member_rows(members)
    alliance = Alliance.objects.create(
        name=name,
        kind=kind,
        lead_society=lead_society,
        established_on=established_on,
        description=description,
        created_by=by,
        updated_by=by,
    )
    AllianceMember.objects.bulk_create(AllianceMember(alliance=alliance, **row) for row in rows)
    record_event(
        alliance,
        "societies.alliance.create",
        actor=by,
        after={"name": name, "kind": kind, "members": len(rows)},
    )
    return alliance


@transaction.atomic
def add_alliance_member(
    *, alliance: Alliance, by: User, name: str, country: str = "CN", role: str = ""
) -> AllianceMember:
    require(rules.is_manager(by) or rules.keeps(by, alliance.lead_society))
    (row,) = _member_rows([{"name": name, "country": country, "role": role}])
    if alliance.members.filter(name=row["name"]).exists():
        raise ValidationError({"name": _("%(name)s is already a member.") % {"name": row["name"]}})
    member = AllianceMember.objects.create(alliance=alliance, **row)
    record_event(alliance, "societies.alliance.add_member", actor=by, after=row)
    return member


@transaction.atomic
def record_project(
    *, by: User, kind: str, society: Society, title: str, signed_on, district: str = "", partner: str = ""
) -> CooperationProject:
    require(rules.is_manager(by) or rules.keeps(by, society))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("The project needs a title.")})
    if kind == CooperationKind.DISTRICT and district not in districts():
        raise ValidationError(
            {"district": _("A society–district project names one of Chongqing's districts.")}
        )
    if kind == CooperationKind.ENTERPRISE and not (partner or "").strip():
        raise ValidationError({"partner": _("A society–enterprise project names the enterprise.")})
    if kind not in CooperationKind.values:
        raise ValidationError({"kind": _("Choose a kind of project.")})
    project = CooperationProject.objects.create(
        kind=kind,
        society=society,
        title=title,
        signed_on=signed_on,
        district=district or "",
        partner=(partner or "").strip(),
        created_by=by,
        updated_by=by,
    )
    record_event(
        project,
        "societies.project.create",
        actor=by,
        after=snapshot(project, ["kind", "society", "title", "district", "partner", "signed_on"]),
        organization_id=society.organization_id,
    )
    return project


@transaction.atomic
def update_project_outcome(
    *,
    project: CooperationProject,
    by: User,
    state: str,
    outcomes: int,
    value: Decimal,
    outcome_note: str = "",
) -> CooperationProject:
    require(rules.is_manager(by) or rules.keeps(by, project.society))
    if state not in CooperationState.values:
        raise ValidationError({"state": _("Choose a state.")})
    if outcomes < 0 or value < 0:
        raise ValidationError({"outcomes": _("Outcomes and value cannot be negative.")})
    if state == CooperationState.COMPLETED and not (outcome_note or "").strip():
        raise ValidationError({"outcome_note": _("A completed project describes its outcome.")})
    fields = ["state", "outcomes", "value", "outcome_note"]
    before = snapshot(project, fields)
    CooperationProject.objects.filter(pk=project.pk).update(
        state=state, outcomes=outcomes, value=value, outcome_note=outcome_note.strip(), updated_by=by
    )
    project.refresh_from_db()
    record_event(
        project,
        "societies.project.outcome",
        actor=by,
        before=before,
        after=snapshot(project, fields),
        organization_id=project.society.organization_id,
    )
    return project
