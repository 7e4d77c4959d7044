"""一书一赛一测评 and the literacy statistics in the navigation (kexie.core.menus)."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from kexie.core import menus
from kexie.literacy import rules


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _anonymous(user) -> bool:
    return isinstance(user, AnonymousUser) or not _signed_in(user)


menus.register(
    "literacy.home",
    section="popularization",
    label=_("Science literacy"),
    url_name="literacy:home",
    order=10,
    measures=(9,),
    description=_("The reader, the daily contest and assessments"),
)
menus.register(
    "literacy.reader",
    section="popularization",
    label=_("Reader"),
    url_name="literacy:chapter_list",
    order=11,
    measures=(9,),
)
menus.register(
    "literacy.profile",
    section="popularization",
    label=_("My scores"),
    url_name="literacy:profile",
    visible=_signed_in,
    order=12,
    measures=(9,),
)
menus.register(
    "literacy.questions",
    section="popularization",
    label=_("Question bank"),
    url_name="literacy:question_list",
    visible=rules.can_manage_questions,
    order=20,
    measures=(9,),
)
menus.register(
    "literacy.rate",
    section="popularization",
    label=_("Literacy rate"),
    url_name="literacy:rate",
    visible=rules.can_view_statistics,
    order=30,
    measures=(9,),
)
menus.register(
    "literacy.participation",
    section="popularization",
    label=_("Participation"),
    url_name="literacy:participation",
    visible=rules.can_view_statistics,
    order=31,
    measures=(9,),
)
menus.register(
    "literacy.planner",
    section="popularization",
    label=_("Sampling planner"),
    url_name="literacy:planner",
    visible=rules.can_view_statistics,
    order=32,
    measures=(9,),
)
menus.register(
    "literacy.survey",
    section="popularization",
    label=_("Annual literacy survey"),
    url_name="literacy:survey_list",
    visible=rules.can_view_survey_results,
    order=33,
    measures=(9,),
)
menus.register(
    "literacy.estimates",
    section="popularization",
    label=_("Published estimates"),
    url_name="literacy:estimate_list",
    visible=rules.can_manage_estimates,
    order=34,
    measures=(9,),
)
menus.register(
    "literacy.rules",
    section="popularization",
    label=_("Scoring rules"),
    url_name="literacy:rule_list",
    visible=rules.can_manage_rules,
    order=35,
    measures=(9,),
)
menus.register(
    "literacy.register",
    section="account",
    label=_("Register as a citizen"),
    url_name="literacy:register",
    visible=_anonymous,
    order=30,
)
