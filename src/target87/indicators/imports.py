"""Importing observations as a dated vintage: SDMX-CSV, Open SDG CSV, an estimation's result, demonstration data.

Every import is read whole and checked before anything is written: unknown codes are listed, keys given twice
named, rows without area or year pointed at, bounds that do not enclose their value named. Rows without a number
("<0.1", "NA") are kept, flagged, with the text they had. Then the vintage and all its observations are written in
one transaction: a vintage is never half imported. Earlier vintages stay as they were.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.engines import sdmx

from .enums import Nature, VintageKind
from .models import Observation, Series, Vintage

#: larger files are refused: a year of the whole SDG database for 8.7 is a fraction of this
MAX_IMPORT_BYTES = 20 * 1024 * 1024
SHOWN = 12


def _listed(values: list) -> str:
    shown = ", ".join(f"“{v}”" for v in values[:SHOWN])
    return shown + (_(" and %(n)d more") % {"n": len(values) - SHOWN} if len(values) > SHOWN else "")


def reading_problems(reading: sdmx.Reading, known: dict[str, Series]) -> list[str]:
    """What stops this reading from being imported, each in a sentence that says how to fix it."""
    problems = []
    unknown = dict(reading.unknown)
    series = sorted({r.series for r in reading.records if r.series not in known})
    if series:
        unknown["SERIES"] = series
    for column, codes in sorted(unknown.items()):
        problems.append(
            _("Unknown codes in %(column)s: %(codes)s. Use the codes of the SDG code lists, or leave the rows out.")
            % {"column": column, "codes": _listed(codes)}
        )
    others = sorted({k for r in reading.records for k in r.other})
    if others:
        problems.append(
            _("The columns %(columns)s are breakdowns that the indicators here do not hold; remove them.")
            % {"columns": _listed(others)}
        )
    for key, lines in reading.duplicates[:SHOWN]:
        problems.append(
            _("The key %(key)s is given more than once (lines %(lines)s); keep one.")
            % {"key": key, "lines": ", ".join(map(str, lines))}
        )
    if reading.missing:
        problems.append(
            _("Lines %(lines)s have no REF_AREA or no TIME_PERIOD; give them or remove the lines.")
            % {"lines": _listed(reading.missing)}
        )
    bad_bounds = [r.line for r in reading.records if not _bounds_ok(r)]
    if bad_bounds:
        problems.append(
            _("On lines %(lines)s the bounds do not enclose the value (give both, lower ≤ value ≤ upper).")
            % {"lines": _listed(bad_bounds)}
        )
    return problems


def _bounds_ok(r: sdmx.Record) -> bool:
    if r.value is None:
        return True
    return (r.lower is None or r.lower <= r.value) and (r.upper is None or r.upper >= r.value)


def read_upload(data: bytes, *, kind: str, series: str = "", ref_area: str = "") -> sdmx.Reading:
    """The file read in its format, or a ServiceError on the ``file`` field saying why it cannot be."""
    try:
        if kind == VintageKind.OPENSDG:
            return sdmx.read_opensdg_csv(data, series=series.strip(), ref_area=ref_area.strip())
        return sdmx.read_sdmx_csv(data)
    except sdmx.SDMXFileError as error:
        raise ServiceError({"file": error.message}) from None


def vintage_import(
    *, actor, name: str, data: bytes, kind: str, label: str = "", series: str = "", ref_area: str = "",
    published: bool = True,
) -> Vintage:  # fmt: skip
    """Import an SDMX-CSV or Open SDG CSV file as a new vintage; a ServiceError lists every problem."""
    require(actor, "indicators.import")
    if kind not in (VintageKind.SDMX, VintageKind.OPENSDG):
        raise ServiceError({"kind": _("Choose SDMX-CSV or Open SDG CSV.")})
    if len(data) > MAX_IMPORT_BYTES:
        raise ServiceError({"file": _("The file is larger than 20 MB; split it by indicator.")})
    reading = read_upload(data, kind=kind, series=series, ref_area=ref_area)
    if not reading.records and reading.ok:
        raise ServiceError({"file": _("The file has no observations.")})
    problems = reading_problems(reading, {s.code: s for s in Series.objects.all()})
    if problems:
        raise ServiceError({"file": problems})
    return records_store(
        actor=actor,
        records=reading.records,
        kind=kind,
        label=label.strip() or name,
        file_name=name,
        checksum=hashlib.sha256(data).hexdigest(),
        published=published,
    )


@transaction.atomic
def records_store(
    *, actor, records: list[sdmx.Record], kind: str, label: str, file_name: str = "", checksum: str = "",
    published: bool = True, illustrative: bool = False, estimation=None, extra: dict | None = None,
) -> Vintage:  # fmt: skip
    """Write checked records as one vintage, all or nothing. ``extra`` maps a record's line to more fields."""
    known = {s.code: s for s in Series.objects.all()}
    vintage = Vintage.objects.create(
        kind=kind,
        label=label[:200],
        file_name=file_name[:300],
        checksum=checksum,
        published=published,
        illustrative=illustrative,
        estimation=estimation,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        flagged=[
            {"line": r.line, "key": sdmx.key_text(r.key), "text": r.value_text} for r in records if r.value is None
        ],
    )
    Observation.objects.bulk_create(
        Observation(
            vintage=vintage,
            series=known[r.series],
            ref_area=r.ref_area,
            time_period=r.time_period,
            sex=r.sex,
            age=r.age,
            urbanisation=r.urbanisation,
            reporting_type=r.reporting_type,
            value=r.value,
            value_text=r.value_text[:40] if r.value is None else "",
            lower_bound=r.lower,
            upper_bound=r.upper,
            unit_measure=r.unit or known[r.series].unit,
            nature=r.nature or Nature.COUNTRY,
            source=r.source[:300],
            estimation=estimation,
            created_by=vintage.created_by,
            **(extra or {}).get(r.line, {}),
        )
        for r in records
    )
    audit.record(
        actor=actor,
        action="indicators.vintage.import",
        obj=vintage,
        changes={"kind": kind, "file": file_name, "sha256": checksum, "rows": len(records),
                 "flagged": len(vintage.flagged)},
    )  # fmt: skip
    return vintage


def import_summary(vintage: Vintage, rows: int) -> str:
    text = ngettext("Imported %(n)d observation as the vintage “%(label)s”.",
                    "Imported %(n)d observations as the vintage “%(label)s”.", rows)  # fmt: skip
    text %= {"n": rows, "label": vintage.label}
    if vintage.flagged:
        text += " " + ngettext(
            "%(n)d row had no number (such as “<0.1” or “NA”): it is kept and flagged.",
            "%(n)d rows had no number (such as “<0.1” or “NA”): they are kept and flagged.",
            len(vintage.flagged),
        ) % {"n": len(vintage.flagged)}
    return text


@transaction.atomic
def vintage_publish(*, actor, vintage: Vintage, published: bool) -> Vintage:
    require(actor, "indicators.import")
    Vintage.objects.filter(pk=vintage.pk).update(published=published)
    vintage.published = published
    audit.record(actor=actor, action="indicators.vintage.publish", obj=vintage, changes={"published": published})
    return vintage
