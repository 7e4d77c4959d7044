"""The think tank's pages in the navigation (kexie.core.menus): the same rules as the views.

One entry per reader, so the top bar stays short: staff get the think tank's overview (its own
sub-navigation leads on), other signed-in users the question bank, everyone else the public column.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kexie.core import menus
from kexie.thinktank import rules


def _signed_in_outsider(user) -> bool:
    return rules.is_signed_in(user) and not rules.can_view_internal(user)


def _not_staff(user) -> bool:
    return not rules.can_view_internal(user)


menus.register(
    "thinktank.home",
    section="thinktank",
    label=_("Think tank"),
    url_name="thinktank:home",
    visible=rules.can_view_internal,
    order=10,
    measures=(13, 14, 15, 16),
    description=_("Network, question bank, projects, results, briefs and feedback."),
)
menus.register(
    "thinktank.questions",
    section="thinktank",
    label=_("Question bank"),
    url_name="thinktank:question_list",
    visible=_signed_in_outsider,
    order=20,
    measures=(16,),
    description=_("Propose research questions; staff curate them into the topic guide."),
)
menus.register(
    "thinktank.column",
    section="public",
    label=_("Think-tank column"),
    url_name="thinktank:column",
    visible=_not_staff,
    order=42,
    measures=(15,),
    description=_("Published think-tank results, with an Atom feed."),
    group=_("Academic exchange and think tank"),
)
