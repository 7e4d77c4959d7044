"""Literacy services: contestants."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization, User
from kexie.accounts.services import create_user
from kexie.core.services import record_event
from kexie.literacy.models import (
    Contestant,
)


@transaction.atomic
def register_citizen(
    *,
    username: str,
    password: str,
    full_name: str,
    district: Organization,
    organization: Organization | None = None,
) -> User:
    """Public registration: a plain account (no role in any organization: taking part in the contest
    makes nobody a volunteer or staff) and a contestant profile that says where the person lives."""
    if district.kind != OrganizationKind.DISTRICT_ASSOCIATION:
        raise ValidationError({"district": _("Choose a district or county.")})
    user, _password = create_user(
        username=username, full_name=full_name, password=password, must_change_password=False, public=True
    )
    contestant = Contestant.objects.create(user=user, district=district, organization=organization)
    record_event(contestant, "literacy.contestant.register", actor=user, organization_id=district.pk)
    return user


@transaction.atomic
def set_contestant_profile(
    *, user: User, district: Organization, organization: Organization | None = None
) -> Contestant:
    if district.kind != OrganizationKind.DISTRICT_ASSOCIATION:
        raise ValidationError({"district": _("Choose a district or county.")})
    contestant, created = Contestant.objects.update_or_create(
        user=user, defaults={"district": district, "organization": organization}
    )
    record_event(
        contestant,
        "literacy.contestant.profile",
        actor=user,
        organization_id=district.pk,
        after={"district": district.pk, "organization": organization.pk if organization else None},
    )
    return contestant


def district_of(user: User) -> Organization | None:
    contestant = Contestant.objects.filter(user=user).select_related("district").first()
    if contestant:
        return contestant.district
    membership = (
        user.memberships.filter(is_active=True, organization__kind=OrganizationKind.DISTRICT_ASSOCIATION)
        .select_related("organization")
        .first()
    )
    return membership.organization if membership else None
