from __future__ import annotations

import base64
import json

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from kexie.accounts import rules, services
from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.forms import (
    ApiTokenForm,
    AuditFilterForm,
    LoginForm,
    MembershipForm,
    PasswordChangeForm,
    TokenForm,
    UserCreateForm,
)
from kexie.accounts.middleware import second_factor_required
from kexie.accounts.models import ApiToken, Membership, Organization, User
from kexie.accounts.queries import (
    active_memberships,
    is_staff_member,
    organizations_visible_to,
    users_visible_to,
)
from kexie.core import menus
from kexie.core.exports import SafeCsvWriter
from kexie.core.forms import add_service_errors
from kexie.core.masking import mask_mobile
from kexie.core.queries import audit_events, with_actor_names
from kexie.core.ratelimit import client_address, count_attempt, is_limited
from kexie.core.services import anchor_audit_head, record_event, record_personal_data_view, verify_audit_chain

# Failed sign-ins one address may make over all accounts in 15 minutes (password spraying); each
# account is locked on its own after AXES_FAILURE_LIMIT failures from anywhere.
LOGIN_FAILURES_PER_ADDRESS = 30


def _safe_next(request, fallback: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(fallback)


def lockout_response(request, original_response=None, credentials=None):
    """Axes 8 calls this with (request, original_response, credentials), and the login view calls it
    too: the refusal is recorded once per request, with the user name that was typed."""
    if not getattr(request, "_kexie_lockout_recorded", False):
        request._kexie_lockout_recorded = True
        username = (credentials or {}).get("username", "") if isinstance(credentials, dict) else ""
        username = username or request.POST.get("username", "")
        services.record_login(user=None, username=username, success=False, detail="locked out")
    return render(request, "accounts/locked.html", status=403)


def login_view(request):  # noqa: PLR0911 - one exit per outcome of a sign-in
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    address = client_address(request)
    if request.method == "POST" and is_limited("login", address, limit=LOGIN_FAILURES_PER_ADDRESS):
        services.record_login(
            user=None, username=request.POST.get("username", ""), success=False, detail="address throttled"
        )
        return render(request, "accounts/locked.html", status=429)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, credentials={"username": username})
        if user is None:
            count_attempt("login", address, window_seconds=15 * 60)
            services.record_login(user=None, username=username, success=False, detail="bad credentials")
            form.add_error(
                None,
                _(
                    "The user name or password is not correct. After %(limit)s failed attempts "
                    "the account is locked for %(minutes)s minutes."
                )
                % {"limit": _lockout_limit(), "minutes": _lockout_minutes()},
            )
        else:
            login(request, user)
            services.record_login(user=user, username=user.get_username(), success=True)
            if user.must_change_password:
                return redirect("accounts:password_change")
            if second_factor_required(user):
                target = (
                    "accounts:otp_verify" if user_has_device(user, confirmed=True) else "accounts:otp_setup"
                )
                return redirect(f"{reverse(target)}?next={_safe_next(request)}")
            return redirect(_safe_next(request))
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "second_factor": settings.STAFF_SECOND_FACTOR,
            # Self-registration pages the apps offer (enterprise, citizen, ...), from the menu registry.
            "register_entries": list(menus.entries_for(request.user, section="account")),
        },
    )


def _lockout_limit() -> int:
    return settings.AXES_FAILURE_LIMIT


def _lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.record_logout(user=request.user)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@login_required
def otp_verify_view(request):
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            services.record_second_factor(user=request.user, success=True)
            return redirect(_safe_next(request))
        services.record_second_factor(user=request.user, success=False)
        form.add_error(
            "token", _("The code is wrong or has expired; repeated failures slow further attempts.")
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
def otp_setup_view(request):
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        return redirect("accounts:otp_verify")
    device = services.start_totp_enrolment(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp(user=request.user, device=device, token=form.cleaned_data["token"]):
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on for your account."))
            return redirect(_safe_next(request))
        form.add_error("token", _("The code does not match; check the time on your phone and try again."))
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    secret_b32 = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": qr,
            "secret": secret_b32,
            "next": request.GET.get("next", ""),
            "required": second_factor_required(request.user),
        },
    )


def _password_form_locked(request) -> bool:
    """A wrong current password on the change form counts as a failed sign-in of that account (the
    same lockout as the login page): once locked, the session ends."""
    credentials = {"username": request.user.get_username()}
    return AxesProxyHandler.is_locked(request, credentials)


@login_required
def password_change_view(request):
    if request.method == "POST" and _password_form_locked(request):
        user = request.user
        logout(request)
        return lockout_response(request, credentials={"username": user.get_username()})
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and not form.is_valid() and "old_password" in form.errors:
        user_login_failed.send(
            sender=__name__, credentials={"username": request.user.get_username()}, request=request
        )
        if _password_form_locked(request):
            user = request.user
            logout(request)
            return lockout_response(request, credentials={"username": user.get_username()})
    if request.method == "POST" and form.is_valid():
        services.change_password(user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def profile_view(request):
    token_form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and token_form.is_valid():
        _token, new_token = services.create_api_token(
            user=request.user,
            name=token_form.cleaned_data["name"],
            days=token_form.cleaned_data["days"],
            scope=token_form.cleaned_data["scope"],
        )
        messages.success(request, _("The token is shown once below; copy it now."))
        token_form = ApiTokenForm()
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": active_memberships(request.user),
            "tokens": ApiToken.objects.filter(user=request.user),
            "token_form": token_form,
            "new_token": new_token,
            "has_device": user_has_device(request.user, confirmed=True),
            "mobile": mask_mobile(request.user.mobile),
        },
    )


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(token=token, by=request.user)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:profile")


# --- organizations ----------------------------------------------------------------------------


@login_required
def organization_list_view(request):
    visible = organizations_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if query:
        visible = visible.filter(
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__startswith=query)
        )
    if kind:
        visible = visible.filter(kind=kind)
    organizations = sorted(
        visible.select_related("parent"), key=lambda o: [int(p) for p in o.path.strip("/").split("/")]
    )
    return render(
        request,
        "accounts/organization_list.html",
        {
            "organizations": organizations,
            "query": query,
            "kind": kind,
            "kinds": OrganizationKind.choices,
        },
    )


@login_required
def organization_detail_view(request, pk: int):
    organization = get_object_or_404(Organization.objects.select_related("parent"), pk=pk)
    if not rules.can_view_organization(request.user, organization):
        raise PermissionDenied
    show_personal = rules.can_view_personal_data(request.user, organization)
    # Who works where (administrators, auditors) is for staff, not for external accounts.
    memberships = (
        Membership.objects.filter(organization=organization, is_active=True)
        .select_related("user")
        .order_by("role", "user__username")
        if is_staff_member(request.user)
        else Membership.objects.none()
    )
    members = [
        {"membership": m, "mobile": m.user.mobile if show_personal else mask_mobile(m.user.mobile)}
        for m in memberships
    ]
    if show_personal and any(m.user.mobile for m in memberships):
        record_personal_data_view(organization, actor=request.user, fields=["mobile"], count=len(members))
    children = organization.children.filter(pk__in=organizations_visible_to(request.user).values("pk"))
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "organization": organization,
            "members": members,
            "children": children,
            "show_personal": show_personal,
        },
    )


# --- user administration (administrators) ---------------------------------------------------------


def _require_user_admin(request) -> None:
    if not rules.can_manage_users(request.user):
        raise PermissionDenied


@login_required
def user_list_view(request):
    _require_user_admin(request)
    query = request.GET.get("q", "").strip()
    users = (
        users_visible_to(request.user)
        .order_by("username")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(is_active=True).select_related("organization"),
            )
        )
    )
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    page = Paginator(users, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "query": query, "can_create": rules.can_create_users(request.user)},
    )


@login_required
def user_create_view(request):
    if not rules.can_create_users(request.user):
        raise PermissionDenied
    form = UserCreateForm(request.POST or None, roles=rules.grantable_roles(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user, initial = services.create_user(
                    username=data["username"],
                    full_name=data["full_name"],
                    email=data["email"],
                    mobile=data["mobile"],
                    by=request.user,
                )
                services.add_membership(
                    user=user, organization=data["organization"], role=data["role"], by=request.user
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Account %(name)s created. Initial password (shown once): %(password)s")
                % {"name": user.username, "password": initial},
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


def _user_action(request, target: User, action: str, form: MembershipForm) -> str | None:
    """Carry out one administrator action on `target`; a refused one is audited and answered 403."""
    try:
        return _do_user_action(request, target, action, form)
    except PermissionDenied:
        record_event(
            target,
            f"accounts.user.{action or 'action'}",
            actor=request.user,
            success=False,
            detail="refused: separation of duties",
        )
        raise


def _do_user_action(request, target: User, action: str, form: MembershipForm) -> str | None:  # noqa: PLR0911 - one exit per action
    """Carry out one administrator action on `target`; the message to show, or None if not done."""
    by = request.user
    if action == "add_membership":
        if not form.is_valid():
            return None
        services.add_membership(
            user=target, organization=form.cleaned_data["organization"], role=form.cleaned_data["role"], by=by
        )
        return _("Membership added.")
    if action == "remove_membership":
        membership = get_object_or_404(Membership, pk=request.POST.get("membership"), user=target)
        services.remove_membership(membership=membership, by=by)
        return _("Membership removed.")
    if action in {"activate", "deactivate"}:
        services.set_user_active(user=target, active=action == "activate", by=by)
        return _("Account updated.")
    if action == "unlock":
        services.unlock_user(user=target, by=by)
        return _("Login lockouts lifted.")
    if action == "reset_password":
        new = services.reset_password(user=target, by=by)
        return _("New password (shown once, must be changed at next login): %(password)s") % {"password": new}
    if action == "reset_2fa":
        services.reset_second_factor(user=target, by=by)
        return _("Two-factor devices removed; the user enrols again at next login.")
    return None


@login_required
def user_detail_view(request, pk: int):
    _require_user_admin(request)
    target = get_object_or_404(User, pk=pk)
    action = request.POST.get("action", "")
    form = MembershipForm(
        request.POST if action == "add_membership" else None, roles=rules.grantable_roles(request.user)
    )
    if request.method == "POST":
        try:
            message = _user_action(request, target, action, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            message = None
        if message is not None:
            messages.success(request, message)
            return redirect("accounts:user_detail", pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "memberships": target.memberships.select_related("organization").filter(is_active=True),
            "form": form,
            "has_device": user_has_device(target, confirmed=True),
            "roles": Role,
            # The administrators manage accounts, not personal data: the mobile number is masked.
            "mobile": mask_mobile(target.mobile),
            "can_act": rules.can_act_on_account(request.user, target),
            "can_grant": bool(rules.grantable_roles(request.user)) and target != request.user,
            "removable": {
                m.pk
                for m in target.memberships.filter(is_active=True)
                if rules.can_grant_role(request.user, target, m.role)
            },
        },
    )


# --- audit trail (auditors) ----------------------------------------------------------------------

AUDIT_EXPORT_LIMIT = 100_000


def _require_auditor(request) -> None:
    if not rules.can_view_audit(request.user):
        raise PermissionDenied


def _actor_ids(name: str) -> list[int]:
    """Users whose full name contains ``name``: the audit filter finds people by name, not only login."""
    if not name:
        return []
    return list(User.objects.filter(full_name__icontains=name).values_list("pk", flat=True)[:200])


def _audit_filters(request) -> tuple[AuditFilterForm, dict]:
    form = AuditFilterForm(request.GET or None)
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        actor = data["actor"].strip()
        filters = {
            "action": data["action"],
            "actor": actor,
            "actor_ids": _actor_ids(actor),
            "since": data["since"],
            "until": data["until"],
            "success": {"": None, "yes": True, "no": False}[data["success"] or ""],
        }
    return form, filters


@login_required
def audit_list_view(request):
    _require_auditor(request)
    form, filters = _audit_filters(request)
    events = audit_events(**filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    report = verify_audit_chain() if request.GET.get("verify") else None
    if report is not None:
        record_event(
            None,
            "core.audit.verify",
            actor=request.user,
            success=report.ok,
            after={"checked": report.checked, "problems": report.problems[:20]},
        )
    query = request.GET.copy()
    query.pop("page", None)
    page.object_list = with_actor_names(page.object_list)
    return render(
        request,
        "accounts/audit_list.html",
        {
            "form": form,
            "page": page,
            "report": report,
            "query": query.urlencode(),
        },
    )


@login_required
def audit_export_view(request):
    _require_auditor(request)
    _form, filters = _audit_filters(request)
    events = audit_events(**filters)[:AUDIT_EXPORT_LIMIT]
    record_event(None, "core.audit.export", actor=request.user, after={"filters": filters})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
    # A failed sign-in records the user name as typed: the writer keeps "=HYPERLINK(…)" as text.
    writer = SafeCsvWriter(response)
    writer.writerow(
        [
            _("Sequence"),
            _("Time"),
            _("Actor"),
            _("IP address"),
            _("Action"),
            _("Object type"),
            _("Object id"),
            _("Object"),
            _("Success"),
            _("Before"),
            _("After"),
            _("Detail"),
            _("Hash"),
        ]
    )
    tz = timezone.get_current_timezone()
    for e in events.iterator(chunk_size=2000):
        writer.writerow(
            [
                e.seq,
                e.created_at.astimezone(tz).isoformat(timespec="seconds"),
                e.actor_name,
                e.ip or "",
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                "1" if e.success else "0",
                json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
                json.dumps(e.after, ensure_ascii=False) if e.after is not None else "",
                e.detail,
                e.hash,
            ]
        )
    return response


@login_required
@require_POST
def audit_anchor_view(request):
    """The auditor takes the chain's signed head away (and it is appended to the anchor file): a later
    rewrite of the trail in the database no longer matches the copy the auditor keeps."""
    _require_auditor(request)
    record_event(None, "core.audit.anchor", actor=request.user)
    record = anchor_audit_head()
    response = HttpResponse(
        json.dumps(record, sort_keys=True) + "\n", content_type="application/json; charset=utf-8"
    )
    stamp = record["at"][:19].replace(":", "")
    response["Content-Disposition"] = f'attachment; filename="audit-head-{record["seq"]}-{stamp}.json"'
    return response
