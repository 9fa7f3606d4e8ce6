"""Importing SDMX-CSV and Open SDG files as vintages: all or nothing, problems listed, round-trips without loss."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from target87.engines import sdmx
from target87.indicators import data
from target87.indicators.models import Observation, Series, Vintage

UN_EXPORT = """DATAFLOW,FREQ,REPORTING_TYPE,SERIES,REF_AREA,SEX,AGE,URBANISATION,TIME_PERIOD,OBS_VALUE,LOWER_BOUND,UPPER_BOUND,UNIT_MEASURE,NATURE,SOURCE_DETAIL
IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,764,_T,Y5T17,_T,2019,8.3,7.5,9.1,PT,C,MICS 2019
IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,764,F,Y5T17,_T,2019,7.25,6.5,8.0,PT,C,MICS 2019
IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,116,_T,Y5T17,_T,2019,<0.1,,,PT,C,CSES 2019
IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,116,_T,Y5T17,_T,2012,19.1,17.0,21.2,PT,C,CSES 2012
"""


def _import(client, text: str, name="sdg.csv", **fields):
    upload = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("indicators:vintages"), {"file": upload, "kind": "sdmx-csv", "published": "on",
                                                        **fields})  # fmt: skip


def test_the_catalogue_has_each_indicator_with_its_target(db):
    targets = {s.code: (s.target_value, s.target_year, s.direction) for s in Series.objects.all()}
    assert targets["SL_TLF_CHLDEC"] == (0, 2025, "decrease")
    assert targets["VC_HTF_DETV"] == (0, 2030, "decrease")
    assert targets["ILO_FL_PREV"][1] == 2030
    assert {"ILO_RATIF_C029", "ILO_RATIF_P029", "ILO_RATIF_C105", "ILO_RATIF_C138", "ILO_RATIF_C182"} <= set(targets)
    assert all(s.source and s.definition and s.unit for s in Series.objects.all())


def test_an_un_export_becomes_a_vintage_with_its_flagged_row(stat_client):
    response = _import(stat_client, UN_EXPORT)
    vintage = Vintage.objects.get()
    assert response["Location"] == vintage.get_absolute_url()
    page = stat_client.get(response["Location"]).content.decode()
    assert "Imported 4 observations" in page and "1 row had no number" in page
    assert "“&lt;0.1”" in page
    flagged = Observation.objects.get(ref_area="KHM", time_period="2019")
    assert (flagged.value, flagged.value_text) == (None, "<0.1")
    thailand = Observation.objects.get(ref_area="THA", sex="_T")
    assert (thailand.value, thailand.lower_bound, thailand.upper_bound) == (8.3, 7.5, 9.1)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda t: t.replace(",764,F,", ",999,F,"), "Unknown codes in REF_AREA: “999”"),
        (lambda t: t.replace("Y5T17,_T,2012", "Y0T4,_T,2012"), "Unknown codes in AGE: “Y0T4”"),
        (lambda t: t.replace("SL_TLF_CHLDEC,116,_T,Y5T17,_T,2012", "SL_XXX,116,_T,Y5T17,_T,2012"),
         "Unknown codes in SERIES: “SL_XXX”"),
        (lambda t: t.replace(",764,F,", ",764,_T,"), "The key SL_TLF_CHLDEC THA 2019 _T Y5T17 _T G is given more than once (lines 2, 3)"),
        (lambda t: t.replace("8.3,7.5,9.1", "8.3,8.5,9.1"), "On lines “2” the bounds do not enclose the value"),
        (lambda t: t.replace(",116,_T,Y5T17,_T,2012,", ",,_T,Y5T17,_T,2012,"), "Lines “5” have no REF_AREA"),
        (lambda t: "year,value\n2019,1\n", "the columns SERIES, REF_AREA, TIME_PERIOD, OBS_VALUE are missing"),
    ],
)  # fmt: skip
def test_bad_files_are_refused_whole_with_every_problem_named(stat_client, change, words):
    response = _import(stat_client, change(UN_EXPORT))
    assert response.status_code == 200
    assert words in response.content.decode().replace("&#x27;", "'")
    assert not Vintage.objects.exists() and not Observation.objects.exists()


def test_opensdg_file_with_blank_totals(stat_client):
    text = "Year,Sex,Value\n2015,,14.5\n2015,Female,13\n2023,,NA\n"
    upload = SimpleUploadedFile("indicator_8-7-1.csv", text.encode(), content_type="text/csv")
    response = stat_client.post(
        reverse("indicators:vintages"),
        {"file": upload, "kind": "opensdg-csv", "series": "SL_TLF_CHLDEC", "ref_area": "VNM", "published": "on"},
    )
    assert response.status_code == 302
    rows = {(o.time_period, o.sex): (o.value, o.value_text) for o in Observation.objects.filter(ref_area="VNM")}
    assert rows == {("2015", "_T"): (14.5, ""), ("2015", "F"): (13.0, ""), ("2023", "_T"): (None, "NA")}


def _records(observations):
    return sorted((data.record_of(o) for o in observations), key=lambda r: r.key)


def test_round_trips_lose_nothing(stat_client):
    _import(stat_client, UN_EXPORT)
    first = Vintage.objects.get()
    before = _records(first.observations.all())
    sdmx_file = stat_client.get(reverse("indicators:vintage_download", args=[first.uuid, "sdmx-csv"])).content
    _import(stat_client, sdmx_file.decode(), name="again.csv")
    second = Vintage.objects.exclude(pk=first.pk).get()
    assert _records(second.observations.all()) == before
    archive = zipfile.ZipFile(io.BytesIO(
        stat_client.get(reverse("indicators:vintage_download", args=[first.uuid, "opensdg"])).content
    ))  # fmt: skip
    assert archive.namelist() == ["indicator_8-7-1.csv"]
    text = archive.read("indicator_8-7-1.csv").decode()
    upload = SimpleUploadedFile("indicator_8-7-1.csv", text.encode(), content_type="text/csv")
    stat_client.post(reverse("indicators:vintages"), {"file": upload, "kind": "opensdg-csv", "published": "on"})
    third = Vintage.objects.order_by("-created_at", "-pk").first()
    assert third not in (first, second)
    assert _records(third.observations.all()) == before


def test_two_vintages_compared(stat_client):
    _import(stat_client, UN_EXPORT, label="July")
    revised = (
        UN_EXPORT.replace("8.3,7.5,9.1", "8.1,7.4,8.9").replace(
            "IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,116,_T,Y5T17,_T,2012,19.1,17.0,21.2,PT,C,CSES 2012\n", ""
        )
        + "IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,764,_T,Y5T17,_T,2022,6.9,6.1,7.7,PT,C,MICS 2022\n"
    )
    _import(stat_client, revised, label="December")
    july, december = Vintage.objects.get(label="July"), Vintage.objects.get(label="December")
    page = stat_client.get(reverse("indicators:vintage_compare"), {"before": july.uuid, "after": december.uuid})
    html = page.content.decode()
    assert "1 revised, 1 added, 1 removed." in html
    assert "value, lower_bound, upper_bound" in html
    # today's data: December's values, and 2012 for Cambodia from July (December does not have it)
    current = {(o.ref_area, o.time_period, o.sex): o.value for o in data.current(published_only=True)}
    assert current[("THA", "2019", "_T")] == 8.1 and current[("KHM", "2012", "_T")] == 19.1


def test_unpublished_vintages_stay_off_the_public_data(stat_client):
    client = Client()  # a visitor
    _import(stat_client, UN_EXPORT)
    vintage = Vintage.objects.get()
    stat_client.post(reverse("indicators:vintage_publish", args=[vintage.uuid]), {"published": "0"})
    assert client.get(reverse("indicators:vintage", args=[vintage.uuid])).status_code == 404
    assert client.get("/api/v1/indicators/observations").json()["count"] == 0
    stat_client.post(reverse("indicators:vintage_publish", args=[vintage.uuid]), {"published": "1"})
    body = client.get("/api/v1/indicators/observations?ref_area=THA").json()
    assert body["count"] == 2
    total = next(item for item in body["items"] if item["sex"] == "_T")
    assert (total["ref_area"], total["ref_area_m49"], total["value"], total["lower_bound"]) == ("THA", "764", 8.3, 7.5)


def test_importing_needs_the_statistician_capability(client, db):
    from factories import UserFactory

    client.force_login(UserFactory())
    assert _import(client, UN_EXPORT).status_code == 403
    assert not Vintage.objects.exists()


def test_sdmx_csv_of_todays_data_is_read_by_sdmx1(stat_client):
    import sdmx as sdmx1

    _import(stat_client, UN_EXPORT)
    response = Client().get(reverse("indicators:download_current", args=["sdmx-csv"]))
    message = sdmx1.read_sdmx(io.BytesIO(response.content), format="csv", structure=sdmx.data_structure())
    areas = sorted(o.key.values["REF_AREA"].value for o in message.data[0].obs)
    assert areas == ["116", "116", "764", "764"]


def test_a_large_vintage_is_shown_a_page_at_a_time(stat_client):
    rows = [
        f"IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,764,_T,Y5T17,_T,{year},{value / 10},,,PT,C,Survey {year}"
        for value, year in enumerate(range(1601, 2051))  # 450 years of Thailand, one observation each
    ]
    _import(stat_client, UN_EXPORT.splitlines()[0] + "\n" + "\n".join(rows) + "\n")
    url = Vintage.objects.get().get_absolute_url()
    first = stat_client.get(url).content.decode()
    assert "1–200 of 450" in first and "Page 1 of 3" in first
    assert ">1601<" in first and ">1800<" in first and ">1801<" not in first
    assert 'href="?page=2#observations"' in first
    last = stat_client.get(url, {"page": 3}).content.decode()
    assert "401–450 of 450" in last and ">2050<" in last and ">1601<" not in last
    # a page past the end or not a number: the last or the first page, not an error
    assert "401–450 of 450" in stat_client.get(url, {"page": 99}).content.decode()
    assert "1–200 of 450" in stat_client.get(url, {"page": "x"}).content.decode()
    # the downloads still hold every observation
    download = stat_client.get(reverse("indicators:vintage_download", args=[Vintage.objects.get().uuid, "sdmx-csv"]))
    assert b"Survey 2050" in b"".join(download.streaming_content if download.streaming else [download.content])
