"""Downloads of an estimation's result: one mechanism, one registered class per format.

CSV has the columns of ``target87 estimate child-labour --format csv`` (full precision); SDMX-CSV is version
2.0 with the dimensions of the SDG global database (REF_AREA as UN M49, ISO3 beside it), as ``sdmx1`` reads it.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from target87.core.errors import ServiceError
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
    name = gettext_lazy("CSV")

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
    name = gettext_lazy("SDMX-CSV")
    suffix = "-sdmx"

    def render(self) -> bytes:
        result = self.estimation.result
        options = self.estimation.options
        ref_area, year = options.get("ref_area") or "", str(options.get("year") or "")
        if not ref_area or not year:
            raise ServiceError(
                _(
                    "SDMX needs the country and the year of the survey: give them under “Store as indicator "
                    "observations” and store, then download again."
                )
            )
        series = result["definition"].get("series", "")
        records = [
            sdmx.Record(
                series=series,
                ref_area=ref_area,
                time_period=year,
                value=row["estimate"],
                lower=row["ci_lower"],
                upper=row["ci_upper"],
                unit="PT",
                nature=options.get("nature") or "C",
                reporting_type="N",
                source=options.get("source") or "",
                **dims,
            )
            for row, dims in code_rows(result)
        ]
        return sdmx.write_sdmx_csv(records).encode("utf-8")
