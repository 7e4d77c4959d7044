"""Enterprise self-registration."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.models import Organization, User
from kexie.accounts.services import add_membership, create_organization, create_user
from kexie.core.reference import districts
from kexie.core.services import record_event
from kexie.core.validators import is_valid_mobile


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
        username=username,
        full_name=full_name,
        mobile=mobile,
        password=password,
        must_change_password=False,
        public=True,
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
