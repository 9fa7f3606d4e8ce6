"""Coding an estimation's domains in the SDG code lists, with the page's own message when one cannot be.

The code lists themselves are in :mod:`target87.engines.sdmx`, shared with ``target87 estimate``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from target87.core.errors import ServiceError
from target87.engines import sdmx


def code_rows(result: dict) -> list[tuple[dict, dict]]:
    """``[(row, {"sex", "age", "urbanisation"})]`` for the rows whose variables are all SDMX dimensions."""
    rows = [
        row
        for row in result.get("rows", [])
        if all(v in sdmx.DIMENSIONS or c == sdmx.TOTAL for v, c in row["categories"].items())
    ]
    try:
        coded = sdmx.code_domains(row["categories"] for row in rows)
    except sdmx.UncodedCategories as uncoded:
        problems = []
        if "sex" in uncoded.unknown:
            problems.append(
                _("the sex categories %(values)s (use female/male, F/M, or value labels saying so)")
                % {"values": ", ".join(f"“{v}”" for v in uncoded.unknown["sex"])}
            )
        if "area" in uncoded.unknown:
            problems.append(
                _("the area categories %(values)s (use urban/rural, U/R, or value labels saying so)")
                % {"values": ", ".join(f"“{v}”" for v in uncoded.unknown["area"])}
            )
        raise ServiceError(
            _("Cannot code %(problems)s in the SDG code lists. Recode the column in the file and run again.")
            % {"problems": "; ".join(problems)}
        ) from None
    return [
        (row, {"sex": dims.sex, "age": dims.age, "urbanisation": dims.urbanisation})
        for row, dims in zip(rows, coded, strict=True)
    ]
