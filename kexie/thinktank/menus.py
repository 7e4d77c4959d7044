"""The think tank's pages in the navigation (kexie.core.menus): the same rules as the views."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kexie.core import menus
from kexie.thinktank import rules

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
    visible=rules.can_propose_question,
    order=20,
    measures=(16,),
    description=_("Propose research questions; staff curate them into the topic guide."),
)
menus.register(
    "thinktank.briefs",
    section="thinktank",
    label=_("Briefs"),
    url_name="thinktank:brief_list",
    visible=rules.can_view_internal,
    order=30,
    measures=(14, 16),
    description=_("《院士专家建议》, the leaders' instructions and the tasks they create."),
)
menus.register(
    "thinktank.projects",
    section="thinktank",
    label=_("Think-tank projects"),
    url_name="thinktank:project_list",
    visible=rules.is_signed_in,
    order=40,
    measures=(14,),
)
menus.register(
    "thinktank.results",
    section="thinktank",
    label=_("Results library"),
    url_name="thinktank:result_list",
    visible=rules.can_view_internal,
    order=50,
    measures=(16,),
)
menus.register(
    "thinktank.statistics",
    section="thinktank",
    label=_("Think-tank statistics"),
    url_name="thinktank:statistics",
    visible=rules.can_view_internal,
    order=60,
    measures=(14, 16),
)
menus.register(
    "thinktank.column",
    section="public",
    label=_("Think-tank column"),
    url_name="thinktank:column",
    order=40,
    measures=(15,),
    description=_("Published think-tank results, with an Atom feed."),
)
menus.register(
    "thinktank.network",
    section="public",
    label=_("Think-tank network"),
    url_name="thinktank:network",
    order=41,
    measures=(13,),
)
menus.register(
    "thinktank.events",
    section="public",
    label=_("Annual meetings and seminars"),
    url_name="thinktank:event_list",
    order=42,
    measures=(15,),
)
