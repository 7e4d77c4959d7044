"""Every write on organizations, users, memberships, second factors and API tokens."""

from __future__ import annotations

import secrets
import string
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from kexie.accounts import rules
from kexie.accounts.enums import PRIVILEGED_ROLES, OrganizationKind, Role, TokenScope
from kexie.accounts.models import ApiToken, Membership, Organization, User
from kexie.core import reference
from kexie.core.crypto import sm3_hex
from kexie.core.services import record_event, snapshot

ROOT_NAME = "重庆市科学技术协会"

# The departments and units the notice names as responsible (责任部室), plus the media centre its
# closing paragraph names. Kinds follow the association's structure.
NOTICE_UNITS: list[tuple[str, str, OrganizationKind, list[str]]] = [
    ("科学技术创新部", "科创部", OrganizationKind.DEPARTMENT, []),
    ("国际合作部", "国际部", OrganizationKind.DEPARTMENT, []),
    ("宣传文化部", "宣传部", OrganizationKind.DEPARTMENT, []),
    ("科技社团党委办公室", "社团党委办", OrganizationKind.DEPARTMENT, []),
    ("科学技术普及部", "科普部", OrganizationKind.DEPARTMENT, []),
    ("组织人事部", "组织部", OrganizationKind.DEPARTMENT, []),
    ("战略发展部", "战略部", OrganizationKind.DEPARTMENT, []),
    ("市反邪教协会办公室", "反邪教协会办", OrganizationKind.DEPARTMENT, ["重庆市反邪教协会办公室"]),
    ("院士工作服务中心", "院士中心", OrganizationKind.AFFILIATED_UNIT, ["重庆市院士工作服务中心"]),
    ("市科协科技服务中心", "科技服务中心", OrganizationKind.AFFILIATED_UNIT, ["重庆市科协科技服务中心"]),
    ("重庆科技报", "科技报", OrganizationKind.AFFILIATED_UNIT, ["重庆科技报社"]),
    ("重庆科技馆", "科技馆", OrganizationKind.AFFILIATED_UNIT, ["重庆科学技术馆"]),
    ("重庆科技融媒体中心", "融媒体中心", OrganizationKind.AFFILIATED_UNIT, []),
    ("重庆市科学技术期刊编辑学会", "期刊编辑学会", OrganizationKind.SOCIETY, ["科学技术期刊编辑学会"]),
]

# Recipients of the notice that are not among the 38 divisions.
DEVELOPMENT_ZONES = [
    ("两江新区科技创新局", "两江新区"),
    ("西部科学城重庆高新区科协", "重庆高新区科协"),
    ("万盛经开区科协", "万盛经开区科协"),
]


def _set_path(org: Organization) -> None:
    org.path = f"{org.parent.path if org.parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])


@transaction.atomic
def create_organization(
    *,
    name: str,
    kind: str,
    parent: Organization | None = None,
    short_name: str = "",
    code: str | None = None,
    aliases: list[str] | None = None,
    sort_order: int = 0,
    by=None,
) -> Organization:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("The organization needs a name.")})
    if Organization.objects.filter(name=name).exists():
        raise ValidationError(
            {"name": _("An organization named “%(name)s” already exists.") % {"name": name}}
        )
    if code and Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Division code %(code)s is already used.") % {"code": code}})
    org = Organization.objects.create(
        name=name,
        kind=kind,
        parent=parent,
        short_name=short_name.strip(),
        code=code or None,
        aliases=aliases or [],
        sort_order=sort_order,
    )
    _set_path(org)
    record_event(
        org,
        "accounts.organization.create",
        actor=by,
        actor_name="system",
        after=snapshot(org, ["name", "kind", "parent", "code"]),
        organization_id=org.pk,
    )
    return org


@transaction.atomic
def update_organization(*, organization: Organization, by, **changes) -> Organization:
    allowed = {"name", "short_name", "kind", "aliases", "sort_order", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    before = snapshot(org, sorted(changes))
    for field, value in changes.items():
        setattr(org, field, value)
    org.full_clean(exclude=["path", "parent", "code"])
    org.save(update_fields=sorted(changes))
    record_event(
        org,
        "accounts.organization.update",
        actor=by,
        before=before,
        after=snapshot(org, sorted(changes)),
        organization_id=org.pk,
    )
    return org


def load_seed_organizations(*, by=None) -> dict[str, int]:
    """Create the association, the units the notice names and the 38 district associations.

    Idempotent: organizations that exist (by name) are left as they are, so it can run on every
    deployment and after staff have edited names' aliases or order.
    """
    created = {"root": 0, "units": 0, "districts": 0, "zones": 0}
    with transaction.atomic():
        root = Organization.objects.filter(name=ROOT_NAME).first()
        if root is None:
            root = create_organization(
                name=ROOT_NAME,
                short_name="市科协",
                kind=OrganizationKind.ASSOCIATION,
                aliases=["市科协", "重庆市科协"],
                by=by,
            )
            created["root"] += 1
        for order, (name, short, kind, aliases) in enumerate(NOTICE_UNITS, start=1):
            if not Organization.objects.filter(name=name).exists():
                create_organization(
                    name=name,
                    short_name=short,
                    kind=kind,
                    parent=root,
                    aliases=aliases,
                    sort_order=order,
                    by=by,
                )
                created["units"] += 1
        for order, (code, district) in enumerate(reference.districts().items(), start=100):
            name = f"{district}科学技术协会"
            if not Organization.objects.filter(name=name).exists():
                create_organization(
                    name=name,
                    short_name=f"{district}科协",
                    kind=OrganizationKind.DISTRICT_ASSOCIATION,
                    parent=root,
                    code=code,
                    aliases=[f"{district}科协"],
                    sort_order=order,
                    by=by,
                )
                created["districts"] += 1
        for order, (name, short) in enumerate(DEVELOPMENT_ZONES, start=200):
            if not Organization.objects.filter(name=name).exists():
                create_organization(
                    name=name,
                    short_name=short,
                    kind=OrganizationKind.DEVELOPMENT_ZONE,
                    parent=root,
                    sort_order=order,
                    by=by,
                )
                created["zones"] += 1
    return created


# Names a self-registration may not take (they look like the platform's own accounts).
RESERVED_USERNAMES = frozenset(
    {"admin", "administrator", "root", "system", "secadmin", "security", "auditor", "audit", "kexie"}
)


def generate_password(length: int = 14) -> str:
    """A random password that satisfies the configured rules (all four character classes)."""
    alphabet = string.ascii_letters + string.digits + "!@#$%^&*-_"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
            and any(not c.isalnum() for c in candidate)
        ):
            return candidate


@transaction.atomic
def create_user(
    *,
    username: str,
    full_name: str = "",
    email: str = "",
    mobile: str = "",
    password: str | None = None,
    must_change_password: bool = True,
    by=None,
    public: bool = False,
) -> tuple[User, str]:
    """Create an account; returns the user and the initial password (generated when none is given),
    which the administrator hands over once. ``public``: a self-registration, which learns only that
    the name is not available (taken and reserved names alike), never that an account exists."""
    username = username.strip()
    if public and (
        username.lower() in RESERVED_USERNAMES or User.objects.filter(username__iexact=username).exists()
    ):
        raise ValidationError({"username": _("This user name is not available. Please choose another.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The user name “%(name)s” is taken.") % {"name": username}})
    initial = password or generate_password()
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        mobile=mobile.strip(),
        must_change_password=must_change_password,
    )
    validate_password(initial, user)
    user.set_password(initial)
    user.save()
    record_event(
        user,
        "accounts.user.create",
        actor=by,
        actor_name="system",
        after=snapshot(user, ["username", "full_name", "email", "is_active"]),
    )
    return user, initial


def _check_grant(*, by, target: User, role: str) -> None:
    """三员分立 on every grant and removal made by a person (``by=None``: seeding and the demo)."""
    if by is None:
        return
    if not rules.can_grant_role(by, target, role):
        raise PermissionDenied(
            _(
                "You cannot grant or remove this role: nobody changes their own roles, and the system "
                "administrator, security administrator and auditor roles need a security administrator."
            )
        )


def _check_account_action(*, by, target: User) -> None:
    if by is None:
        return
    if not rules.can_act_on_account(by, target):
        raise PermissionDenied(
            _(
                "You cannot do this on this account: not on your own, and the accounts of the system "
                "administrator, security administrator and auditor need a security administrator."
            )
        )


@transaction.atomic
def add_membership(*, user: User, organization: Organization, role: str, by=None) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    _check_grant(by=by, target=user, role=role)
    if role in PRIVILEGED_ROLES:
        # Lock the user's row: two concurrent grants cannot give one account two separated roles.
        User.objects.select_for_update().filter(pk=user.pk).first()
        held = rules.privileged_roles_of(user) - {role}
        if held:
            raise ValidationError(
                {
                    "role": _(
                        "%(user)s already holds the role “%(held)s”: the system administrator, security "
                        "administrator and auditor must be three different people."
                    )
                    % {"user": user.username, "held": Role(sorted(held)[0]).label}
                }
            )
    membership, created = Membership.objects.get_or_create(user=user, organization=organization, role=role)
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    record_event(
        membership,
        "accounts.membership.add",
        actor=by,
        actor_name="system",
        after={"user": user.username, "organization": organization.name, "role": role},
        organization_id=organization.pk,
    )
    return membership


@transaction.atomic
def remove_membership(*, membership: Membership, by) -> None:
    _check_grant(by=by, target=membership.user, role=membership.role)
    before = {
        "user": membership.user.username,
        "organization": membership.organization.name,
        "role": membership.role,
    }
    record_event(
        membership,
        "accounts.membership.remove",
        actor=by,
        before=before,
        organization_id=membership.organization_id,
    )
    membership.delete()


@transaction.atomic
def set_user_active(*, user: User, active: bool, by) -> User:
    _check_account_action(by=by, target=user)
    before = snapshot(user, ["is_active"])
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active
    revoke_all_api_tokens(user=user, reason="activate" if active else "deactivate", by=by)
    record_event(
        user,
        "accounts.user.activate" if active else "accounts.user.deactivate",
        actor=by,
        before=before,
        after=snapshot(user, ["is_active"]),
    )
    return user


@transaction.atomic
def reset_password(*, user: User, by) -> str:
    """Give the user a new random password that must be changed at the next login."""
    _check_account_action(by=by, target=user)
    new = generate_password()
    user.set_password(new)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    revoke_all_api_tokens(user=user, reason="reset_password", by=by)
    record_event(user, "accounts.user.reset_password", actor=by)
    return new


@transaction.atomic
def change_password(*, user: User, new_password: str) -> None:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    revoke_all_api_tokens(user=user, reason="change_password", by=user)
    record_event(user, "accounts.user.change_password", actor=user)


def unlock_user(*, user: User, by) -> int:
    """Lift login lockouts of this user (from every address)."""
    with transaction.atomic():
        _check_account_action(by=by, target=user)
        removed = axes_reset(username=user.get_username())
        record_event(user, "accounts.user.unlock", actor=by, after={"attempts_cleared": removed})
    return removed


@transaction.atomic
def reset_second_factor(*, user: User, by) -> int:
    _check_account_action(by=by, target=user)
    deleted, _unused = TOTPDevice.objects.filter(user=user).delete()
    revoke_all_api_tokens(user=user, reason="reset_2fa", by=by)
    record_event(user, "accounts.user.reset_2fa", actor=by, after={"devices_removed": deleted})
    return deleted


def record_login(*, user: User | None, username: str, success: bool, detail: str = "") -> None:
    action = "accounts.login" if success else "accounts.login_failed"
    record_event(
        user if success else None,
        action,
        actor=user if success else None,
        actor_name=username[:150],
        success=success,
        detail=detail,
    )


def record_logout(*, user: User) -> None:
    record_event(user, "accounts.logout", actor=user)


@transaction.atomic
def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first call; confirmed devices are untouched."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


@transaction.atomic
def confirm_totp(*, user: User, device: TOTPDevice, token: str) -> bool:
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(token.strip()):
        record_event(user, "accounts.2fa.enrol_failed", actor=user, success=False)
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    record_event(user, "accounts.2fa.enrol", actor=user)
    return True


def record_second_factor(*, user: User, success: bool) -> None:
    record_event(
        user, "accounts.2fa.verify" if success else "accounts.2fa.verify_failed", actor=user, success=success
    )


def revoke_all_api_tokens(*, user: User, reason: str, by=None) -> int:
    """Revoke every live token of `user` (a changed password, a reset, a reactivation): a token taken
    with the old credentials must not outlive them."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        record_event(
            user, "accounts.api_token.revoke_all", actor=by, after={"revoked": revoked, "reason": reason}
        )
    return revoked


TOKEN_PREFIX = "kx_"  # noqa: S105 - a public marker, not a secret


@transaction.atomic
def create_api_token(
    *, user: User, name: str, days: int | None = 90, scope: str = TokenScope.WRITE
) -> tuple[ApiToken, str]:
    """A bearer token; the profile page offers read-only first (``scope``), scripts ask for what
    they need."""
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name.")})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Unknown scope.")})
    secret = secrets.token_urlsafe(32)
    prefix = secret[:8]
    raw = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:60],
        prefix=prefix,
        key_hash=sm3_hex(raw),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
        scope=scope,
    )
    record_event(
        token,
        "accounts.api_token.create",
        actor=user,
        after={"name": token.name, "prefix": prefix, "scope": scope},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record_event(token, "accounts.api_token.revoke", actor=by)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def authenticate_api_token(raw: str, *, method: str = "GET") -> User | None:
    """The token's user, or None: unknown, revoked, expired, a disabled account, an account that must
    change its password first, or a read-only token used to write."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=sm3_hex(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or (token.expires_at and token.expires_at <= now):
        return None
    if token.user.must_change_password:
        return None
    if token.scope != TokenScope.WRITE and method.upper() not in SAFE_METHODS:
        return None
    # Touch at most once a minute: a hot token must not turn every API read into a write.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
