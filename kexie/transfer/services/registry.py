"""The registries: achievements, service teams, workstations and their annual evaluations."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization, User
from kexie.core.reference import districts
from kexie.core.services import record_event, snapshot
from kexie.experts.queries import experts_visible_to
from kexie.search.taxonomy import discipline_name, industry_name
from kexie.transfer import rules
from kexie.transfer.enums import SearchKind, WorkstationKind
from kexie.transfer.models import (
    Achievement,
    Evaluation,
    ServiceTeam,
    Workstation,
)
from kexie.transfer.services.indexing import reindex


@transaction.atomic
def create_achievement(*, by: User, **values) -> Achievement:
    if not rules.can_manage_registry(by):
        raise PermissionDenied
    if not (values.get("title") or "").strip():
        raise ValidationError({"title": _("The achievement needs a title.")})
    if values.get("district") and values["district"] not in districts():
        raise ValidationError({"district": _("Choose one of Chongqing's districts and counties.")})
    achievement = Achievement.objects.create(created_by=by, **values)
    record_event(
        achievement,
        "transfer.achievement.create",
        actor=by,
        after=snapshot(achievement, ["title", "kind", "maturity", "owner_name", "is_published"]),
    )
    reindex(SearchKind.ACHIEVEMENT, achievement.pk)
    return achievement


@transaction.atomic
def set_achievement_published(*, achievement: Achievement, published: bool, by: User) -> Achievement:
    if not rules.can_manage_registry(by):
        raise PermissionDenied
    before = snapshot(achievement, ["is_published"])
    Achievement.objects.filter(pk=achievement.pk).update(is_published=published)
    achievement.refresh_from_db()
    record_event(
        achievement,
        "transfer.achievement.publish",
        actor=by,
        before=before,
        after={"is_published": published},
    )
    reindex(SearchKind.ACHIEVEMENT, achievement.pk)
    return achievement


TEAM_FIELDS = [
    "name",
    "lead_organization",
    "description",
    "members",
    "districts",
    "disciplines",
    "industries",
]
WORKSTATION_FIELDS = ["kind", "name", "host_organization", "district", "members", "established_year"]


def _members(rows, *, by: User) -> list[dict]:
    """Members as stored: {"name", "role"?, "expertise"?, "expert_id"?}. A member linked to the
    expert library takes the expert's name; the others need a name. Rows are numbered from 1 in
    messages, as on the form."""
    rows = list(rows or [])
    wanted = {str(row.get("expert_id")) for row in rows if row.get("expert_id")}
    experts = {
        str(expert.pk): expert
        for expert in experts_visible_to(by).filter(pk__in=[int(i) for i in wanted if i.isdigit()])
    }
    members, errors = [], []
    for number, row in enumerate(rows, start=1):
        expert_id = str(row.get("expert_id") or "").strip()
        name = " ".join(str(row.get("name") or "").split())
        if expert_id:
            expert = experts.get(expert_id)
            if expert is None:
                errors.append(
                    _("Member %(row)s: no expert with the id %(id)s in the expert library.")
                    % {"row": number, "id": expert_id}
                )
                continue
            name = expert.name
        if not name:
            errors.append(_("Member %(row)s: enter a name or an expert id.") % {"row": number})
            continue
        member = {"name": name[:60]}
        for key in ("role", "expertise"):
            value = " ".join(str(row.get(key) or "").split())
            if value:
                member[key] = value[:100]
        if expert_id:
            member["expert_id"] = int(expert_id)
        members.append(member)
    if errors:
        raise ValidationError({"members": errors})
    return members


def _check_codes(values: dict) -> dict:
    errors = {}
    unknown = [code for code in values.get("disciplines") or [] if not discipline_name(code)]
    if unknown:
        errors["disciplines"] = _("Unknown discipline codes: %(codes)s.") % {"codes": "、".join(unknown)}
    unknown = [code for code in values.get("industries") or [] if not industry_name(code)]
    if unknown:
        errors["industries"] = _("Unknown industry codes: %(codes)s.") % {"codes": "、".join(unknown)}
    return errors


def _team_values(values: dict, *, team: ServiceTeam | None, by: User) -> dict:
    unexpected = set(values) - set(TEAM_FIELDS)
    if unexpected:
        raise ValueError(f"Not service team fields: {sorted(unexpected)}")
    errors = {}
    name = " ".join(str(values.get("name") or "").split())
    if not name:
        errors["name"] = _("The service team needs a name.")
    elif ServiceTeam.objects.filter(name=name).exclude(pk=getattr(team, "pk", None)).exists():
        errors["name"] = _("A service team with this name already exists.")
    if not isinstance(values.get("lead_organization"), Organization):
        errors["lead_organization"] = _("Choose the lead society or organization.")
    unknown = [code for code in values.get("districts") or [] if code not in districts()]
    if unknown:
        errors["districts"] = _("Unknown district codes: %(codes)s") % {"codes": ", ".join(unknown)}
    errors |= _check_codes(values)
    try:
        members = _members(values.get("members"), by=by)
    except ValidationError as exc:
        errors |= exc.message_dict
    if errors:
        raise ValidationError(errors)
    return {
        **values,
        "name": name,
        "description": (values.get("description") or "").strip(),
        "members": members,
        "districts": list(dict.fromkeys(values.get("districts") or [])),
        "disciplines": list(dict.fromkeys(values.get("disciplines") or [])),
        "industries": list(dict.fromkeys(values.get("industries") or [])),
    }


@transaction.atomic
def create_service_team(*, by: User, **values) -> ServiceTeam:
    if not rules.can_manage_registry(by):
        raise PermissionDenied
    team = ServiceTeam.objects.create(**_team_values(values, team=None, by=by))
    record_event(
        team,
        "transfer.team.create",
        actor=by,
        after=snapshot(team, ["name", "lead_organization", "districts"]),
    )
    reindex(SearchKind.TEAM, team.pk)
    return team


@transaction.atomic
def update_service_team(*, team: ServiceTeam, by: User, **values) -> ServiceTeam:
    if not rules.can_manage_registry(by):
        raise PermissionDenied
    team = ServiceTeam.objects.select_for_update().get(pk=team.pk)
    cleaned = _team_values(values, team=team, by=by)
    before = snapshot(team, TEAM_FIELDS)
    for name, value in cleaned.items():
        setattr(team, name, value)
    team.save(update_fields=list(cleaned))
    record_event(team, "transfer.team.update", actor=by, before=before, after=snapshot(team, TEAM_FIELDS))
    reindex(SearchKind.TEAM, team.pk)
    return team


def _workstation_values(values: dict, *, workstation: Workstation | None, by: User) -> dict:
    unexpected = set(values) - set(WORKSTATION_FIELDS)
    if unexpected:
        raise ValueError(f"Not workstation fields: {sorted(unexpected)}")
    errors = {}
    name = " ".join(str(values.get("name") or "").split())
    if not name:
        errors["name"] = _("The workstation needs a name.")
    elif Workstation.objects.filter(name=name).exclude(pk=getattr(workstation, "pk", None)).exists():
        errors["name"] = _("A workstation with this name already exists.")
    if values.get("kind") not in WorkstationKind.values:
        errors["kind"] = _("Choose the kind of workstation.")
    if not isinstance(values.get("host_organization"), Organization):
        errors["host_organization"] = _("Choose the host organization.")
    if values.get("district") not in districts():
        errors["district"] = _("Choose one of Chongqing's districts and counties.")
    year = values.get("established_year")
    if not isinstance(year, int) or not 1950 <= year <= timezone.localdate().year:
        errors["established_year"] = _("The established year is between 1950 and this year.")
    try:
        members = _members(values.get("members"), by=by)
    except ValidationError as exc:
        errors |= exc.message_dict
    if errors:
        raise ValidationError(errors)
    return {**values, "name": name, "members": members}


@transaction.atomic
def create_workstation(*, by: User, **values) -> Workstation:
    if not rules.can_manage_registry(by):
        raise PermissionDenied
    workstation = Workstation.objects.create(**_workstation_values(values, workstation=None, by=by))
    record_event(
        workstation,
        "transfer.workstation.create",
        actor=by,
        after=snapshot(workstation, ["name", "kind", "district"]),
    )
    return workstation


@transaction.atomic
def update_workstation(*, workstation: Workstation, by: User, **values) -> Workstation:
    if not rules.can_manage_registry(by):
        raise PermissionDenied
    workstation = Workstation.objects.select_for_update().get(pk=workstation.pk)
    cleaned = _workstation_values(values, workstation=workstation, by=by)
    before = snapshot(workstation, WORKSTATION_FIELDS)
    for name, value in cleaned.items():
        setattr(workstation, name, value)
    workstation.save(update_fields=list(cleaned))
    record_event(
        workstation,
        "transfer.workstation.update",
        actor=by,
        before=before,
        after=snapshot(workstation, WORKSTATION_FIELDS),
    )
    return workstation


@transaction.atomic
def record_evaluation(
    *, workstation: Workstation, year: int, score: Decimal, grade: str, comment: str = "", by: User
) -> Evaluation:
    if not rules.can_manage_registry(by):
        raise PermissionDenied
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({"score": _("The score is between 0 and 100.")})
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                workstation=workstation,
                year=year,
                score=score,
                grade=grade,
                comment=comment.strip(),
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            {"year": _("The workstation already has an evaluation for %(year)s.") % {"year": year}}
        ) from None
    record_event(
        evaluation,
        "transfer.evaluation.create",
        actor=by,
        after={"workstation": workstation.pk, "year": year, "score": str(score), "grade": grade},
    )
    return evaluation
