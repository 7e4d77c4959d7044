"""Pages of the public information section in the navigation (kexie.core.menus): one dropdown 信息公开
in the top bar with the columns (通知公告, 新闻动态, 典型案例, 典型人物, 专题), and the publishing page for
writers and reviewers. Orders 20–28 keep the group together, before the other public pages."""

from django.utils.translation import gettext_lazy as _

from kexie.core import menus
from kexie.news import queries, rules
from kexie.news.enums import Column

GROUP = _("Public information")


def _publisher(user) -> bool:
    return bool(user and user.is_authenticated) and (
        rules.can_write(user) or queries.waiting_for(user).exists()
    )


menus.register(
    "news.home", section="public", label=_("All columns"), url_name="news:home", order=20, group=GROUP
)
for _order, _column in enumerate(Column):
    menus.register(
        f"news.column.{_column.value}",
        section="public",
        label=_column.label,
        url_name=f"news:column_{_column.value}",
        order=21 + _order,
        group=GROUP,
    )
menus.register(
    "news.manage",
    section="public",
    label=_("Publishing (三审三校)"),
    url_name="news:manage",
    visible=_publisher,
    order=28,
    group=GROUP,
    description=_("Write items, review them in three steps, publish, withdraw."),
)
