"""The societies pages in the navigation, each visible by the rule its view checks."""

from django.utils.translation import gettext_lazy as _

from kexie.core import menus
from kexie.societies import rules

# Shared with the think tank's column: one dropdown of the top bar.
PUBLIC_GROUP = _("Academic exchange and think tank")

menus.register(
    "societies.home",
    section="transfer",
    label=_("Societies"),
    url_name="societies:home",
    visible=rules.can_view_societies,
    order=40,
    measures=(1, 3),
    description=_("Society registry, yearly inspection, new societies, academic events, alliances."),
)
menus.register(
    "societies.international",
    section="popularization",
    label=_("International exchange"),
    url_name="societies:international",
    visible=rules.can_view_international,
    order=60,
    measures=(12,),
    description=_("International organizations and posts, overseas experts, Haizhi partners, exchanges."),
)
menus.register(
    "societies.journal_directory",
    section="public",
    label=_("Journal directory"),
    url_name="societies:public_directories",
    order=40,
    measures=(3,),
    description=_("The published directory of Chongqing's sci-tech journals, searchable by discipline."),
    group=PUBLIC_GROUP,
)
menus.register(
    "societies.conferences",
    section="public",
    label=_("Conferences"),
    url_name="societies:public_events",
    order=41,
    measures=(2, 3),
    description=_("Academic conferences in Chongqing, with registration."),
    group=PUBLIC_GROUP,
)
