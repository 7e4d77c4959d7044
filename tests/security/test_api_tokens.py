"""API tokens (issue 10, finding 5): revoked by a password change, an administrator's reset, a second
factor reset, deactivation and reactivation; refused while a password change is pending; a read-only
scope that cannot write."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kexie.accounts import services
from kexie.accounts.enums import Role, TokenScope
from kexie.accounts.models import ApiToken, User
from tests.conftest import PASSWORD

ME = "/api/v1/me"


def _get(client, raw, url=ME):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def admin(make_user):
    return make_user("sysadmin", role=Role.ADMIN)


@pytest.fixture
def owner(make_user):
    return make_user("kepu1", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")


@pytest.fixture
def token(owner):
    return services.create_api_token(user=owner, name="脚本", scope=TokenScope.WRITE)[1]


def test_password_change_revokes_tokens(client, owner, token):
    assert _get(client, token).status_code == 200
    services.change_password(user=owner, new_password="Another-Pass-2026")
    assert _get(client, token).status_code == 401


def test_password_change_page_revokes_tokens(client, login, owner, token):
    login(owner).post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-Pass-2026",
            "new_password2": "Another-Pass-2026",
        },
    )
    assert ApiToken.objects.get(user=owner).revoked_at is not None


@pytest.mark.parametrize(
    "action",
    [
        lambda user, by: services.reset_password(user=user, by=by),
        lambda user, by: services.reset_second_factor(user=user, by=by),
        lambda user, by: services.set_user_active(user=user, active=False, by=by),
    ],
    ids=["reset_password", "reset_2fa", "deactivate"],
)
def test_administrator_actions_revoke_tokens(client, admin, owner, token, action):
    action(owner, admin)
    User.objects.filter(pk=owner.pk).update(is_active=True, must_change_password=False)
    assert _get(client, token).status_code == 401


def test_reactivation_does_not_bring_tokens_back(client, admin, owner, token):
    User.objects.filter(pk=owner.pk).update(is_active=False)  # disabled by a path that revoked nothing
    services.set_user_active(user=owner, active=True, by=admin)
    assert _get(client, token).status_code == 401


def test_tokens_refused_while_a_password_change_is_pending(client, owner, token):
    User.objects.filter(pk=owner.pk).update(must_change_password=True)
    assert _get(client, token).status_code == 401


def test_read_only_scope_reads_but_cannot_write(client, owner):
    _token, read_only = services.create_api_token(user=owner, name="只读", scope=TokenScope.READ)
    _token, writer = services.create_api_token(user=owner, name="读写", scope=TokenScope.WRITE)
    assert _get(client, read_only).status_code == 200
    data = {"text": "测试题", "kind": "single", "options": ["甲", "乙"], "answer": [0]}
    refused = client.post(
        "/api/v1/literacy/questions",
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {read_only}",
    )
    assert refused.status_code == 401
    allowed = client.post(
        "/api/v1/literacy/questions",
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {writer}",
    )
    assert allowed.status_code != 401


def test_tokens_made_on_the_profile_page_are_read_only_by_default(login, owner):
    response = login(owner).post(reverse("accounts:profile"), {"name": "默认", "days": 30})
    assert response.status_code == 200
    assert ApiToken.objects.get(user=owner, name="默认").scope == TokenScope.READ
