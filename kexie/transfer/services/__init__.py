"""Every write of technology transfer, by domain noun: demands, dockings, the registries (achievements,
service teams, workstations) and enterprise registration. Public names are re-exported here."""

from kexie.transfer.services.demands import (
    DEMAND_FIELDS,
    STATE_FIELDS,
    close_demand,
    create_demand,
    publish_demand,
    return_demand,
    shown_contact_mobile,
    submit_demand,
    transition_demand,
    update_demand,
)
from kexie.transfer.services.dockings import add_docking_record, create_docking, record_outcome
from kexie.transfer.services.enterprises import register_enterprise
from kexie.transfer.services.industries import load_industries
from kexie.transfer.services.registry import (
    TEAM_FIELDS,
    WORKSTATION_FIELDS,
    create_achievement,
    create_service_team,
    create_workstation,
    record_evaluation,
    set_achievement_published,
    update_service_team,
    update_workstation,
)

__all__ = [
    "shown_contact_mobile",
    "DEMAND_FIELDS",
    "STATE_FIELDS",
    "TEAM_FIELDS",
    "WORKSTATION_FIELDS",
    "add_docking_record",
    "close_demand",
    "create_achievement",
    "create_demand",
    "create_docking",
    "create_service_team",
    "create_workstation",
    "load_industries",
    "publish_demand",
    "record_evaluation",
    "record_outcome",
    "register_enterprise",
    "return_demand",
    "set_achievement_published",
    "submit_demand",
    "transition_demand",
    "update_demand",
    "update_service_team",
    "update_workstation",
]
