"""``target87 estimate child-labour``: output formats, agreement with R end to end, and bad input."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from target87.cli.estimate import main

REF = Path(__file__).resolve().parents[1] / "engines" / "reference"
ROOT = Path(__file__).resolve().parents[2]


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def survey_csv(tmp_path):
    """The 'basic' reference data set as a child file: y = 1 ⇔ 50 hours of economic activity."""
    src = REF / "survey_basic.csv"
    dst = tmp_path / "children.csv"
    with src.open() as fh, dst.open("w", newline="") as out:
        rows = list(csv.DictReader(fh))
        w = csv.writer(out)
        w.writerow(["weight", "stratum", "psu", "age", "sex", "area", "econ_hours", "chore_hours", "hazardous"])
        for r in rows:
            w.writerow(
                [r["weight"], r["stratum"], r["psu"], r["age"], r["sex"], r["area"], 50 if r["y"] == "1" else 0, 0, 0]
            )
    return dst


def r_reference(case: int) -> dict[tuple[str, str], dict[str, str]]:
    with (REF / "survey_r_results.csv").open() as fh:
        return {(r["table"], r["domain"]): r for r in csv.DictReader(fh) if r["case"] == str(case)}


def test_csv_output_matches_r_end_to_end(survey_csv, capsys):
    code, out, err = run(
        [
            "child-labour",
            str(survey_csv),
            "--by",
            "sex",
            "--by",
            "age_group",
            "--by",
            "area",
            "--by",
            "sex,age_group",
            "--format",
            "csv",
        ],
        capsys,
    )
    assert code == 0, err
    assert "outside ages 5-17" in err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["sex", "age_group", "area", "n", "estimate", "se", "ci_lower", "ci_upper", "number"]
    ref = r_reference(0)
    assert len(rows) == 1 + 2 + 3 + 2 + 6 == len(ref)
    for row in rows:
        used = [v for v in ("sex", "age_group", "area") if row[v] != "_T"]
        table = "+".join(used)
        domain = "|".join(row[v] for v in used) or "_T"
        r = ref[(table, domain)]
        assert int(row["n"]) == int(r["n"])
        assert math.isclose(float(row["estimate"]), 100 * float(r["mean"]), rel_tol=1e-6)
        assert math.isclose(float(row["se"]), 100 * float(r["se"]), rel_tol=1e-6)
        assert abs(float(row["ci_lower"]) / 100 - float(r["logit_lo"])) <= 1e-6
        assert abs(float(row["ci_upper"]) / 100 - float(r["logit_hi"])) <= 1e-6
        assert math.isclose(float(row["number"]), float(r["total"]), rel_tol=1e-6)


@pytest.mark.parametrize("method", ["beta", "likelihood"])
def test_ci_method_and_level(survey_csv, capsys, method):
    code, out, _err = run(
        [
            "child-labour",
            str(survey_csv),
            "--by",
            "sex,area",
            "--ci-method",
            method,
            "--level",
            "0.9",
        ],
        capsys,
    )
    assert code == 0
    ref = r_reference(1)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1 + 4
    for row in rows:
        domain = "_T" if row["sex"] == "_T" else f"{row['sex']}|{row['area']}"
        table = "" if domain == "_T" else "sex+area"
        assert abs(float(row["ci_lower"]) / 100 - float(ref[(table, domain)][f"{method}_lo"])) <= 1e-6
        assert abs(float(row["ci_upper"]) / 100 - float(ref[(table, domain)][f"{method}_hi"])) <= 1e-6


def test_json_table_and_sdmx_formats(survey_csv, capsys):
    code, out, _ = run(["child-labour", str(survey_csv), "--by", "sex", "--format", "json"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["definition"]["series"] == "SL_TLF_CHLDEC" and len(doc["rows"]) == 3
    assert doc["rows"][0]["sex"] == "_T" and doc["rows"][0]["number_se"] > 0
    code, out, _ = run(["child-labour", str(survey_csv), "--by", "sex", "--format", "table"], capsys)
    assert code == 0 and "total" in out and "child labour" in out
    code, out, _ = run(
        [
            "child-labour",
            str(survey_csv),
            "--by",
            "sex,age_group",
            "--by",
            "area",
            "--format",
            "sdmx-csv",
            "--ref-area",
            "KHM",
            "--year",
            "2024",
        ],
        capsys,
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {
        "SERIES",
        "REF_AREA",
        "TIME_PERIOD",
        "SEX",
        "AGE",
        "URBANISATION",
        "OBS_VALUE",
        "LOWER_BOUND",
        "UPPER_BOUND",
    } <= set(rows[0])
    assert rows[0]["SEX"] == "_T" and rows[0]["AGE"] == "Y5T17" and rows[0]["URBANISATION"] == "_T"
    assert {r["AGE"] for r in rows} == {"Y5T17", "Y5T11", "Y12T14", "Y15T17"}
    assert {r["URBANISATION"] for r in rows} == {"_T", "U", "R"}
    assert all(r["REF_AREA"] == "116" and r["REF_AREA_ISO3"] == "KHM" and r["TIME_PERIOD"] == "2024" for r in rows)
    assert all(r["STRUCTURE_ID"] == "IAEG-SDGs:DF_SDG_GLH(1.0)" and r["REPORTING_TYPE"] == "N" for r in rows)
    # an SDMX reader reads it back, given the SDG structure: the same observations
    import sdmx as sdmx1

    from target87.engines.sdmx import data_structure

    written = Path(str(survey_csv) + ".sdmx.csv")
    written.write_text(out, encoding="utf-8")
    message = sdmx1.read_sdmx(written, structure=data_structure())
    assert sum(len(ds.obs) for ds in message.data) == len(rows)
    code, _out, err = run(["child-labour", str(survey_csv), "--by", "sex", "--format", "sdmx-csv"], capsys)
    assert code == 2 and "--ref-area" in err and "--year" in err
    code, _out, err = run(["child-labour", str(survey_csv), "--definition", "mics4", "--format", "sdmx-csv"], capsys)
    assert code == 2 and "--series" in err


def test_json_output_is_the_engines_result_under_the_commands_names(survey_csv, capsys):
    from target87.engines.childlabour import estimate_child_labour_file, load_definition, parse_by

    argv = ["child-labour", str(survey_csv), "--by", "sex,age_group", "--definition", "mics4"]
    code, out, _err = run([*argv, "--format", "json", "--series", "XX_MICS4"], capsys)
    engine = estimate_child_labour_file(survey_csv, definition=load_definition("mics4"), by=parse_by(["sex,age_group"]))
    data = engine.to_dict()
    assert code == 0
    assert json.loads(out) == {
        "indicator": "SDG 8.7.1",
        "definition": {**data["definition"], "series": "XX_MICS4"},
        "options": data["options"],
        "rows_in_file": engine.n_rows,
        "children_5_17": engine.n_children,
        "outside_ages_5_17": engine.n_outside_age,
        "notes": ["Definition mics4: the values are not comparable with the SDG 8.7.1 series."],
        "variables": ["sex", "age_group"],
        "rows": [{**row["categories"], **{k: v for k, v in row.items() if k != "categories"}} for row in data["rows"]],
    }


def test_rule_43_and_definitions(survey_csv, capsys, tmp_path):
    _c, ge, _ = run(["child-labour", str(survey_csv), "--rule-43", "ge"], capsys)
    toml = tmp_path / "d.toml"
    toml.write_text('name = "x"\n[[criteria]]\nages = [5, 17]\necon_hours = { at_least = 50 }\n')
    _c, custom, _ = run(["child-labour", str(survey_csv), "--definition", str(toml)], capsys)
    assert ge.splitlines()[1] == custom.splitlines()[1]
    code, _o, err = run(["child-labour", str(survey_csv), "--definition", "mics4"], capsys)
    assert code == 0 and "not comparable" in err


def test_empty_domain_row(tmp_path, capsys):
    path = tmp_path / "c.csv"
    rng = np.random.default_rng(1)
    with path.open("w") as fh:
        fh.write("weight,stratum,psu,age,sex,area,econ_hours,chore_hours\n")
        for i in range(200):
            age = int(rng.integers(5, 18))
            sex = "F" if age <= 11 else "M"
            fh.write(f"1.5,{i // 50},{i // 10},{age},{sex},U,{rng.integers(0, 50)},0\n")
    code, out, err = run(["child-labour", str(path), "--by", "sex,age_group"], capsys)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    empty = [r for r in rows if r["n"] == "0"]
    assert len(empty) == 3 and all(r["estimate"] == r["se"] == r["number"] == r["ci_lower"] == "" for r in empty)


def write(tmp_path, text, name="c.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


HEAD = "weight,stratum,psu,age,sex,area,econ_hours,chore_hours\n"
GOOD = ["1,1,1,7,F,U,0,0", "2,1,2,9,M,R,3,0", "1,2,3,13,F,U,20,0", "2,2,4,16,M,R,50,0"]


@pytest.mark.parametrize(
    "lines, words",
    [
        (
            ["1,1,1,7,F,U,0,0", "1,1,2,8,F,U,abc,0", "1,2,3,9,M,R,x,0", "1,2,4,9,M,R,1,0"],
            ["econ_hours", "2 rows", "2 ('abc')", "3 ('x')"],
        ),
        (["1,1,1,seven,F,U,0,0"] + GOOD[1:], ["age", "1 ('seven')"]),
        (
            ["-1,1,1,7,F,U,0,0", "1,1,2,8,F,U,0,0", "1,2,3,9,M,R,0,0", "-3,2,4,9,M,R,1,0"],
            ["negative weights", "2 rows", "1 (-1)", "4 (-3)"],
        ),
        ([",1,1,7,F,U,0,0"] + GOOD[1:], ["weight", "empty", "1 row: 1"]),
        (
            ["1,1,1,7,F,U,0,0", "1,2,2,8,F,U,0,0", "1,2,3,9,M,R,0,0", "1,3,4,9,M,R,1,0"],
            ["single PSU", "1, 3", "--lonely-psu"],
        ),
    ],
)
def test_bad_values_exit_2_with_rows_named(tmp_path, capsys, lines, words):
    code, _out, err = run(["child-labour", str(write(tmp_path, HEAD + "\n".join(lines) + "\n"))], capsys)
    assert code == 2
    for w in words:
        assert w in err


def test_missing_columns_message(tmp_path, capsys):
    path = write(tmp_path, "wt,strat,cluster,age,sex,area\n1,1,1,7,F,U\n")
    code, _out, err = run(["child-labour", str(path)], capsys)
    assert code == 2
    for w in (
        "Missing columns",
        "weight",
        "--weight",
        "econ_hours",
        "--econ-hours",
        "Found:",
        "wt",
        "cluster",
        "--strata none",
    ):
        assert w in err
    path = write(tmp_path, "wt,strat,cluster,age,sex,area,e,c\n" + "\n".join(GOOD) + "\n", "d.csv")
    code, _out, err = run(
        [
            "child-labour",
            str(path),
            "--weight",
            "wt",
            "--strata",
            "strat",
            "--psu",
            "cluster",
            "--econ-hours",
            "e",
            "--chore-hours",
            "c",
        ],
        capsys,
    )
    assert code == 0, err


def test_unknown_and_unreadable_files(tmp_path, capsys):
    code, _o, err = run(["child-labour", str(write(tmp_path, "x", "data.xlsx"))], capsys)
    assert code == 2 and "Unknown file type .xlsx" in err
    code, _o, err = run(["child-labour", str(tmp_path / "nope.csv")], capsys)
    assert code == 2 and "not found" in err
    code, _o, err = run(["child-labour", str(write(tmp_path, "not parquet", "x.parquet"))], capsys)
    assert code == 2 and "Cannot read x.parquet" in err
    code, _o, err = run(["child-labour", str(write(tmp_path, "not spss", "x.sav"))], capsys)
    assert code == 2 and "Cannot read x.sav" in err
    code, _o, err = run(["child-labour", "a.csv", "--level", "abc"], capsys)
    assert code == 2
    code, _o, err = run(["child-labour", "a.csv", "--level", "2"], capsys)
    assert code == 2


def test_parquet_spss_and_stata_with_value_labels(tmp_path, capsys, survey_csv):
    import pandas as pd
    import pyreadstat

    df = pd.read_csv(survey_csv)
    df["sex"] = np.where(df["sex"] == "F", 2, 1)
    df["area"] = np.where(df["area"] == "U", 1, 2)
    labels = {"sex": {1: "Male", 2: "Female"}, "area": {1: "Urban", 2: "Rural"}}
    outputs = []
    for name in ("c.sav", "c.dta", "c.parquet"):
        path = tmp_path / name
        if name.endswith(".sav"):
            pyreadstat.write_sav(df, str(path), variable_value_labels=labels)
        elif name.endswith(".dta"):
            pyreadstat.write_dta(df, str(path), variable_value_labels=labels)
        else:
            df.to_parquet(path)
        code, out, err = run(["child-labour", str(path), "--by", "sex", "--by", "area"], capsys)
        assert code == 0, err
        outputs.append(out)
    assert "Female" in outputs[0] and "Rural" in outputs[1]
    assert outputs[0] == outputs[1]
    base = list(csv.DictReader(io.StringIO(outputs[2])))
    for a, b in zip(csv.DictReader(io.StringIO(outputs[0])), base):
        assert a["estimate"] == b["estimate"] and a["se"] == b["se"]
    code, out, err = run(
        [
            "child-labour",
            str(tmp_path / "c.sav"),
            "--by",
            "sex",
            "--format",
            "sdmx-csv",
            "--ref-area",
            "KHM",
            "--year",
            "2014",
        ],
        capsys,
    )
    assert code == 0 and {"F", "M", "_T"} == {r["SEX"] for r in csv.DictReader(io.StringIO(out))}


def test_command_dispatch_without_django(survey_csv):
    proc = subprocess.run(
        [sys.executable, "-m", "target87", "estimate", "child-labour", str(survey_csv)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("n,estimate,se,ci_lower,ci_upper,number\n")
    proc = subprocess.run(
        [sys.executable, "-m", "target87", "estimate", "child-labour", "missing.csv"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    code = "import sys, target87.cli.estimate; print('django' in sys.modules, 'pandas' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False False"


def test_sdmx_codes_of_numeric_sex_and_area(survey_csv, tmp_path, capsys):
    text = survey_csv.read_text().splitlines()
    head, body = text[0], [line.split(",") for line in text[1:]]
    for cells in body:  # sex F/M → 2/1 and area U/R → 1/2, as MICS6 HL4 and HH6 code them
        cells[4] = {"F": "2", "M": "1"}[cells[4]]
        cells[5] = {"U": "1", "R": "2"}[cells[5]]
    numeric = tmp_path / "numeric.csv"
    numeric.write_text(head + "\n" + "\n".join(",".join(c) for c in body) + "\n")
    base = ["--by", "sex", "--by", "area", "--format", "sdmx-csv", "--ref-area", "THA", "--year", "2016"]
    _c, expected, _ = run(["child-labour", str(survey_csv), *base], capsys)
    code, _out, err = run(["child-labour", str(numeric), *base], capsys)
    assert code == 2 and "--sex-codes" in err
    code, out, _ = run(
        ["child-labour", str(numeric), *base, "--sex-codes", "1=M,2=F", "--area-codes", "1=U, 2=R"], capsys
    )
    key = lambda rows: sorted((r["SEX"], r["URBANISATION"], r["OBS_VALUE"]) for r in rows)  # noqa: E731
    assert code == 0
    assert key(csv.DictReader(io.StringIO(out))) == key(csv.DictReader(io.StringIO(expected)))
    code, _out, err = run(["child-labour", str(numeric), *base, "--sex-codes", "1=X"], capsys)
    assert code == 2 and "--sex-codes" in err
