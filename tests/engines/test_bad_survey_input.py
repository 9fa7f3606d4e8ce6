"""Survey files and definitions that cannot be estimated are refused with a message that says why.

Non-finite and overflowing weights, files with nothing to estimate, a header that is one enormous line,
too many columns and definitions nested too deeply: each gives a message for the person who gave the
file, never an infinite number, an empty estimate or an unexpected exception.
"""

from __future__ import annotations

import gzip

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from target87.engines import microdata, tabular
from target87.engines.childlabour import (
    ChildLabourError,
    InvalidValuesError,
    Options,
    estimate_child_labour,
    estimate_child_labour_file,
    load_definition,
)
from target87.engines.microdata import MicrodataError, list_columns
from target87.engines.tabular import TableError

HEAD = "weight,stratum,psu,age,sex,area,econ_hours,chore_hours\n"
ROWS = ["1,1,1,7,F,U,0,0", "2,1,2,9,M,R,30,0", "1,2,3,13,F,U,20,0", "2,2,4,16,M,R,50,0"]


def write(tmp_path, text: str, name: str = "survey.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


# -- weights ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("weight, shown", [("inf", "2 (inf)"), ("1e308", "2 (1e+308)"), ("-inf", "2 (-inf)")])
def test_non_finite_or_overflowing_weight_is_refused_with_its_row(tmp_path, weight, shown):
    rows = [ROWS[0], weight + ROWS[1][1:], *ROWS[2:]]
    with pytest.raises(InvalidValuesError) as caught:
        estimate_child_labour_file(write(tmp_path, HEAD + "\n".join(rows) + "\n"))
    assert shown in caught.value.message and "weight" in caught.value.message
    assert list(caught.value.rows) == [1]


def test_weights_that_overflow_only_when_added_are_refused_in_memory_too():
    data = {
        "weight": np.array([1.0, 1e308, 1e308, 1.0]),
        "stratum": np.array([1, 1, 2, 2]),
        "psu": np.array([1, 2, 3, 4]),
        "age": np.array([7, 9, 13, 16]),
        "econ_hours": np.array([0.0, 30.0, 20.0, 50.0]),
        "chore_hours": np.zeros(4),
    }
    with pytest.raises(InvalidValuesError, match=r"2 rows: 2 \(1e\+308\), 3 \(1e\+308\)"):
        estimate_child_labour(data)


def test_all_zero_weights_are_refused(tmp_path):
    rows = ["0" + r[1:] for r in ROWS]
    with pytest.raises(ChildLabourError, match="weight 0 in column weight"):
        estimate_child_labour_file(write(tmp_path, HEAD + "\n".join(rows) + "\n"))


def test_no_child_aged_5_to_17_is_refused(tmp_path):
    rows = ["1,1,1,30,F,U,0,0", "1,1,2,40,M,R,30,0", "1,2,3,3,F,U,0,0", "1,2,4,19,M,R,50,0"]
    with pytest.raises(ChildLabourError, match="None of the 4 rows is a child aged 5-17"):
        estimate_child_labour_file(write(tmp_path, HEAD + "\n".join(rows) + "\n"))


def test_header_only_csv_says_the_file_has_no_rows(tmp_path):
    with pytest.raises(ChildLabourError, match="The file has no rows"):
        estimate_child_labour_file(write(tmp_path, HEAD))


@pytest.mark.parametrize("name", ["survey.parquet", "survey.sav", "survey.dta"])
def test_files_without_rows_say_the_file_has_no_rows(tmp_path, name):
    names = HEAD.strip().split(",")
    path = tmp_path / name
    if name.endswith(".parquet"):
        table = pa.table({n: pa.array([], pa.string() if n in ("sex", "area") else pa.float64()) for n in names})
        pq.write_table(table, path)
    else:
        import pandas as pd
        import pyreadstat

        frame = pd.DataFrame({n: pd.Series([], dtype=float) for n in names})
        (pyreadstat.write_sav if name.endswith(".sav") else pyreadstat.write_dta)(frame, str(path))
    with pytest.raises(ChildLabourError, match="The file has no rows"):
        estimate_child_labour_file(path)


@pytest.mark.parametrize("population", [float("inf"), 1e308, float("nan"), 0.0])
def test_population_must_be_a_finite_positive_number(tmp_path, population):
    with pytest.raises(ChildLabourError, match="--population must be a positive number"):
        estimate_child_labour_file(
            write(tmp_path, HEAD + "\n".join(ROWS) + "\n"), options=Options(population=population)
        )


# -- lines and columns --------------------------------------------------------------------------------------
def _gzip_one_line_header(path, size: int):
    """A .csv.gz whose header is one line of ``size`` bytes (names and commas), written in pieces."""
    piece = b"abcdefg," * (1 << 13)
    with gzip.open(path, "wb", compresslevel=1) as fh:
        for _ in range(size // len(piece) + 1):
            fh.write(piece)
        fh.write(b"\n1,2\n")
    return path


def test_gzip_whose_header_is_one_huge_line_is_refused_before_it_is_read(tmp_path):
    path = _gzip_one_line_header(tmp_path / "bomb.csv.gz", 3 * tabular.MAX_LINE_BYTES)
    assert path.stat().st_size < 200_000  # a small upload
    with pytest.raises(MicrodataError, match=r"Line 1 of bomb\.csv\.gz is longer than 1 MiB"):
        list_columns(path)
    with pytest.raises(TableError, match="longer than 1 MiB"):
        tabular.read_head(path, 5)


def test_header_lines_up_to_the_limit_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_LINE_BYTES", 64)
    path = write(tmp_path, "a" * 30 + "," + "b" * 30 + "\n1,2\n")  # 62 bytes and the line break
    assert list_columns(path) == ["a" * 30, "b" * 30]
    path = write(tmp_path, "a" * 32 + "," + "b" * 32 + "\n1,2\n")
    with pytest.raises(MicrodataError, match=r"Line 1 of survey\.csv is longer than"):
        list_columns(path)


@pytest.mark.parametrize("name", ["survey.csv", "survey.csv.gz"])
def test_a_data_line_without_end_is_refused_with_its_number(tmp_path, monkeypatch, name):
    monkeypatch.setattr(tabular, "MAX_LINE_BYTES", 1024)
    monkeypatch.setattr(microdata, "CSV_BLOCK_BYTES", 1024)
    text = HEAD + "\n".join(ROWS) + "\n" + "1,1,1,7,F,U,0," + "9" * 5000 + "\n" + ROWS[0] + "\n"
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    with pytest.raises(MicrodataError, match=rf"Line 6 of {name.replace('.', '[.]')} is longer than"):
        estimate_child_labour_file(path)


def test_a_compressed_file_read_in_pieces_gives_the_plain_files_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(microdata, "CSV_BLOCK_BYTES", 64)  # many pieces
    text = HEAD + "\n".join(ROWS * 30) + "\n"
    plain = write(tmp_path, text)
    packed = tmp_path / "survey.csv.gz"
    packed.write_bytes(gzip.compress(text.encode()))
    one, other = estimate_child_labour_file(plain), estimate_child_labour_file(packed)
    assert one.n_rows == other.n_rows == 120 and one.to_dict()["rows"] == other.to_dict()["rows"]


@pytest.mark.parametrize("name", ["wide.csv", "wide.parquet"])
def test_too_many_columns_are_refused(tmp_path, name):
    names = [f"c{i}" for i in range(tabular.MAX_COLUMNS + 1)]
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text(",".join(names) + "\n" + ",".join("1" for _ in names) + "\n")
    else:
        pq.write_table(pa.table({n: [1] for n in names}), path)
    with pytest.raises(MicrodataError, match=r"has 2,001 columns; at most 2,000 can be read"):
        list_columns(path)


def test_the_most_columns_allowed_are_read(tmp_path):
    names = [f"c{i}" for i in range(tabular.MAX_COLUMNS)]
    path = write(tmp_path, ",".join(names) + "\n")
    assert len(list_columns(path)) == tabular.MAX_COLUMNS


def test_read_rows_refuses_too_many_columns():
    with pytest.raises(TableError, match=r"people\.csv has 2,001 columns"):
        tabular.read_rows(",".join(f"c{i}" for i in range(2001)) + "\n", "people.csv")


def test_read_rows_oversized_field_names_the_line_and_the_limit():
    text = "name,email\nAna,a@example.org\n" + "x" * 200_000 + ",b@example.org\n"
    with pytest.raises(TableError, match=r"^people\.csv, line 3: a field is longer than 131,072 characters"):
        tabular.read_rows(text, "people.csv")


# -- definitions ----------------------------------------------------------------------------------------------
def test_deeply_nested_definition_is_refused_clearly(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ChildLabourError, match=r"deep\.toml: its arrays or tables are nested too deeply"):
        load_definition(str(path))


def test_definition_errors_do_not_show_the_folder_of_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('name = "x\n')
    with pytest.raises(ChildLabourError) as caught:
        load_definition(str(path))
    assert "Cannot read the definition broken.toml:" in caught.value.message
    assert str(tmp_path) not in caught.value.message


def test_oversized_definition_is_refused(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text("# " + "x" * 70_000 + "\n")
    with pytest.raises(ChildLabourError, match=r"big\.toml is larger than 64 KiB"):
        load_definition(str(path))


# -- "CSV (Macintosh)": lines that end with a carriage return alone --------------------------------------------
@pytest.mark.parametrize("name", ["survey.csv", "survey.csv.gz"])
def test_lines_ending_with_carriage_returns_give_the_line_feed_files_figures(tmp_path, name, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_LINE_BYTES", 256)  # the file is longer than a line may be
    text = "\n" + HEAD + "\n".join(ROWS * 10) + "\n"
    lf = write(tmp_path, text, "lf.csv")
    path = tmp_path / name
    data = text.replace("\n", "\r").encode()
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    assert list_columns(path) == HEAD.strip().split(",")
    assert tabular.read_head(path, 2)[1:] == [ROWS[0].split(","), ROWS[1].split(",")]
    by = [("sex",)]
    assert (
        estimate_child_labour_file(path, by=by).to_dict()["rows"]
        == estimate_child_labour_file(lf, by=by).to_dict()["rows"]
    )


def test_a_long_header_after_blank_carriage_return_lines_is_still_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_LINE_BYTES", 64)
    path = write(tmp_path, "\r\r" + ",".join(f"column{i}" for i in range(20)) + "\r1\r")
    with pytest.raises(MicrodataError, match=r"Line 3 of survey\.csv is longer than"):
        list_columns(path)


def test_an_unstratified_design_without_tables_is_estimated_in_memory():
    data = {
        "weight": np.array([1.0, 2.0, 1.0, 1.0]),
        "age": np.array([10, 12, 8, 16]),
        "econ_hours": np.array([0.0, 30.0, 0.0, 50.0]),
        "chore_hours": np.zeros(4),
    }
    from target87.engines.childlabour import ColumnMapping

    result = estimate_child_labour(data, ColumnMapping(strata=None, psu=None))
    assert result.rows[0].n == 4 and result.rows[0].estimate == pytest.approx(60.0)
