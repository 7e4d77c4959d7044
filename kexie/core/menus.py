"""The menu registry: each app says which pages it brings and who may open them.

An app declares entries in its own ``menus.py`` module (imported automatically)::

    # kexie/outreach/menus.py
    from kexie.core import menus

    menus.register(
        "outreach.activities",
        section="popularization",
        label=_("Activities"),
        url_name="outreach:activity_list",
        visible=rules.can_view_activities,   # user -> bool; the same rule the view checks
        order=20,
    )

Sections: the notice's four (``transfer``, ``talent``, ``popularization``, ``thinktank``), plus
``supervision``, ``public`` (shown to everyone, the portal) and ``account`` (the user menu). The layout
shows a user only the entries whose ``visible(user)`` is true, so menus and views share one rule.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.module_loading import autodiscover_modules

SECTIONS = ("supervision", "transfer", "talent", "popularization", "thinktank", "public", "account")


def _everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class MenuEntry:
    key: str
    section: str
    label: object
    url_name: str
    visible: Callable[[object], bool] = field(default=_everyone, repr=False)
    order: int = 100
    measures: tuple[int, ...] = ()  # the notice's measures this page serves (shown on measure pages)
    description: object = ""
    # Public entries sharing a group (a label) show as one dropdown of the top bar, in registration order.
    group: object = ""

    @property
    def url(self) -> str:
        return entry_url(self.url_name)


# Every page lists the user's menu entries (twice: the top bar and the phone menu), about a hundred
# reversals per view for a leader — a sixth of a plain page's server time. An entry's URL depends
# only on its name, the URL configuration, the script prefix and the language; it is kept per those.
_urls: dict[tuple, str] = {}


def entry_url(url_name: str) -> str:
    key = (url_name, get_urlconf(), get_script_prefix(), translation.get_language())
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(url_name)
    return url


@receiver(setting_changed)
def _forget_urls(setting, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME", "LANGUAGES", "LANGUAGE_CODE"):
        _urls.clear()


_registry: dict[str, MenuEntry] = {}
_lock = threading.Lock()
_discovered = False
_generation = [0]  # changes when an entry is registered or removed (keys of kept menus hold it)


def generation() -> int:
    return _generation[0]


def register(
    key: str,
    *,
    section: str,
    label,
    url_name: str,
    visible: Callable[[object], bool] = _everyone,
    order: int = 100,
    measures: tuple[int, ...] = (),
    description="",
    group="",
) -> MenuEntry:
    if section not in SECTIONS:
        raise ImproperlyConfigured(f"menu entry {key!r}: unknown section {section!r}")
    entry = MenuEntry(
        key=key,
        section=section,
        label=label,
        url_name=url_name,
        visible=visible,
        order=order,
        measures=tuple(measures),
        description=description,
        group=group,
    )
    with _lock:
        if key in _registry:
            raise ImproperlyConfigured(f"a menu entry is already registered as {key!r}")
        _registry[key] = entry
        _generation[0] += 1
    return entry


def unregister(key: str) -> None:
    with _lock:
        _registry.pop(key, None)
        _generation[0] += 1


def autodiscover() -> None:
    global _discovered  # noqa: PLW0603 - the registry is process-wide by design
    if not _discovered:
        autodiscover_modules("menus")
        _discovered = True


def entries() -> list[MenuEntry]:
    autodiscover()
    with _lock:
        return sorted(_registry.values(), key=lambda e: (SECTIONS.index(e.section), e.order, e.key))


def entries_for(user, *, section: str | None = None) -> list[MenuEntry]:
    """The entries ``user`` may open (anonymous users get what ``visible(AnonymousUser)`` allows)."""
    return [e for e in entries() if (section is None or e.section == section) and e.visible(user)]


def entries_for_measure(number: int) -> list[MenuEntry]:
    return [e for e in entries() if number in e.measures]
