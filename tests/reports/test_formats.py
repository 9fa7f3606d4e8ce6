"""Every format read back as a reader would: the PDF through pdftotext, the DOCX through python-docx."""

import csv
import datetime as dt
import io
import json
import subprocess

import docx
import pytest
from django.utils import translation
from factories_reports import QUESTIONS, SPEAKERS, filled

from target87.reports import rendering
from target87.reports.contents import report_contents

pytestmark = pytest.mark.django_db

CHANNELS = [
    "Launch of the Global SDG Alliance (New York, September 2016)",
    "4th Global Conference on Child Labour (Buenos Aires, 2017)",
]


@pytest.fixture
def contents(consultation, convener):
    made = filled(consultation, convener)
    for rec, channel in zip(made["recs"], consultation.report_channels.order_by("position"), strict=False):
        channel.routes.create(recommendation=rec)
    with translation.override("en"):
        return report_contents(consultation=consultation)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


def test_pdf_shows_key_questions_channels_and_non_latin_names(contents, tmp_path):
    with translation.override("en"):
        text = _pdf_text(rendering.render(contents, "pdf"), tmp_path)
    flat = " ".join(text.split())
    for question in QUESTIONS:
        assert question in flat
    for channel in CHANNELS:
        assert channel in flat
    for name in SPEAKERS.values():
        assert name in flat, name


def test_pdf_embeds_noto_fonts_for_every_script(contents, tmp_path):
    path = tmp_path / "report.pdf"
    with translation.override("en"):
        path.write_bytes(rendering.render(contents, "pdf"))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    for family in ("+Noto-Sans ", "+Noto-Sans-Thai", "+Noto-Sans-Khmer", "+Noto-Sans-Lao", "+Noto-Sans-CJK"):
        assert family in fonts, family


def test_each_recommendation_gives_its_place_in_each_stakeholder_group(contents, tmp_path):
    with translation.override("en"):
        text = " ".join(_pdf_text(rendering.render(contents, "pdf"), tmp_path).split())
        document = docx.Document(io.BytesIO(rendering.render(contents, "docx")))
    words = " ".join(p.text for p in document.paragraphs)
    # R1: first for governments and workers, second of three for employers (after R3)
    line = "Place in each stakeholder group, of 3: Employers' organisation 2 · Government 1 · Workers' organisation 1"
    assert line in text and line in words


def test_docx_shows_key_questions_channels_and_non_latin_names(contents):
    with translation.override("en"):
        document = docx.Document(io.BytesIO(rendering.render(contents, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for question in QUESTIONS:
        assert f": {question}" in text
    for channel in CHANNELS:
        assert channel in text
    for name in SPEAKERS.values():
        assert name in text, name
    assert len(document.inline_shapes) == 1  # the chart, as a picture beside its table


def test_csv_lists_recommendations_in_priority_order(contents):
    rows = list(csv.DictReader(io.StringIO(rendering.render(contents, "csv").decode("utf-8-sig"))))
    assert [(r["key_question"], r["priority"], r["title"]) for r in rows] == [
        ("Q1", "1", "National action plans"),
        ("Q1", "2", "Labour inspection in farms"),
        ("Q3", "1", "A shared 8.7 dashboard"),
    ]
    assert rows[0]["minority_groups"] == "Employers' organisation"
    assert rows[0]["channels"] == CHANNELS[0]


def test_json_is_the_contents_and_html_carries_chart_and_table(contents):
    assert json.loads(rendering.render(contents, "json"))["key_questions"][0]["short_title"] == QUESTIONS[0]
    html = rendering.render(contents, "html").decode()
    assert 'src="data:image/svg+xml;base64,' in html
    code = contents["key_questions"][0]["recommendations"][0]["code"]
    assert f'<th scope="row">{code}. National action plans</th>' in html
    assert '"Noto Sans Thai"' in html


def test_a_long_programme_keeps_each_row_on_one_page_with_the_header_on_every_page(consultation, convener, tmp_path):
    from factories import SessionFactory, at

    filled(consultation, convener)
    titles = []
    for n in range(40):  # about three pages of programme, two-line titles
        day, hour = 1 + n // 20, 8 + (n % 20) // 2
        title = f"Session {n:02d}: coordination of labour inspection, recruitment fees and social protection"
        start = at(day, f"{hour:02d}:{30 * (n % 2):02d}")
        SessionFactory(consultation=consultation, title=title, start=start, end=start + dt.timedelta(minutes=25))
        titles.append(f"Session {n:02d}:")
    with translation.override("en"):
        data = rendering.render(report_contents(consultation=consultation), "pdf")
    pages = [" ".join(page.split()) for page in _pdf_text(data, tmp_path).split("\f")]
    holding = [p for p in pages if any(t in p for t in titles)]
    assert len(holding) >= 2  # the programme runs over a page end
    for title in titles:
        [page] = [p for p in pages if title in p]  # each title on exactly one page ...
        after = page.split(title, 1)[1]
        assert "coordination of labour inspection, recruitment fees and social protection" in after  # ... whole
    for page in holding:
        assert "When Session Speakers" in page  # the header row again at the top of each page

    document = docx.Document(io.BytesIO(rendering.render(report_contents(consultation=consultation), "docx")))
    programme = next(t for t in document.tables if t.rows[0].cells[0].text == "When")
    assert programme.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None for row in programme.rows)
