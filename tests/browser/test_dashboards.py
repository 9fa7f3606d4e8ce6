"""A visitor reads the sub-regional dashboard and a country's on a phone: charts with their interval band,
the comparison table, the map, the target, and each chart's data as a table and as downloads."""

import csv
import io
from pathlib import Path

from django.urls import reverse

from target87.demo import indicators as demo


def test_visitor_reads_the_region_then_a_country_on_a_phone(transactional_db, live_server, page_factory):
    demo.load(consultation=None)
    page = page_factory(phone=True)
    page.goto(reverse("indicators:region"))
    page.get_by_role("heading", name="East and South-East Asia and the Pacific").wait_for()
    section = page.locator("section#SL_TLF_CHLDEC")
    # the comparison table: twelve countries, then the two aggregates
    assert section.locator("table.comparison tbody tr").count() == 12
    footer = section.locator("table.comparison tfoot").inner_text()
    assert "Unweighted mean of the countries (ESCAP)" in footer and "Population-weighted mean" in footer
    # the charts are drawn in the page: intervals (a bar per country) and the tile map
    assert section.locator("figure[data-chart=intervals] svg").count() == 1
    assert section.locator("figure[data-chart=map] svg .mark-rect path").count() >= 12
    assert "illustrative" in section.locator(".notice").inner_text()
    assert "Asia and the Pacific (ILO region)" in section.locator("ul.references").inner_text()
    # nothing wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    section.get_by_role("link", name="Thailand").click()
    page.get_by_role("heading", name="Thailand").wait_for()
    panel = page.locator("section#SL_TLF_CHLDEC")
    figure = panel.locator("figure[data-chart=trend]")
    # the interval band under the line, and the target
    assert figure.locator("svg .mark-area path").count() == 1
    assert figure.locator("svg .mark-line path").count() == 1
    box = figure.locator("svg").bounding_box()
    assert box is not None and box["width"] <= 390
    assert "Target: 0 by 2025" in panel.locator("p.target").inner_text()
    assert "95 % interval 2.5 to 4.1" in panel.locator("p.latest").inner_text()
    # every chart also as a table, and as a CSV file with the same figures
    panel.get_by_text("The chart as a table").click()
    rows = panel.locator("table.points tbody tr")
    assert rows.count() == 4 and rows.last.locator("td").nth(1).inner_text() == "3.3"
    with page.expect_download() as caught:
        panel.get_by_role("link", name="CSV").click()
    table = list(csv.DictReader(io.StringIO(Path(caught.value.path()).read_text(encoding="utf-8"))))
    assert [r["year"] for r in table] == ["2012", "2015", "2019", "2022"]
    assert (table[-1]["lower_bound"], table[-1]["upper_bound"]) == ("2.5", "4.1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
