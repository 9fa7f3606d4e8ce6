"""The estimation page reads a survey file as the command does: piece by piece, by the one CSV rule."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factories_indicators import csv_bytes, csv_upload, form_data, survey, upload, upload_path
from target87.engines import microdata
from target87.engines.childlabour import estimate_child_labour, load_definition

BY = [("sex",), ("age_group",), ("area",)]


def _estimate(client, estimation, **overrides):
    return client.post(
        reverse("indicators:configure", kwargs={"uuid": estimation.uuid}), form_data(estimation, **overrides)
    )


def _stored(estimation) -> dict:
    estimation.refresh_from_db()
    return {k: v for k, v in estimation.result.items() if k not in ("software", "computed_at")}


@pytest.fixture
def no_whole_reads(monkeypatch):
    """Small pieces, and reading a whole file fails: only the streaming path can give a result."""
    monkeypatch.setattr(microdata, "CSV_BLOCK_BYTES", 2_000)
    monkeypatch.setattr(microdata, "CHUNK_ROWS", 50)

    def whole(*args, **kwargs):
        raise AssertionError("the file was read whole")

    monkeypatch.setattr(microdata, "read_microdata", whole)


def test_stored_result_is_the_engines_dict(stat_client, no_whole_reads):
    data = survey()
    estimation = upload(stat_client, csv_upload(data))
    assert _estimate(stat_client, estimation).status_code == 302
    assert _stored(estimation) == estimate_child_labour(data, by=BY).to_dict()


def test_parquet_file_is_read_in_pieces_with_the_csvs_figures(stat_client, tmp_path, no_whole_reads):
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = survey()
    path = tmp_path / "survey.parquet"
    pq.write_table(pa.table(data), path, row_group_size=100)
    estimation = upload(stat_client, upload_path(path))
    assert _estimate(stat_client, estimation).status_code == 302
    assert _stored(estimation)["rows"] == estimate_child_labour(data, by=BY).to_dict()["rows"]


def test_not_comparable_definition_leaves_its_note_to_the_page(stat_client):
    data = survey()
    estimation = upload(stat_client, csv_upload(data))
    assert _estimate(stat_client, estimation, definition="mics4").status_code == 302
    expected = estimate_child_labour(data, definition=load_definition("mics4"), by=BY).to_dict()
    assert expected["notes"][-1] == "Definition mics4: the values are not comparable with the SDG 8.7.1 series."
    assert _stored(estimation) == {**expected, "notes": expected["notes"][:-1]}


def test_semicolon_file_with_bom_gives_the_comma_files_result(stat_client):
    data = survey()
    comma = upload(stat_client, csv_upload(data))
    text = csv_bytes(data).decode().replace(",", ";").replace("\n", "\r\n")
    excel = upload(stat_client, SimpleUploadedFile("excel.csv", ("\ufeff" + text).encode()))
    assert excel.mapping == comma.mapping
    for estimation in (comma, excel):
        assert _estimate(stat_client, estimation).status_code == 302
    assert _stored(excel) == _stored(comma)


def test_file_in_another_encoding_is_refused_naming_the_line(stat_client):
    data = survey()
    data["area"][6] = "rural, Nord-Est"  # quoted by the writer: one value with a comma inside
    data["area"][9] = "périurbain"
    estimation = upload(stat_client, SimpleUploadedFile("survey.csv", csv_bytes(data).decode().encode("latin-1")))
    response = _estimate(stat_client, estimation)
    text = re.sub(r"\s+", " ", html.unescape(response.content.decode()))
    assert (
        "The file is not UTF-8 text. Line 11 of survey.csv has characters in another encoding: save the file as "
        "“CSV UTF-8” and try again." in text
    )
    estimation.refresh_from_db()
    assert (estimation.status, estimation.result) == ("uploaded", {})


def test_file_in_a_storage_without_paths_is_estimated_from_a_copy(db):
    import gzip

    from django.core.files.base import ContentFile
    from django.core.files.storage import InMemoryStorage

    from target87.engines.childlabour import estimate_child_labour_file
    from target87.indicators.models import Estimation
    from target87.indicators.services import local_copy

    data = survey()
    field_file = Estimation().file
    field_file.storage = InMemoryStorage()
    field_file.name = field_file.storage.save("survey.csv.gz", ContentFile(gzip.compress(csv_bytes(data))))
    with local_copy(field_file) as path:
        result = estimate_child_labour_file(path, by=BY)
    assert result.to_dict() == estimate_child_labour(data, by=BY).to_dict()
