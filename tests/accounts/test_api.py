"""The JSON API skeleton: OpenAPI document, bearer tokens, scoping (see test_scoping for the matrix)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.accounts.models import ApiToken
from kexie.accounts.services import create_api_token, revoke_api_token


def test_openapi_document_lists_endpoints(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "kexie API"
    assert {
        "/api/v1/me",
        "/api/v1/organizations",
        "/api/v1/organizations/{org_id}",
        "/api/v1/audit/events",
    } <= set(schema["paths"])


def test_docs_page_served_without_cdn(client, db):
    page = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn." not in page


def test_bearer_token_authenticates_with_owner_scope(client, make_user, orgs):
    user = make_user("yz", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会")
    _token, raw = create_api_token(user=user, name="script")
    response = client.get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert [o["name"] for o in response.json()] == ["渝中区科学技术协会"]
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"] == "yz"


def test_revoked_expired_or_wrong_token_refused(client, make_user):
    user = make_user("yz", role=Role.EXPERT)
    token, raw = create_api_token(user=user, name="script")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer kx_wrong").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    revoke_api_token(token=token, by=user)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_token_stored_only_as_hash(make_user):
    user = make_user("yz", role=Role.EXPERT)
    token, raw = create_api_token(user=user, name="script")
    assert raw not in token.key_hash
    assert len(token.key_hash) == 64


def test_profile_page_creates_token_shown_once(make_user, login):
    client = login(make_user("yz", role=Role.EXPERT))
    response = client.post(reverse("accounts:profile"), {"name": "报表脚本", "days": 30})
    content = response.content.decode()
    token = ApiToken.objects.get(name="报表脚本")
    assert "kx_" + "" in content
    assert token.prefix in content
    again = client.get(reverse("accounts:profile")).content.decode()
    assert 'data-testid="new-token"' not in again


def test_audit_endpoint_for_auditors_only(make_user, login):
    staff = login(make_user("s", role=Role.LEADER))
    assert staff.get("/api/v1/audit/events").status_code == 403


def test_audit_endpoint_lists_events_for_auditor(client, make_user):
    auditor = make_user("aud", role=Role.AUDITOR)
    _token, raw = create_api_token(user=auditor, name="siem")
    events = client.get(
        "/api/v1/audit/events?action=accounts.membership&limit=5", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    assert [e["action"] for e in events] == ["accounts.membership.add"]
