"""The catalogue of indicators that work on target 8.7 tracks (``catalogue.json``), and loading it.

Each series has its unit, its desired direction, its target value and year, its source and its definition. The
migration 0004 loads the catalogue; :func:`catalogue_load` loads it again (after an edit of the file, or on a
database made before it), updating the series it names and leaving the observations as they are.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.db import transaction

from .enums import SeriesKind
from .models import Series

PATH = Path(__file__).with_name("catalogue.json")
FIELDS = ("name", "indicator", "kind", "unit", "unit_label", "direction", "target_value", "target_year", "source",
          "definition")  # fmt: skip
#: the kinds whose observations are values to assess (ratifications and populations are not)
ASSESSED = (SeriesKind.PERCENT, SeriesKind.NUMBER, SeriesKind.RATE)


@cache
def entries() -> tuple[dict, ...]:
    return tuple(json.loads(PATH.read_text(encoding="utf-8"))["series"])


@transaction.atomic
def catalogue_load() -> list[Series]:
    """Create or update every series of the catalogue, in its order. Idempotent."""
    loaded = []
    for position, item in enumerate(entries()):
        series, _created = Series.objects.update_or_create(
            code=item["code"], defaults={**{k: item[k] for k in FIELDS}, "position": position}
        )
        loaded.append(series)
    return loaded


def series_known() -> dict[str, Series]:
    return {s.code: s for s in Series.objects.all()}
