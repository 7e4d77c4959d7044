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
    "talent.candidates",
    section="talent",
    label=_("Election service ledger"),
    url_name="talent:candidate_list",
    visible=rules.can_view_candidates,
    order=45,
    measures=(7,),
)
