"""The global search page in the navigation (kexie.core.menus)."""

from django.utils.translation import gettext_lazy as _

from kexie.core import menus

menus.register(
    "search.results",
    section="public",
    label=_("Search"),
    url_name="search:results",
    order=90,
    description=_("Search demands, achievements, experts and more in one place"),
)
