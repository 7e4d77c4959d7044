from __future__ import annotations

from django.utils.cache import patch_cache_control

from kexie.core.context import RequestContext, client_ip, reset_context, set_context


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_context(
            RequestContext(
                ip=client_ip(request.META),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                path=request.path[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            reset_context(token)


class NoStoreMiddleware:
    """Pages and API answers for a signed-in user (session or bearer token) are never stored by a
    browser or a proxy: ``Cache-Control: no-store, private`` (a shared computer's back button or
    disk cache must not show them to the next person)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, no_store=True, private=True)
            response.headers.pop("Expires", None)
        return response
