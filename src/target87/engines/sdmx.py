"""Child-labour domains in the code lists of the SDG global database (SDMX), for the command and the web page.

Categories come from the survey file ("female", "Male", a value label "Urbain", or numbers with a coding
given by the user); the SDG series want SEX F/M, URBANISATION U/R and AGE Y5T11/Y12T14/Y15T17/Y5T17, with
``_T`` for a total. :func:`code_domains` codes every domain or raises :class:`UncodedCategories` naming all
that could not be coded, so the caller can say how to fix it in its own terms (an option, a recode).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

TOTAL = "_T"

SEX_CODES = {
    **dict.fromkeys(["f", "female", "females", "woman", "girl", "girls", "femme", "fille", "féminin", "feminin",
                     "mujer", "niña", "femenino"], "F"),
    **dict.fromkeys(["m", "male", "males", "man", "boy", "boys", "homme", "garçon", "masculin", "hombre", "niño",
                     "masculino"], "M"),
}  # fmt: skip
AREA_CODES = {
    **dict.fromkeys(["u", "urban", "urbain", "urbaine", "urbano", "urbana"], "U"),
    **dict.fromkeys(["r", "rural", "rurale"], "R"),
}
AGE_CODES = {"5-11": "Y5T11", "12-14": "Y12T14", "15-17": "Y15T17", TOTAL: "Y5T17"}
#: the domain variables that are SDMX dimensions
DIMENSIONS = ("sex", "age_group", "area")
HEADER = ["SERIES", "FREQ", "REF_AREA", "TIME_PERIOD", "SEX", "AGE", "URBANISATION", "UNIT_MEASURE", "OBS_VALUE",
          "LOWER_BOUND", "UPPER_BOUND"]  # fmt: skip


@dataclass(frozen=True)
class Dimensions:
    sex: str
    age: str
    urbanisation: str


class UncodedCategories(ValueError):
    """Categories with no SDMX code: ``unknown = {"sex": ["1", "2"], "area": [...]}``."""

    def __init__(self, unknown: dict[str, list[str]]) -> None:
        super().__init__(unknown)
        self.unknown = unknown


def parse_code_map(text: str, allowed: tuple[str, ...]) -> dict[str, str]:
    """``"1=M,2=F"`` → ``{"1": "M", "2": "F"}`` (values compared lower-case); ValueError names the bad part."""
    out = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        value, sep, code = part.partition("=")
        code = code.strip().upper()
        if not sep or not value.strip() or code not in allowed:
            raise ValueError(part)
        out[value.strip().lower()] = code
    return out


def _code(table: Mapping[str, str], value) -> str | None:
    if value == TOTAL:
        return TOTAL
    return table.get(str(value).strip().lower())


def code_domains(
    domains: Iterable[Mapping[str, str]],
    *,
    sex_codes: Mapping[str, str] | None = None,
    area_codes: Mapping[str, str] | None = None,
) -> list[Dimensions]:
    """The SDMX dimensions of each domain (its ``{variable: category}``), in order.

    ``sex_codes`` and ``area_codes`` add to (and override) the built-in names, e.g. ``{"1": "M", "2": "F"}``.
    """
    sexes = {**SEX_CODES, **(sex_codes or {})}
    areas = {**AREA_CODES, **(area_codes or {})}
    coded, unknown = [], {"sex": set(), "area": set()}
    for categories in domains:
        sex = _code(sexes, categories.get("sex", TOTAL))
        area = _code(areas, categories.get("area", TOTAL))
        if sex is None:
            unknown["sex"].add(str(categories["sex"]))
        if area is None:
            unknown["area"].add(str(categories["area"]))
        coded.append(Dimensions(sex or "", AGE_CODES.get(categories.get("age_group", TOTAL), ""), area or ""))
    if unknown["sex"] or unknown["area"]:
        raise UncodedCategories({k: sorted(v) for k, v in unknown.items() if v})
    return coded


def _number(x) -> str:
    return "" if x is None else repr(x) if isinstance(x, float) else str(x)


def csv_text(
    observations: Iterable[tuple[Dimensions, float | None, float | None, float | None]],
    *,
    series: str,
    ref_area: str = "",
    year: str = "",
) -> str:
    """SDMX-CSV of ``(dimensions, value, lower, upper)`` observations, in percent, at full precision."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    for dims, value, lower, upper in observations:
        writer.writerow([series, "A", ref_area, year, dims.sex, dims.age, dims.urbanisation, "PT",
                         _number(value), _number(lower), _number(upper)])  # fmt: skip
    return buf.getvalue()
