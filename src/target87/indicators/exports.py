"""Downloads of the observation store: SDMX-CSV (what ``sdmx1`` reads), Open SDG CSV one file per indicator.

Both hold every field of an observation that the formats carry (bounds, nature, source, the text of a value given
without a number), at full precision, so that importing a download gives the same observations back.
"""

from __future__ import annotations

import io
import zipfile

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from target87.core.errors import ServiceError
from target87.core.exporters import BaseExporter, Registry
from target87.engines import sdmx

from .data import record_of
from .models import Observation

observation_exporters = Registry("observations")


def opensdg_name(indicator: str) -> str:
    """Open SDG's file name of an indicator: 8.7.1 → ``indicator_8-7-1.csv``."""
    return f"indicator_{slugify((indicator or 'other').replace('.', '-'))}.csv"


def sdmx_text(observations: list[Observation]) -> str:
    try:
        return sdmx.write_sdmx_csv(record_of(o) for o in observations)
    except sdmx.MissingAreaOrPeriod as missing:
        raise ServiceError(
            _("These observations have no area or no year, which SDMX cannot hold: %(keys)s.")
            % {"keys": "; ".join(missing.keys[:10])}
        ) from None


def opensdg_files(observations: list[Observation]) -> dict[str, str]:
    """``{file name: Open SDG CSV}``, one file per indicator with its series in the Series column."""
    by_indicator: dict[str, list[Observation]] = {}
    for obs in observations:
        by_indicator.setdefault(obs.series.indicator, []).append(obs)
    return {opensdg_name(k): sdmx.write_opensdg_csv(record_of(o) for o in v) for k, v in by_indicator.items()}


class ObservationExporter(BaseExporter):
    def __init__(self, observations: list[Observation], stem: str) -> None:
        self.observations = observations
        self.stem = stem

    def filename(self) -> str:
        return f"{self.stem}.{self.extension}"


@observation_exporters.register
class SDMXExporter(ObservationExporter):
    identifier = "sdmx-csv"
    name = gettext_lazy("SDMX-CSV")
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def render(self) -> bytes:
        return sdmx_text(self.observations).encode("utf-8")


@observation_exporters.register
class OpenSDGExporter(ObservationExporter):
    identifier = "opensdg"
    name = gettext_lazy("Open SDG CSV (a ZIP, one file per indicator)")
    content_type = "application/zip"
    extension = "zip"

    def render(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in sorted(opensdg_files(self.observations).items()):
                archive.writestr(name, text)
        return buf.getvalue()
