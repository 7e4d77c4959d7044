from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from kexie.accounts import rules
from kexie.accounts.models import Organization
from kexie.accounts.queries import active_memberships, organizations_visible_to
from kexie.core.queries import audit_events

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    organization_id: int
    organization: str
    role: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    memberships: list[MembershipOut]


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    code: str | None
    parent_id: int | None = Field(None)


class AuditEventOut(Schema):
    seq: int
    created_at: datetime
    actor_name: str
    ip: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    success: bool
    hash: str


@router.get("/me", response=MeOut, summary="The signed-in user and their memberships")
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "memberships": [
            {"organization_id": m.organization_id, "organization": m.organization.name, "role": m.role}
            for m in active_memberships(user)
        ],
    }


@router.get("/organizations", response=list[OrganizationOut], summary="Organizations visible to the caller")
def list_organizations(request, kind: str | None = None):
    organizations = organizations_visible_to(request.user).order_by("sort_order", "name")
    if kind:
        organizations = organizations.filter(kind=kind)
    return organizations


@router.get("/organizations/{org_id}", response=OrganizationOut, summary="One organization, if visible")
def get_organization(request, org_id: int):
    organization = get_object_or_404(Organization, pk=org_id)
    if not rules.can_view_organization(request.user, organization):
        # Same answer as a missing one: the caller learns nothing about organizations outside its scope.
        raise HttpError(404, "Not Found")
    return organization


@router.get("/audit/events", response=list[AuditEventOut], summary="Latest audit events (auditors only)")
def list_audit_events(request, action: str = "", limit: int = 100):
    if not rules.can_view_audit(request.user):
        raise HttpError(403, "Forbidden")
    return list(audit_events(action=action)[: max(1, min(limit, 1000))])
