"""What a statistician sees on the estimation pages: the columns, the numbers, the notes, the downloads."""

import csv
import html
import io
import re

import pytest
import sdmx as sdmx1
from django.urls import reverse

from factories import UserFactory
from factories_indicators import (
    csv_upload,
    form_data,
    spss_file,
    stata_file,
    statistician,
    survey,
    upload,
    upload_path,
)
from target87.engines import sdmx
from target87.engines.childlabour import Options, estimate_child_labour, load_definition
from target87.indicators.models import Estimation

BY = [("sex",), ("age_group",), ("area",)]


def _cells(html: str, table: str, column: str) -> list[str]:
    body = re.search(rf'<table class="estimates" data-table="{table}">(.*?)</table>', html, re.S).group(1)
    return [c.strip() for c in re.findall(rf'data-col="{column}">(.*?)</td>', body, re.S)]


def _by_label(html: str, table: str, column: str = "estimate") -> dict[str, str]:
    body = re.search(rf'<table class="estimates" data-table="{table}">(.*?)</table>', html, re.S).group(1)
    labels = re.findall(r'<th scope="row">(.*?)</th>', body)
    return dict(zip(labels, _cells(html, table, column), strict=True))


def _run(client, estimation, **overrides):
    return client.post(
        reverse("indicators:configure", kwargs={"uuid": estimation.uuid}), form_data(estimation, **overrides)
    )


def _result_html(client, estimation, **overrides) -> str:
    response = _run(client, estimation, **overrides)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("indicators:result", kwargs={"uuid": estimation.uuid})
    return client.get(response["Location"]).content.decode()


def test_upload_page_refused_to_people_who_are_not_statisticians(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("indicators:upload")).status_code == 403


def test_staff_user_sees_the_upload_page(client, db):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("indicators:upload"))
    assert response.status_code == 200
    assert "Upload and read the columns" in response.content.decode()


def test_configure_page_shows_the_columns_and_proposes_the_default_names(stat_client):
    estimation = upload(stat_client, csv_upload())
    html = stat_client.get(reverse("indicators:configure", kwargs={"uuid": estimation.uuid})).content.decode()
    assert estimation.mapping == {
        "weight": "weight",
        "strata": "stratum",
        "psu": "psu",
        "fpc": "",
        "age": "age",
        "sex": "sex",
        "area": "area",
        "econ_hours": "econ_hours",
        "chore_hours": "chore_hours",
        "hazardous": "hazardous",
    }
    assert re.search(r'<select name="weight"[^>]*>.*?<option value="weight" selected>', html, re.S)
    assert "The file has 9 columns" in html
    assert len(estimation.checksum) == 64


def test_numbers_on_the_result_page_are_the_engines(stat_client):
    data = survey()
    estimation = upload(stat_client, csv_upload(data))
    html = _result_html(stat_client, estimation)
    expected = estimate_child_labour(data, by=BY)
    rows = {tuple(v for v in r.categories.values() if v != "_T") or ("total",): r for r in expected.rows}
    assert _cells(html, "total", "estimate") == [f"{rows['total',].estimate:.1f}"]
    assert _cells(html, "total", "se") == [f"{rows['total',].se:.2f}"]
    assert _cells(html, "total", "n") == [str(rows["total",].n)]
    assert _cells(html, "sex", "estimate") == [f"{rows[s,].estimate:.1f}" for s in ("female", "male")]
    assert _cells(html, "age_group", "ci") == [
        f"{rows[g,].ci_lower:.1f} – {rows[g,].ci_upper:.1f}" for g in ("5-11", "12-14", "15-17")
    ]
    assert _cells(html, "area", "number") == [f"{round(rows[a,].number):,}" for a in ("rural", "urban")]
    outside = expected.n_outside_age
    assert f"{outside} of {expected.n_rows} rows are children outside ages 5–17" in html
    # the chart has one dot per domain
    assert html.count('<circle class="point"') == 1 + 2 + 3 + 2


def test_options_reach_the_engine(stat_client):
    data = survey()
    estimation = upload(stat_client, csv_upload(data))
    html = _result_html(
        stat_client,
        estimation,
        ci_method="beta",
        level="0.9",
        rule_43="gt",
        definition="sdg-sna",
        tables=["sex,age_group"],
        population="1000000",
    )
    expected = estimate_child_labour(
        data,
        definition=load_definition("sdg-sna", "gt"),
        by=[("sex", "age_group")],
        options=Options(ci_method="beta", level=0.9, population=1_000_000),
    )
    assert _cells(html, "sex,age_group", "ci") == [
        f"{r.ci_lower:.1f} – {r.ci_upper:.1f}" if r.ci_lower is not None else "—" for r in expected.rows[1:]
    ]
    assert _cells(html, "total", "number") == [f"{round(expected.rows[0].number):,}"]
    assert "90 % confidence interval" in html


def test_likelihood_interval_offered_and_computed(stat_client):
    data = survey()
    estimation = upload(stat_client, csv_upload(data))
    configure = stat_client.get(reverse("indicators:configure", kwargs={"uuid": estimation.uuid})).content.decode()
    assert re.search(
        r'<option value="likelihood">Profile likelihood, Rao-Scott scaled \(likelihood\)</option>', configure
    )
    html = _result_html(stat_client, estimation, ci_method="likelihood", tables=["sex", "age_group"])
    expected = estimate_child_labour(data, by=[("sex",), ("age_group",)], options=Options(ci_method="likelihood"))
    assert _cells(html, "sex", "ci") == [f"{r.ci_lower:.1f} – {r.ci_upper:.1f}" for r in expected.rows[1:3]]
    assert _cells(html, "total", "ci") == [f"{expected.rows[0].ci_lower:.1f} – {expected.rows[0].ci_upper:.1f}"]
    # an interval of its own: not the default logit one
    logit = estimate_child_labour(data, options=Options(ci_method="logit")).rows[0]
    assert (expected.rows[0].ci_lower, expected.rows[0].ci_upper) != (logit.ci_lower, logit.ci_upper)
    assert Estimation.objects.get().options["ci_method"] == "likelihood"


def test_empty_domain_shown_as_such(stat_client):
    data = survey()
    for i, age in enumerate(data["age"]):
        if 15 <= age <= 17:
            data["sex"][i] = "male"
    estimation = upload(stat_client, csv_upload(data))
    html = _result_html(stat_client, estimation, tables=["sex,age_group"])
    body = re.search(r'data-table="sex,age_group">(.*?)</table>', html, re.S).group(1)
    row = re.search(r"<tr class=\"empty\">(.*?)</tr>", body, re.S).group(1)
    assert re.findall(r'<th scope="row">(.*?)</th>', row) == ["female", "15-17"]
    assert 'data-col="n">0</td>' in row
    assert "No child of this domain in the sample: no estimate." in row
    assert "no child in the sample" in html  # in the chart too


def test_spss_file_shows_its_labels_and_estimates_by_them(stat_client, tmp_path):
    data = survey()
    estimation = upload(stat_client, upload_path(spss_file(tmp_path / "survey.sav", data)))
    html = stat_client.get(reverse("indicators:configure", kwargs={"uuid": estimation.uuid})).content.decode()
    assert "Sex of the child" in html
    assert "1 = Male; 2 = Female" in html
    html = _result_html(stat_client, estimation)
    expected = estimate_child_labour(data, by=BY)
    assert _by_label(html, "sex") == {
        r.categories["sex"].title(): f"{r.estimate:.1f}" for r in expected.rows if r.categories["sex"] != "_T"
    }


def test_stata_file_is_estimated_like_the_csv(stat_client, tmp_path):
    data = survey()
    estimation = upload(stat_client, upload_path(stata_file(tmp_path / "survey.dta", data)))
    html = _result_html(stat_client, estimation)
    expected = estimate_child_labour(data, by=BY)
    assert _cells(html, "total", "estimate") == [f"{expected.rows[0].estimate:.1f}"]
    assert _by_label(html, "area") == {
        r.categories["area"].title(): f"{r.estimate:.1f}" for r in expected.rows if r.categories["area"] != "_T"
    }


def test_mics6_names_get_the_mics6_columns(stat_client, tmp_path):
    rename = {
        "weight": "fsweight",
        "psu": "PSU",
        "age": "CB3",
        "sex": "HL4",
        "area": "HH6",
        "econ_hours": "CL3",
        "chore_hours": "CL13",
        "hazardous": "CL4",
    }
    estimation = upload(stat_client, upload_path(spss_file(tmp_path / "fs.sav", survey(), rename=rename)))
    assert estimation.mapping == {
        "weight": "fsweight",
        "strata": "stratum",
        "psu": "PSU",
        "fpc": "",
        "age": "CB3",
        "sex": "HL4",
        "area": "HH6",
        "econ_hours": "CL3",
        "chore_hours": "CL13",
        "hazardous": "CL4",
    }
    assert estimation.definition == "mics6"
    html = stat_client.get(reverse("indicators:configure", kwargs={"uuid": estimation.uuid})).content.decode()
    assert "variable names of a MICS6 file" in html
    html = _result_html(stat_client, estimation, tables=["sex"])
    assert "MICS6 child labour (SDG 8.7.1 with hazardous working conditions)" in html
    assert set(_by_label(html, "sex")) == {"Female", "Male"}


def test_downloads_carry_the_full_precision_and_sdmx_codes(stat_client):
    data = survey()
    estimation = upload(stat_client, csv_upload(data))
    _result_html(stat_client, estimation)
    expected = estimate_child_labour(data, by=BY)
    response = stat_client.get(reverse("indicators:download", kwargs={"uuid": estimation.uuid, "exporter": "csv"}))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"] == 'attachment; filename="survey-child-labour.csv"'
    assert [float(r["estimate"]) for r in rows] == [r.estimate for r in expected.rows]
    assert [float(r["ci_upper"]) for r in rows] == [r.ci_upper for r in expected.rows]
    response = stat_client.get(reverse("indicators:download", kwargs={"uuid": estimation.uuid, "exporter": "sdmx-csv"}))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    got = [(r["SERIES"], r["REF_AREA"], r["REF_AREA_ISO3"], r["TIME_PERIOD"], r["SEX"], r["AGE"], r["URBANISATION"])
           for r in rows]  # fmt: skip
    assert got == [
        ("SL_TLF_CHLDEC", "764", "THA", "2019", sex, age, area)
        for sex, age, area in [
            ("_T", "Y5T17", "_T"),
            ("F", "Y5T17", "_T"),
            ("M", "Y5T17", "_T"),
            ("_T", "Y5T11", "_T"),
            ("_T", "Y12T14", "_T"),
            ("_T", "Y15T17", "_T"),
            ("_T", "Y5T17", "R"),
            ("_T", "Y5T17", "U"),
        ]
    ]
    assert float(rows[0]["OBS_VALUE"]) == expected.rows[0].estimate
    # an SDMX reader takes it, given the SDG structure
    message = sdmx1.read_sdmx(io.BytesIO(response.content), format="csv", structure=sdmx.data_structure())
    assert len(message.data[0].obs) == 8


def test_sdmx_download_without_a_country_says_what_to_give(stat_client):
    estimation = upload(stat_client, csv_upload())
    _result_html(stat_client, estimation)
    Estimation.objects.filter(pk=estimation.pk).update(options={**estimation.options, "ref_area": "", "year": None})
    url = reverse("indicators:download", kwargs={"uuid": estimation.uuid, "exporter": "sdmx-csv"})
    page = stat_client.get(url, follow=True).content.decode()
    assert "SDMX needs the country and the year of the survey" in page


def test_mics4_says_it_is_not_comparable_and_offers_no_storing(stat_client):
    estimation = upload(stat_client, csv_upload())
    html = _result_html(stat_client, estimation, definition="mics4")
    assert "Definition “MICS4 child labour (28 hours of household chores)”: the values are not comparable" in html
    assert "its values are not stored as indicator observations" in html


def test_another_statistician_cannot_open_the_estimation(stat_client, client):
    estimation = upload(stat_client, csv_upload())
    client.force_login(statistician())
    assert client.get(reverse("indicators:configure", kwargs={"uuid": estimation.uuid})).status_code == 403


# -- bad input: a message on the page, nothing stored, never a 500 ---------------------------------------
def _problems(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_unreadable_file_refused_and_not_kept(stat_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = stat_client.post(
        reverse("indicators:upload"), {"file": SimpleUploadedFile("survey.sav", b"not an SPSS file at all")}
    )
    assert "Cannot read survey.sav" in _problems(response)
    assert Estimation.objects.count() == 0


def test_unknown_file_type_refused(stat_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = stat_client.post(reverse("indicators:upload"), {"file": SimpleUploadedFile("survey.xlsx", b"PK..")})
    assert "“survey.xlsx” is not a survey file this page reads" in _problems(response)


def test_too_large_file_refused_with_the_limit(stat_client, settings):
    settings.INDICATORS_MAX_UPLOAD_BYTES = 1024
    response = stat_client.post(reverse("indicators:upload"), {"file": csv_upload()})
    text = _problems(response)
    assert "files up to 1 kB can be uploaded here" in text
    assert Estimation.objects.count() == 0


def test_missing_column_named_with_what_to_do(stat_client):
    estimation = upload(
        stat_client, csv_upload(columns=["stratum", "psu", "weight", "age", "sex", "area", "econ_hours"])
    )
    text = _problems(_run(stat_client, estimation))
    assert re.search(
        r'id="field-chore_hours">.*?The definition chosen needs this column: choose it, or choose another definition.',
        text,
    )
    # with the SNA boundary the chores are not needed
    assert _run(stat_client, estimation, definition="sdg-sna").status_code == 302


def test_non_numeric_hours_name_the_rows(stat_client):
    data = survey()
    children = [i for i, age in enumerate(data["age"]) if 5 <= age <= 17]
    data["econ_hours"][children[0]] = "abc"
    data["econ_hours"][children[5]] = "7h"
    estimation = upload(stat_client, csv_upload(data))
    text = _problems(_run(stat_client, estimation))
    assert (
        f"Column econ_hours (hours of economic activity in the reference week) must hold numbers; 2 rows do not: "
        f"{children[0] + 1} ('abc'), "
        f"{children[5] + 1} ('7h')." in text
    )
    estimation.refresh_from_db()
    assert estimation.result == {}
    assert estimation.status == "uploaded"


def test_negative_weights_name_the_rows(stat_client):
    data = survey()
    data["weight"][4] = -3.5
    estimation = upload(stat_client, csv_upload(data))
    text = _problems(_run(stat_client, estimation))
    assert "Column weight has a negative weight in 1 row: 5 (-3.5)." in text


def _one_cluster_in_south_rural() -> dict[str, list]:
    data = survey()
    keep = [
        i
        for i, (s, p) in enumerate(zip(data["stratum"], data["psu"], strict=True))
        if s != "south-rural" or p == "south-rural-01"
    ]
    return {k: [v[i] for i in keep] for k, v in data.items()}


LONELY_ON_THE_PAGE = (
    "1 stratum has a single cluster: south-rural. The variance cannot be estimated there. Choose how to treat "
    "them under “Strata with a single cluster” (as R's survey.lonely.psu does), or merge these strata with a "
    "neighbouring one."
)


def test_lonely_psu_under_fail_names_the_strata_and_the_options(stat_client):
    data = _one_cluster_in_south_rural()
    estimation = upload(stat_client, csv_upload(data))
    text = _problems(_run(stat_client, estimation))
    assert LONELY_ON_THE_PAGE in text
    assert text.count("Choose how to treat them") == 1
    assert Estimation.objects.get().result == {}
    html = _result_html(stat_client, estimation, lonely_psu="certainty")
    expected = estimate_child_labour(data, by=BY, options=Options(lonely_psu="certainty"))
    assert _cells(html, "total", "se") == [f"{expected.rows[0].se:.2f}"]


def test_lonely_psu_in_the_background_keeps_the_pages_hint(stat_client, settings, django_capture_on_commit_callbacks):
    settings.INDICATORS_BACKGROUND_BYTES = 1000
    estimation = upload(stat_client, csv_upload(_one_cluster_in_south_rural()))
    with django_capture_on_commit_callbacks(execute=True):
        _run(stat_client, estimation)
    estimation.refresh_from_db()
    assert (estimation.status, estimation.job.status) == ("failed", "failed")
    assert estimation.error == LONELY_ON_THE_PAGE
    page = stat_client.get(reverse("indicators:configure", kwargs={"uuid": estimation.uuid}))
    assert LONELY_ON_THE_PAGE in _problems(page)


@pytest.mark.parametrize("level", ["1.5", "abc"])
def test_bad_level_refused_on_the_field(stat_client, level):
    estimation = upload(stat_client, csv_upload())
    text = _problems(_run(stat_client, estimation, level=level))
    assert re.search(r'id="field-level">.*?class="errorlist"', text)


def test_csv_download_of_a_result_needs_a_result(stat_client):
    estimation = upload(stat_client, csv_upload())
    response = stat_client.get(reverse("indicators:download", kwargs={"uuid": estimation.uuid, "exporter": "csv"}))
    assert response["Location"] == reverse("indicators:configure", kwargs={"uuid": estimation.uuid})


def test_custom_definition_from_a_toml_file(stat_client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    toml = (
        'name = "Economic activity of 10 hours or more"\ncomparable = false\n'
        "[[criteria]]\nages = [5, 17]\necon_hours = { at_least = 10 }\n"
    )
    data = survey()
    estimation = upload(stat_client, csv_upload(data))
    html = _result_html(
        stat_client,
        estimation,
        definition="custom",
        tables=["sex"],
        definition_file=SimpleUploadedFile("national.toml", toml.encode()),
    )
    (tmp_path / "custom.toml").write_text(toml)
    expected = estimate_child_labour(data, definition=load_definition(tmp_path / "custom.toml"), by=[("sex",)])
    assert _cells(html, "total", "estimate") == [f"{expected.rows[0].estimate:.1f}"]
    assert "Economic activity of 10 hours or more" in html
    assert "Definition “Economic activity of 10 hours or more”: the values are not comparable with the SDG" in html
    # run again without giving the file: the definition given before is kept
    html = _result_html(stat_client, estimation, definition="custom", tables=[])
    assert _cells(html, "total", "estimate") == [f"{expected.rows[0].estimate:.1f}"]


def test_broken_custom_definition_explained_on_its_field(stat_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    estimation = upload(stat_client, csv_upload())
    response = _run(
        stat_client,
        estimation,
        definition="custom",
        definition_file=SimpleUploadedFile("bad.toml", b'name = "x"\n[[criteria]]\nages = [5, 11]\n'),
    )
    text = _problems(response)
    assert re.search(
        r'id="field-definition_file">.*?Criterion 1 of custom needs exactly one of econ_hours, chore_hours or hazardous',
        text,
    )
    assert (
        _problems(_run(stat_client, estimation, definition="custom")).count("Give the definition as a TOML file.") == 1
    )


def test_chart_coordinates_stay_numbers_in_french(stat_client):
    estimation = upload(stat_client, csv_upload())
    _run(stat_client, estimation)
    html = stat_client.get(
        reverse("indicators:result", kwargs={"uuid": estimation.uuid}), headers={"accept-language": "fr"}
    ).content.decode()
    assert '<html lang="fr">' in html
    coordinates = re.findall(r'(?:cx|cy|x1|x2|y1|y2)="([^"]*)"', html)
    assert coordinates
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in coordinates)


def test_degrees_of_freedom_of_the_whole_design_on_the_page(stat_client):
    data = survey()
    estimation = upload(stat_client, csv_upload(data))
    html = _result_html(stat_client, estimation, df="design", tables=["area"])
    assert re.search(r'data-fact="df">the whole design', html)
    estimation.refresh_from_db()
    assert estimation.options["df"] == "design"
    design = estimate_child_labour(data, by=[("area",)], options=Options(df="design"))
    domain = estimate_child_labour(data, by=[("area",)], options=Options(df="domain"))
    rural = next(r for r in estimation.result["rows"] if r["categories"].get("area") == "rural")
    expected = next(r for r in design.rows if r.categories.get("area") == "rural")
    other = next(r for r in domain.rows if r.categories.get("area") == "rural")
    assert (rural["ci_lower"], rural["ci_upper"]) == (expected.ci_lower, expected.ci_upper)
    # the rural clusters are in half the strata: 6 degrees of freedom of its own, 12 of the design
    assert (other.df, expected.df) == (6.0, 12.0) and rural["ci_lower"] > other.ci_lower
    # the default stays R's, and a bad value is refused by name
    html = _result_html(stat_client, estimation, tables=["area"])
    assert re.search(r'data-fact="df">each domain', html)
    response = _run(stat_client, estimation, df="both")
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
