"""The request context that services need for the audit trail (who, from where), without
passing `request` into services."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    user_agent: str = ""
    path: str = ""


_current: ContextVar[RequestContext | None] = ContextVar("kexie_request_context", default=None)


def current_context() -> RequestContext:
    return _current.get() or RequestContext()


def set_context(ctx: RequestContext):
    return _current.set(ctx)


def reset_context(token) -> None:
    _current.reset(token)


def client_ip(meta: dict) -> str | None:
    """The peer address. Behind a proxy, configure it to set REMOTE_ADDR (see docs/deployment.md):
    trusting X-Forwarded-For from anyone would let a client choose its own lockout key."""
    return meta.get("REMOTE_ADDR") or None
