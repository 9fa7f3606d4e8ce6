"""The estimation pages speak their own words: fields as the page labels them, counts in good grammar, and
sex and area coded 1/2 named before they reach the tables and the SDMX download."""

import csv
import html
import io
import re

import pytest
import sdmx as sdmx1
from django.urls import reverse

from factories_indicators import csv_upload, form_data, labelled_frame, spss_file, survey, upload, upload_path
from target87.engines import sdmx
from target87.engines.childlabour import ChildLabourError, Options, estimate_child_labour
from target87.indicators import validation
from target87.indicators.models import Estimation

BY = [("sex",), ("age_group",), ("area",)]


def _configure(client, estimation, **overrides):
    return client.post(
        reverse("indicators:configure", kwargs={"uuid": estimation.uuid}), form_data(estimation, **overrides)
    )


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def _visible(response) -> str:
    """The words of the page a reader sees (no markup, no attributes, no script)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def _children(data) -> list[int]:
    return [i for i, age in enumerate(data["age"]) if 5 <= age <= 17]


# -- messages name the page's fields, not the command's options ----------------------------------------------
def test_one_child_without_hours_is_one_child_and_the_page_says_where_to_choose(stat_client):
    data = survey()
    first = _children(data)[0]
    data["econ_hours"][first] = ""
    estimation = upload(stat_client, csv_upload(data))
    page = _configure(stat_client, estimation)
    text = _visible(page)
    assert (
        f"Column econ_hours is empty for 1 child aged 5–17: row {first + 1}. Fill it in, or choose “count as 0 "
        "hours (MICS files leave them empty)” under “Children with no hours given”." in text
    )
    assert "children" not in text.split("Column econ_hours is empty for 1 ")[1][:10]
    assert not re.search(r"(?<![\w-])--[a-z]", text)
    assert Estimation.objects.get().result == {}


def test_two_children_without_hours_are_children(stat_client):
    data = survey()
    first, second = _children(data)[:2]
    data["chore_hours"][first] = data["chore_hours"][second] = ""
    estimation = upload(stat_client, csv_upload(data))
    text = _visible(_configure(stat_client, estimation))
    assert f"Column chore_hours is empty for 2 children aged 5–17: rows {first + 1}, {second + 1}." in text
    assert "--missing-hours" not in text


def test_the_command_line_keeps_its_option_in_the_same_message():
    data = survey()
    data["econ_hours"][_children(data)[0]] = None
    with pytest.raises(ChildLabourError, match="--missing-hours zero"):
        estimate_child_labour(data, by=BY)


def test_children_counted_as_zero_hours_are_counted_in_good_grammar(stat_client):
    data = survey()
    data["econ_hours"][_children(data)[0]] = ""
    estimation = upload(stat_client, csv_upload(data))
    response = _configure(stat_client, estimation, missing_hours="zero")
    assert response.status_code == 302, _text(response)
    text = _visible(stat_client.get(response["Location"]))
    assert "1 child with no econ_hours was counted as working 0 hours." in text
    assert "1 children" not in text


def test_strata_with_one_cluster_are_named_with_the_pages_field(stat_client):
    data = survey()
    keep = [i for i, (s, p) in enumerate(zip(data["stratum"], data["psu"], strict=True))
            if s not in ("south-rural", "north-rural") or p.endswith("-01")]  # fmt: skip
    estimation = upload(stat_client, csv_upload({k: [v[i] for i in keep] for k, v in data.items()}))
    text = _visible(_configure(stat_client, estimation))
    assert "2 strata have a single cluster: north-rural, south-rural." in text
    assert "Choose how to treat them under “Strata with a single cluster”" in text
    assert "--lonely-psu" not in text and "PSU" not in text


def test_a_chosen_column_the_file_lacks_is_named_with_its_field(stat_client):
    estimation = upload(stat_client, csv_upload())
    # the column vanished from the file after it was read (the header said otherwise)
    estimation.file.save("survey.csv", csv_upload(columns=["stratum", "psu", "weight", "age", "sex", "area"]))
    text = _visible(_configure(stat_client, estimation))
    assert "The file has none of the columns econ_hours (chosen for “Hours of economic activity" in text
    assert "--econ-hours" not in text and "NAME" not in text


@pytest.mark.parametrize(
    ("code", "params", "expected"),
    [
        ("negative_hours", {"column": "cl3", "count": 1, "rows_text": "7 (-2.0)"}, "Column cl3 has negative hours in 1 row: 7 (-2.0)."),
        ("empty", {"column": "hh6", "role": "area", "count": 1, "rows_text": "4"}, "Column hh6 (area (urban or rural)) is empty in 1 row"),
        ("large_weights", {"column": "w", "count": 1, "limit": 1e15, "rows_text": "3 (inf)"}, "Column w has a weight that is infinite or larger than 1e+15 in 1 row"),
        ("no_child", {"column": "age", "count": 1}, "The only row of the file is not a child aged 5–17 (column age)"),
        ("no_weight_to_scale", {}, "cannot scale them"),
    ],
)  # fmt: skip
def test_each_engine_error_of_one_row_reads_in_the_singular_and_without_options(code, params, expected):
    error = ChildLabourError("the command line's words, with --options", code=code, **params)
    text = validation.page_message(error)
    assert expected in text
    assert "--" not in text and "1 rows" not in text and "1 children" not in text


def test_an_unknown_message_names_the_field_instead_of_the_option():
    text = validation.page_message(ChildLabourError("Use --df design, or --level 0.9."))
    assert text == (
        "Use “Degrees of freedom of a domain's interval”: “The whole design's clusters minus strata (Stata, SPSS "
        "Complex Samples, MICS tabulations)”, or “Confidence level” 0.9."
    )


@pytest.mark.parametrize("definition", ["sdg", "sdg-sna", "mics6", "mics4"])
def test_no_command_option_anywhere_on_the_result_page(stat_client, definition):
    data = survey()
    estimation = upload(stat_client, csv_upload(data))
    response = _configure(stat_client, estimation, definition=definition)
    assert response.status_code == 302, _text(response)
    text = _visible(stat_client.get(response["Location"]))
    assert "The definition" in text
    assert not re.search(r"(?<![\w-])--[a-z]", text), re.findall(r".{60}--[a-z].{40}", text)


def test_one_observation_stored_is_one_observation(stat_client):
    estimation = upload(stat_client, csv_upload())
    response = _configure(stat_client, estimation, tables=[])
    assert response.status_code == 302
    page = stat_client.post(
        reverse("indicators:store", kwargs={"uuid": estimation.uuid}),
        {"ref_area": "THA", "year": "2019", "source": "Survey 2019", "nature": "C"},
        follow=True,
    )
    text = _visible(page)
    assert "Stored 1 observation of SL_TLF_CHLDEC as a new vintage." in text


def test_the_result_states_its_options_as_the_configure_page_words_them(stat_client):
    estimation = upload(stat_client, csv_upload())
    response = _configure(stat_client, estimation, lonely_psu="certainty", ci_method="beta")
    page = stat_client.get(response["Location"]).content.decode()
    facts = {k: html.unescape(v) for k, v in re.findall(r'<dd data-fact="(\w+)">(.*?)</dd>', page)}
    assert facts["ci"] == "95 %, Beta (Korn and Graubard)"
    assert facts["lonely"] == "Certainty: the single cluster was sampled with certainty"


# -- sex and area coded 1/2 ----------------------------------------------------------------------------------
def _coded(data):
    coded = dict(data)
    coded["sex"] = [{"male": 1, "female": 2}[s] for s in data["sex"]]
    coded["area"] = [{"urban": 1, "rural": 2}[a] for a in data["area"]]
    return coded


def test_numbers_for_sex_and_area_are_asked_about_before_estimating(stat_client):
    estimation = upload(stat_client, csv_upload(_coded(survey())))
    page = stat_client.get(reverse("indicators:configure", kwargs={"uuid": estimation.uuid}))
    assert re.search(r'<details class="codes" id="codes" open>', page.content.decode())
    text = _text(_configure(stat_client, estimation))
    assert re.search(
        r'id="field-sex_female">.*?The column sex holds codes \(\d, \d\) with no labels: say which code means girls '
        r"and which boys",
        text,
    )
    assert re.search(r'id="field-area_urban">.*?The column area holds codes', text)
    assert Estimation.objects.get().result == {}


def test_one_code_alone_is_not_enough(stat_client):
    estimation = upload(stat_client, csv_upload(_coded(survey())))
    text = _text(_configure(stat_client, estimation, sex_female="2", area_urban="1", area_rural="1"))
    assert re.search(r'id="field-sex_male">.*?Give this code too, different from the other one.', text)
    assert re.search(r'id="field-area_(urban|rural)">.*?Give this code too', text)
    assert text.count("Give this code too") == 2


def test_codes_given_name_the_domains_and_the_sdmx_download_works(stat_client):
    data = survey()
    estimation = upload(stat_client, csv_upload(_coded(data)))
    response = _configure(stat_client, estimation, sex_female="2", sex_male="1", area_urban="1", area_rural="2")
    assert response.status_code == 302, _text(response)
    page = _text(stat_client.get(response["Location"]))
    # the figures are the engine's on the file with words (the R-checked estimates); only the names change
    expected = {
        tuple(v for v in r.categories.values() if v != "_T"): r for r in estimate_child_labour(data, by=BY).rows
    }
    body = re.search(r'data-table="sex">(.*?)</table>', page).group(1)
    assert re.findall(r'<th scope="row">(.*?)</th>', body) == ["Male", "Female"]
    shown = re.findall(r'data-col="estimate">(.*?)</td>', body)
    assert shown == [f"{expected['male',].estimate:.1f}", f"{expected['female',].estimate:.1f}"]
    assert re.findall(r'<th scope="row">(.*?)</th>', re.search(r'data-table="area">(.*?)</table>', page).group(1)) == [
        "Urban",
        "Rural",
    ]

    url = reverse("indicators:download", kwargs={"uuid": estimation.uuid, "exporter": "sdmx-csv"})
    download = stat_client.get(url)
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    by_dims = {(r["SEX"], r["AGE"], r["URBANISATION"]): float(r["OBS_VALUE"]) for r in rows}
    assert by_dims["F", "Y5T17", "_T"] == expected["female",].estimate
    assert by_dims["M", "Y5T17", "_T"] == expected["male",].estimate
    assert by_dims["_T", "Y5T17", "R"] == expected["rural",].estimate
    message = sdmx1.read_sdmx(io.BytesIO(download.content), format="csv", structure=sdmx.data_structure())
    assert len(message.data[0].obs) == 8

    # the codes are kept for the next run
    page = _text(stat_client.get(reverse("indicators:configure", kwargs={"uuid": estimation.uuid})))
    assert re.search(r'name="sex_female"[^>]*value="2"', page)


def test_sdmx_refusal_points_to_the_codes_on_the_page(stat_client):
    data = survey()
    data["sex"] = ["A" if s == "male" else "B" for s in data["sex"]]  # letters, not numbers: not asked before
    estimation = upload(stat_client, csv_upload(data))
    assert _configure(stat_client, estimation).status_code == 302
    url = reverse("indicators:download", kwargs={"uuid": estimation.uuid, "exporter": "sdmx-csv"})
    text = _visible(stat_client.get(url, follow=True))
    assert "Cannot code the sex categories “A”, “B”" in text
    assert "under “Sex and area coded as numbers” on the page of the columns" in text
    # the codes given on the page name them, whatever they are
    assert _configure(stat_client, estimation, sex_female="B", sex_male="A").status_code == 302
    assert stat_client.get(url)["Content-Type"].startswith("text/csv")


def test_words_in_the_file_need_no_codes(stat_client):
    estimation = upload(stat_client, csv_upload())
    page = stat_client.get(reverse("indicators:configure", kwargs={"uuid": estimation.uuid})).content.decode()
    assert '<details class="codes" id="codes">' in page
    assert _configure(stat_client, estimation).status_code == 302


def test_without_a_sex_table_the_codes_are_not_asked(stat_client):
    estimation = upload(stat_client, csv_upload(_coded(survey())))
    response = _configure(stat_client, estimation, tables=["age_group"])
    assert response.status_code == 302


def test_recoding_changes_names_only(stat_client):
    """Every figure of every domain is the engine's on the same file with words (checked against R there)."""
    data = survey()
    estimation = upload(stat_client, csv_upload(_coded(data)))
    codes = {"sex_female": "2", "sex_male": "1", "area_urban": "1", "area_rural": "2"}
    assert _configure(stat_client, estimation, ci_method="beta", **codes).status_code == 302
    result = Estimation.objects.get().result
    words = {"Male": "male", "Female": "female", "Urban": "urban", "Rural": "rural"}
    got = {
        tuple(sorted((v, words.get(c, c)) for v, c in r["categories"].items())): (r["estimate"], r["ci_lower"], r["n"])
        for r in result["rows"]
    }
    expected = {
        tuple(sorted(r.categories.items())): (r.estimate, r.ci_lower, r.n)
        for r in estimate_child_labour(data, by=BY, options=Options(ci_method="beta")).rows
    }
    assert got.keys() == expected.keys()
    for domain, figures in expected.items():  # the same sums, added in another order: equal to 1e-12
        assert got[domain] == pytest.approx(figures, rel=1e-12), domain


def test_value_labels_the_code_lists_know_need_no_codes(stat_client, tmp_path):
    data = survey()
    estimation = upload(stat_client, upload_path(spss_file(tmp_path / "survey.sav", data)))
    response = _configure(stat_client, estimation)
    assert response.status_code == 302, _text(response)
    url = reverse("indicators:download", kwargs={"uuid": estimation.uuid, "exporter": "sdmx-csv"})
    rows = list(csv.DictReader(io.StringIO(stat_client.get(url).content.decode())))
    assert {r["SEX"] for r in rows} == {"_T", "F", "M"}


def test_value_labels_that_do_not_say_which_is_which_are_asked_and_recoded(stat_client, tmp_path):
    import pyreadstat

    data = survey()
    frame, labels, _variable_labels = labelled_frame(data)
    labels["sex"] = {1.0: "Boy child", 2.0: "Girl child"}
    path = tmp_path / "survey.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels=labels)
    estimation = upload(stat_client, upload_path(path))
    text = _text(_configure(stat_client, estimation))
    assert re.search(
        r'id="field-sex_female">.*?The value labels of column sex \(1 Boy child, 2 Girl child\) do not say which', text
    )
    assert 'field-area_urban">' in text and "The column area" not in text  # Urban/Rural are understood
    response = _configure(stat_client, estimation, sex_female="2", sex_male="1")
    assert response.status_code == 302, _text(response)
    page = _text(stat_client.get(response["Location"]))
    body = re.search(r'data-table="sex">(.*?)</table>', page).group(1)
    assert re.findall(r'<th scope="row">(.*?)</th>', body) == ["Male", "Female"]
    url = reverse("indicators:download", kwargs={"uuid": estimation.uuid, "exporter": "sdmx-csv"})
    download = stat_client.get(url)
    assert download.status_code == 200
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    expected = {
        r.categories["sex"]: r.estimate
        for r in estimate_child_labour(data, by=BY).rows
        if r.categories["age_group"] == r.categories["area"] == "_T"
    }
    got = {r["SEX"]: float(r["OBS_VALUE"]) for r in rows if r["AGE"] == "Y5T17" and r["URBANISATION"] == "_T"}
    assert got == {"_T": expected["_T"], "F": expected["female"], "M": expected["male"]}


def test_every_error_the_page_words_is_one_the_engine_gives():
    """The page words the engine's errors by their codes: a code the engine no longer gives would leave its
    wording unused, and one renamed there would fall back to the command line's words."""
    import ast
    import inspect

    from target87.engines import childlabour

    codes = {
        keyword.value.value
        for node in ast.walk(ast.parse(inspect.getsource(childlabour)))
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "code" and isinstance(keyword.value, ast.Constant)
    }
    worded = {"empty_hours", "negative_hours", "negative_weights", "large_weights", "not_numbers", "empty"}
    worded |= {"no_child", "no_weight_to_scale"}
    assert worded <= codes
    for code in worded:
        error = ChildLabourError("--", code=code, column="c", count=2, role="age", limit=1e15, rows_text="1, 2")
        assert "--" not in validation.page_message(error)
