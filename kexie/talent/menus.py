"""The talent pages in the navigation (section 二, talent), each visible by the rule its view checks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kexie.core import menus
from kexie.talent import rules

menus.register(
    "talent.awards",
    section="talent",
    label=_("Awards and campaigns"),
    url_name="talent:index",
    order=40,
    measures=(8,),
    description=_("The award catalogue, yearly rounds and public votes of campaigns."),
)
menus.register(
    "talent.programme",
    section="talent",
    label=_("Young talent support programme"),
    url_name="talent:cohort_list",
    visible=rules.can_view_mine,
    order=41,
    measures=(7,),
    description=_("Cohorts, supported people, mentors, instalments, reports and mid-term evaluations."),
)
menus.register(
    "talent.pairs",
    section="talent",
    label=_("Academician pairs"),
    url_name="talent:pair_list",
    visible=rules.can_view_mine,
    order=42,
    measures=(7,),
)
menus.register(
    "talent.top_talents",
    section="talent",
    label=_("Top talents"),
    url_name="talent:top_talent_list",
    visible=rules.can_view_programme,
    order=43,
    measures=(7,),
)
menus.register(
    "talent.engineers",
    section="talent",
    label=_("Engineers' union"),
    url_name="talent:engineer_list",
    visible=rules.can_view_programme,
    order=44,
    measures=(7,),
)
menus.register(
    "talent.candidates",
    section="talent",
    label=_("Election service ledger"),
    url_name="talent:candidate_list",
    visible=rules.can_view_candidates,
    order=45,
    measures=(7,),
)
