"""The report's formats, one exporter each (see :mod:`target87.core.exporters`): HTML, PDF, DOCX, JSON and the
CSV of the recommendations, all rendered from the same contents (:func:`.contents.report_contents`).

The PDF is WeasyPrint's layout of the very HTML the page shows (``report.css``; its ``@media print`` rules apply).
Nearly all of its time is WeasyPrint breaking and drawing lines of text, about 75 ms of CPU a page on this machine
(``bench/report.py``: 300 recommendations and 2,000 contributions make 117 pages). What made it cheaper, measured
with that benchmark and kept where it belongs: the print rules let a recommendation run over a page end (each one
kept whole was laid out twice at every page end), put bullets inside the text (an outside marker is a positioned
box of its own) and give the long tables fixed columns (no measuring of every cell first); the charts are SVG
written by :mod:`.charts`, without a JavaScript runtime. What was measured and left alone because it did not
matter: a shorter font list (no difference beyond the machine's noise; the Noto families named in order keep
Chinese names in the Simplified Chinese face, where the system's fallback picks the Japanese one), reusing one
font configuration between documents (about 10 ms), kerning and ligatures off, and an uncompressed PDF
(compression is about 0.1 s)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from target87.core import exporters

from . import charts as charting

CSS_PATH = Path(__file__).with_name("static") / "reports" / "report.css"
SCREEN_CSS_PATH = CSS_PATH.with_name("report-screen.css")

registry = exporters.Registry("reports")


@lru_cache(maxsize=1)
def report_css() -> tuple[str, str]:
    """The report's style sheet for every medium, and the one for screens only."""
    return CSS_PATH.read_text(encoding="utf-8"), SCREEN_CSS_PATH.read_text(encoding="utf-8")


def participation_tables(contents: dict) -> list[tuple[str, list[dict]]]:
    p = contents["annexes"]["participation"]
    return [
        (_("By stakeholder group"), p["by_group"]),
        (_("By country"), p["by_country"]),
        (_("By gender"), p["by_gender"]),
    ]


def body_context(contents: dict, prepared_charts: list[dict]) -> dict:
    return {"r": contents, "charts": prepared_charts, "participation_tables": participation_tables(contents)}


class ReportExporter(exporters.BaseExporter):
    """Renders a report's contents; ``charts`` may be given already drawn (the HTML and the PDF share them)."""

    def __init__(self, contents: dict, *, charts: list[dict] | None = None) -> None:
        self.contents = contents
        self.charts = charts

    def filename(self) -> str:
        parts = [self.contents["consultation"]["slug"], "report"]
        if self.contents.get("channel"):
            parts.append(self.contents["channel"]["slug"])
        parts.append(self.contents.get("language", "en"))
        return slugify("-".join(parts)) + "." + self.extension

    def drawn(self, image: str = "svg") -> list[dict]:
        if self.charts is None:
            self.charts = charting.prepare(self.contents, image=image)
        return self.charts


@registry.register
class HTMLReport(ReportExporter):
    identifier = "html"
    name = gettext_lazy("Web page (HTML)")
    content_type = "text/html; charset=utf-8"
    extension = "html"

    def render(self) -> bytes:
        css, screen_css = report_css()
        context = {**body_context(self.contents, self.drawn()), "css": css, "screen_css": screen_css}
        return render_to_string("reports/document.html", context).encode("utf-8")


@registry.register
class PDFReport(ReportExporter):
    identifier = "pdf"
    name = gettext_lazy("PDF")
    content_type = "application/pdf"
    extension = "pdf"

    def render(self) -> bytes:
        from weasyprint import HTML

        html = HTMLReport(self.contents, charts=self.drawn()).render().decode("utf-8")
        return HTML(string=html, base_url=str(CSS_PATH.parent)).write_pdf()


@registry.register
class DOCXReport(ReportExporter):
    identifier = "docx"
    name = gettext_lazy("Word document (DOCX), to edit")
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    extension = "docx"

    def render(self) -> bytes:
        from .docx_render import render_docx

        return render_docx(self.contents, charts=self.drawn(image="png"))


@registry.register
class JSONReport(ReportExporter):
    identifier = "json"
    name = gettext_lazy("Data (JSON)")
    content_type = "application/json"
    extension = "json"

    def render(self) -> bytes:
        return json.dumps(self.contents, ensure_ascii=False, indent=1).encode("utf-8")


CSV_HEADER = [
    "key_question",
    "priority",
    "code",
    "title",
    "text",
    "level",
    "timeframe",
    "actors",
    "channels",
    "rank",
    "of",
    "score",
    "consensus",
    "minority_groups",
    "dissenting_views",
    "sources",
]


@registry.register
class CSVReport(ReportExporter):
    identifier = "csv"
    name = gettext_lazy("Recommendations (CSV)")
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def render(self) -> bytes:
        rows = []
        for block in self.contents["key_questions"]:
            for priority, rec in enumerate(block["recommendations"], start=1):
                s = rec["support"]
                rows.append(
                    [
                        f"Q{block['position']}",
                        priority,
                        rec["code"],
                        rec["title"],
                        rec["text"],
                        rec["level_label"],
                        rec["timeframe_label"],
                        "; ".join(rec["actors"]),
                        "; ".join(rec["channels"]),
                        s["rank"] if s["rank"] is not None else "",
                        s["of"] if s["of"] is not None else "",
                        s["score"] if s["score"] is not None else "",
                        s["consensus_label"],
                        "; ".join(g["label"] for g in s["minority"]),
                        len(rec["dissent"]),
                        rec["sources"],
                    ]
                )
        return exporters.csv_bytes(CSV_HEADER, rows, bom=True)


FORMATS = [cls.identifier for cls in registry]


def render(contents: dict, fmt: str, *, charts: list[dict] | None = None) -> bytes:
    return registry.get(fmt)(contents, charts=charts).render()
