"""``target87 estimate child-labour --df domain|design``: the degrees of freedom of the intervals, against R.

R's references are tests/engines/reference/survey_r_results.csv (``svyciprop`` on the subset, its own
``degf``) and survey_df_r_results.csv (``svyciprop(…, df = degf(design))``), case 0 of each: the
'basic' data set at level 0.95.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from target87.cli.estimate import main

REF = Path(__file__).resolve().parents[1] / "engines" / "reference"


@pytest.fixture
def survey_csv(tmp_path):
    """The 'basic' reference data set as a child file: y = 1 ⇔ 50 hours of economic activity."""
    dst = tmp_path / "children.csv"
    with (REF / "survey_basic.csv").open() as fh, dst.open("w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["weight", "stratum", "psu", "age", "sex", "area", "econ_hours", "chore_hours", "hazardous"])
        for r in csv.DictReader(fh):
            w.writerow(
                [r["weight"], r["stratum"], r["psu"], r["age"], r["sex"], r["area"], 50 if r["y"] == "1" else 0, 0, 0]
            )
    return dst


def reference(name: str) -> dict[tuple[str, str], dict[str, str]]:
    with (REF / name).open() as fh:
        return {(r["table"], r["domain"]): r for r in csv.DictReader(fh) if r["case"] == "0"}


@pytest.mark.parametrize(
    ("option", "ref_file", "df_column"),
    [([], "survey_r_results.csv", "df"), (["--df", "design"], "survey_df_r_results.csv", "design_df")],
)
def test_intervals_and_provenance_follow_the_df_option(survey_csv, capsys, option, ref_file, df_column):
    code = main(["child-labour", str(survey_csv), "--by", "area", "--format", "json", *option])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    assert doc["options"]["df"] == (option[1] if option else "domain")
    said = "whole design's 17 degrees of freedom" in " ".join(doc["notes"])
    assert said == bool(option)
    ref = reference(ref_file)
    assert len(doc["rows"]) == 3
    for row in doc["rows"]:
        key = ("", "_T") if row["area"] == "_T" else ("area", row["area"])
        r = ref[key]
        assert row["df"] == float(r[df_column])
        assert abs(row["ci_lower"] / 100 - float(r["logit_lo"])) <= 1e-6
        assert abs(row["ci_upper"] / 100 - float(r["logit_hi"])) <= 1e-6


def test_urban_interval_narrows_with_the_design_df(survey_csv, capsys):
    widths = {}
    for option in ("domain", "design"):
        assert main(["child-labour", str(survey_csv), "--by", "area", "--format", "json", "--df", option]) == 0
        rows = json.loads(capsys.readouterr().out)["rows"]
        urban = next(r for r in rows if r["area"] == "U")
        widths[option] = (urban["df"], urban["ci_upper"] - urban["ci_lower"])
    assert widths["domain"][0] == 3 and widths["design"][0] == 17
    assert widths["design"][1] < widths["domain"][1]


def test_bad_df_choice_exits_2(survey_csv, capsys):
    code = main(["child-labour", str(survey_csv), "--df", "stata"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--df" in err and "Traceback" not in err
