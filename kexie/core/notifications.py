"""Notifications that hand work to someone: in-app, and by e-mail when the user wants it.

Apps register their event types (in ``<app>/notifications.py``, imported automatically) and call
``send`` from their services, inside the transaction of the write; the e-mail leaves after commit::

    # kexie/transfer/notifications.py
    from kexie.core import notifications

    DEMAND_SUBMITTED = notifications.register(
        "transfer.demand_submitted",
        kind=notifications.SUBMITTED,
        label=_("A demand was submitted for review"),
    )

    # kexie/transfer/services/demands.py
    notifications.send(DEMAND_SUBMITTED, users=reviewers, title=..., url=reverse(...))

Every message carries a link to the page where the work is. A user chooses per event type whether it
also comes by e-mail (``/notifications/preferences/``); the in-app message always arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from kexie.core.models import Notification, NotificationPreference

# The kinds of hand-over the issue names: what happened to the work.
SUBMITTED = "submitted"
PUBLISHED = "published"
RETURNED = "returned"
ASSIGNED = "assigned"
APPROVED = "approved"
DUE_SOON = "due_soon"
OTHER = "other"
KINDS = {
    SUBMITTED: _("submitted for review"),
    PUBLISHED: _("published"),
    RETURNED: _("returned"),
    ASSIGNED: _("assigned"),
    APPROVED: _("approved"),
    DUE_SOON: _("due soon"),
    OTHER: _("other"),
}


@dataclass(frozen=True)
class EventType:
    key: str
    kind: str
    label: object
    default_email: bool = True
    order: int = 100

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)


_registry: dict[str, EventType] = {}
_lock = threading.Lock()
_discovered = False


def register(key: str, *, kind: str, label, default_email: bool = True, order: int = 100) -> EventType:
    """Declare an event type; registering the same key twice with the same kind returns the first."""
    if kind not in KINDS:
        raise ImproperlyConfigured(f"notification event {key!r}: unknown kind {kind!r}")
    with _lock:
        existing = _registry.get(key)
        if existing is not None:
            if existing.kind != kind:
                raise ImproperlyConfigured(f"a notification event is already registered as {key!r}")
            return existing
        event = EventType(key=key, kind=kind, label=label, default_email=default_email, order=order)
        _registry[key] = event
    return event


def unregister(key: str) -> None:
    with _lock:
        _registry.pop(key, None)


def autodiscover() -> None:
    global _discovered  # noqa: PLW0603 - the registry is process-wide by design
    if not _discovered:
        autodiscover_modules("notifications")
        _discovered = True


def event_types() -> list[EventType]:
    autodiscover()
    with _lock:
        return sorted(_registry.values(), key=lambda e: (e.order, e.key))


def get(key: str) -> EventType | None:
    autodiscover()
    return _registry.get(key)


def wants_email(user, event: EventType) -> bool:
    pref = NotificationPreference.objects.filter(user=user, event=event.key).values_list("email", flat=True)
    for value in pref:
        return value
    return event.default_email


def email_preferences(user) -> list[tuple[EventType, bool]]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("event", "email"))
    return [(event, chosen.get(event.key, event.default_email)) for event in event_types()]


@transaction.atomic
def set_email_preferences(*, user, choices: dict[str, bool]) -> int:
    """Store the user's e-mail choice per event type; unknown keys are ignored. Audited."""
    from kexie.core.services import record_event

    known = {event.key: event for event in event_types()}
    changed = 0
    for key, email in choices.items():
        if key not in known:
            continue
        _pref, created = NotificationPreference.objects.update_or_create(
            user=user, event=key, defaults={"email": bool(email)}
        )
        changed += 1
    record_event(
        None,
        "core.notifications.preferences",
        actor=user,
        after={key: bool(value) for key, value in choices.items() if key in known},
    )
    return changed


def send(
    event: EventType | str,
    *,
    users: Iterable,
    title: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    """One in-app message per distinct active user, and an e-mail after commit to those who want it.

    ``url`` should be a page the recipient may open (the work itself)."""
    if isinstance(event, str):
        found = get(event)
        if found is None:
            raise ImproperlyConfigured(f"unknown notification event {event!r}")
        event = found
    distinct = {}
    for user in users:
        if user is not None and getattr(user, "is_active", True) and user.pk not in distinct:
            distinct[user.pk] = user
    created = [
        Notification.objects.create(
            user=user, title=str(title)[:200], body=str(body), url=str(url)[:300], event=event.key
        )
        for user in distinct.values()
    ]
    mail_ids = [note.pk for note in created if note.user.email and wants_email(note.user, event)]
    if mail_ids:
        transaction.on_commit(lambda: _queue_mail(mail_ids))
    return created


def _queue_mail(ids: list[int]) -> None:
    from kexie.core.tasks import mail_notifications

    mail_notifications(ids)
