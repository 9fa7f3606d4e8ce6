"""A statistician estimates child labour from a survey file in the browser and stores the result."""

import os

from django.contrib.auth.models import Group
from django.urls import reverse

from factories import UserFactory
from factories_indicators import csv_bytes, survey
from target87.engines.childlabour import estimate_child_labour
from target87.indicators.models import Observation

PASSWORD = "a-long-test-password"


def test_statistician_uploads_a_csv_confirms_the_columns_and_stores_the_observations(
    transactional_db, live_server, page_factory, tmp_path
):
    user = UserFactory(username="stat")
    user.groups.add(Group.objects.get_or_create(name="statisticians")[0])
    data = survey()
    data["kid_age"] = data.pop("age")  # a name the page cannot guess: the statistician maps it
    path = tmp_path / "thailand-2019.csv"
    path.write_bytes(csv_bytes(data))

    page = page_factory(
        viewport={"width": 1280, "height": 900}, signed_in=("stat", PASSWORD), landing=reverse("indicators:upload")
    )
    page.wait_for_url("**/indicators/estimate/")

    page.get_by_label("Survey file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and read the columns").click()
    page.get_by_role("heading", name="2. Columns of the file").wait_for()
    # the usual names are proposed; the age is not, until chosen
    assert page.get_by_label("Sample weight").input_value() == "weight"
    assert page.get_by_label("Age of the child (completed years)").input_value() == ""
    page.get_by_label("Age of the child (completed years)").select_option("kid_age")
    page.get_by_label("By area (urban/rural)").check()
    page.get_by_label("Country").select_option("THA")
    page.get_by_label("Year of the survey").fill("2019")
    page.get_by_label("The whole design's clusters minus strata", exact=False).check()
    page.get_by_role("button", name="Estimate").click()

    page.get_by_role("heading", name="Children aged 5–17 in child labour").wait_for()
    data["age"] = data.pop("kid_age")
    expected = estimate_child_labour(data, by=[("sex",), ("age_group",), ("area",)])
    total = expected.rows[0]
    row = page.locator("table[data-table=total] tbody tr")
    assert row.locator("[data-col=estimate]").inner_text() == f"{total.estimate:.1f}"
    assert row.locator("[data-col=ci]").inner_text() == f"{total.ci_lower:.1f} – {total.ci_upper:.1f}"
    assert page.locator("table[data-table=area] tbody tr").count() == 2
    assert page.locator("[data-fact=df]").inner_text() == "the whole design's"
    # the chart: one dot with its interval per domain (total, 2 sexes, 3 age groups, 2 areas)
    assert page.locator("figure.chart circle.point").count() == 8
    assert "rows are children outside ages 5–17" in page.locator(".result-notes").inner_text()
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.environ["SCREENSHOTS"] + "/result.png", full_page=True)

    page.get_by_label("Source").fill("Example survey 2019")
    page.get_by_role("button", name="Store as indicator observations").click()
    page.get_by_role("heading", name="Example survey 2019, THA 2019").wait_for()
    assert "Stored 8 observations of SL_TLF_CHLDEC as a new vintage." in page.locator(".messages").inner_text()
    assert Observation.objects.filter(ref_area="THA", time_period="2019", source="Example survey 2019").count() == 8
    assert page.locator("table.observations tbody tr").count() == 8
    assert "Not shown on the dashboards." in page.content()

    # shown on the dashboards, the estimate is Thailand's latest value, with its interval
    page.get_by_role("button", name="Show on the dashboards").click()
    assert "now shown on the dashboards" in page.locator(".messages").inner_text()
    page.goto(reverse("indicators:country", args=["THA"]))
    latest = page.locator("#SL_TLF_CHLDEC p.latest").inner_text()
    assert "in 2019" in latest and "95 % interval" in latest
