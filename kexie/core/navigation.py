"""The main navigation: the notice's four sections plus supervision (督办).

The sections are data; the pages in them come only from the menu registry (``kexie.core.menus``), each
shown to a user exactly when its ``visible(user)`` rule — the rule its view checks — says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.core import menus
from kexie.core.versioned import DEFAULT_TIMEOUT, VersionedCache


@dataclass(frozen=True)
class NavSection:
    number: int
    key: str
    label: object
    title: object
    measures: tuple[int, ...]


SECTIONS: tuple[NavSection, ...] = (
    NavSection(
        1, "transfer", _("Tech transfer"), _("Promote the transfer of sci-tech achievements"), (1, 2, 3, 4)
    ),
    NavSection(2, "talent", _("Talent"), _("Help sci-tech talent grow"), (5, 6, 7, 8)),
    NavSection(
        3,
        "popularization",
        _("Science popularization"),
        _("Cultivate the social soil of innovation"),
        (9, 10, 11, 12),
    ),
    NavSection(
        4, "thinktank", _("Think tank"), _("Strengthen the think tank's advisory capacity"), (13, 14, 15, 16)
    ),
)
SUPERVISION_LABEL = _("Supervision")


@dataclass
class NavGroup:
    key: str
    label: object
    entries: list = field(default_factory=list)
    section: NavSection | None = None
    active: bool = False


# Which entries a user may open is asked of some sixty rules on every page (roles, units, whether the
# user is a volunteer or has demands: a fifth of a plain page's server time). The answer is kept per
# user and day until the next audited write (role and unit changes are audited), like the to-dos.
VISIBLE_SECONDS = DEFAULT_TIMEOUT
_visible = VersionedCache("core.menus.visible", max_entries=1024)


def visible_entries(request) -> list:
    """``menus.entries_for(request.user)``, computed once per request and kept per user until the next
    audited write: the navigation, the account menu and the home page all list menu entries, and each
    entry's visibility rule may query."""
    cached = getattr(request, "_kexie_visible_menu_entries", None)
    if cached is None:
        user = request.user
        key = (user.pk if user.is_authenticated else None, timezone.localdate(), menus.generation())
        kept = _visible.get(
            key, lambda: tuple(menus.entries_for(user)), timeout=VISIBLE_SECONDS, request=request
        )
        cached = list(kept)
        request._kexie_visible_menu_entries = cached
    return cached


def nav_groups(user, path: str = "", *, visible: list | None = None) -> list[NavGroup]:
    """The navigation for ``user``: supervision and the four sections, each with the entries the user may
    open; empty groups left out. ``path`` marks the group holding the current page as active.
    ``visible``: ``menus.entries_for(user)`` when the caller has it already (each entry's rule runs once)."""
    groups = [NavGroup("supervision", SUPERVISION_LABEL)] + [
        NavGroup(section.key, section.label, section=section) for section in SECTIONS
    ]
    by_key = {group.key: group for group in groups}
    for entry in menus.entries_for(user) if visible is None else visible:
        group = by_key.get(entry.section)
        if group is not None:
            group.entries.append(entry)
    best = None
    for group in groups:
        for entry in group.entries:
            url = entry.url
            if path.startswith(url) and url != "/" and (best is None or len(url) > len(best[1])):
                best = (group, url)
    if best is not None:
        best[0].active = True
    return [group for group in groups if group.entries]


def section_modules(user, *, visible: list | None = None) -> list[tuple[NavSection, list, list]]:
    """Per notice section: the modules (menu entries) the user may open, and those that exist but the
    user may not open. A section with neither has no module yet."""
    rows = []
    everything = menus.entries()
    shown = {e.key for e in (menus.entries_for(user) if visible is None else visible)}
    for section in SECTIONS:
        mine = [e for e in everything if e.section == section.key and e.key in shown]
        rows.append((section, mine, [e for e in everything if e.section == section.key and e not in mine]))
    return rows
