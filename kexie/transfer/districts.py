"""Chongqing's 38 districts and counties (division code → name), read from the seed file once."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "chongqing_38_districts_counties.csv"


@cache
def districts() -> dict[str, str]:
    with SEED_FILE.open(encoding="utf-8", newline="") as fh:
        return {row["code"]: row["name"] for row in csv.DictReader(fh)}


def district_name(code: str) -> str:
    return districts().get(code or "", "")


def district_choices() -> list[tuple[str, str]]:
    return list(districts().items())
