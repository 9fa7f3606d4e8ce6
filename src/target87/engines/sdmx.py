"""Child-labour domains in the code lists of the SDG global database (SDMX), for the command and the web page.

Categories come from the survey file ("female", "Male", a value label "Urbain", or numbers with a coding
given by the user); the SDG series want SEX F/M, URBANISATION U/R and AGE Y5T11/Y12T14/Y15T17/Y5T17, with
``_T`` for a total. :func:`code_domains` codes every domain or raises :class:`UncodedCategories` naming all
that could not be coded, so the caller can say how to fix it in its own terms (an option, a recode).
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from target87.engines.i18n import gettext as _

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


# -- observations as the SDG global database exchanges them: records, reading and writing ------------------
#
# SDMX-CSV comes in two layouts: 1.0 starts with a DATAFLOW column (as the UN SDG database exports it); 2.0
# starts with STRUCTURE, STRUCTURE_ID and ACTION (what the ``sdmx1`` reader reads, given the structure). Both
# are read here; 2.0 is written, so that ``sdmx.read_sdmx(path, structure=data_structure())`` reads our files.
# The SDG structure codes REF_AREA as UN M49 numbers (764 for Thailand, 753 for Eastern and South-Eastern Asia);
# the people-facing ISO 3166 alpha-3 code is written beside it in REF_AREA_ISO3. Open SDG CSV (national reporting
# platforms) has ``Year`` first, ``Value`` last and one column per disaggregation, a blank cell meaning the total.

#: the dataflow of the SDG global database (agency IAEG-SDGs) whose structure our files follow
DATAFLOW = "IAEG-SDGs:DF_SDG_GLH(1.0)"
#: the dimensions of the SDG global structure, in its order (TIME_PERIOD is the time dimension)
SDG_DIMENSIONS = ("FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION",
                  "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV", "OCCUPATION", "CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN",
                  "DISABILITY_STATUS", "ACTIVITY", "PRODUCT")  # fmt: skip
#: dimensions we hold no breakdown of: written as the total, and a file breaking them down is refused (listed)
OTHER_DIMENSIONS = SDG_DIMENSIONS[7:]
ATTRIBUTES = ("UNIT_MEASURE", "UNIT_MULT", "NATURE", "OBS_STATUS", "LOWER_BOUND", "UPPER_BOUND", "SOURCE_DETAIL")
#: the header we write (SDMX-CSV 2.0); REF_AREA_ISO3 and OBS_VALUE_AS_GIVEN are columns of our own
WRITE_HEADER = ["STRUCTURE", "STRUCTURE_ID", "ACTION", *SDG_DIMENSIONS[:4], "REF_AREA_ISO3", *SDG_DIMENSIONS[4:],
                "TIME_PERIOD", "OBS_VALUE", "OBS_VALUE_AS_GIVEN", *ATTRIBUTES]  # fmt: skip

CODE_LISTS = {
    "SEX": ("F", "M", TOTAL),
    "AGE": ("Y5T11", "Y12T14", "Y15T17", "Y5T17", "Y_LT18", "Y_GE18", TOTAL),
    "URBANISATION": ("U", "R", TOTAL),
    "REPORTING_TYPE": ("G", "N"),
    "NATURE": ("C", "CA", "E", "M", "G", "N", "NA"),
    "FREQ": ("A",),
}
#: aggregates: UN M49 regions by number, and ILO regions (which have no M49 number) by a code of ours
REGIONS = {
    "1": "World",
    "142": "Asia",
    "9": "Oceania",
    "30": "Eastern Asia",
    "35": "South-eastern Asia",
    "753": "Eastern and South-Eastern Asia",
    "543": "Oceania (exc. Australia and New Zealand)",
    "ILO_AP": "Asia and the Pacific (ILO region)",
}
#: values that mean "no number here"; kept as flagged rows with the text as given
MISSING_TEXTS = ("", "na", "n/a", "nan", "..", "-", "—", "x", "nd")


class SDMXFileError(ValueError):
    """A file that cannot be read as observations at all (not CSV, a required column missing)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MissingAreaOrPeriod(ValueError):
    """Observations without REF_AREA or TIME_PERIOD, refused by the writer: ``keys`` names them."""

    def __init__(self, keys: list[str]) -> None:
        super().__init__(", ".join(keys))
        self.keys = keys


@dataclass
class Record:
    """One observation. ``ref_area`` is ISO3 for a country, the M49 number (or ILO code) of an aggregate;
    ``value`` is None when the file gave no number (``value_text`` then keeps what it gave: "<0.1", "NA")."""

    series: str
    ref_area: str
    time_period: str
    value: float | None
    sex: str = TOTAL
    age: str = TOTAL
    urbanisation: str = TOTAL
    reporting_type: str = "G"
    value_text: str = ""
    lower: float | None = None
    upper: float | None = None
    unit: str = ""
    nature: str = ""
    source: str = ""
    line: int = field(default=0, compare=False)
    #: Open SDG disaggregations that are not SDMX dimensions we hold: {column: value}
    other: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, ...]:
        return (self.series, self.ref_area, self.time_period, self.sex, self.age, self.urbanisation,
                self.reporting_type, *(f"{k}={v}" for k, v in sorted(self.other.items())))  # fmt: skip

    @property
    def flagged(self) -> bool:
        return self.value is None


@dataclass
class Reading:
    """What a file holds, and what is wrong with it: nothing is half-read, every problem is listed."""

    format: str
    records: list[Record] = field(default_factory=list)
    #: {column: [codes no code list knows]}
    unknown: dict[str, list[str]] = field(default_factory=dict)
    #: [(key text, [line numbers])] for keys given more than once
    duplicates: list[tuple[str, list[int]]] = field(default_factory=list)
    #: line numbers of rows without REF_AREA or TIME_PERIOD
    missing: list[int] = field(default_factory=list)

    @property
    def flagged(self) -> list[Record]:
        return [r for r in self.records if r.flagged]

    @property
    def ok(self) -> bool:
        return not (self.unknown or self.duplicates or self.missing)


def m49(ref_area: str) -> str:
    """The UN M49 number of an ISO3 country ("THA" → "764"); an aggregate's code as it is; "" when unknown."""
    if ref_area in REGIONS:
        return ref_area
    import pycountry

    country = pycountry.countries.get(alpha_3=ref_area.upper()) if len(ref_area) == 3 else None
    return str(int(country.numeric)) if country is not None else ""


def area_code(text: str) -> str | None:
    """REF_AREA as we keep it: ISO3 for a country (given as ISO3 or M49), the aggregate's code; None if unknown."""
    import pycountry

    text = (text or "").strip()
    if text.isdigit():
        number = str(int(text))
        if number in REGIONS:
            return number
        country = pycountry.countries.get(numeric=number.zfill(3))
        return country.alpha_3 if country is not None else None
    if text in REGIONS:
        return text
    country = pycountry.countries.get(alpha_3=text.upper()) if len(text) == 3 else None
    return country.alpha_3 if country is not None else None


def key_text(key: tuple[str, ...]) -> str:
    return " ".join(part for part in key if part)


def _float(text: str | None) -> float | None:
    text = (text or "").strip()
    if text.lower() in MISSING_TEXTS:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _rows(source) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and ``(line, {column: text})`` rows of CSV text, bytes or a path; SDMXFileError when unreadable."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SDMXFileError(_("The file is not UTF-8 text: save it as CSV in UTF-8 and try again.")) from None
    elif isinstance(source, os.PathLike) or ("\n" not in source and len(source) < 4096 and os.path.isfile(source)):
        try:
            return _rows(Path(source).read_bytes())
        except OSError as error:
            raise SDMXFileError(_("Cannot read {path}: {error}.").format(path=source, error=error.strerror)) from None
    if "\x00" in source[:4096]:
        raise SDMXFileError(_("The file is not a CSV file: save it as CSV in UTF-8 and try again."))
    try:
        reader = csv.reader(io.StringIO(source))
        header = [h.strip() for h in next(reader, [])]
        rows = [(n, dict(zip(header, (c.strip() for c in cells), strict=False)))
                for n, cells in enumerate(reader, start=2) if any(c.strip() for c in cells)]  # fmt: skip
    except csv.Error as error:
        raise SDMXFileError(_("The file is not readable as CSV: {error}.").format(error=error)) from None
    return header, rows


def _check(reading: Reading, column: str, value: str, allowed) -> str:
    if value not in allowed:
        reading.unknown.setdefault(column, [])
        if value not in reading.unknown[column]:
            reading.unknown[column].append(value)
    return value


def _finish(reading: Reading) -> Reading:
    lines: dict[tuple[str, ...], list[int]] = {}
    for record in reading.records:
        lines.setdefault(record.key, []).append(record.line)
    reading.duplicates = [(key_text(k), ls) for k, ls in lines.items() if len(ls) > 1]
    reading.unknown = {k: sorted(v) for k, v in reading.unknown.items()}
    return reading


def _area(reading: Reading, text: str) -> str:
    code = area_code(text)
    if code is None:
        _check(reading, "REF_AREA", text, ())
        return text
    return code


def read_sdmx_csv(source) -> Reading:
    """Observations of an SDMX-CSV file (1.0 with DATAFLOW, 2.0 with STRUCTURE…, or the flat SDG columns).

    ``source`` is the text, the bytes or a path. Unknown codes, duplicate keys and rows without REF_AREA or
    TIME_PERIOD are listed on the result; values that are not numbers ("<0.1", "NA") are kept as flagged records.
    """
    header, rows = _rows(source)
    if header[:1] == ["DATAFLOW"]:
        layout = "sdmx-csv-1.0"
    elif header[:2] == ["STRUCTURE", "STRUCTURE_ID"]:
        layout = "sdmx-csv-2.0"
    else:
        layout = "sdmx-csv"
    missing = [c for c in ("SERIES", "REF_AREA", "TIME_PERIOD", "OBS_VALUE") if c not in header]
    if missing:
        raise SDMXFileError(
            _("This is not SDMX-CSV of the SDG database: the columns {missing} are missing.").format(
                missing=", ".join(missing)
            )
        )
    reading = Reading(format=layout)
    for line, row in rows:
        if not row.get("REF_AREA") or not row.get("TIME_PERIOD"):
            reading.missing.append(line)
            continue
        for column in OTHER_DIMENSIONS:
            if row.get(column, TOTAL) not in ("", TOTAL):
                _check(reading, column, row[column], ())
        for column in ("SEX", "AGE", "URBANISATION", "REPORTING_TYPE", "FREQ"):
            if row.get(column):
                _check(reading, column, row[column], CODE_LISTS[column])
        if row.get("NATURE"):
            _check(reading, "NATURE", row["NATURE"], CODE_LISTS["NATURE"])
        text = row.get("OBS_VALUE", "")
        value = _float(text)
        given = row.get("OBS_VALUE_AS_GIVEN", "") if value is None else ""
        reading.records.append(
            Record(
                series=row["SERIES"],
                ref_area=_area(reading, row["REF_AREA"]),
                time_period=row["TIME_PERIOD"],
                value=value,
                value_text="" if value is not None else (given or text or "NA"),
                sex=row.get("SEX") or TOTAL,
                age=row.get("AGE") or TOTAL,
                urbanisation=row.get("URBANISATION") or TOTAL,
                reporting_type=row.get("REPORTING_TYPE") or "G",
                lower=_float(row.get("LOWER_BOUND")),
                upper=_float(row.get("UPPER_BOUND")),
                unit=row.get("UNIT_MEASURE", ""),
                nature=row.get("NATURE", ""),
                source=row.get("SOURCE_DETAIL") or row.get("SOURCE", ""),
                line=line,
            )
        )
    return _finish(reading)


#: Open SDG column names (lower case) → the SDMX dimension they hold
OPENSDG_COLUMNS = {"sex": "SEX", "age": "AGE", "urbanisation": "URBANISATION", "location": "URBANISATION",
                   "area": "URBANISATION", "series": "SERIES", "units": "UNIT_MEASURE", "unit measure": "UNIT_MEASURE",
                   "unit_measure": "UNIT_MEASURE", "geocode": "REF_AREA", "ref_area": "REF_AREA",
                   "reporting type": "REPORTING_TYPE", "reporting_type": "REPORTING_TYPE", "nature": "NATURE",
                   "source": "SOURCE", "source_detail": "SOURCE", "lower_bound": "LOWER_BOUND",
                   "lower bound": "LOWER_BOUND", "upper_bound": "UPPER_BOUND", "upper bound": "UPPER_BOUND",
                   "obs_value_as_given": "OBS_VALUE_AS_GIVEN"}  # fmt: skip
#: category names in Open SDG files → SDMX codes (a code itself is taken as it is)
OPENSDG_NAMES = {
    "SEX": {"female": "F", "male": "M", "total": TOTAL, "both sexes": TOTAL},
    "URBANISATION": {"urban": "U", "rural": "R", "total": TOTAL, "all areas": TOTAL},
    "AGE": {"5-11": "Y5T11", "12-14": "Y12T14", "15-17": "Y15T17", "5-17": "Y5T17", "<18": "Y_LT18",
            "18+": "Y_GE18", "total": TOTAL, "all ages": TOTAL},
}  # fmt: skip


def _opensdg_code(column: str, text: str) -> str:
    if not text:
        return TOTAL
    return OPENSDG_NAMES.get(column, {}).get(text.lower().replace("–", "-").replace(" years", ""), text)


def read_opensdg_csv(source, *, series: str = "", ref_area: str = "") -> Reading:
    """Observations of an Open SDG data file: ``Year`` first, ``Value`` last, a blank category for the total.

    Sex, age and urbanisation (``Location``) columns become SDMX dimensions (names or codes); a ``Series`` column
    or ``series`` names the series, a ``GeoCode``/``REF_AREA`` column or ``ref_area`` the country; other columns
    are disaggregations kept in :attr:`Record.other` (and in the key).
    """
    header, rows = _rows(source)
    if not header or header[0].lower() != "year" or header[-1].lower() != "value":
        raise SDMXFileError(_("This is not an Open SDG data file: its first column must be Year and its last Value."))
    columns = {h: OPENSDG_COLUMNS.get(h.lower()) for h in header[1:-1]}
    if "SERIES" not in columns.values() and not series:
        raise SDMXFileError(_("Say which series this file holds: it has no Series column."))
    if "REF_AREA" not in columns.values() and not ref_area:
        raise SDMXFileError(_("Say which country this file is about: it has no GeoCode or REF_AREA column."))
    reading = Reading(format="opensdg-csv")
    for line, row in rows:
        given = {columns[h]: row.get(h, "") for h in columns if columns[h]}
        dims = {c: _opensdg_code(c, given.get(c, "")) for c in ("SEX", "AGE", "URBANISATION")}
        for column, code in dims.items():
            _check(reading, column, code, CODE_LISTS[column])
        area, period = given.get("REF_AREA") or ref_area, row.get(header[0], "")
        if not area or not period:
            reading.missing.append(line)
            continue
        text = row.get(header[-1], "")
        value = _float(text)
        reading.records.append(
            Record(
                series=given.get("SERIES") or series,
                ref_area=_area(reading, area),
                time_period=period,
                value=value,
                value_text="" if value is not None else (given.get("OBS_VALUE_AS_GIVEN") or text or "NA"),
                sex=dims["SEX"],
                age=dims["AGE"],
                urbanisation=dims["URBANISATION"],
                reporting_type=given.get("REPORTING_TYPE") or "G",
                lower=_float(given.get("LOWER_BOUND")),
                upper=_float(given.get("UPPER_BOUND")),
                unit=given.get("UNIT_MEASURE", ""),
                nature=given.get("NATURE", ""),
                source=given.get("SOURCE", ""),
                line=line,
                other={h: row[h] for h in columns if not columns[h] and row.get(h)},
            )
        )
    return _finish(reading)


def write_sdmx_csv(records: Iterable[Record], *, dataflow: str = DATAFLOW) -> str:
    """SDMX-CSV 2.0 of the records at full precision, REF_AREA as M49 and ISO3 beside it.

    A record without REF_AREA or TIME_PERIOD is refused (:class:`MissingAreaOrPeriod` names them): an SDMX
    file cannot hold it. A record without a number is written as SDMX writes a missing value (OBS_VALUE ``NaN``,
    OBS_STATUS ``M``) with the text it had ("<0.1") in OBS_VALUE_AS_GIVEN.
    """
    records = list(records)
    missing = [key_text(r.key) or str(r.line) for r in records if not r.ref_area or not r.time_period]
    if missing:
        raise MissingAreaOrPeriod(missing)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(WRITE_HEADER)
    for r in records:
        iso3 = "" if r.ref_area in REGIONS else r.ref_area
        writer.writerow(["dataflow", dataflow, "I", "A", r.reporting_type or "G", r.series, m49(r.ref_area) or r.ref_area,
                         iso3, r.sex, r.age, r.urbanisation, *([TOTAL] * len(OTHER_DIMENSIONS)), r.time_period,
                         "NaN" if r.value is None else _number(r.value), r.value_text if r.value is None else "", r.unit, "0", r.nature,
                         "M" if r.value is None else "A", _number(r.lower), _number(r.upper), r.source])  # fmt: skip
    return buf.getvalue()


OPENSDG_HEADER = ["Year", "Series", "GeoCode", "Sex", "Age", "Urbanisation", "Reporting type", "Units", "Nature",
                  "Source", "Lower bound", "Upper bound", "OBS_VALUE_AS_GIVEN", "Value"]  # fmt: skip


def write_opensdg_csv(records: Iterable[Record]) -> str:
    """Open SDG CSV: ``Year`` first, ``Value`` last; a total is a blank category, as Open SDG reads it.

    The bounds, nature, source and the text of a value that is not a number are observation attributes (list them
    under ``observation_attributes`` in the platform's configuration so that they are not read as categories).
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(OPENSDG_HEADER)

    def blank(code: str) -> str:
        return "" if code == TOTAL else code

    for r in sorted(records, key=lambda r: (r.time_period, r.key)):
        writer.writerow([r.time_period, r.series, r.ref_area, blank(r.sex), blank(r.age), blank(r.urbanisation),
                         r.reporting_type, r.unit, r.nature, r.source, _number(r.lower), _number(r.upper),
                         r.value_text if r.value is None else "", _number(r.value)])  # fmt: skip
    return buf.getvalue()


def data_structure():
    """The SDG structure as an ``sdmx1`` DataStructureDefinition, for ``sdmx.read_sdmx(..., structure=...)``.

    Only what reading our files needs: the dimensions (TIME_PERIOD as the time dimension), OBS_VALUE and the
    attributes. ``sdmx1`` is imported here only, so the readers and writers above run without it.
    """
    from sdmx.model import common, v21

    dsd = v21.DataStructureDefinition(id="SDG", maintainer=common.Agency(id="IAEG-SDGs"))
    for dimension in SDG_DIMENSIONS:
        dsd.dimensions.getdefault(dimension)
    dsd.dimensions.getdefault("TIME_PERIOD", cls=v21.TimeDimension)
    dsd.measures.getdefault("OBS_VALUE")
    for attribute in ATTRIBUTES:
        dsd.attributes.getdefault(attribute)
    return dsd
