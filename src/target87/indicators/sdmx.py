"""Coding the engine's domains in the SDMX code lists of the SDG global database.

Categories come from the file (“female”, “Male”, a value label “Urbain” …); the SDG series want F/M and
U/R. A category that cannot be coded makes :func:`code_rows` raise a :class:`ServiceError` naming it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from target87.core.errors import ServiceError

from .enums import AGE_CODES, TOTAL

SEX_CODES = {
    "f": "F",
    "female": "F",
    "females": "F",
    "woman": "F",
    "girl": "F",
    "girls": "F",
    "femme": "F",
    "fille": "F",
    "féminin": "F",
    "feminin": "F",
    "mujer": "F",
    "niña": "F",
    "femenino": "F",
    "m": "M",
    "male": "M",
    "males": "M",
    "man": "M",
    "boy": "M",
    "boys": "M",
    "homme": "M",
    "garçon": "M",
    "masculin": "M",
    "hombre": "M",
    "niño": "M",
    "masculino": "M",
}
AREA_CODES = {
    "u": "U",
    "urban": "U",
    "urbain": "U",
    "urbaine": "U",
    "urbano": "U",
    "urbana": "U",
    "r": "R",
    "rural": "R",
    "rurale": "R",
}
#: the variables that are SDMX dimensions
DIMENSIONS = ("sex", "age_group", "area")


def code_rows(result: dict) -> list[tuple[dict, dict]]:
    """``[(row, {"sex", "age", "urbanisation"})]`` for the rows whose variables are all dimensions."""
    coded = []
    unknown: dict[str, set[str]] = {"sex": set(), "area": set()}
    for row in result.get("rows", []):
        cats = row["categories"]
        if any(v not in DIMENSIONS and c != TOTAL for v, c in cats.items()):
            continue
        sex = _code(SEX_CODES, cats.get("sex", TOTAL))
        area = _code(AREA_CODES, cats.get("area", TOTAL))
        if sex is None:
            unknown["sex"].add(cats["sex"])
        if area is None:
            unknown["area"].add(cats["area"])
        coded.append((row, {"sex": sex, "age": AGE_CODES.get(cats.get("age_group", TOTAL)), "urbanisation": area}))
    problems = []
    if unknown["sex"]:
        problems.append(
            _("the sex categories %(values)s (use female/male, F/M, or value labels saying so)")
            % {"values": ", ".join(f"“{v}”" for v in sorted(unknown["sex"]))}
        )
    if unknown["area"]:
        problems.append(
            _("the area categories %(values)s (use urban/rural, U/R, or value labels saying so)")
            % {"values": ", ".join(f"“{v}”" for v in sorted(unknown["area"]))}
        )
    if problems:
        raise ServiceError(
            _("Cannot code %(problems)s in the SDG code lists. Recode the column in the file and run again.")
            % {"problems": "; ".join(problems)}
        )
    return coded


def _code(table: dict[str, str], value: str) -> str | None:
    if value == TOTAL:
        return TOTAL
    return table.get(str(value).strip().lower())
