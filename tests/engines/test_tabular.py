"""One CSV reader for every page and command: UTF-8 with or without BOM, the delimiter from the header."""

from __future__ import annotations

import csv
import gzip

import pytest

from target87.engines import tabular
from target87.engines.tabular import TableError

ROWS = [["name", "country", "note"], ["Ana", "THA", "first, of two"], ["Bo", "KHM", ""]]


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def test_read_rows_semicolon_file_with_bom_reads_as_the_comma_file():
    comma = 'name,country,note\nAna,THA,"first, of two"\nBo,KHM,\n'
    semicolon = "\ufeffname;country;note\r\nAna;THA;first, of two\r\nBo;KHM;\r\n"
    assert tabular.read_rows(semicolon) == tabular.read_rows(comma) == ROWS


def test_read_text_bom_and_crlf_file_reads_as_the_plain_file(tmp_path):
    plain = _write(tmp_path, "plain.csv", b'name,country,note\nAna,THA,"first, of two"\nBo,KHM,\n')
    excel = _write(tmp_path, "excel.csv", b"\xef\xbb\xbfname;country;note\r\nAna;THA;first, of two\r\nBo;KHM;\r\n")
    assert tabular.read_rows(tabular.read_text(excel)) == tabular.read_rows(tabular.read_text(plain)) == ROWS


def test_read_rows_tab_file():
    assert tabular.read_rows("name\tcountry\tnote\nAna\tTHA\tfirst, of two\nBo\tKHM\t\n") == ROWS


def test_delimiter_quoted_delimiters_in_the_header_do_not_count():
    assert tabular.delimiter_of('"name, given";"country, ISO";note\nAna;THA;x\n') == ";"
    assert tabular.read_rows('"name, given";"country, ISO"\n"Ana; Bo";"THA"\n') == [
        ["name, given", "country, ISO"],
        ["Ana; Bo", "THA"],
    ]


def test_read_rows_quoted_fields_keep_delimiters_quotes_and_line_breaks():
    text = 'name,note\n"Ana","says ""hi"", then leaves"\n"Bo","two\nlines"\n'
    assert tabular.read_rows(text) == [["name", "note"], ["Ana", 'says "hi", then leaves'], ["Bo", "two\nlines"]]


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("a,b;c", ","),  # a tie goes to the comma
        ("a;b\tc", ";"),  # semicolon before tab
        ("a|b|c", "|"),
        ("alone", ","),  # one column
        ("\n\n  \na;b;c,d", ";"),  # the header is the first line that is not blank
        ("", ","),
    ],
)
def test_delimiter_of_header_most_frequent_ties_to_comma(header, delimiter):
    assert tabular.delimiter_of(header) == delimiter


def test_read_rows_blank_lines_are_left_out():
    assert tabular.read_rows("\n\na;b\n\n1;2\n ; \n3;4\n") == [["a", "b"], ["1", "2"], ["3", "4"]]


def test_decode_undecodable_bytes_name_the_line_and_say_to_save_as_utf8():
    data = "name;city\nAna;Bangkok\nBo;Montréal\n".encode("latin-1")
    with pytest.raises(TableError) as error:
        tabular.decode(data, "people.csv")
    assert error.value.message == (
        "The file is not UTF-8 text. Line 3 of people.csv has characters in another encoding: save the file as "
        "“CSV UTF-8” and try again."
    )


def test_decode_utf16_file_is_refused_on_its_first_line():
    with pytest.raises(TableError, match=r"^The file is not UTF-8 text\. Line 1 has characters"):
        tabular.decode("name\n".encode("utf-16"))


def test_read_header_gives_names_and_delimiter_of_a_compressed_file(tmp_path):
    path = _write(tmp_path, "survey.csv.gz", "\ufeff weight ;age;sex\n1;2;x\n".encode())
    assert tabular.read_header(path) == (["weight", "age", "sex"], ";")


def test_read_header_undecodable_header_names_its_line(tmp_path):
    path = _write(tmp_path, "survey.csv", b"\n\nr\xe9gion,age\n")
    with pytest.raises(TableError, match=r"Line 3 of survey\.csv has characters in another encoding"):
        tabular.read_header(path)


def test_read_head_reads_the_header_and_the_first_rows_only(tmp_path):
    path = _write(tmp_path, "survey.csv", b"a\tb\n1\t2\n\n3\t4\n\xff\xfe broken\n")
    assert tabular.read_head(path, 2) == [["a", "b"], ["1", "2"], ["3", "4"]]


def test_undecodable_line_finds_the_first_line_in_another_encoding(tmp_path):
    good = _write(tmp_path, "good.csv", "\ufeffa,b\n1,é\n".encode())
    bad = _write(tmp_path, "bad.csv.gz", "a,b\n1,x\n2,é\n3,é\n".encode("cp1252"))
    assert (tabular.undecodable_line(good), tabular.undecodable_line(bad)) == (None, 3)


@pytest.fixture
def small_field_limit():
    limit = csv.field_size_limit(10)
    yield
    csv.field_size_limit(limit)


def test_read_rows_unclosed_quote_says_which_line(small_field_limit):
    with pytest.raises(TableError, match=r"^people\.csv, line 2: a field is longer than 10 characters.*never closed"):
        tabular.read_rows('name,note\nAna,"this note never ends\n', "people.csv")


# -- survey microdata reads its CSV files by the same rule ----------------------------------------------------
def _survey_text(delimiter: str, n: int = 400) -> str:
    lines = [delimiter.join(["weight", "stratum", "psu", "age", "sex", "area", "econ_hours", "chore_hours"])]
    for i in range(n):
        area = '"Urban, centre"' if i % 3 == 0 else "Rural"
        fields = [
            f"{1 + i % 4 / 2}",
            f"s{i % 5}",
            f"p{i % 40}",
            str(4 + i % 15),
            "FM"[i % 2],
            area,
            str(i % 7 * 8),
            "2",
        ]
        lines.append(delimiter.join(fields))
    return "\n".join(lines) + "\n"


def test_estimate_semicolon_file_with_bom_gives_the_comma_files_figures(tmp_path):
    from target87.engines.childlabour import estimate_child_labour_file

    comma = _write(tmp_path, "comma.csv", _survey_text(",").encode())
    excel = _write(tmp_path, "excel.csv", ("\ufeff" + _survey_text(";").replace("\n", "\r\n")).encode())
    tabbed = _write(tmp_path, "tabbed.csv.gz", _survey_text("\t").encode())
    results = [estimate_child_labour_file(path, by=[("sex",), ("area",)]) for path in (comma, excel, tabbed)]
    assert [r.rows for r in results[1:]] == [results[0].rows] * 2
    assert {r.categories["area"] for r in results[0].rows} == {"_T", "Rural", "Urban, centre"}


@pytest.mark.parametrize("name", ["survey.csv", "survey.csv.gz"])
def test_estimate_values_in_another_encoding_name_the_line(tmp_path, name):
    from target87.engines.childlabour import estimate_child_labour_file
    from target87.engines.microdata import MicrodataError

    text = _survey_text(",").replace('"Urban, centre"', "Région", 1)
    path = _write(tmp_path, name, text.encode("latin-1"))
    with pytest.raises(MicrodataError) as error:
        estimate_child_labour_file(path, by=[("area",)])
    assert error.value.message == (
        f"The file is not UTF-8 text. Line 2 of {name} has characters in another encoding: save the file as "
        "“CSV UTF-8” and try again."
    )


def test_estimate_another_encoding_in_a_later_piece_names_its_line(tmp_path, monkeypatch):
    from target87.engines import microdata
    from target87.engines.childlabour import estimate_child_labour_file

    monkeypatch.setattr(microdata, "CSV_BLOCK_BYTES", 2_000)
    lines = _survey_text(",").splitlines(keepends=True)
    lines[350] = lines[350].replace("Rural", "Région")
    path = _write(tmp_path, "survey.csv", "".join(lines).encode("cp1252"))
    with pytest.raises(microdata.MicrodataError, match=r"^The file is not UTF-8 text\. Line 351 of survey\.csv "):
        estimate_child_labour_file(path, by=[("area",)])


def test_list_columns_header_in_another_encoding_is_refused_with_the_line(tmp_path):
    from target87.engines.microdata import MicrodataError, list_columns

    path = _write(tmp_path, "survey.csv", "poids;âge\n1;2\n".encode("latin-1"))
    with pytest.raises(MicrodataError, match=r"^The file is not UTF-8 text\. Line 1 of survey\.csv "):
        list_columns(path)
