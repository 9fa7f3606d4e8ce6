"""Intervals with the whole design's degrees of freedom (``df="design"``), checked against R.

R's ``svyciprop`` on a subset uses the subset's ``degf`` by default (our ``df="domain"``, checked in
test_survey_r.py); Stata's ``svy, subpop()``, SPSS Complex Samples and MICS use the whole design's,
which is ``svyciprop(…, df = degf(design))`` in R. ``survey_df_reference.R`` computes those on the
data sets of test_survey_r.py; the stored ``reference/survey_df_r_results.csv`` lets the suite run
without R, and the ``needs_r`` test recomputes it live. To rebuild it:

    .venv/bin/python tests/engines/test_survey_df.py
"""

from __future__ import annotations

import csv
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_survey_r import make_data, write_data

from target87.engines.childlabour import ColumnMapping, Options, estimate_child_labour, load_definition
from target87.engines.survey import CI_METHODS, Design, ci_proportion, factorize, tabulate

HERE = Path(__file__).resolve().parent
REF = HERE / "reference"
R_SCRIPT = HERE / "survey_df_reference.R"

#: data set, lonely, adjust_domain_lonely, fpc, level, tables (as in test_survey_r.py)
CASES = [
    ("basic", "fail", False, False, 0.95, "sex;age_group;area;sex+age_group"),
    ("lonely", "adjust", True, False, 0.95, "grp;grp+sex"),
    ("fpc", "average", False, True, 0.90, "sex;area"),
]


def write_cases(directory: Path) -> Path:
    for name in sorted({c[0] for c in CASES}):
        write_data(name, directory / f"survey_{name}.csv")
    path = directory / "survey_df_cases.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["data", "lonely", "adjust_domain_lonely", "fpc", "level", "by"])
        for name, lonely, adl, fpc, level, by in CASES:
            w.writerow([f"survey_{name}.csv", lonely, str(adl).upper(), str(fpc).upper(), level, by])
    return path


def run_r(directory: Path) -> Path:
    cases = write_cases(directory)
    out = directory / "survey_df_r_results.csv"
    subprocess.run(["Rscript", str(R_SCRIPT), str(cases), str(out)], check=True, capture_output=True, timeout=600)
    return out


def python_results() -> dict[tuple, dict[str, float]]:
    results = {}
    for k, (name, lonely, adl, fpc, level, by) in enumerate(CASES):
        data = make_data(name)
        design = Design(
            data["weight"],
            data["stratum"],
            data["psu"],
            data["fpc"] if fpc else None,
            lonely_psu=lonely,
            adjust_domain_lonely=adl,
        )
        whole = design.degf()
        tables = [()] + [tuple(t.split("+")) for t in by.split(";") if t]
        variables = {}
        for t in tables:
            for v in t:
                codes, labels = factorize(data[v])
                variables[v] = (codes, [str(x) for x in labels])
        for spec, table in zip(
            [""] + by.split(";"),
            tabulate(design, data["y"], variables, tables, data["inscope"] == 1, glm_start=True),
            strict=True,
        ):
            est = table.estimates
            df = np.full(est.df.shape, whole)
            cis = {
                m: ci_proportion(
                    est.mean, est.se_mean, df, est.n, m, level, n_nonzero=est.n_nonzero, glm_start=est.glm_start
                )
                for m in CI_METHODS
            }
            for i, cats in enumerate(table.categories):
                row = {"design_df": whole, "domain_df": est.df[i], "n": est.n[i]}
                for m in CI_METHODS:
                    row[f"{m}_lo"], row[f"{m}_hi"] = cis[m][0][i], cis[m][1][i]
                results[(k, spec, "|".join(cats) if cats else "_T")] = row
    return results


def _num(text: str) -> float:
    return math.nan if text in ("NA", "NaN", "") else float(text)


def compare(r_csv: Path) -> int:
    ours = python_results()
    checked = differ = 0
    with r_csv.open() as fh:
        for r in csv.DictReader(fh):
            key = (int(r["case"]), r["table"], r["domain"])
            mine = ours[key]
            assert mine["design_df"] == float(r["design_df"]), key
            assert mine["domain_df"] == float(r["domain_df"]), key
            differ += mine["design_df"] != mine["domain_df"]
            for m in CI_METHODS:
                for end in ("lo", "hi"):
                    a, b = mine[f"{m}_{end}"], _num(r[f"{m}_{end}"])
                    if math.isnan(b):
                        assert math.isnan(a), (key, m, end, a, b)
                    else:
                        assert abs(a - b) <= 1e-6, (key, m, end, a, b)
            checked += 1
    assert checked == sum(1 for v in ours.values() if v["n"] > 0)
    assert differ >= checked // 2  # the check means something: most domains have fewer df than the design
    return checked


def test_stored_references_agree():
    assert compare(REF / "survey_df_r_results.csv") > 20


@pytest.mark.needs_r
@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript is not installed")
def test_live_r_agrees(tmp_path):
    assert compare(run_r(tmp_path)) > 20


def test_degf_counts_psus_of_non_zero_weight():
    # 3 strata, 7 PSUs; PSU 7 has only zero weights: degf = 6 − 3
    weights = np.array([1.0, 2, 1, 1, 3, 1, 2, 0, 0])
    strata = np.array([1, 1, 2, 2, 2, 3, 3, 3, 3])
    psu = np.array([1, 2, 3, 4, 5, 6, 6, 7, 7])
    assert Design(weights, strata, psu).degf() == 3.0


def test_child_labour_option_records_and_uses_the_design_df():
    data = make_data("basic")
    table = {
        "weight": data["weight"],
        "stratum": data["stratum"],
        "psu": data["psu"],
        "age": data["age"],
        "sex": data["sex"],
        "area": data["area"],
        "econ_hours": np.where(data["y"] == 1, 50.0, 0.0),
        "chore_hours": np.zeros(data["y"].size),
        "hazardous": np.zeros(data["y"].size),
    }
    mapping = ColumnMapping(
        weight="weight",
        strata="stratum",
        psu="psu",
        age="age",
        sex="sex",
        area="area",
        econ_hours="econ_hours",
        chore_hours="chore_hours",
        hazardous="hazardous",
    )
    definition = load_definition("sdg")
    by = [("sex",), ("area",)]
    domain = estimate_child_labour(table, mapping, definition, by, Options())
    design = estimate_child_labour(table, mapping, definition, by, Options(df="design"))
    whole = Design(data["weight"], data["stratum"], data["psu"]).degf()
    assert {row.df for row in design.rows} == {whole}
    assert domain.to_dict()["options"]["df"] == "domain"
    assert design.to_dict()["options"]["df"] == "design"
    ref = {}
    with (REF / "survey_df_r_results.csv").open() as fh:
        for r in csv.DictReader(fh):
            if r["case"] == "0" and r["table"] in ("", "sex", "area"):
                ref[r["domain"]] = r
    for a, b in zip(domain.rows, design.rows, strict=True):
        assert a.estimate == b.estimate and a.se == b.se
        cat = next((v for v in a.categories.values() if v != "_T"), "_T")
        assert abs(b.ci_lower / 100 - float(ref[cat]["logit_lo"])) <= 1e-6
        assert abs(b.ci_upper / 100 - float(ref[cat]["logit_hi"])) <= 1e-6
        if a.df < whole:  # more degrees of freedom, a narrower interval
            assert b.ci_upper - b.ci_lower < a.ci_upper - a.ci_lower


def test_unknown_df_option_is_refused():
    from target87.engines.childlabour import ChildLabourError

    with pytest.raises(ChildLabourError, match="--df must be one of domain, design"):
        estimate_child_labour({"weight": np.ones(2)}, ColumnMapping(), load_definition("sdg"), [], Options(df="stata"))


if __name__ == "__main__":
    REF.mkdir(exist_ok=True)
    out = run_r(REF)
    print(f"wrote {out} ({compare(out)} domains agree)", file=sys.stderr)
