"""Pages of the sci-tech workers' services in the navigation (kexie.core.menus)."""

from django.utils.translation import gettext_lazy as _

from kexie.core import menus
from kexie.workers import rules


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


# The public pages of this app: one dropdown of the top bar.
PUBLIC_GROUP = _("Sci-tech workers")

menus.register(
    "workers.home",
    section="talent",
    label=_("Needs of sci-tech workers"),
    url_name="workers:home",
    visible=_signed_in,
    order=10,
    measures=(6,),
    description=_(
        "File a need, follow its reply and rate it; departments answer within working-day deadlines."
    ),
)
menus.register(
    "workers.meetings",
    section="talent",
    label=_("Joint meetings"),
    url_name="workers:meeting_list",
    visible=rules.can_view_meetings,
    order=12,
    measures=(6,),
)
menus.register(
    "workers.statistics",
    section="public",
    label=_("Needs statistics"),
    url_name="workers:statistics",
    order=60,
    measures=(6,),
    group=PUBLIC_GROUP,
)
menus.register(
    "workers.archive",
    section="talent",
    label=_("Archive of old scientists"),
    url_name="workers:archive_manage",
    visible=rules.can_manage_archive,
    order=14,
    measures=(5,),
    description=_("Catalogue, store with checksums and show the materials of senior scientists."),
)
menus.register(
    "workers.exhibition",
    section="public",
    label=_("Outstanding scientists exhibition"),
    url_name="workers:exhibition",
    order=62,
    measures=(5,),
    group=PUBLIC_GROUP,
)
menus.register(
    "workers.spirit",
    section="talent",
    label=_("Scientist spirit"),
    url_name="workers:spirit",
    order=16,
    measures=(5,),
    description=_("Talks of the speakers' group, education bases and their yearly reports."),
)
menus.register(
    "workers.training",
    section="talent",
    label=_("Training and lectures"),
    url_name="workers:session_list",
    visible=_signed_in,
    order=18,
    measures=(5,),
)
