from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kexie.policy import indicators
from kexie.transfer import services
from kexie.transfer.enums import DemandState, Outcome

pytestmark = pytest.mark.django_db

KEYS = [
    "transfer.demands_published",
    "transfer.demands_matched",
    "transfer.dockings",
    "transfer.contracts_signed",
    "transfer.contract_value",
]


def values(as_of=None) -> list[Decimal]:
    return [indicators.compute(key, as_of).value for key in KEYS]


def test_indicators_registered_for_measures_1_and_2():
    by_key = {i.key: i for i in indicators.registered()}
    assert {k: sorted(by_key[k].measure_numbers) for k in KEYS} == {
        "transfer.demands_published": [2],
        "transfer.demands_matched": [2],
        "transfer.dockings": [2],
        "transfer.contracts_signed": [1, 2],
        "transfer.contract_value": [1, 2],
    }
    assert sorted(by_key["transfer.registry"].measure_numbers) == [1, 4, 12]


def test_docking_outcome_moves_indicators(make_demand, staff):
    demand = make_demand(DemandState.PUBLISHED)
    make_demand(DemandState.PUBLISHED, title="另一项需求")
    make_demand(DemandState.DRAFT, title="草稿")
    assert values() == [2, 0, 0, 0, 0]

    docking = services.create_docking(
        demand=demand, target_kind="expert", target_id="9", target_name="王", by=staff
    )
    services.create_docking(demand=demand, target_kind="expert", target_id="10", target_name="李", by=staff)
    assert values() == [2, 1, 2, 0, 0]

    services.record_outcome(
        docking=docking,
        outcome=Outcome.SIGNED,
        amount=Decimal("85.5"),
        signed_on=timezone.localdate(),
        by=staff,
    )
    assert values() == [2, 1, 2, 1, Decimal("85.5")]


def test_indicators_as_of_an_earlier_date_exclude_later_work(make_demand, staff):
    demand = make_demand(DemandState.PUBLISHED)
    docking = services.create_docking(
        demand=demand, target_kind="expert", target_id="9", target_name="王", by=staff
    )
    services.record_outcome(
        docking=docking, outcome=Outcome.SIGNED, amount=Decimal(10), signed_on=timezone.localdate(), by=staff
    )
    yesterday = timezone.localdate() - timedelta(days=1)

    assert values(yesterday) == [0, 0, 0, 0, 0]
    assert indicators.compute("transfer.contract_value", yesterday).as_of == yesterday


def test_registry_indicator_breaks_down_by_kind(staff, orgs):
    services.create_workstation(
        by=staff,
        kind="haizhi",
        name="海智工作站甲",
        host_organization=orgs["重庆市科学技术协会"],
        district="500103",
        established_year=2020,
    )
    services.create_service_team(by=staff, name="服务团甲", lead_organization=orgs["重庆市科学技术协会"])
    reading = indicators.compute("transfer.registry", date(2100, 1, 1))
    assert reading.value == 2
    assert [part for _label, part in reading.breakdown] == [1, 1]
