"""Reference data every app reads: Chongqing's 38 districts and counties, the GB/T 4754-2017 industry
classification and the NSFC application codes. Facts shipped with the package in `kexie/seed/`,
read once per process on first use (two threads racing on the first call both read the file and
one result wins: harmless, so no lock).

The district *associations* (the organizations, with memberships) are rows of accounts; their
division codes are the codes here.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
DISTRICT_FILE = SEED_DIR / "chongqing_38_districts_counties.csv"
INDUSTRY_FILE = SEED_DIR / "gbt4754_2017_industry_classification.csv"
DISCIPLINE_FILE = SEED_DIR / "nsfc_application_codes_3level.jl"


@cache
def districts() -> dict[str, str]:
    """Division code → name ("500103" → "渝中区"), in code order."""
    with DISTRICT_FILE.open(encoding="utf-8", newline="") as fh:
        return {row["code"].strip(): row["name"].strip() for row in csv.DictReader(fh)}


def district_name(code: str) -> str:
    return districts().get(code or "", "")


def district_choices() -> list[tuple[str, str]]:
    """(division code, name) pairs for a choice field, in code order."""
    return list(districts().items())


def district_code(value: str) -> str:
    """The code of a district given by code or by name ("渝中区", "渝中区科协"), or ""."""
    value = (value or "").strip()
    if value in districts():
        return value
    by_name = {name: code for code, name in districts().items()}
    for suffix in ("", "科学技术协会", "科协"):
        name = value.removesuffix(suffix) if suffix else value
        if name in by_name:
            return by_name[name]
    return ""


@dataclass(frozen=True, slots=True)
class IndustryRow:
    code: str  # A, 01, 011 or 0111
    level: int  # 1 section, 2 division, 3 group, 4 class
    section: str
    division: str
    name: str


@cache
def industry_rows() -> tuple[IndustryRow, ...]:
    """GB/T 4754-2017, sections to classes, in the standard's order."""
    with INDUSTRY_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple(
            IndustryRow(
                code=row["class"] or row["group"] or row["division"] or row["section"],
                level=int(row["level"]),
                section=row["section"],
                division=row["division"],
                name=row["name"].strip(),
            )
            for row in csv.DictReader(fh)
        )


def industries() -> dict[str, str]:
    """Industry code → name."""
    return {row.code: row.name for row in industry_rows()}


@dataclass(frozen=True, slots=True)
class DisciplineRow:
    code: str  # A01, A0101, A010101
    name: str
    name_en: str
    parent: str | None
    level: int


@cache
def discipline_rows() -> tuple[DisciplineRow, ...]:
    """The NSFC application codes (three levels), parents before their children."""
    rows = []
    with DISCIPLINE_FILE.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                rows.append(
                    DisciplineRow(
                        code=row["_id"],
                        name=row["name"].strip(),
                        name_en=(row.get("name_en") or "").strip()[:200],
                        parent=(row.get("parents") or [None])[0],
                        level=(len(row["_id"]) - 1) // 2,
                    )
                )
    return tuple(rows)


def disciplines() -> dict[str, str]:
    """Discipline code → name."""
    return {row.code: row.name for row in discipline_rows()}
