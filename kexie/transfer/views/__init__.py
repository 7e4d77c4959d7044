"""Thin views of technology transfer, by domain noun: public pages, demands, dockings, registries.
Every view is re-exported here for `kexie.transfer.urls`."""

from kexie.transfer.views.common import PAGE_SIZE
from kexie.transfer.views.demands import (
    demand_close,
    demand_create,
    demand_detail,
    demand_edit,
    demand_matches,
    demand_publish,
    demand_return,
    demand_submit,
    my_demands,
)
from kexie.transfer.views.dockings import docking_create, docking_detail, docking_list
from kexie.transfer.views.public import (
    achievement_detail,
    public_achievement_list,
    public_demand_list,
    register_enterprise,
)
from kexie.transfer.views.registry import (
    achievement_manage,
    team_create,
    team_detail,
    team_edit,
    team_list,
    workstation_create,
    workstation_detail,
    workstation_edit,
    workstation_list,
)

__all__ = [
    "PAGE_SIZE",
    "achievement_detail",
    "achievement_manage",
    "demand_close",
    "demand_create",
    "demand_detail",
    "demand_edit",
    "demand_matches",
    "demand_publish",
    "demand_return",
    "demand_submit",
    "docking_create",
    "docking_detail",
    "docking_list",
    "my_demands",
    "public_achievement_list",
    "public_demand_list",
    "register_enterprise",
    "team_create",
    "team_detail",
    "team_edit",
    "team_list",
    "workstation_create",
    "workstation_detail",
    "workstation_edit",
    "workstation_list",
]
