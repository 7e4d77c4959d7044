"""The main navigation: the notice's four sections plus supervision (督办).

Kept as data so that the layout, the home page and the section pages agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavSection:
    number: int
    key: str
    label: object
    title: object
    measures: tuple[int, ...]
    modules: tuple[object, ...]


SECTIONS: tuple[NavSection, ...] = (
    NavSection(
        1,
        "transfer",
        _("Tech transfer"),
        _("Promote the transfer of sci-tech achievements"),
        (1, 2, 3, 4),
        (_("Expert library"), _("Demand matching"), _("Workstations and service teams")),
    ),
    NavSection(
        2,
        "talent",
        _("Talent"),
        _("Help sci-tech talent grow"),
        (5, 6, 7, 8),
        (_("Awards and programmes"), _("Sci-tech workers' needs"), _("Rapid surveys")),
    ),
    NavSection(
        3,
        "popularization",
        _("Science popularization"),
        _("Cultivate the social soil of innovation"),
        (9, 10, 11, 12),
        (_("Science literacy"), _("Volunteers and events"), _("Venues")),
    ),
    NavSection(
        4,
        "thinktank",
        _("Think tank"),
        _("Strengthen the think tank's advisory capacity"),
        (13, 14, 15, 16),
        (_("Topic library"), _("Briefs"), _("Results library"), _("Decision feedback")),
    ),
)
