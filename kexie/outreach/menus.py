"""The outreach pages in the navigation (kexie.core.menus), with the rule each page checks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kexie.core import menus
from kexie.outreach import rules

# The public pages of outreach: one dropdown of the top bar.
PUBLIC_GROUP = _("Science events and venues")

menus.register(
    "outreach.home",
    section="popularization",
    label=_("Science outreach"),
    url_name="outreach:home",
    order=30,
    measures=(4, 9, 10, 11),
    description=_("Activities, volunteers, community university, venues, bulletins, courtyards."),
)
menus.register(
    "outreach.calendar",
    section="public",
    label=_("Science activity calendar"),
    url_name="outreach:calendar",
    order=30,
    measures=(9, 10),
    group=PUBLIC_GROUP,
)
menus.register(
    "outreach.network",
    section="public",
    label=_("Science museum network"),
    url_name="outreach:network",
    order=31,
    measures=(11,),
    group=PUBLIC_GROUP,
)
menus.register(
    "outreach.volunteering",
    section="account",
    label=_("My volunteering"),
    url_name="outreach:my_volunteering",
    visible=rules.is_volunteer,
    order=30,
    measures=(10,),
)
menus.register(
    "outreach.bulletins",
    section="account",
    label=_("Emergency bulletins"),
    url_name="outreach:bulletin_list",
    visible=rules.can_view_bulletins,
    order=31,
    measures=(11,),
)
