"""Reproduce the R `survey` package's published outputs with kexie's survey statistics engine.

Reads the data sets and `expected_outputs/*.Rout.save` figures in shared/eval/survey (the figures
below are copied from those files, with the file and the R call they come from) and prints each
case with our value and the difference. A case is reproduced when our value, rounded to the digits
R printed, equals R's figure; `max_abs_diff` is the largest |ours rounded − R's| (0 means every
case reproduces at R's printed precision) and `max_rel_diff` the largest unrounded relative gap.

    .venv/bin/python bench/survey_reference.py [--quick]

`--quick` runs the same cases (they take well under a second): the flag exists so that every bench
script can be called the same way.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from _common import SHARED, emit, setup_django

setup_django()

from kexie.surveys.stats import (  # noqa: E402  (gettext needs settings before the engine runs)
    Design,
    Estimate,
    rake,
    weighted_mean,
    weighted_ratio,
    weighted_total,
)

DATA = SHARED / "eval" / "survey"

# Cases where the saved output (R 3.1.0, 2014) differs from the survey package of today, checked by
# running R 4.5 / survey 4.1.1 on the same call during development.
NOTES = {
    ("svymean(~api00, dclus1p)", "SE"): (
        "api.Rout.saved was made with survey of 2014 (R 3.1.0); survey 4.1.1 prints 23.92048645 for "
        "this call, equal to ours to 10 digits (post-stratification variance changed since)"
    ),
}


@dataclass(frozen=True)
class Case:
    source: str
    call: str
    quantity: str
    printed: str
    ours: float

    @property
    def decimals(self) -> int:
        return len(self.printed.split(".")[1]) if "." in self.printed else 0

    @property
    def diff(self) -> float:
        return abs(round(self.ours, self.decimals) - float(self.printed))

    @property
    def rel(self) -> float:
        return abs(self.ours - float(self.printed)) / abs(float(self.printed))


def load(name: str) -> dict[str, np.ndarray]:
    with (DATA / f"{name}.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns: dict[str, np.ndarray] = {}
    for key in rows[0]:
        values = [row[key] for row in rows]
        try:
            columns[key] = np.array([float(v) if v not in ("", "NA") else np.nan for v in values])
        except ValueError:
            columns[key] = np.array(values, dtype=object)
    return columns


def cases_from(source: str, call: str, estimate: Estimate, printed: dict[str, str]) -> list[Case]:
    got = {"value": estimate.value, "SE": estimate.se, "DEff": estimate.deff or math.nan}
    return [Case(source, call, quantity, figure, got[quantity]) for quantity, figure in printed.items()]


def api_cases() -> list[Case]:
    out: list[Case] = []
    src = "api.Rout.saved"
    strat, clus1, clus2 = load("apistrat"), load("apiclus1"), load("apiclus2")
    pop = load("apipop")

    dstrat = Design(strat["pw"], strata=strat["stype"], fpc=strat["fpc"])
    out += cases_from(
        src,
        "svymean(~api00, dstrat)",
        weighted_mean(dstrat, strat["api00"]),
        {"value": "662.29", "SE": "9.4089"},
    )
    out += cases_from(
        src,
        "svytotal(~enroll, dstrat, na.rm=TRUE)",
        weighted_total(dstrat, strat["enroll"], skip_missing=True),
        {"value": "3687178", "SE": "114642"},
    )

    dclus1 = Design(clus1["pw"], clusters=clus1["dnum"], fpc=clus1["fpc"])
    out += cases_from(
        src,
        "svymean(~api00, dclus1)",
        weighted_mean(dclus1, clus1["api00"]),
        {"value": "644.17", "SE": "23.542"},
    )
    out += cases_from(
        src,
        "svytotal(~enroll, dclus1, na.rm=TRUE)",
        weighted_total(dclus1, clus1["enroll"], skip_missing=True),
        {"value": "3404940", "SE": "932235"},
    )

    # Two-stage without replacement: weights from the two fpcs, as R derives them.
    dclus2 = Design(
        clus2["pw"], clusters=clus2["dnum"], fpc=clus2["fpc1"], ssu=clus2["snum"], ssu_fpc=clus2["fpc2"]
    )
    out += cases_from(
        src,
        "svymean(~api00, dclus2)",
        weighted_mean(dclus2, clus2["api00"]),
        {"value": "670.81", "SE": "30.099"},
    )
    out += cases_from(
        src,
        "svytotal(~enroll, dclus2, na.rm=TRUE)",
        weighted_total(dclus2, clus2["enroll"], skip_missing=True),
        {"value": "2639273", "SE": "799638"},
    )

    # Two-stage with replacement: the ultimate-cluster variance of the first stage.
    dclus2wr = Design(clus2["pw"], clusters=clus2["dnum"])
    out += cases_from(
        src,
        "svymean(~api00, dclus2wr)",
        weighted_mean(dclus2wr, clus2["api00"]),
        {"value": "670.81", "SE": "30.712"},
    )
    out += cases_from(
        src,
        "svytotal(~enroll, dclus2wr, na.rm=TRUE)",
        weighted_total(dclus2wr, clus2["enroll"], skip_missing=True),
        {"value": "2639273", "SE": "820261"},
    )

    # Post-stratification on school type is raking to one margin.
    types, counts = np.unique(pop["stype"].astype(str), return_counts=True)
    post = rake(clus1["pw"], {"stype": (clus1["stype"], dict(zip(types, counts.astype(float), strict=True)))})
    dclus1p = post.design(clusters=clus1["dnum"], fpc=clus1["fpc"])
    out += cases_from(
        src,
        "svymean(~api00, dclus1p)",
        weighted_mean(dclus1p, clus1["api00"]),
        {"value": "642.31", "SE": "23.921"},
    )
    out += cases_from(
        src,
        "svytotal(~enroll, dclus1p, na.rm=TRUE)",
        weighted_total(dclus1p, clus1["enroll"], skip_missing=True),
        {"value": "3680893", "SE": "406293"},
    )
    return out


def rakecheck_cases() -> list[Case]:
    out: list[Case] = []
    src = "rakecheck.Rout.save"
    clus1, pop = load("apiclus1"), load("apipop")
    margins = {
        "stype": (clus1["stype"], {"E": 4421.0, "H": 755.0, "M": 1018.0}),
        "sch.wide": (clus1["sch.wide"], {"No": 1072.0, "Yes": 5122.0}),
    }
    raked = rake(clus1["pw"], margins, tol=1e-12)
    dclus1r = raked.design(clusters=clus1["dnum"], fpc=clus1["fpc"])
    out += cases_from(
        src,
        "svymean(~api00, dclus1r)",
        weighted_mean(dclus1r, clus1["api00"]),
        {"value": "641.23", "SE": "23.704"},
    )
    out += cases_from(
        src,
        "svytotal(~enroll, dclus1r)",
        weighted_total(dclus1r, clus1["enroll"]),
        {"value": "3647280", "SE": "400603"},
    )

    # Partial joint distribution: stype × sch.wide as one margin, comp.imp as another.
    joint = np.char.add(np.char.add(clus1["stype"].astype(str), ":"), clus1["sch.wide"].astype(str))
    pop_joint = np.char.add(np.char.add(pop["stype"].astype(str), ":"), pop["sch.wide"].astype(str))
    cells, cell_counts = np.unique(pop_joint, return_counts=True)
    imp, imp_counts = np.unique(pop["comp.imp"].astype(str), return_counts=True)
    raked2 = rake(
        clus1["pw"],
        {
            "stype×sch.wide": (joint, dict(zip(cells, cell_counts.astype(float), strict=True))),
            "comp.imp": (clus1["comp.imp"], dict(zip(imp, imp_counts.astype(float), strict=True))),
        },
        tol=1e-12,
        max_iter=1000,
    )
    dclus1r2 = raked2.design(clusters=clus1["dnum"], fpc=clus1["fpc"])
    out += cases_from(
        src,
        "svymean(~api00, dclus1r2)",
        weighted_mean(dclus1r2, clus1["api00"]),
        {"value": "642.61", "SE": "22.731"},
    )
    return out


# The `kigyo` data typed into deff.Rout.save.
KIGYO_URIAGE = np.array([15, 143, 21, 51, 337, 50, 274, 145, 15, 86], dtype=float)
KIGYO_SRS_W = np.full(10, 100.0)
KIGYO_PPS_W = np.array([20, 200, 11, 25, 550, 30, 250, 100, 10, 55], dtype=float)


def deff_cases() -> list[Case]:
    out: list[Case] = []
    src = "deff.Rout.save"
    srs, pps = Design(KIGYO_SRS_W), Design(KIGYO_PPS_W)
    out += cases_from(
        src,
        "svymean(~uriage, des.srs, deff=TRUE)",
        weighted_mean(srs, KIGYO_URIAGE),
        {"value": "113.700", "SE": "35.626", "DEff": "1.0101"},
    )
    out += cases_from(
        src,
        "svytotal(~uriage, des.srs, deff=TRUE)",
        weighted_total(srs, KIGYO_URIAGE),
        {"value": "113700", "SE": "35626", "DEff": "1.0101"},
    )
    out += cases_from(
        src,
        "svymean(~uriage, des.pps, deff='replace')",
        weighted_mean(pps, KIGYO_URIAGE, deff_with_replacement=True),
        {"value": "243.914", "SE": "48.752", "DEff": "1.9741"},
    )
    out += cases_from(
        src,
        "svytotal(~uriage, des.pps, deff='replace')",
        weighted_total(pps, KIGYO_URIAGE, deff_with_replacement=True),
        {"value": "305136", "SE": "184965", "DEff": "18.157"},
    )
    # The ratios the file prints to 7 digits: deff = SE² / (SRS variance).
    out += cases_from(
        src,
        "SE(res.srs)^2 / ((1-10/1000) * svyvar / 10)",
        weighted_mean(srs, KIGYO_URIAGE),
        {"DEff": "1.010101"},
    )
    out += cases_from(
        src,
        "SE(res.pps)^2 / (svyvar / 10)",
        weighted_mean(pps, KIGYO_URIAGE, deff_with_replacement=True),
        {"DEff": "1.974067"},
    )
    out += cases_from(
        src,
        "SE(tres.pps)^2 / (N.hat^2 * svyvar / 10)",
        weighted_total(pps, KIGYO_URIAGE, deff_with_replacement=True),
        {"DEff": "18.15669"},
    )
    return out


# R's `data(fpc)` as printed by the survey package (stratid, psuid, weight, x); not among the CSVs.
FPC_STRATUM = np.array([1, 1, 1, 1, 1, 2, 2, 2])
FPC_PSU = np.array([1, 2, 3, 4, 5, 1, 2, 3])
FPC_WEIGHT = np.array([3, 3, 3, 3, 3, 4, 4, 4], dtype=float)
FPC_X = np.array([2.8, 4.1, 6.8, 6.8, 9.2, 3.7, 6.6, 4.2])


def domain_cases() -> list[Case]:
    out: list[Case] = []
    src = "domain.Rout.save"
    dfpc = Design(FPC_WEIGHT, strata=FPC_STRATUM, clusters=FPC_PSU)
    above = FPC_X > 4
    out += cases_from(
        src,
        "svymean(~x, subset(dfpc, x>4))",
        weighted_mean(dfpc, FPC_X, domain=above),
        {"value": "6.195", "SE": "0.7555"},
    )
    out += cases_from(
        src,
        "svyby(~x, ~I(x>4), dfpc, svymean)[FALSE]",
        weighted_mean(dfpc, FPC_X, domain=~above),
        {"value": "3.314286", "SE": "0.3117042"},
    )
    out += cases_from(
        src,
        "svyby(~x, ~I(x>4), dfpc, svymean)[TRUE]",
        weighted_mean(dfpc, FPC_X, domain=above),
        {"value": "6.195000", "SE": "0.7555129"},
    )
    out += cases_from(
        src,
        "svyratio(~I(x*(x>4)), ~as.numeric(x>4), dfpc)",
        weighted_ratio(dfpc, FPC_X * above, above.astype(float)),
        {"value": "6.195", "SE": "0.7555129"},
    )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="same cases; for a uniform interface")
    parser.parse_args(argv)
    if not DATA.is_dir():
        sys.exit(f"no reference data at {DATA} (set KEXIE_SHARED)")
    groups: list[Callable[[], list[Case]]] = [api_cases, rakecheck_cases, deff_cases, domain_cases]
    cases = [case for group in groups for case in group()]
    width = max(len(c.call) for c in cases)
    for c in cases:
        mark = "ok" if c.diff == 0 else "DIFF"
        print(
            f"{c.source:20} {c.call:{width}} {c.quantity:5} R={c.printed:>12} ours={c.ours:<20.10g} "
            f"|diff|={c.diff:.3g} {mark}"
        )
    missed = [c for c in cases if c.diff != 0]
    emit(
        {
            "cases": len(cases),
            "reproduced": len(cases) - len(missed),
            "max_abs_diff": max(c.diff for c in cases),
            "max_rel_diff": max(c.rel for c in cases),
            "not_reproduced": [
                {
                    "call": c.call,
                    "quantity": c.quantity,
                    "R": c.printed,
                    "ours": round(c.ours, 10),
                    "note": NOTES.get((c.call, c.quantity), ""),
                }
                for c in missed
            ],
            "sources": sorted({c.source for c in cases}),
        }
    )


if __name__ == "__main__":
    main(sys.argv[1:] if len(sys.argv) > 1 else None)
