"""Storing a result as indicator observations, with provenance; large files in the background."""

import re

import pytest
from django.urls import reverse

from factories_indicators import csv_upload, form_data, statistician, survey, upload
from target87.core.models import AuditEntry
from target87.engines.childlabour import estimate_child_labour
from target87.indicators import data, services
from target87.indicators.models import Estimation, Observation, Vintage

STORE = {"ref_area": "THA", "year": "2019", "source": "Example survey 2019", "nature": "C"}


def _estimate(client, estimation, **overrides):
    response = client.post(
        reverse("indicators:configure", kwargs={"uuid": estimation.uuid}), form_data(estimation, **overrides)
    )
    assert response.status_code == 302, response.content.decode()
    return response


def _store(client, estimation, **overrides):
    return client.post(reverse("indicators:store", kwargs={"uuid": estimation.uuid}), {**STORE, **overrides})


def test_storing_creates_one_observation_per_domain_with_provenance(stat_client, stat):
    data = survey()
    estimation = upload(stat_client, csv_upload(data))
    _estimate(stat_client, estimation, tables=["sex", "age_group", "area", "sex,age_group"])
    response = _store(stat_client, estimation)
    vintage = Vintage.objects.get()
    assert response["Location"] == vintage.get_absolute_url()
    assert (vintage.kind, vintage.published, vintage.estimation) == ("estimation", False, estimation)
    expected = estimate_child_labour(data, by=[("sex",), ("age_group",), ("area",), ("sex", "age_group")])
    observations = Observation.objects.order_by("pk")
    assert observations.count() == len(expected.rows) == 1 + 2 + 3 + 2 + 6
    total = observations.get(sex="_T", age="Y5T17", urbanisation="_T")
    assert (total.value, total.lower_bound, total.upper_bound, total.standard_error, total.sample_size) == (
        expected.rows[0].estimate,
        expected.rows[0].ci_lower,
        expected.rows[0].ci_upper,
        expected.rows[0].se,
        expected.rows[0].n,
    )
    girls = observations.get(sex="F", age="Y12T14", urbanisation="_T")
    row = next(r for r in expected.rows if r.categories["sex"] == "female" and r.categories["age_group"] == "12-14")
    assert girls.value == row.estimate
    estimation.refresh_from_db()
    provenance = total.provenance
    assert provenance["file_name"] == "survey.csv"
    assert provenance["sha256"] == estimation.checksum
    assert provenance["definition"]["id"] == "sdg"
    assert provenance["options"]["ci_method"] == "logit"
    assert provenance["software"]["target87"]
    assert provenance["created_by"] == stat.username
    assert AuditEntry.objects.filter(action="indicators.observations.store").count() == 1


def test_storing_again_makes_a_new_vintage_and_keeps_the_earlier(stat_client):
    estimation = upload(stat_client, csv_upload())
    _estimate(stat_client, estimation, tables=["sex", "age_group"])
    _store(stat_client, estimation)
    assert Observation.objects.count() == 6
    _estimate(stat_client, estimation, tables=["sex"], ci_method="beta")
    response = _store(stat_client, estimation)
    page = stat_client.get(response["Location"]).content.decode()
    assert "Stored 3 observations of SL_TLF_CHLDEC as a new vintage." in page
    assert "The earlier vintages from the same source are kept; this one is now the current." in page
    assert Vintage.objects.count() == 2 and Observation.objects.count() == 9
    # today's data: the three domains of the new vintage, and the three age groups only the first one has
    current = data.current(published_only=False, ref_area="THA")
    assert len(current) == 6
    by_domain = {(o.sex, o.age): o.provenance["options"]["ci_method"] for o in current}
    assert by_domain[("_T", "Y5T17")] == "beta" and by_domain[("_T", "Y5T11")] == "logit"


def test_sna_boundary_stored_in_its_own_series(stat_client):
    estimation = upload(stat_client, csv_upload())
    _estimate(stat_client, estimation, definition="sdg-sna", tables=[])
    _store(stat_client, estimation)
    assert list(Observation.objects.values_list("series__code", flat=True)) == ["SL_TLF_CHLDEA"]


def test_storing_needs_a_country_and_a_year(stat_client):
    estimation = upload(stat_client, csv_upload())
    _estimate(stat_client, estimation)
    response = _store(stat_client, estimation, ref_area="", year="")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="field-ref_area">.*?This field is required', html, re.S)
    assert Observation.objects.count() == 0


def test_categories_without_an_sdmx_code_are_named_and_nothing_is_stored(stat_client):
    data = survey()
    # letters the SDG code lists do not know (codes 1/2 are asked about before estimating)
    data["sex"] = ["A" if s == "male" else "B" for s in data["sex"]]
    estimation = upload(stat_client, csv_upload(data))
    _estimate(stat_client, estimation, tables=["sex"])
    html = _store(stat_client, estimation).content.decode()
    assert "Cannot code the sex categories “A”, “B” (use female/male" in html.replace("&#x27;", "'")
    assert Observation.objects.count() == 0


def test_mics4_result_is_not_stored(stat, db):
    from factories_indicators import csv_upload as make

    estimation = services.estimation_upload(actor=stat, upload=make())
    services.estimation_run(
        actor=stat, estimation=estimation, mapping=estimation.mapping, definition="mics4", options={"tables": []}
    )
    with pytest.raises(services.ServiceError, match="no SDG series"):
        services.observations_store(actor=stat, estimation=estimation, ref_area="THA", year=2019, source="x")


def test_observation_pages_list_series_and_countries(stat_client):
    estimation = upload(stat_client, csv_upload())
    _estimate(stat_client, estimation, tables=["sex"])
    _store(stat_client, estimation)
    index = stat_client.get(reverse("indicators:observation_index")).content.decode()
    assert re.search(r"SL_TLF_CHLDEC</a>.*?Thailand \(THA\)</td><td class=\"num\">3</td><td>2019</td>", index, re.S)
    page = stat_client.get(reverse("indicators:observations", kwargs={"code": "SL_TLF_CHLDEC", "ref_area": "THA"}))
    values = re.findall(r'data-col="value">(.*?)</td>', page.content.decode())
    stored = Observation.objects.order_by("sex")
    assert sorted(values) == sorted(f"{o.value:.1f}" for o in stored)


def test_the_age_groups_are_listed_in_their_order_and_the_date_in_words(stat_client):
    estimation = upload(stat_client, csv_upload())
    _estimate(stat_client, estimation, tables=["age_group"])
    _store(stat_client, estimation)
    page = stat_client.get(reverse("indicators:observations", kwargs={"code": "SL_TLF_CHLDEC", "ref_area": "THA"}))
    text = page.content.decode()
    ages = [a for a in re.findall(r"<td>(\d+–\d+ years)</td>", text)]
    assert ages == ["5–11 years", "12–14 years", "15–17 years", "5–17 years"]  # not 12–14, 15–17, 5–11 as text
    created = Observation.objects.first().created_at
    assert f"{created.day} {created:%b %Y}" in text  # "5 Dec 2026", not 12/05/2026


def test_large_file_runs_in_the_background_with_progress(stat_client, settings, django_capture_on_commit_callbacks):
    settings.INDICATORS_BACKGROUND_BYTES = 1000
    data = survey()
    estimation = upload(stat_client, csv_upload(data))
    with django_capture_on_commit_callbacks(execute=True):
        response = _estimate(stat_client, estimation)
    estimation.refresh_from_db()
    assert response["Location"] == estimation.job.get_absolute_url()
    job = estimation.job
    assert (job.status, job.percent, job.result_url) == (
        "done",
        100,
        reverse("indicators:result", kwargs={"uuid": estimation.uuid}),
    )
    assert estimation.status == "done"
    expected = estimate_child_labour(data, by=[("sex",), ("age_group",), ("area",)])
    assert estimation.result["rows"][0]["estimate"] == expected.rows[0].estimate
    job_page = stat_client.get(job.get_absolute_url()).content.decode()
    assert "See the result" in job_page


def test_background_failure_shown_on_the_file_page(stat_client, settings, django_capture_on_commit_callbacks):
    settings.INDICATORS_BACKGROUND_BYTES = 1000
    data = survey()
    data["weight"][0] = -1
    estimation = upload(stat_client, csv_upload(data))
    with django_capture_on_commit_callbacks(execute=True):
        _estimate(stat_client, estimation)
    estimation.refresh_from_db()
    assert (estimation.status, estimation.job.status) == ("failed", "failed")
    assert "a negative weight in 1 row" in estimation.job.error
    page = stat_client.get(reverse("indicators:configure", kwargs={"uuid": estimation.uuid})).content.decode()
    assert "Column weight has a negative weight in 1 row: 1 (-1)." in page
    assert stat_client.get(reverse("indicators:result", kwargs={"uuid": estimation.uuid})).status_code == 302


def test_observations_need_the_statistician_capability(client, db):
    from factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("indicators:observation_index")).status_code == 403
    client.force_login(statistician())
    assert client.get(reverse("indicators:observation_index")).status_code == 200
    assert Estimation.objects.count() == 0


def test_deleting_the_file_keeps_the_stored_observations(stat_client, django_capture_on_commit_callbacks):
    from pathlib import Path

    estimation = upload(stat_client, csv_upload())
    _estimate(stat_client, estimation, tables=["sex"])
    _store(stat_client, estimation)
    path = Path(estimation.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = stat_client.post(reverse("indicators:delete", kwargs={"uuid": estimation.uuid}))
    assert response["Location"] == reverse("indicators:upload")
    assert not Estimation.objects.exists()
    assert not path.exists()
    assert Observation.objects.count() == 3
    assert set(Observation.objects.values_list("provenance__sha256", flat=True)) == {estimation.checksum}
