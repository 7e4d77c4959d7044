"""Technical demands: drafts, review (submit, publish, return) and closing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization, User
from kexie.core.reference import districts
from kexie.core.services import record_event, record_personal_data_view, snapshot
from kexie.core.transitions import transition
from kexie.core.validators import is_valid_mobile
from kexie.transfer import notifications as notices
from kexie.transfer import rules
from kexie.transfer.enums import PUBLIC_STATES, DemandState, SearchKind
from kexie.transfer.models import (
    Demand,
    Industry,
)
from kexie.transfer.services.indexing import reindex

DEMAND_FIELDS = ["title", "description", "industry", "district", "budget", "deadline", "contact_name"]
STATE_FIELDS = ["state", "return_reason"]


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
    if not (enterprise.pk in rules.enterprise_ids(by) or rules.is_demand_manager(by)):
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


def transition_demand(demand: Demand, *, expected: tuple[str, ...], values: dict) -> Demand:
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
    demand = transition_demand(demand, expected=expected, values=values)
    record_event(demand, action, actor=by, before=before, after=snapshot(demand, STATE_FIELDS))
    reindex(SearchKind.DEMAND, demand.pk)
    return demand


@transaction.atomic
def submit_demand(*, demand: Demand, by: User) -> Demand:
    demand = _move(
        demand,
        allowed=rules.can_submit_demand,
        expected=(DemandState.DRAFT,),
        values={"state": DemandState.SUBMITTED, "submitted_at": timezone.now(), "return_reason": ""},
        action="transfer.demand.submit",
        by=by,
    )
    notices.demand_submitted(demand)
    return demand


@transaction.atomic
def publish_demand(*, demand: Demand, by: User) -> Demand:
    demand = _move(
        demand,
        allowed=rules.can_review_demand,
        expected=(DemandState.SUBMITTED,),
        values={"state": DemandState.PUBLISHED, "published_at": timezone.now()},
        action="transfer.demand.publish",
        by=by,
    )
    notices.demand_published(demand)
    return demand


@transaction.atomic
def return_demand(*, demand: Demand, reason: str, by: User) -> Demand:
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the enterprise why the demand is returned.")})
    demand = _move(
        demand,
        allowed=rules.can_review_demand,
        expected=(DemandState.SUBMITTED,),
        values={"state": DemandState.DRAFT, "return_reason": reason.strip()},
        action="transfer.demand.return",
        by=by,
    )
    notices.demand_returned(demand)
    return demand


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


def shown_contact_mobile(demand: Demand, user) -> str:
    """The contact mobile as `user` may see it: unmasked for the owner and the reviewer (audited when
    it is not the owner), masked for everyone else."""
    if rules.is_owner(user, demand):
        return demand.contact_mobile
    if rules.can_see_contact(user, demand):
        record_personal_data_view(demand, actor=user, fields=["contact_mobile"])
        return demand.contact_mobile
    return demand.masked_mobile
