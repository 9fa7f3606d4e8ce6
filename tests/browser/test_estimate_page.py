"""The child-labour estimate as a statistician reads it: on a laptop, on a phone, in the page's own words."""

import csv
import io

import pytest
from django.urls import reverse

from factories_indicators import csv_bytes, statistician, survey

PASSWORD = "a-long-test-password"


def _upload(page, path):
    page.get_by_label("Survey file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and read the columns").click()
    page.get_by_role("heading", name="2. Columns of the file").wait_for()


def _estimate(page):
    page.get_by_role("button", name="Estimate").click()


def _tables_fit(page) -> list[dict]:
    """Per estimates table: where its last column ends, against the viewport and the table's own box."""
    return page.evaluate(
        """() => [...document.querySelectorAll('table.estimates')].map(t => {
            const box = t.parentElement.getBoundingClientRect();
            const last = t.querySelector('thead th:last-child').getBoundingClientRect();
            return {table: t.dataset.table, text: t.querySelector('thead th:last-child').innerText,
                    right: last.right, box: box.right, viewport: document.documentElement.clientWidth,
                    page: document.documentElement.scrollWidth};
        })"""
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_every_column_of_the_estimate_tables_is_in_view(transactional_db, live_server, page_factory, tmp_path, width):
    statistician(username="stat")
    path = tmp_path / "survey.csv"
    path.write_bytes(csv_bytes(survey()))
    page = page_factory(
        viewport={"width": width, "height": 900}, signed_in=("stat", PASSWORD), landing=reverse("indicators:upload")
    )
    page.wait_for_url("**/indicators/estimate/")
    _upload(page, path)
    page.get_by_label("By area (urban/rural)").check()
    page.get_by_label("By sex and age group").check()
    # a national total: numbers in millions, as a country's tables have them
    page.get_by_label("Children aged 5–17 in the population (optional)").fill("21500000")
    _estimate(page)
    page.get_by_role("heading", name="Children aged 5–17 in child labour").wait_for()

    tables = _tables_fit(page)
    assert [t["table"] for t in tables] == ["total", "sex", "age_group", "area", "sex,age_group"]
    for table in tables:
        assert table["text"] == "Number in child labour"
        # no page-wide horizontal scroll, at any width
        assert table["page"] <= table["viewport"], table
        if width >= 1280:
            # on a laptop the whole table is seen without scrolling it
            assert table["right"] <= table["box"] + 1, table
    if width < 1280:
        # on a phone every figure of a domain is on the screen, its name above them
        cells = page.evaluate(
            """() => [...document.querySelectorAll('table.estimates td.num')].map(c => c.getBoundingClientRect())
                     .map(r => [r.left, r.right])"""
        )
        assert cells and all(left >= 0 and right <= width for left, right in cells), cells
        # the chart's domain names stay legible (they were about 7 px high when the chart shrank to the phone)
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('figure.chart text.label')]
                     .map(t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a)"""
        )
        assert sizes and min(sizes) >= 11, sizes


def test_a_survey_coded_1_2_with_a_child_without_hours_reads_in_the_pages_words(
    transactional_db, live_server, page_factory, tmp_path
):
    statistician(username="stat")
    data = survey()
    data["sex"] = [{"male": 1, "female": 2}[s] for s in data["sex"]]
    data["area"] = [{"urban": 1, "rural": 2}[a] for a in data["area"]]
    child = next(i for i, age in enumerate(data["age"]) if 5 <= age <= 17)
    data["econ_hours"][child] = ""
    path = tmp_path / "lfs-2019.csv"
    path.write_bytes(csv_bytes(data))
    page = page_factory(phone=True, signed_in=("stat", PASSWORD), landing=reverse("indicators:upload"))
    page.wait_for_url("**/indicators/estimate/")
    _upload(page, path)
    page.get_by_label("By area (urban/rural)").check()
    page.get_by_label("Country").select_option("THA")
    page.get_by_label("Year of the survey").fill("2019")
    _estimate(page)

    # the page asks what the codes mean, and says where to choose what to do with the missing hours
    problems = page.locator(".errorlist").all_inner_texts()
    text = " ".join(problems)
    assert "say which code means girls and which boys" in text
    assert "say which code means urban and which rural" in text
    assert "--" not in page.locator("main").inner_text()
    # on the phone the message sits under its box, not over it
    box = page.get_by_label("Code of girls in the sex column").bounding_box()
    message = page.locator("#field-sex_female .errorlist").bounding_box()
    assert message["y"] >= box["y"] + box["height"] - 1
    page.get_by_label("Code of girls in the sex column").fill("2")
    page.get_by_label("Code of boys in the sex column").fill("1")
    page.get_by_label("Code of urban areas in the area column").fill("1")
    page.get_by_label("Code of rural areas in the area column").fill("2")
    _estimate(page)
    message = page.locator(".errorlist").first.inner_text()
    assert f"Column econ_hours is empty for 1 child aged 5–17: row {child + 1}." in message
    assert "under “Children with no hours given”" in message
    assert "--" not in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_label("Children with no hours given").select_option("zero")
    _estimate(page)
    page.get_by_role("heading", name="Children aged 5–17 in child labour").wait_for()
    main = page.locator("main").inner_text()
    assert "1 child with no econ_hours was counted as working 0 hours." in main
    assert "1 children" not in main and "--" not in main
    assert page.locator("table[data-table=sex] tbody th").all_inner_texts() == ["Male", "Female"]
    assert page.locator("table[data-table=area] tbody th").all_inner_texts() == ["Urban", "Rural"]

    with page.expect_download() as download:
        page.get_by_role("link", name="SDMX-CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert {(r["SEX"], r["URBANISATION"]) for r in rows} == {
        ("_T", "_T"),
        ("F", "_T"),
        ("M", "_T"),
        ("_T", "U"),
        ("_T", "R"),
    }
