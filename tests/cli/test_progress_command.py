"""``target87 progress``: Open SDG CSV and SDMX-CSV in, one CSV row per series and method out."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from target87.cli.progress import main


def write(tmp_path: Path, text: str, name: str = "obs.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(capsys, argv: list[str]) -> tuple[int, list[dict[str, str]], str]:
    status = main(argv)
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out))) if captured.out else []
    return status, rows, captured.err


# Open SDG CSV: the total (blank categories) is Statistics Canada's published 1-1-1 example,
# 14.5 (2015) → 10.2 (2023), target 7.25 by 2030 → score 2.5185563910, substantial progress.
OPEN_SDG = """Year,Sex,Value
2015,,14.5
2019,,12.0
2023,,10.2
2015,Female,15.0
2023,Female,14.9
2016,Male,14.0
2023,Male,NA
2020,Male,<0.1
"""

SDMX = """DATAFLOW,SERIES,REF_AREA,TIME_PERIOD,SEX,OBS_VALUE,LOWER_BOUND,UPPER_BOUND,UNIT_MEASURE
UN:DF_SDG(1.0),SL_TLF_CHLDEC,764,2016,_T,10.4,9.4,11.4,PT
UN:DF_SDG(1.0),SL_TLF_CHLDEC,764,2020,_T,8.1,7.3,8.9,PT
UN:DF_SDG(1.0),SL_TLF_CHLDEC,418,2017,_T,42.0,,,PT
UN:DF_SDG(1.0),SL_TLF_CHLDEC,418,2022,_T,40.0,,,PT
UN:DF_SDG(1.0),SL_TLF_CHLDEC,116,2019,_T,12.0,,,PT
"""


def test_open_sdg_csv_gives_the_published_example(tmp_path, capsys):
    path = write(tmp_path, OPEN_SDG)
    args = [path, "--method", "opensdg", "--target-value", "7.25", "--target-year", "2030", "--direction", "decrease"]
    status, rows, err = run(capsys, args)
    assert status == 0
    assert list(rows[0]) == ["Sex", "method", "base_year", "latest_year", "score", "label", "probability"]
    total = next(r for r in rows if r["Sex"] == "")
    assert total["score"].startswith("2.51855639103")
    assert (total["label"], total["base_year"], total["latest_year"]) == ("substantial_progress", "2015", "2023")
    assert total["probability"] == ""
    male = next(r for r in rows if r["Sex"] == "Male")
    assert male["label"] == "not_available"  # only 2016 is a number
    # the two values that are not numbers are named with their lines, not dropped silently
    assert "Line 8: the value 'NA' is not a number" in err
    assert "Line 9: the value '<0.1' is not a number" in err
    assert "Male" in err


def test_sdmx_csv_with_bounds_gives_probabilities(tmp_path, capsys):
    path = write(tmp_path, SDMX)
    args = [path, "--method", "unsd-2022", "--target-value", "0", "--target-year", "2025", "--direction", "decrease"]
    status, rows, err = run(capsys, args)
    assert status == 0, err
    # read by the project's SDMX reader: REF_AREA as ISO3 (764 is Thailand)
    assert list(rows[0])[:3] == ["SERIES", "REF_AREA", "SEX"]
    th = next(r for r in rows if r["REF_AREA"] == "THA")
    # CR = CAGR_a / CAGR_r = ((8.1/10.4)^(1/4) − 1) / ((0.001/10.4)^(1/9) − 1)
    expected = ((8.1 / 10.4) ** (1 / 4) - 1) / ((0.001 / 10.4) ** (1 / 9) - 1)
    assert float(th["score"]) == pytest.approx(expected, rel=1e-12)
    assert th["label"] == "limited"
    assert 0 < float(th["probability"]) <= 1
    la = next(r for r in rows if r["REF_AREA"] == "LAO")
    assert la["probability"] == "" and la["label"] == "limited"
    kh = next(r for r in rows if r["REF_AREA"] == "KHM")
    assert kh["label"] == "insufficient_data" and kh["score"] == ""


def test_sdmx_values_that_are_not_numbers_are_named(tmp_path, capsys):
    text = SDMX.replace(",8.1,7.3,8.9,", ",<0.1,,,")
    status, rows, err = run(capsys, [write(tmp_path, text), "--method", "opensdg", "--direction", "decrease"])
    assert status == 0
    assert "Line 3: the value '<0.1' is not a number" in err and "THA" in err
    assert next(r for r in rows if r["REF_AREA"] == "THA")["label"] == "not_available"


def test_method_all_lists_every_method(tmp_path, capsys):
    path = write(tmp_path, SDMX)
    args = [path, "--method", "all", "--target-value", "0", "--target-year", "2025", "--direction", "decrease"]
    status, rows, _err = run(capsys, args)
    assert status == 0
    th = [r for r in rows if r["REF_AREA"] == "THA"]
    assert [r["method"] for r in th] == ["unsd-2022", "unsd-2023", "escap-csi", "escap-api", "opensdg"]
    assert {r["method"]: r["label"] for r in th}["escap-csi"] == ""
    # escap-csi: −(8.1 − 10.4) / |0 − 10.4|
    assert float(th[2]["score"]) == pytest.approx(2.3 / 10.4)


def test_all_without_target_keeps_opensdg_and_says_so(tmp_path, capsys):
    status, rows, err = run(capsys, [write(tmp_path, OPEN_SDG), "--method", "all", "--direction", "decrease"])
    assert status == 0
    assert {r["method"] for r in rows} == {"opensdg"}
    assert "only opensdg applies" in err


@pytest.mark.parametrize(
    ("text", "extra", "words"),
    [
        ("", [], "empty"),
        ("a,b\n1,2\n", [], "Unknown file layout"),
        ("Year,Value\nsoon,1\n", [], "'soon' is not a year"),
        ("Year,Value\n2015,1\n2015,2\n", [], "two values for 2015"),
        ("Year,Value\n2015,1,3\n", [], "3 fields"),
        ("Year,Value\n2015,NA\n", [], "No observation with a number"),
        (SDMX.replace("9.4,11.4", "11.0,12.0"), [], "do not enclose"),
        (SDMX + SDMX.splitlines()[1] + "\n", [], "Lines 2, 7 give the same observation"),
        (SDMX.replace(",764,2016,", ",764,,"), [], "Lines without REF_AREA or TIME_PERIOD: 2"),
        (OPEN_SDG, ["--method", "unsd-2030"], "Unknown progress method"),
        (OPEN_SDG, ["--method", "unsd-2022", "--target-value", ""], "--target-value"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, text, extra, words):
    path = write(tmp_path, text)
    argv = [path, "--direction", "decrease", "--method", "unsd-2022", "--target-value", "5", *extra]
    if "--target-value" in extra and extra[-1] == "":
        argv = [path, "--direction", "decrease", "--method", "unsd-2022"]
    status, rows, err = run(capsys, argv)
    assert status == 2
    assert rows == []
    assert words in err
    assert err.count("error:") == 1 and err.endswith("\n") and "Traceback" not in err
    assert err.splitlines()[-1].startswith("target87 progress: error: ")


def test_missing_file_and_bad_options(tmp_path, capsys):
    status, _rows, err = run(capsys, [str(tmp_path / "none.csv"), "--method", "opensdg", "--direction", "up"])
    assert status == 2 and "invalid choice" in err
    status, _rows, err = run(capsys, [str(tmp_path / "none.csv"), "--method", "opensdg", "--direction", "increase"])
    assert status == 2 and "Cannot read" in err


def test_command_runs_without_django_and_head_closes_quietly(tmp_path):
    lines = ["Year,Area,Value"] + [f"{y},A{k},{10 + k - (y - 2015) * 0.3}" for k in range(3000) for y in (2015, 2022)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    cmd = [sys.executable, "-m", "target87", "progress", path, "--method", "opensdg", "--direction", "decrease"]
    done = subprocess.run(f"{' '.join(cmd)} | head -3", shell=True, capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[0] == "Area,method,base_year,latest_year,score,label,probability"
    assert len(done.stdout.splitlines()) == 3
    assert done.stderr == ""


def test_a_field_longer_than_a_table_may_hold_is_one_clear_line(tmp_path, capsys):
    text = 'Year,Value\n2015,14.5\n2016,"' + "1" * 200_000 + "\n"
    argv = [write(tmp_path, text), "--method", "opensdg", "--base-year", "2015", "--direction", "decrease"]
    status, rows, err = run(capsys, argv)
    assert status == 2 and rows == []
    assert "line 3: a field is longer than 131,072 characters" in err and "Traceback" not in err
