"""Downloads of an estimation's result: one mechanism, one registered class per format.

CSV has the columns of ``target87 estimate child-labour --format csv`` (full precision); SDMX-CSV has
the dimensions of the SDG global database (series, REF_AREA, TIME_PERIOD, SEX, AGE, URBANISATION).
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from target87.core.exporters import BaseExporter, Registry, csv_bytes
from target87.engines import sdmx

from .models import Estimation
from .sdmx import code_rows

estimate_exporters = Registry("estimate")
get = estimate_exporters.get


def _fmt(x) -> str:
    if x is None:
        return ""
    return repr(x) if isinstance(x, float) else str(x)


class EstimateExporter(BaseExporter):
    content_type = "text/csv; charset=utf-8"
    extension = "csv"
    suffix = ""

    def __init__(self, estimation: Estimation) -> None:
        self.estimation = estimation

    def filename(self) -> str:
        stem = Path(self.estimation.file_name).name.split(".")[0] or "survey"
        return f"{stem}-child-labour{self.suffix}.{self.extension}"


@estimate_exporters.register
class CSVExporter(EstimateExporter):
    identifier = "csv"
    name = _("CSV")

    def render(self) -> bytes:
        result = self.estimation.result
        variables = result["variables"]
        return csv_bytes(
            [*variables, "n", "estimate", "se", "ci_lower", "ci_upper", "number"],
            (
                [r["categories"][v] for v in variables]
                + [r["n"]]
                + [_fmt(r[k]) for k in ("estimate", "se", "ci_lower", "ci_upper", "number")]
                for r in result["rows"]
            ),
        )


@estimate_exporters.register
class SDMXExporter(EstimateExporter):
    """Raises :class:`~target87.core.errors.ServiceError` when a category has no SDMX code."""

    identifier = "sdmx-csv"
    name = _("SDMX-CSV")
    suffix = "-sdmx"

    def render(self) -> bytes:
        result = self.estimation.result
        options = self.estimation.options
        observations = [
            (
                sdmx.Dimensions(dims["sex"], dims["age"], dims["urbanisation"]),
                row["estimate"],
                row["ci_lower"],
                row["ci_upper"],
            )
            for row, dims in code_rows(result)
        ]
        text = sdmx.csv_text(
            observations,
            series=result["definition"].get("series", ""),
            ref_area=options.get("ref_area") or "",
            year=str(options.get("year") or ""),
        )
        return text.encode("utf-8")
