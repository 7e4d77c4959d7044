"""The expert library's pages in the navigation (kexie.core.menus)."""

from django.utils.translation import gettext_lazy as _

from kexie.core import menus
from kexie.experts import rules


def _own_profile_only(user) -> bool:
    return rules.can_keep_own_profile(user) and not rules.can_view_library(user)


menus.register(
    "experts.library",
    section="transfer",
    label=_("Expert library"),
    url_name="experts:list",
    visible=rules.can_view_library,
    order=30,
    measures=(1, 2, 16),
    description=_("Experts by discipline, field and district, with conflict-of-interest checks"),
)
menus.register(
    "experts.queue",
    section="transfer",
    label=_("Experts to verify"),
    url_name="experts:queue",
    visible=rules.can_curate,
    order=31,
    measures=(16,),
)
menus.register(
    "experts.my_profile",
    section="transfer",
    label=_("My expert profile"),
    url_name="experts:my_profile",
    visible=_own_profile_only,
    order=32,
    measures=(1, 2),
    description=_("Your profile in the expert library: disciplines, works, affiliations"),
)
