"""What the faster PDF must still hold: the charts drawn as SVG show every value with its shade, and the chart's
table keeps every stakeholder group's column on the page (the benchmark, not this file, times the PDF)."""

import re
import subprocess

import pytest
from django.utils import translation
from factories_reports import filled

from target87.reports import charts, rendering
from target87.reports.contents import report_contents

pytestmark = pytest.mark.django_db

GROUPS = [
    ("academia", "Academia / research"),
    ("civil_society", "Civil society / NGO"),
    ("development_partner", "Development partner / donor"),
    ("employers", "Employers' organisation"),
    ("government", "Government"),
    ("private_sector", "Private sector / business"),
    ("survivor_led", "Survivor-led organisation"),
    ("un_international", "UN or international organisation"),
    ("workers", "Workers' organisation"),
]


def _chart(rows: int = 15, measure: str = "rank") -> dict:
    """A chart of nine stakeholder groups, each cell with its own value; one cell left empty."""
    made = {
        "ballot": "Priorities of the consultation",
        "method": "Approval",
        "measure": measure,
        "groups": [{"group": g, "label": label} for g, label in GROUPS],
        "rows": [
            {
                "code": f"R{r + 1}",
                "title": f"Recommendation number {r + 1} on labour inspection in farms",
                "overall": r + 1,
                "cells": {g: 101 + r * len(GROUPS) + i for i, (g, _label) in enumerate(GROUPS)},
            }
            for r in range(rows)
        ],
    }
    made["rows"][0]["cells"]["workers"] = None
    return made


def test_chart_svg_draws_one_cell_per_value_with_labels_and_legend():
    chart = _chart(rows=4)
    svg = charts.chart_svg(chart)
    cells = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="45" height="20" fill="(#[0-9a-f]{6})"/>', svg)
    assert len(cells) == 4 * len(GROUPS) - 1  # the empty cell is not drawn
    for r in range(4):
        assert f"R{r + 1}. Recommendation number {r + 1}" in svg
    for _group, label in GROUPS:
        assert label in svg
    assert "Place in each stakeholder group" in svg
    assert "<title>Priorities of the consultation</title>" in svg


def test_chart_shades_the_first_place_darkest_and_full_agreement_darkest():
    ranked = charts.chart_svg(_chart(rows=2))
    fills = re.findall(r'height="20" fill="(#[0-9a-f]{6})"', ranked)
    darkness = [sum(int(f[i : i + 2], 16) for i in (1, 3, 5)) for f in fills]
    # the first cell holds the smallest value (the best place): darkest; the last the largest: lightest
    assert darkness[0] == min(darkness)
    assert darkness[-1] == max(darkness)
    agreement = _chart(rows=1, measure="agreement")
    agreement["rows"][0]["cells"] = {"academia": 100, "government": 0}
    fills = re.findall(r'height="20" fill="(#[0-9a-f]{6})"', charts.chart_svg(agreement))
    assert fills == [charts.colour(1.0), charts.colour(0.0)]
    assert "Agreement in each stakeholder group (%)" in charts.chart_svg(agreement)


def test_chart_svg_escapes_titles():
    chart = _chart(rows=1)
    chart["rows"][0]["title"] = "Fees <script> & recruiters"
    svg = charts.chart_svg(chart)
    assert "<script>" not in svg
    assert "Fees &lt;script&gt; &amp; recruiters" in svg


def test_pdf_chart_table_keeps_every_group_column_on_the_page(consultation, convener, tmp_path):
    filled(consultation, convener)
    with translation.override("en"):
        contents = report_contents(consultation=consultation)
        contents["charts"] = [_chart()]
        data = rendering.render(contents, "pdf")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    words = set(text.split())
    values = {str(v) for row in _chart()["rows"] for v in row["cells"].values() if v is not None}
    missing = sorted(values - words, key=int)
    # text beyond the page's edge is not extracted: a column cut off by the margin would be missing here
    assert not missing, f"values missing from the PDF's chart table: {missing[:10]}"
