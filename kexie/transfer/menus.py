"""科创中国 demand matching and the registries in the navigation (kexie.core.menus)."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from kexie.core import menus
from kexie.transfer import rules


def _signed_in_with_demands(user) -> bool:
    """My demands: an enterprise's own, or the demands staff and district associations follow."""
    return bool(getattr(user, "is_authenticated", False)) and (
        rules.is_enterprise(user) or rules.sees_all_demands(user) or bool(rules.district_codes(user))
    )


def _dockings(user) -> bool:
    return _signed_in_with_demands(user)


def _anonymous(user) -> bool:
    return isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False)


menus.register(
    "transfer.public_demands",
    section="transfer",
    label=_("Technical demands"),
    url_name="transfer:public_demands",
    order=10,
    measures=(2,),
    description=_("Published technical demands of enterprises (科创中国)"),
)
menus.register(
    "transfer.public_achievements",
    section="transfer",
    label=_("Achievements"),
    url_name="transfer:public_achievements",
    order=11,
    measures=(2,),
    description=_("Sci-tech achievements ready for transfer"),
)
menus.register(
    "transfer.my_demands",
    section="transfer",
    label=_("My demands"),
    url_name="transfer:my_demands",
    visible=_signed_in_with_demands,
    order=12,
    measures=(2,),
    description=_("Post a demand, follow its review, matches and dockings"),
)
menus.register(
    "transfer.dockings",
    section="transfer",
    label=_("Dockings"),
    url_name="transfer:docking_list",
    visible=_dockings,
    order=13,
    measures=(2,),
)
menus.register(
    "transfer.achievement_registry",
    section="transfer",
    label=_("Achievement registry"),
    url_name="transfer:achievement_manage",
    visible=rules.can_view_registry,
    order=20,
    measures=(2,),
)
menus.register(
    "transfer.teams",
    section="transfer",
    label=_("Service teams"),
    url_name="transfer:team_list",
    visible=rules.can_view_registry,
    order=21,
    measures=(1, 4),
)
menus.register(
    "transfer.workstations",
    section="transfer",
    label=_("Workstations"),
    url_name="transfer:workstation_list",
    visible=rules.can_view_registry,
    order=22,
    measures=(1, 4, 12),
    description=_("Academician, HOME and other workstations with their annual evaluations"),
)
menus.register(
    "transfer.register",
    section="account",
    label=_("Register an enterprise"),
    url_name="transfer:register",
    visible=_anonymous,
    order=10,
)
