"""三员分立 (issue 10, finding 1): the system administrator manages accounts, the security administrator
grants the three separated roles, the auditor reads the trail; nobody holds two of them, nobody grants
a role to themselves, and the administrator sees no business data and no unmasked personal data."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kexie.accounts import services
from kexie.accounts.enums import Role
from kexie.accounts.models import Membership, Organization
from kexie.accounts.services import ROOT_NAME
from kexie.core.models import AuditEvent


@pytest.fixture
def admin(make_user):
    return make_user("sysadmin", role=Role.ADMIN, mobile="13912345678")


@pytest.fixture
def secadmin(make_user):
    return make_user("secadmin", role=Role.SECURITY_ADMIN)


@pytest.fixture
def auditor(make_user):
    return make_user("shenji", role=Role.AUDITOR)


def _root():
    return Organization.objects.get(name=ROOT_NAME)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN, Role.SECURITY_ADMIN])
def test_administrator_cannot_grant_a_separated_role_to_anyone(admin, make_user, role):
    other = make_user("someone", role=Role.DEPARTMENT_STAFF)
    with pytest.raises(PermissionDenied):
        services.add_membership(user=other, organization=_root(), role=role, by=admin)
    with pytest.raises(PermissionDenied):
        services.add_membership(user=admin, organization=_root(), role=role, by=admin)
    assert (
        not Membership.objects.filter(user__in=[other, admin], role=role)
        .exclude(user=admin, role=Role.ADMIN)
        .exists()
    )


def test_administrator_cannot_make_an_auditor_through_the_pages(admin, login):
    client = login(admin)
    response = client.post(
        reverse("accounts:user_detail", args=[admin.pk]),
        {"action": "add_membership", "organization": _root().pk, "role": Role.AUDITOR},
    )
    assert response.status_code in (200, 403)
    assert not Membership.objects.filter(user=admin, role=Role.AUDITOR).exists()
    # The creation form does not even offer the role; a forged post is refused.
    form = client.get(reverse("accounts:user_create")).context["form"]
    assert Role.AUDITOR not in dict(form.fields["role"].choices)
    client.post(
        reverse("accounts:user_create"),
        {"username": "fake_aud", "full_name": "假审计", "organization": _root().pk, "role": Role.AUDITOR},
    )
    assert not Membership.objects.filter(role=Role.AUDITOR, user__username="fake_aud").exists()


def test_security_administrator_grants_the_auditor_role_but_not_to_themselves(secadmin, make_user):
    other = make_user("newaud", role="")
    services.add_membership(user=other, organization=_root(), role=Role.AUDITOR, by=secadmin)
    assert Membership.objects.filter(user=other, role=Role.AUDITOR).exists()
    with pytest.raises(PermissionDenied):
        services.add_membership(user=secadmin, organization=_root(), role=Role.AUDITOR, by=secadmin)
    with pytest.raises(PermissionDenied):  # nor any role at all to themselves
        services.add_membership(user=secadmin, organization=_root(), role=Role.LEADER, by=secadmin)


def test_nobody_holds_two_of_the_three_roles(secadmin, admin, auditor):
    for user, role in [(admin, Role.AUDITOR), (auditor, Role.ADMIN), (admin, Role.SECURITY_ADMIN)]:
        with pytest.raises(ValidationError, match="three different people|三个不同的人|不同"):
            services.add_membership(user=user, organization=_root(), role=role, by=secadmin)
    # Even seeding (no person acting) cannot break the rule.
    with pytest.raises(ValidationError):
        services.add_membership(user=auditor, organization=_root(), role=Role.SECURITY_ADMIN)


@pytest.mark.parametrize("action", ["reset_password", "reset_2fa", "unlock", "deactivate"])
def test_administrator_cannot_take_over_the_auditors_account(admin, auditor, login, action):
    password = auditor.password
    client = login(admin)
    response = client.post(reverse("accounts:user_detail", args=[auditor.pk]), {"action": action})
    assert response.status_code == 403
    auditor.refresh_from_db()
    assert (auditor.password, auditor.is_active) == (password, True)
    refused = AuditEvent.objects.filter(action=f"accounts.user.{action}", success=False).latest("seq")
    assert refused.actor_id == admin.pk


def test_security_administrator_resets_the_auditor_and_the_administrator_resets_staff(
    admin, secadmin, auditor, make_user
):
    services.reset_password(user=auditor, by=secadmin)
    staff = make_user("staff1", role=Role.DEPARTMENT_STAFF)
    services.reset_password(user=staff, by=admin)
    with pytest.raises(PermissionDenied):
        services.reset_password(user=admin, by=admin)  # not one's own account either
    with pytest.raises(PermissionDenied):
        services.reset_password(user=staff, by=secadmin)  # ordinary accounts are the administrator's


def test_administrator_cannot_remove_the_auditors_role(admin, auditor):
    membership = Membership.objects.get(user=auditor, role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        services.remove_membership(membership=membership, by=admin)


def test_only_the_auditor_reads_the_trail(admin, secadmin, auditor, login, client):
    for user in (admin, secadmin):
        client.logout()
        assert login(user).get(reverse("accounts:audit_list")).status_code == 403
        assert client.get(reverse("accounts:audit_export")).status_code == 403
    client.logout()
    assert login(auditor).get(reverse("accounts:audit_list")).status_code == 200


def test_administrator_sees_personal_data_masked(admin, make_user, login):
    target = make_user("withmobile", role=Role.DEPARTMENT_STAFF, mobile="13987654321")
    client = login(admin)
    page = client.get(reverse("accounts:user_detail", args=[target.pk])).content.decode()
    assert "13987654321" not in page and "139****4321" in page
    organization = client.get(reverse("accounts:organization_detail", args=[_root().pk])).content.decode()
    assert "13987654321" not in organization


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECURITY_ADMIN])
def test_administrators_see_no_business_data(make_user, login, role):
    from kexie.experts import rules as expert_rules
    from kexie.literacy import rules as literacy_rules
    from kexie.policy import rules as policy_rules
    from kexie.surveys import rules as survey_rules
    from kexie.transfer import rules as transfer_rules

    user = make_user("adm", role=role)
    assert not expert_rules.can_view_library(user)
    assert not expert_rules.can_see_personal_data(user)
    assert not transfer_rules.sees_all_demands(user)
    assert not transfer_rules.is_manager(user)
    assert not survey_rules.can_create_survey(user)
    assert not (survey_rules.READ_ALL_ROLES & {role})
    assert not literacy_rules.is_literacy_editor(user)
    assert not policy_rules.sees_all_tasks(user)
    client = login(user)
    for name in ("experts:list", "policy:dashboard"):
        assert client.get(reverse(name)).status_code == 403, name
