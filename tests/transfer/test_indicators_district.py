"""District readings of the transfer indicators (the district view): a demand counts in the district
it names; its dockings, contracts and their value with it."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from kexie.policy import indicators
from kexie.transfer.enums import DemandState, Outcome, TargetKind
from kexie.transfer.services.dockings import create_docking, record_outcome
from tests.conftest import district_value
from tests.transfer.conftest import JIANGBEI, YUZHONG


def test_transfer_indicators_read_per_district(make_demand, staff, orgs):
    yuzhong, jiangbei = orgs["渝中区科学技术协会"], orgs["江北区科学技术协会"]
    here = make_demand(DemandState.PUBLISHED, district=YUZHONG)
    make_demand(DemandState.PUBLISHED, title="江北需求", district=JIANGBEI)
    make_demand(DemandState.PUBLISHED, title="江北需求二", district=JIANGBEI)
    docking = create_docking(
        demand=here, target_kind=TargetKind.EXPERT, target_id="1", target_name="李明", by=staff
    )
    record_outcome(
        docking=docking,
        outcome=Outcome.SIGNED,
        by=staff,
        amount=Decimal("80"),
        signed_on=timezone.localdate(),
    )

    readings = {
        key: (district_value(key, yuzhong), district_value(key, jiangbei))
        for key in (
            "transfer.demands_published",
            "transfer.demands_matched",
            "transfer.dockings",
            "transfer.contracts_signed",
            "transfer.contract_value",
        )
    }
    assert readings == {
        "transfer.demands_published": (1, 2),
        "transfer.demands_matched": (1, 0),
        "transfer.dockings": (1, 0),
        "transfer.contracts_signed": (1, 0),
        "transfer.contract_value": (Decimal("80"), 0),
    }
    assert indicators.get("transfer.demands_published").compute(None).value == 3
