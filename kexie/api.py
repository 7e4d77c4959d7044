"""The JSON API: one django-ninja instance; each app mounts its router here.

Authentication is either the browser session (with CSRF, and the second factor when required) or a
bearer token created on the profile page. Permission scoping is the same as the pages': endpoints call
the same `queries` and `rules` functions.
"""

from __future__ import annotations

from importlib import import_module

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from kexie.accounts.api import router as accounts_router
from kexie.accounts.middleware import second_factor_required
from kexie.accounts.services import authenticate_api_token
from kexie.experts.api import router as experts_router
from kexie.literacy.api import router as literacy_router
from kexie.policy.api import router as policy_router
from kexie.surveys.api import router as surveys_router
from kexie.transfer.api import router as transfer_router


class BearerTokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        user = authenticate_api_token(token, method=request.method)
        if user is None:
            return None
        request.user = user
        return user


class VerifiedSessionAuth(SessionAuth):
    """The session cookie, refused while a required second factor has not been passed."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is None or user.must_change_password:
            return None
        if not user.is_verified() and second_factor_required(user, request.session):
            return None
        return user


api = NinjaAPI(
    title="kexie API",
    version="1",
    description="科协创新服务平台 JSON API. Authenticate with a bearer token (profile page) or the session.",
    urls_namespace="api",
    auth=[BearerTokenAuth(), VerifiedSessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)

api.add_router("/v1/", accounts_router)
api.add_router("/v1/supervision/", policy_router)
api.add_router("/v1/experts/", experts_router)
api.add_router("/v1/transfer/", transfer_router)
api.add_router("/v1/surveys/", surveys_router)
api.add_router("/v1/literacy/", literacy_router)

# The service apps of the notice's later measures mount their routers under their own label.
for _label in ("calls", "talent", "thinktank", "outreach", "societies", "workers", "news"):
    api.add_router(f"/v1/{_label}/", import_module(f"kexie.{_label}.api").router)
