"""Pages of the public information section in the navigation (kexie.core.menus)."""

from django.utils.translation import gettext_lazy as _

from kexie.core import menus
from kexie.news import queries, rules
from kexie.news.enums import Column


def _publisher(user) -> bool:
    return bool(user and user.is_authenticated) and (
        rules.can_write(user) or queries.waiting_for(user).exists()
    )


menus.register("news.home", section="public", label=_("Public information"), url_name="news:home", order=40)
for _order, _column in enumerate(Column):
    menus.register(
        f"news.column.{_column.value}",
        section="public",
        label=_column.label,
        url_name=f"news:column_{_column.value}",
        order=41 + _order,
    )
menus.register(
    "news.manage",
    section="public",
    label=_("Publishing (三审三校)"),
    url_name="news:manage",
    visible=_publisher,
    order=48,
    description=_("Write items, review them in three steps, publish, withdraw."),
)
