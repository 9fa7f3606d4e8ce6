"""Reading a file piece by piece (estimate_child_labour_file) gives what reading it whole gives."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from target87.engines import microdata
from target87.engines.childlabour import (
    ChildLabourError,
    InvalidValuesError,
    Options,
    estimate_child_labour,
    estimate_child_labour_file,
    parse_by,
)
from target87.engines.microdata import read_microdata

BY = parse_by(["sex", "age_group", "area", "sex,age_group", "region"])


def survey(n=6000, seed=11):
    rng = np.random.default_rng(seed)
    psu = np.sort(rng.integers(0, 300, n))
    return {
        "weight": np.round(rng.uniform(0.5, 3, n), 3),
        "stratum": psu // 6 + 1,
        "psu": psu + 1,
        "age": rng.integers(3, 20, n),
        "sex": rng.choice(["F", "M", " F"], n),  # " F" is F once trimmed, as in a whole read
        "area": np.where(psu % 3 == 0, "Urban", "Rural"),
        "region": rng.choice(["North", "South", "East", "West", "Centre", "Coast"], n),
        "econ_hours": np.round(rng.choice([0, 0, 2, 15, 44], n) * rng.uniform(0.9, 1.1, n), 1),
        "chore_hours": np.round(rng.gamma(1.6, 7.0, n), 1),
    }


def same(a, b):
    assert a.variables == b.variables and a.n_rows == b.n_rows and a.n_children == b.n_children
    assert len(a.rows) == len(b.rows)
    for ra, rb in zip(a.rows, b.rows, strict=True):
        assert ra.categories == rb.categories and ra.n == rb.n
        for f in ("estimate", "se", "ci_lower", "ci_upper", "number", "number_se"):
            x, y = getattr(ra, f), getattr(rb, f)
            assert (x is None and y is None) or math.isclose(x, y, rel_tol=1e-10, abs_tol=1e-12), (f, x, y)


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(microdata, "CSV_BLOCK_BYTES", 20_000)  # about 40 pieces
    monkeypatch.setattr(microdata, "CHUNK_ROWS", 500)


@pytest.mark.parametrize("prefetch", [True, False])
def test_csv_in_pieces_equals_whole(tmp_path, small_pieces, monkeypatch, prefetch):
    path = tmp_path / "s.csv"
    pacsv.write_csv(pa.table(survey()), path)
    if not prefetch:
        original = microdata.iter_microdata
        monkeypatch.setattr(microdata, "iter_microdata", lambda *a, **k: original(*a, **{**k, "prefetch": False}))
    pieces = list(microdata.iter_microdata(path, ["sex"]))
    assert len(pieces) > 10
    whole = estimate_child_labour(read_microdata(path), by=BY)
    same(estimate_child_labour_file(path, by=BY), whole)
    assert [r.categories["sex"] for r in whole.rows[1:3]] == ["F", "M"]


def test_parquet_in_pieces_equals_whole(tmp_path, small_pieces):
    path = tmp_path / "s.parquet"
    pq.write_table(pa.table(survey()), path, row_group_size=1000)
    same(estimate_child_labour_file(path, by=BY), estimate_child_labour(read_microdata(path), by=BY))


def test_a_value_missing_in_a_later_piece(tmp_path, small_pieces):
    data = survey()
    data["sex"] = data["sex"].astype(object)
    data["sex"][5000] = None
    path = tmp_path / "s.csv"
    pacsv.write_csv(pa.table(data), path)
    same(estimate_child_labour_file(path, by=BY), estimate_child_labour(read_microdata(path), by=BY))


def test_a_type_change_in_a_later_piece_reads_the_file_whole(tmp_path, small_pieces):
    data = survey()
    psu = [str(v) for v in data["psu"]]
    psu[-10:] = [f"P{v}" for v in psu[-10:]]  # text in the last piece only
    data["psu"] = pa.array(psu)
    path = tmp_path / "s.csv"
    pacsv.write_csv(pa.table(data), path)
    assert pacsv.read_csv(path).column("psu").type == pa.string()
    same(estimate_child_labour_file(path, by=BY), estimate_child_labour(read_microdata(path), by=BY))


def test_bad_values_in_a_later_piece_are_all_named(tmp_path, small_pieces):
    lines = tmp_path / "s.csv"
    pacsv.write_csv(pa.table(survey()), lines)
    text = lines.read_text().splitlines()
    for row in (4500, 5900):  # data rows, numbered from 1 after the header
        cells = text[row].split(",")
        cells[3] = "abc"  # age
        text[row] = ",".join(cells)
    lines.write_text("\n".join(text) + "\n")
    with pytest.raises(InvalidValuesError) as err:
        estimate_child_labour_file(lines, by=BY)
    assert "4500" in err.value.message and "5900" in err.value.message
    assert list(err.value.rows) == [4499, 5899]


def test_lonely_psu_and_options_through_the_file(tmp_path, small_pieces):
    data = survey()
    data["stratum"] = np.where(data["psu"] == 1, 999, data["stratum"])  # a stratum with one PSU
    path = tmp_path / "s.csv"
    pacsv.write_csv(pa.table(data), path)
    with pytest.raises(ChildLabourError, match="999"):
        estimate_child_labour_file(path)
    opts = Options(lonely_psu="adjust", ci_method="beta", level=0.9)
    same(
        estimate_child_labour_file(path, by=BY, options=opts),
        estimate_child_labour(read_microdata(path), by=BY, options=opts),
    )


def test_parquet_pieces_widened_codes_zero_weights_and_likelihood(tmp_path, small_pieces):
    data = survey()
    data["weight"][::97] = 0.0  # rows of zero weight stay in the design
    psu = data["psu"].astype(np.int64)
    psu[-700:] += 3_000_000_000  # the last pieces need 64-bit PSU codes
    data["psu"] = psu
    path = tmp_path / "s.parquet"
    pq.write_table(pa.table(data), path, row_group_size=1000)
    assert microdata.row_count(path) == 6000
    opts = Options(ci_method="likelihood", level=0.9)
    by_file = estimate_child_labour_file(path, by=BY, options=opts)
    same(by_file, estimate_child_labour(read_microdata(path), by=BY, options=opts))
    assert all(r.ci_lower is not None and r.ci_lower < r.estimate < r.ci_upper for r in by_file.rows if r.n > 200)
