"""Every write of technology transfer: demands and their lifecycle, achievements, registries,
dockings and their outcomes, enterprise registration."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.models import Organization, User
from kexie.accounts.services import add_membership, create_organization, create_user
from kexie.core.reference import districts, industry_rows
from kexie.core.services import record_event, snapshot
from kexie.core.transitions import transition
from kexie.core.validators import is_valid_mobile
from kexie.experts.queries import experts_visible_to
from kexie.search.enums import DocumentKind
from kexie.search.tasks import update_search_index
from kexie.search.taxonomy import discipline_name, industry_name
from kexie.transfer import rules
from kexie.transfer.enums import PUBLIC_STATES, DemandState, Outcome, TargetKind, WorkstationKind
from kexie.transfer.models import (
    Achievement,
    Demand,
    Docking,
    DockingRecord,
    Evaluation,
    Industry,
    ServiceTeam,
    Workstation,
)

DEMAND_FIELDS = ["title", "description", "industry", "district", "budget", "deadline", "contact_name"]
STATE_FIELDS = ["state", "return_reason"]


def load_industries() -> int:
    """GB/T 4754-2017 from the seed file, when the table is empty (the data migration loads it; a
    flushed test database or a restored dump may not have it). Returns the rows created."""
    if Industry.objects.exists():
        return 0
    rows = [
        Industry(code=row.code, level=row.level, section=row.section, name=row.name)
        for row in industry_rows()
    ]
    Industry.objects.bulk_create(rows, ignore_conflicts=True)
    return Industry.objects.count()


def _reindex(kind: str, pk: int) -> None:
    transaction.on_commit(lambda: update_search_index(str(kind), [str(pk)]))


def _check_demand(values: dict) -> None:
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _("The demand needs a title.")
    if not (values.get("description") or "").strip():
        errors["description"] = _("Describe the technical problem.")
    if values.get("district") not in districts():
        errors["district"] = _("Choose one of Chongqing's districts and counties.")
    if not isinstance(values.get("industry"), Industry):
        errors["industry"] = _("Choose an industry.")
    if not (values.get("contact_name") or "").strip():
        errors["contact_name"] = _("Name the contact person.")
    if not is_valid_mobile(values.get("contact_mobile") or ""):
        errors["contact_mobile"] = _("Enter the contact's 11-digit mobile number.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_demand(*, enterprise: Organization, by: User, **values) -> Demand:
    """A new draft. Enterprise users create for their own enterprise, staff for any enterprise."""
    if enterprise.kind != OrganizationKind.ENTERPRISE:
        raise ValidationError({"enterprise": _("Demands are posted by enterprises.")})
    if not (enterprise.pk in rules.enterprise_ids(by) or rules.is_manager(by)):
        raise PermissionDenied
    _check_demand(values)
    demand = Demand.objects.create(
        enterprise=enterprise,
        created_by=by,
        title=values["title"].strip(),
        description=values["description"].strip(),
        industry=values["industry"],
        district=values["district"],
        budget=values["budget"],
        deadline=values.get("deadline"),
        contact_name=values["contact_name"].strip(),
        contact_mobile=values["contact_mobile"].strip(),
    )
    record_event(
        demand,
        "transfer.demand.create",
        actor=by,
        organization_id=enterprise.pk,
        after=snapshot(demand, DEMAND_FIELDS),
    )
    return demand


@transaction.atomic
def update_demand(*, demand: Demand, by: User, **values) -> Demand:
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if not rules.can_edit_demand(by, demand):
        raise PermissionDenied
    _check_demand(values)
    before = snapshot(demand, DEMAND_FIELDS)
    for field in [*DEMAND_FIELDS, "contact_mobile"]:
        value = values.get(field)
        setattr(demand, field, value.strip() if isinstance(value, str) else value)
    demand.save(update_fields=[*DEMAND_FIELDS, "contact_mobile", "updated_at"])
    record_event(
        demand, "transfer.demand.update", actor=by, before=before, after=snapshot(demand, DEMAND_FIELDS)
    )
    return demand


def _transition(demand: Demand, *, expected: tuple[str, ...], values: dict) -> Demand:
    """A conditional UPDATE, so that two concurrent transitions cannot both apply."""
    return transition(
        demand,
        expected=expected,
        values=values,
        message=_("The demand has changed in the meantime; reload the page and try again."),
    )


def _move(demand: Demand, *, allowed, expected, values: dict, action: str, by: User) -> Demand:
    demand = Demand.objects.get(pk=demand.pk)
    if not allowed(by, demand):
        raise PermissionDenied
    before = snapshot(demand, STATE_FIELDS)
    demand = _transition(demand, expected=expected, values=values)
    record_event(demand, action, actor=by, before=before, after=snapshot(demand, STATE_FIELDS))
    _reindex(DocumentKind.DEMAND, demand.pk)
    return demand


@transaction.atomic
def submit_demand(*, demand: Demand, by: User) -> Demand:
    return _move(
        demand,
        allowed=rules.can_submit_demand,
        expected=(DemandState.DRAFT,),
        values={"state": DemandState.SUBMITTED, "submitted_at": timezone.now(), "return_reason": ""},
        action="transfer.demand.submit",
        by=by,
    )


@transaction.atomic
def publish_demand(*, demand: Demand, by: User) -> Demand:
    return _move(
        demand,
        allowed=rules.can_review_demand,
        expected=(DemandState.SUBMITTED,),
        values={"state": DemandState.PUBLISHED, "published_at": timezone.now()},
        action="transfer.demand.publish",
        by=by,
    )


@transaction.atomic
def return_demand(*, demand: Demand, reason: str, by: User) -> Demand:
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the enterprise why the demand is returned.")})
    return _move(
        demand,
        allowed=rules.can_review_demand,
        expected=(DemandState.SUBMITTED,),
        values={"state": DemandState.DRAFT, "return_reason": reason.strip()},
        action="transfer.demand.return",
        by=by,
    )


@transaction.atomic
def close_demand(*, demand: Demand, by: User) -> Demand:
    return _move(
        demand,
        allowed=rules.can_close_demand,
        expected=tuple(PUBLIC_STATES),
        values={"state": DemandState.CLOSED, "closed_at": timezone.now()},
        action="transfer.demand.close",
        by=by,
    )


# --- dockings -----------------------------------------------------------------------------------------


@transaction.atomic
def create_docking(
    *, demand: Demand, target_kind: str, target_id: str, target_name: str, by: User
) -> Docking:
    """Follow up a match. The first docking moves a published demand into docking."""
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if not rules.can_create_docking(by, demand):
        raise PermissionDenied
    if target_kind not in TargetKind.values:
        raise ValidationError({"target_kind": _("Unknown kind of match.")})
    target_id, target_name = str(target_id).strip(), target_name.strip()
    if target_kind == TargetKind.ACHIEVEMENT:
        target = Achievement.objects.filter(pk=target_id).first() if target_id.isdigit() else None
        target_name = target.title if target else ""
    elif target_kind == TargetKind.TEAM:
        target = ServiceTeam.objects.filter(pk=target_id).first() if target_id.isdigit() else None
        target_name = target.name if target else ""
    if not target_id or not target_name:
        raise ValidationError({"target_id": _("The match no longer exists.")})
    if Docking.objects.filter(demand=demand, target_kind=target_kind, target_id=target_id).exists():
        raise ValidationError(_("A docking with this match already exists."))
    docking = Docking.objects.create(
        demand=demand,
        target_kind=target_kind,
        target_id=target_id,
        target_name=target_name[:200],
        created_by=by,
    )
    if demand.state == DemandState.PUBLISHED:
        _transition(demand, expected=(DemandState.PUBLISHED,), values={"state": DemandState.DOCKING})
        _reindex(DocumentKind.DEMAND, demand.pk)
    record_event(
        docking,
        "transfer.docking.create",
        actor=by,
        organization_id=demand.enterprise_id,
        after={"demand": demand.pk, "target_kind": target_kind, "target_id": target_id},
    )
    return docking


@transaction.atomic
def add_docking_record(*, docking: Docking, kind: str, on: date, note: str, by: User) -> DockingRecord:
    if not rules.can_update_docking(by, docking):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("Write what happened.")})
    record = DockingRecord.objects.create(
        docking=docking, kind=kind, date=on, note=note.strip(), created_by=by
    )
    record_event(
        record,
        "transfer.docking.record",
        actor=by,
        organization_id=docking.demand.enterprise_id,
        after={"docking": docking.pk, "kind": kind, "date": on.isoformat()},
    )
    return record


@transaction.atomic
def record_outcome(
    *,
    docking: Docking,
    outcome: str,
    by: User,
    amount: Decimal | None = None,
    signed_on: date | None = None,
    note: str = "",
) -> Docking:
    """No deal, or a signed contract (amount in 10,000 yuan and date), which moves the demand to signed."""
    docking = Docking.objects.select_for_update().select_related("demand").get(pk=docking.pk)
    if not rules.can_update_docking(by, docking):
        raise PermissionDenied
    if docking.outcome != Outcome.PENDING:
        raise ValidationError(_("The outcome of this docking is already recorded."))
    if outcome == Outcome.SIGNED:
        errors = {}
        if amount is None or amount <= 0:
            errors["amount"] = _("Enter the contract amount.")
        if signed_on is None:
            errors["signed_on"] = _("Enter the signing date.")
        if errors:
            raise ValidationError(errors)
    elif outcome == Outcome.NO_DEAL:
        amount, signed_on = None, None
    else:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    before = snapshot(docking, ["outcome", "contract_amount", "signed_on"])
    updated = Docking.objects.filter(pk=docking.pk, outcome=Outcome.PENDING).update(
        outcome=outcome,
        contract_amount=amount,
        signed_on=signed_on,
        outcome_note=note.strip(),
        updated_at=timezone.now(),
    )
    if updated == 0:
        raise ValidationError(_("The outcome of this docking is already recorded."))
    docking.refresh_from_db()
    if outcome == Outcome.SIGNED and docking.demand.state in (DemandState.PUBLISHED, DemandState.DOCKING):
        before_demand = snapshot(docking.demand, STATE_FIELDS)
        demand = _transition(
            docking.demand,
            expected=(DemandState.PUBLISHED, DemandState.DOCKING),
            values={"state": DemandState.SIGNED},
        )
        record_event(
            demand,
            "transfer.demand.sign",
            actor=by,
            before=before_demand,
            after=snapshot(demand, STATE_FIELDS),
        )
        _reindex(DocumentKind.DEMAND, demand.pk)
    record_event(
        docking,
        "transfer.docking.outcome",
        actor=by,
        organization_id=docking.demand.enterprise_id,
        before=before,
        after=snapshot(docking, ["outcome", "contract_amount", "signed_on"]),
    )
    return docking


# --- registries ---------------------------------------------------------------------------------------


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
    _reindex(DocumentKind.ACHIEVEMENT, achievement.pk)
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
    _reindex(DocumentKind.ACHIEVEMENT, achievement.pk)
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
    _reindex(DocumentKind.TEAM, team.pk)
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
    _reindex(DocumentKind.TEAM, team.pk)
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


# --- enterprise registration --------------------------------------------------------------------------


@transaction.atomic
def register_enterprise(
    *, username: str, password: str, full_name: str, mobile: str, enterprise_name: str, district: str
) -> tuple[User, Organization]:
    """A public sign-up: the enterprise, its first user with the enterprise role. Its demands still
    go through staff review before anyone else sees them."""
    if district not in districts():
        raise ValidationError({"district": _("Choose one of Chongqing's districts and counties.")})
    if not is_valid_mobile(mobile):
        raise ValidationError({"mobile": _("Enter an 11-digit mobile number.")})
    enterprise = create_organization(name=enterprise_name, kind=OrganizationKind.ENTERPRISE)
    user, _password = create_user(
        username=username, full_name=full_name, mobile=mobile, password=password, must_change_password=False
    )
    add_membership(user=user, organization=enterprise, role=Role.ENTERPRISE)
    record_event(
        enterprise,
        "transfer.enterprise.register",
        actor_name=username,
        organization_id=enterprise.pk,
        after={"enterprise": enterprise.name, "username": user.username, "district": district},
    )
    return user, enterprise
