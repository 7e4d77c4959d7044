"""Sessions with an idle timeout that do not write the database on every request.

Django's ``SESSION_SAVE_EVERY_REQUEST`` keeps an idle timeout by rewriting the session row on every
request (an UPDATE and a transaction per page view). Here the row is rewritten only when the session
changed, or when its expiry has fallen more than ``SESSION_REFRESH_AFTER`` seconds behind "now +
``SESSION_COOKIE_AGE``": the idle timeout then counts from the last request to within that margin
(a minute by default), and a reader clicking through pages causes one write a minute, not one a page.
The expiry is read from the row the session is loaded from (same query).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils import timezone


class SessionStore(DbSessionStore):
    expire_date_loaded = None

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self.expire_date_loaded = row.expire_date if row is not None else None
        return row

    def needs_refresh(self) -> bool:
        """Whether the stored expiry lags "now + age" by more than the refresh margin."""
        if self.expire_date_loaded is None or self.is_empty():
            return False
        margin = timedelta(seconds=getattr(settings, "SESSION_REFRESH_AFTER", 60))
        return self.expire_date_loaded < timezone.now() + timedelta(seconds=self.get_expiry_age()) - margin


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, saving an unchanged session only when its expiry needs moving."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if (
            session is not None
            and not session.modified
            and getattr(session, "_session_cache", None) is not None
            and isinstance(session, SessionStore)
            and session.needs_refresh()
        ):
            session.modified = True
        return super().process_response(request, response)
