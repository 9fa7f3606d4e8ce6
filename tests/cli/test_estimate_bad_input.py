"""``target87 estimate child-labour``: input that cannot give an estimate exits 2 with one clear line."""

from __future__ import annotations

import csv
import io

import pytest

from target87.cli.estimate import main

HEAD = "weight,stratum,psu,age,sex,area,econ_hours,chore_hours\n"
ROWS = ["1,1,1,7,F,U,0,0", "2,1,2,9,M,R,30,0", "1,2,3,13,F,U,20,0", "2,2,4,16,M,R,50,0"]


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Warning" not in err
    return code, out, err


def survey(tmp_path, rows=ROWS, head=HEAD):
    path = tmp_path / "children.csv"
    path.write_text(head + "".join(r + "\n" for r in rows))
    return path


@pytest.mark.parametrize(
    "rows, words",
    [
        ([ROWS[0], "inf" + ROWS[1][1:], *ROWS[2:]], ["infinite", "1 row: 2 (inf)"]),
        ([ROWS[0], "1e308" + ROWS[1][1:], *ROWS[2:]], ["infinite or larger", "2 (1e+308)"]),
        (["0" + r[1:] for r in ROWS], ["weight 0 in column weight"]),
        (["1,1,1,30,F,U,0,0", "1,1,2,40,M,R,30,0", "1,2,3,3,F,U,0,0", "1,2,4,19,M,R,50,0"], ["child aged 5-17"]),
        ([], ["The file has no rows"]),
    ],
)
def test_files_with_nothing_to_estimate_exit_2(tmp_path, capsys, rows, words):
    code, out, err = run(["child-labour", str(survey(tmp_path, rows))], capsys)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    for word in words:
        assert word in err


@pytest.mark.parametrize(
    "options, words",
    [
        (["--year", "abc"], ["--year", "'abc'"]),
        (["--year", "20160"], ["--year"]),
        (["--ref-area", "XX"], ["--ref-area", "'XX'"]),
        (["--ref-area", "999"], ["--ref-area"]),
        (["--series", "ZZZ"], ["--series", "SL_TLF_CHLDEC", "'ZZZ'"]),
        (["--definition", "mics4", "--series", "a b"], ["--series"]),
        (["--population", "inf"], ["--population"]),
        (["--population", "1e308"], ["--population"]),
    ],
)
def test_options_that_are_not_codes_or_finite_numbers_exit_2(tmp_path, capsys, options, words):
    keyed = ["--ref-area", "THA", "--year", "2016"]  # the options under test come after, and win
    code, out, err = run(["child-labour", str(survey(tmp_path)), "--format", "sdmx-csv", *keyed, *options], capsys)
    assert code == 2 and out == ""
    for word in words:
        assert word in err


def test_ref_area_as_m49_is_written_as_its_iso3_code(tmp_path, capsys):
    code, out, _err = run(
        ["child-labour", str(survey(tmp_path)), "--format", "sdmx-csv", "--ref-area", "764", "--year", "2016"], capsys
    )
    row = next(csv.DictReader(io.StringIO(out)))
    assert code == 0 and (row["REF_AREA"], row["REF_AREA_ISO3"], row["TIME_PERIOD"]) == ("764", "THA", "2016")


def test_deeply_nested_definition_exits_2(tmp_path, capsys):
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    code, _out, err = run(["child-labour", str(survey(tmp_path)), "--definition", str(deep)], capsys)
    assert code == 2 and "nested too deeply" in err


def test_column_names_with_terminal_escapes_are_not_echoed(tmp_path, capsys):
    path = tmp_path / "children.csv"
    path.write_text("we\x1b[2Jight,age\n1,10\n")
    code, _out, err = run(["child-labour", str(path)], capsys)
    assert code == 2 and "\x1b" not in err and "we\ufffd[2Jight" in err
