"""Agreement of the survey engine with R's survey package.

The data sets are generated here (``make_data``); ``survey_reference.R`` computes R's estimates.
Stored references in ``reference/`` let the suite run without R; the ``needs_r`` test recomputes
them live. To rebuild the stored files after changing the data or the cases:

    .venv/bin/python tests/engines/test_survey_r.py
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

from target87.engines.survey import CI_METHODS, Design, ci_proportion, factorize, tabulate

HERE = Path(__file__).resolve().parent
REF = HERE / "reference"
R_SCRIPT = HERE / "survey_reference.R"

#: one line per case: data set, lonely, adjust_domain_lonely, fpc, level, tables
CASES = [
    ("basic", "fail", False, False, 0.95, "sex;age_group;area;sex+age_group"),
    ("basic", "fail", False, False, 0.90, "sex+area"),
    ("lonely", "remove", False, False, 0.95, "grp;sex;grp+sex"),
    ("lonely", "certainty", False, False, 0.95, "grp;sex"),
    ("lonely", "adjust", False, False, 0.95, "grp;sex;grp+sex"),
    ("lonely", "average", False, False, 0.95, "grp;sex;grp+sex"),
    ("lonely", "remove", True, False, 0.95, "grp;grp+sex"),
    ("lonely", "adjust", True, False, 0.95, "grp;grp+sex"),
    ("lonely", "average", True, False, 0.99, "grp;grp+sex"),
    ("fpc", "fail", False, True, 0.95, "sex;area"),
    ("fpc", "average", False, True, 0.95, "sex;area"),
    ("fpc", "adjust", True, True, 0.95, "area+sex"),
    ("single", "fail", False, False, 0.95, "grp"),
]


def make_data(name: str) -> dict[str, np.ndarray]:
    """A stratified cluster sample of children, deterministic for each name."""
    rng = np.random.default_rng(sum(map(ord, name)) * 7919)
    if name == "basic":
        psus_per_stratum = [2, 3, 4, 5, 6, 3]
    elif name == "lonely":
        psus_per_stratum = [1, 3, 4, 1, 2, 5, 3]
    elif name == "fpc":
        psus_per_stratum = [2, 1, 3, 4, 2]
    else:  # single
        psus_per_stratum = [2, 3, 2]
    rows = []
    psu_id = 100
    for h, k in enumerate(psus_per_stratum):
        for _j in range(k):
            psu_id += 1
            size = int(rng.integers(4, 25))
            area = "U" if rng.random() < 0.4 else "R"
            effect = rng.normal(0, 0.8)
            base_w = float(rng.uniform(50, 400))
            for _i in range(size):
                age = int(rng.integers(3, 20))
                sex = "F" if rng.random() < 0.5 else "M"
                p = 1 / (1 + math.exp(-(-1.2 + effect + 0.08 * (age - 10) + (0.3 if area == "R" else 0))))
                y = int(rng.random() < p)
                w = base_w * float(rng.uniform(0.8, 1.25))
                rows.append((f"S{h + 1}", str(psu_id), w, age, sex, area, y))
    n = len(rows)
    data = {
        "stratum": np.array([r[0] for r in rows], dtype=object),
        "psu": np.array([r[1] for r in rows], dtype=object),
        "weight": np.array([r[2] for r in rows]),
        "age": np.array([r[3] for r in rows]),
        "sex": np.array([r[4] for r in rows], dtype=object),
        "area": np.array([r[5] for r in rows], dtype=object),
        "y": np.array([r[6] for r in rows]),
    }
    data["inscope"] = ((data["age"] >= 5) & (data["age"] <= 17)).astype(int)
    age = data["age"]
    data["age_group"] = np.where(age <= 11, "5-11", np.where(age <= 14, "12-14", "15-17")).astype(object)
    psu_rank = factorize(data["psu"])[0]
    if name == "basic":
        zero = rng.choice(n, size=5, replace=False)
        data["weight"][zero] = 0.0
    if name == "lonely":
        # grp "a" lives in a few PSUs only (several strata with one PSU in the domain); "z" has no case
        grp = np.where(psu_rank % 3 == 0, "a", np.where(psu_rank % 4 == 1, "z", "b")).astype(object)
        data["y"] = np.where(grp == "z", 0, data["y"])
        data["grp"] = grp
    if name == "single":
        data["grp"] = np.where(psu_rank == 0, "one", "rest").astype(object)
    if name == "fpc":
        # population sizes (PSUs in the stratum); stratum S2 is a lonely PSU taken with certainty
        sizes = {"S1": 40, "S2": 1, "S3": 25, "S4": 9, "S5": 100}
        data["fpc"] = np.array([sizes[s] for s in data["stratum"]], dtype=float)
    return data


def write_data(name: str, path: Path) -> None:
    data = make_data(name)
    cols = list(data)
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for i in range(len(data["weight"])):
            w.writerow([repr(float(data[c][i])) if c == "weight" else data[c][i] for c in cols])


def write_cases(directory: Path) -> Path:
    for name in sorted({c[0] for c in CASES}):
        write_data(name, directory / f"survey_{name}.csv")
    path = directory / "survey_cases.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["data", "lonely", "adjust_domain_lonely", "fpc", "level", "by"])
        for name, lonely, adl, fpc, level, by in CASES:
            w.writerow([f"survey_{name}.csv", lonely, str(adl).upper(), str(fpc).upper(), level, by])
    return path


def run_r(directory: Path) -> Path:
    cases = write_cases(directory)
    out = directory / "survey_r_results.csv"
    subprocess.run(["Rscript", str(R_SCRIPT), str(cases), str(out)], check=True, capture_output=True, timeout=600)
    return out


def python_results(data_dir: Path) -> dict[tuple, dict[str, float]]:
    """Our estimates for every case, keyed like R's output: (case, table, domain)."""
    results = {}
    loaded: dict[str, dict[str, np.ndarray]] = {}
    for k, (name, lonely, adl, fpc, level, by) in enumerate(CASES):
        data = loaded.setdefault(name, make_data(name))
        design = Design(
            data["weight"],
            data["stratum"],
            data["psu"],
            data["fpc"] if fpc else None,
            lonely_psu=lonely,
            adjust_domain_lonely=adl,
        )
        tables = [()] + [tuple(t.split("+")) for t in by.split(";") if t]
        variables = {}
        for t in tables:
            for v in t:
                codes, labels = factorize(data[v])
                variables[v] = (codes, [str(x) for x in labels])
        scope = data["inscope"] == 1
        results_by_table = tabulate(design, data["y"], variables, tables, scope, glm_start=True)
        for spec, table in zip([""] + by.split(";"), results_by_table):
            est = table.estimates
            cis = {
                m: ci_proportion(
                    est.mean, est.se_mean, est.df, est.n, m, level, n_nonzero=est.n_nonzero, glm_start=est.glm_start
                )
                for m in CI_METHODS
            }
            for i, cats in enumerate(table.categories):
                key = (k, spec, "|".join(cats) if cats else "_T")
                row = {
                    "n": est.n[i],
                    "df": est.df[i],
                    "mean": est.mean[i],
                    "se": est.se_mean[i],
                    "total": est.total[i],
                    "se_total": est.se_total[i],
                }
                for m in CI_METHODS:
                    row[f"{m}_lo"] = cis[m][0][i]
                    row[f"{m}_hi"] = cis[m][1][i]
                results[key] = row
    return results


def _num(text: str) -> float:
    return math.nan if text in ("NA", "NaN", "") else float(text)


def compare(r_csv: Path) -> int:
    ours = python_results(r_csv.parent)
    checked = 0
    limits = dict.fromkeys(CI_METHODS, 0)  # limits compared as numbers, per method
    with r_csv.open() as fh:
        for rrow in csv.DictReader(fh):
            key = (int(rrow["case"]), rrow["table"], rrow["domain"])
            assert key in ours, f"domain missing on our side: {key}"
            mine = ours[key]
            assert mine["n"] == int(rrow["n"]), key
            assert mine["df"] == float(rrow["df"]), key
            for stat in ("mean", "se", "total", "se_total"):
                a, b = mine[stat], _num(rrow[stat])
                assert math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b)), (
                    key,
                    stat,
                    a,
                    b,
                )
            for m in CI_METHODS:
                for end in ("lo", "hi"):
                    a, b = mine[f"{m}_{end}"], _num(rrow[f"{m}_{end}"])
                    if math.isnan(b):
                        assert math.isnan(a), (key, m, end, a, b)
                    else:
                        assert abs(a - b) <= 1e-6, (key, m, end, a, b)
                        limits[m] += 1
            checked += 1
    # every domain with rows on our side was estimated by R too
    assert checked == sum(1 for v in ours.values() if v["n"] > 0)
    # every method, the likelihood interval included, is compared on most domains
    assert min(limits.values()) > checked, limits
    return checked


def test_likelihood_interval_needs_the_glm_start():
    est = Design(np.ones(4), np.array([1, 1, 2, 2]), np.array([1, 2, 3, 4])).estimate(np.array([0, 1, 1, 0]))
    assert est.glm_start is None
    with pytest.raises(ValueError, match="glm_start"):
        ci_proportion(est.mean, est.se_mean, est.df, est.n, "likelihood")


def test_stored_references_agree():
    write_cases_dir = REF
    assert (write_cases_dir / "survey_r_results.csv").exists()
    assert compare(REF / "survey_r_results.csv") > 50


def test_stored_data_is_what_the_generator_makes(tmp_path):
    write_cases(tmp_path)
    for f in tmp_path.iterdir():
        assert f.read_bytes() == (REF / f.name).read_bytes(), f.name


@pytest.mark.needs_r
@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript is not installed")
def test_live_r_agrees(tmp_path):
    assert compare(run_r(tmp_path)) > 50


if __name__ == "__main__":
    REF.mkdir(exist_ok=True)
    out = run_r(REF)
    print(f"wrote {out} ({compare(out)} domains agree)", file=sys.stderr)
