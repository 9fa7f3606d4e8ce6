"""SDG indicator 8.7.1 — children aged 5–17 in child labour — from survey microdata, free of Django.

:func:`estimate_child_labour` classifies every child under a :class:`Definition`, then estimates the
proportion (with its standard error and confidence interval) and the number of children in child
labour for the total and for every domain of the tables asked for, on the full survey design
(:mod:`target87.engines.survey`). The command ``target87 estimate child-labour``, the web page and
background jobs call it; rows come back as plain dataclasses.

Definitions are presets (:data:`PRESETS`, each with its source) or a small TOML file
(:func:`load_definition`)::

    name = "National definition"
    series = ""                # SDG series code for SDMX output, if any
    comparable = false         # comparable with the SDG series?
    source = "Where the definition comes from"
    note = ""
    [[criteria]]
    ages = [5, 11]             # inclusive, in completed years
    econ_hours = { at_least = 1 }
    [[criteria]]
    ages = [5, 11]
    chore_hours = { more_than = 21 }
    [[criteria]]
    ages = [15, 17]
    econ_hours = { hours = 43, compare = "rule-43" }   # "at least" or "more than" per --rule-43
    [[criteria]]
    ages = [5, 17]
    hazardous = true

A child is in child labour when any criterion of its age holds. Children outside ages 5–17 stay in
the survey design (as in R's ``subset()``) but in no estimate; they are counted in the result.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from target87.engines.i18n import gettext as _
from target87.engines.i18n import ngettext
from target87.engines.microdata import (
    MicrodataError,
    MicroTable,
    as_micro_table,
    categorical_ints,
    describe_rows,
)
from target87.engines.survey import (
    CI_METHODS,
    DF_OPTIONS,
    LONELY_PSU_OPTIONS,
    Design,
    LonelyPSUError,
    SurveyError,
    ci_proportion,
    factorize,
    summarise_tables,
)

AGE_GROUPS = (("5-11", 5, 11), ("12-14", 12, 14), ("15-17", 15, 17))
AGE_MIN, AGE_MAX = 5, 17
#: the largest weight taken: a row cannot stand for more children than there are (larger is a mistake)
MAX_WEIGHT = 1e15
#: the largest --population taken (the world has about two billion children aged 5-17)
MAX_POPULATION = 1e10
#: the SDG series of indicator 8.7.1 (general and SNA production boundary)
SERIES = ("SL_TLF_CHLDEC", "SL_TLF_CHLDEA")
#: the largest definition file read (a definition is a few lines)
MAX_DEFINITION_BYTES = 1 << 16
TOTAL = "_T"
ROLES = ("weight", "strata", "psu", "age", "sex", "area", "econ_hours", "chore_hours", "hazardous")
#: command-line options that map each role to a column
ROLE_OPTIONS = {
    "weight": "--weight",
    "strata": "--strata",
    "psu": "--psu",
    "age": "--age",
    "sex": "--sex",
    "area": "--area",
    "econ_hours": "--econ-hours",
    "chore_hours": "--chore-hours",
    "hazardous": "--hazardous",
    "fpc": "--fpc",
}


class ChildLabourError(Exception):
    """Bad input or options; ``message`` is meant for the person who gave them, in the command line's words.
    ``code`` names the kind of problem and ``params`` its values, so that another front end (a web page) can
    word it its own way; an error without a code has only its message."""

    def __init__(self, message: str, *, code: str = "", **params):
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params


class MissingColumnsError(ChildLabourError):
    def __init__(self, message: str, missing: Sequence[str], found: Sequence[str]):
        super().__init__(message)
        self.missing = list(missing)
        self.found = list(found)


class LonelyStrataError(LonelyPSUError, ChildLabourError):
    """Strata with a single PSU under ``lonely_psu="fail"``: the survey engine's
    :class:`~target87.engines.survey.LonelyPSUError` (with its ``strata``) that is also a ChildLabourError."""


class InvalidValuesError(ChildLabourError):
    def __init__(self, message: str, column: str, rows: np.ndarray, *, code: str = "", **params):
        super().__init__(message, code=code, column=column, count=int(rows.size), **params)
        self.column = column
        self.rows = rows


# -- definitions ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Criterion:
    ages: tuple[int, int]  #: inclusive, completed years
    column: str  #: econ_hours, chore_hours or hazardous
    compare: str = "ge"  #: ge ("at least"), gt ("more than"), rule-43 (the setting) or flag
    hours: float = 0.0

    def describe(self) -> str:
        lo, hi = self.ages
        if self.column == "hazardous":
            return f"{lo}-{hi}: hazardous"
        op = {"ge": ">=", "gt": ">", "rule-43": ">= or > (rule-43)"}[self.compare]
        return f"{lo}-{hi}: {self.column} {op} {self.hours:g}"


@dataclass(frozen=True)
class Definition:
    id: str
    name: str
    criteria: tuple[Criterion, ...]
    series: str = ""
    comparable: bool = True
    source: str = ""
    note: str = ""

    @property
    def columns(self) -> list[str]:
        return list(dict.fromkeys(c.column for c in self.criteria))

    def resolve(self, rule_43: str = "ge") -> Definition:
        """The definition with the 43-hour comparison fixed to ``rule_43`` (ge or gt)."""
        if rule_43 not in ("ge", "gt"):
            raise ChildLabourError(_("--rule-43 must be ge (at least 43 hours) or gt (more than 43 hours)."))
        crit = tuple(replace(c, compare=rule_43) if c.compare == "rule-43" else c for c in self.criteria)
        return replace(self, criteria=crit)

    def classify(self, age: np.ndarray, values: Mapping[str, np.ndarray]) -> np.ndarray:
        """True for the children in child labour. ``values`` holds the hours (float) and flags (bool)."""
        out = np.zeros(age.shape, dtype=bool)
        for c in self.criteria:
            lo, hi = c.ages
            in_age = (age >= lo) & (age < hi + 1)
            v = values[c.column]
            if c.column == "hazardous":
                hit = v.astype(bool)
            elif c.compare == "gt":
                hit = v > c.hours
            elif c.compare == "ge":
                hit = v >= c.hours
            else:
                raise ChildLabourError(_("The 43-hour comparison is not set: resolve the definition first."))
            out |= in_age & hit
        return out


_SDG_SOURCE = (
    "SDG indicator 8.7.1 metadata (ILO and UNICEF custodians, UN Statistics Division SDG metadata "
    "repository), following the 20th ICLS resolution concerning statistics on child labour (2018)."
)


def _def_from_dict(ident: str, spec: Mapping[str, Any]) -> Definition:
    crit = []
    raw = spec.get("criteria")
    if not isinstance(raw, list) or not raw:
        raise ChildLabourError(_("The definition {name} has no [[criteria]].").format(name=ident))
    for i, c in enumerate(raw, start=1):
        try:
            ages = c["ages"]
            lo, hi = int(ages[0]), int(ages[1])
        except (KeyError, TypeError, ValueError, IndexError):
            raise ChildLabourError(
                _("Criterion {number} of {name} needs ages = [from, to].").format(number=i, name=ident)
            ) from None
        cols = [k for k in ("econ_hours", "chore_hours", "hazardous") if k in c]
        if len(cols) != 1:
            raise ChildLabourError(
                _("Criterion {number} of {name} needs exactly one of econ_hours, chore_hours or hazardous.").format(
                    number=i, name=ident
                )
            )
        col = cols[0]
        if col == "hazardous":
            if c[col] is not True:
                raise ChildLabourError(
                    _("Criterion {number} of {name}: write hazardous = true.").format(number=i, name=ident)
                )
            crit.append(Criterion((lo, hi), col, "flag"))
            continue
        rule = c[col]
        if not isinstance(rule, Mapping):
            raise ChildLabourError(
                _("Criterion {number} of {name}: write {column} = {{ at_least = H }} or {{ more_than = H }}.").format(
                    number=i, name=ident, column=col
                )
            )
        if "at_least" in rule:
            compare, hours = "ge", rule["at_least"]
        elif "more_than" in rule:
            compare, hours = "gt", rule["more_than"]
        else:
            compare = {"at_least": "ge", "more_than": "gt", "ge": "ge", "gt": "gt", "rule-43": "rule-43"}.get(
                str(rule.get("compare", "")), ""
            )
            hours = rule.get("hours")
            if not compare:
                raise ChildLabourError(
                    _("Criterion {number} of {name}: compare must be at_least, more_than or rule-43.").format(
                        number=i, name=ident
                    )
                )
        try:
            hours = float(hours)
        except (TypeError, ValueError):
            raise ChildLabourError(
                _("Criterion {number} of {name}: the hours must be a number.").format(number=i, name=ident)
            ) from None
        crit.append(Criterion((lo, hi), col, compare, hours))
    return Definition(
        id=ident,
        name=str(spec.get("name", ident)),
        criteria=tuple(crit),
        series=str(spec.get("series", "")),
        comparable=bool(spec.get("comparable", False)),
        source=str(spec.get("source", "")),
        note=str(spec.get("note", "")),
    )


def _econ_sdg():
    return [
        {"ages": [5, 11], "econ_hours": {"at_least": 1}},
        {"ages": [12, 14], "econ_hours": {"at_least": 14}},
        {"ages": [15, 17], "econ_hours": {"hours": 43, "compare": "rule-43"}},
    ]


#: the preset definitions, in the same form as a TOML file
PRESETS: dict[str, dict[str, Any]] = {
    "sdg": {
        "name": "SDG 8.7.1, general production boundary",
        "series": "SL_TLF_CHLDEC",
        "comparable": True,
        "source": _SDG_SOURCE,
        "note": "Ages 5-11: at least 1 hour of economic activity or more than 21 hours of unpaid household "
        "services a week; 12-14: at least 14 hours of economic activity or more than 21 hours of household "
        "services; 15-17: at least 43 hours of economic activity (more than 43 with --rule-43 gt, as the "
        "metadata text words it).",
        "criteria": _econ_sdg()
        + [
            {"ages": [5, 11], "chore_hours": {"more_than": 21}},
            {"ages": [12, 14], "chore_hours": {"more_than": 21}},
        ],
    },
    "sdg-sna": {
        "name": "SDG 8.7.1, SNA production boundary",
        "series": "SL_TLF_CHLDEA",
        "comparable": True,
        "source": _SDG_SOURCE,
        "note": "Economic activity alone: ages 5-11 at least 1 hour, 12-14 at least 14 hours, 15-17 at "
        "least 43 hours a week (more than 43 with --rule-43 gt).",
        "criteria": _econ_sdg(),
    },
    "mics6": {
        "name": "MICS6 child labour (SDG 8.7.1 with hazardous working conditions)",
        "series": "SL_TLF_CHLDEC",
        "comparable": True,
        "source": "UNICEF Multiple Indicator Cluster Surveys, round 6 (2017-): questionnaire for children "
        "age 5-17, child labour module (CL), and MICS6 indicator 8.2 / SDG 8.7.1.",
        "note": "As sdg, plus children of any age working under hazardous conditions (the hazardous column).",
        "criteria": _econ_sdg()
        + [
            {"ages": [5, 11], "chore_hours": {"more_than": 21}},
            {"ages": [12, 14], "chore_hours": {"more_than": 21}},
            {"ages": [5, 17], "hazardous": True},
        ],
    },
    "mics4": {
        "name": "MICS4 child labour (28 hours of household chores)",
        "series": "",
        "comparable": False,
        "source": "UNICEF childinfo.org, 'Child labour: standard module' (MICS4, 2010-2012): ages 5-11 at "
        "least 1 hour of economic work or 28 hours of domestic work a week; 12-14 at least 14 hours of "
        "economic work or 28 hours of domestic work; 15-17 at least 43 hours of economic or domestic work.",
        "note": "Older MICS rule; values are not comparable with the SDG 8.7.1 series.",
        "criteria": [
            {"ages": [5, 11], "econ_hours": {"at_least": 1}},
            {"ages": [12, 14], "econ_hours": {"at_least": 14}},
            {"ages": [15, 17], "econ_hours": {"hours": 43, "compare": "rule-43"}},
            {"ages": [5, 11], "chore_hours": {"at_least": 28}},
            {"ages": [12, 14], "chore_hours": {"at_least": 28}},
            {"ages": [15, 17], "chore_hours": {"at_least": 43}},
        ],
    },
}


def load_definition(name: str | Path, rule_43: str = "ge") -> Definition:
    """A preset by name (sdg, sdg-sna, mics6, mics4) or a TOML file, with the 43-hour rule resolved."""
    key = str(name)
    if key in PRESETS:
        return _def_from_dict(key, PRESETS[key]).resolve(rule_43)
    path = Path(key)
    if path.suffix.lower() != ".toml":
        raise ChildLabourError(
            _("Unknown definition {name}: use sdg, sdg-sna, mics6, mics4 or a .toml file.").format(name=key)
        )
    import tomllib

    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_DEFINITION_BYTES + 1)
        if len(data) > MAX_DEFINITION_BYTES:
            raise ChildLabourError(
                _("The definition {file} is larger than {limit} KiB: a definition takes a few lines.").format(
                    file=path.name, limit=MAX_DEFINITION_BYTES >> 10
                )
            )
        spec = tomllib.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise ChildLabourError(_("Definition file not found: {file}").format(file=key)) from None
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise ChildLabourError(
            _("Cannot read the definition {file}: its arrays or tables are nested too deeply.").format(file=path.name)
        ) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        # the reason without the path: on the web the file is a temporary one on the server
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        if isinstance(exc, UnicodeDecodeError):
            reason = _("it is not UTF-8 text")
        raise ChildLabourError(
            _("Cannot read the definition {file}: {reason}").format(file=path.name, reason=reason)
        ) from None
    return _def_from_dict(path.stem, spec).resolve(rule_43)


# -- column mappings --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ColumnMapping:
    """The file's column for each role; None for strata or psu means unstratified / each row a PSU.

    A column may be a sum of columns, ``CL3+CL8``: hours add up (missing parts count as 0 while one
    part is present), flags are yes when any part is yes.
    """

    weight: str = "weight"
    strata: str | None = "stratum"
    psu: str | None = "psu"
    age: str = "age"
    sex: str = "sex"
    area: str = "area"
    econ_hours: str = "econ_hours"
    chore_hours: str = "chore_hours"
    hazardous: str = "hazardous"
    fpc: str | None = None

    def with_(self, **changes: Any) -> ColumnMapping:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


#: column names of standard files. MICS6 "fs" files (questionnaire for children age 5-17): fsweight
#: (children 5-17's sample weight), stratum, PSU, CB3 (age of child), HL4 (sex), HH6 (area), CL3
#: (hours worked in the past week in the economic activities CL1A-CL1X), CL13 (hours of household
#: chores in the past week) and hazardous conditions CL4 (heavy loads), CL5 (dangerous tools or heavy
#: machinery), CL6A-CL6X (dust, extreme temperatures, noise, heights, chemicals, other). Variable list of
#: the MICS6 children age 5-17 data file as documented for the Punjab (Pakistan) MICS 2017-18 data set.
#: Fetching water (CL8) and collecting firewood (CL10) are separate items: add them with e.g.
#: ``--econ-hours CL3+CL8+CL10`` when the national tabulation plan counts them as economic activity.
MAPPING_PRESETS: dict[str, ColumnMapping] = {
    "default": ColumnMapping(),
    "mics6": ColumnMapping(
        weight="fsweight",
        strata="stratum",
        psu="PSU",
        age="CB3",
        sex="HL4",
        area="HH6",
        econ_hours="CL3",
        chore_hours="CL13",
        hazardous="CL4+CL5+CL6A+CL6B+CL6C+CL6D+CL6E+CL6X",
    ),
}


@dataclass
class Options:
    lonely_psu: str = "fail"
    adjust_domain_lonely: bool = False
    ci_method: str = "logit"
    level: float = 0.95
    population: float | None = None  #: children 5-17 in the population; scales numbers (normalised weights)
    missing_hours: str = "error"  #: error, or zero (missing hours count as none)
    #: degrees of freedom of a domain's interval: "domain" (its PSUs less its strata, R's default on a
    #: subset) or "design" (the whole design's, as Stata, SPSS Complex Samples and MICS use)
    df: str = "domain"


@dataclass
class EstimateRow:
    """One domain. Percentages; None where the domain is empty or the value undefined."""

    categories: dict[str, str]  #: variable → category, "_T" where totalled
    n: int  #: children 5-17 in the sample in the domain
    estimate: float | None  #: percent in child labour
    se: float | None  #: percentage points
    ci_lower: float | None
    ci_upper: float | None
    number: float | None  #: weighted number of children in child labour
    number_se: float | None
    df: float | None  #: design degrees of freedom used for the interval


@dataclass
class Result:
    rows: list[EstimateRow]
    variables: list[str]  #: every variable of a table, in order of first use
    definition: Definition
    options: Options
    n_rows: int  #: rows in the file
    n_children: int  #: rows aged 5-17
    n_outside_age: int  #: rows outside 5-17, left out of the estimates (kept in the design)
    #: for the reader, in words: first one note per column of ``missing_hours`` (in its order), then the others
    notes: list[str] = field(default_factory=list)
    tables: list[tuple[str, ...]] = field(default_factory=list)  #: the tables asked for (``by``), in order
    #: column → how many children aged 5-17 had no hours there and were counted as working 0 hours
    missing_hours: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data: what the command writes as JSON and the web page keeps.

        Each of ``rows`` has the domain's ``categories`` (variable → category, "_T" where totalled) and
        its numbers, as :class:`EstimateRow`; the definition and options used, the tables asked for and
        the counts of rows come with them.
        """
        d = self.definition
        return {
            "indicator": "SDG 8.7.1",
            "definition": {
                "id": d.id,
                "name": d.name,
                "series": d.series,
                "comparable": d.comparable,
                "source": d.source,
                "note": d.note,
                "criteria": [c.describe() for c in d.criteria],
            },
            "options": asdict(self.options),
            "tables": [list(t) for t in self.tables],
            "variables": list(self.variables),
            "n_rows": self.n_rows,
            "n_children": self.n_children,
            "n_outside_age": self.n_outside_age,
            "notes": list(self.notes),
            "missing_hours": dict(self.missing_hours),
            "rows": [asdict(row) for row in self.rows],
        }


ProgressCallback = Callable[[float, str], None]


def _no_progress(_fraction: float, _stage: str) -> None:
    return None


def _parts(expr: str) -> list[str]:
    return [p.strip() for p in str(expr).split("+") if p.strip()]


def required_columns(
    mapping: ColumnMapping, definition: Definition, by: Sequence[Sequence[str]]
) -> dict[str, list[str]]:
    """The file columns each role needs (role → columns)."""
    need: dict[str, list[str]] = {"weight": _parts(mapping.weight), "age": _parts(mapping.age)}
    for role in ("strata", "psu", "fpc"):
        value = getattr(mapping, role)
        if value:
            need[role] = _parts(value)
    for col in definition.columns:
        need[col] = _parts(getattr(mapping, col))
    for table in by:
        for v in table:
            if v in ("sex", "area"):
                need[v] = _parts(getattr(mapping, v))
            elif v != "age_group":
                need.setdefault(f"by:{v}", [v])
    return need


def parse_by(values: Sequence[str] | None) -> list[tuple[str, ...]]:
    """``["sex", "sex,age_group"]`` → ``[("sex",), ("sex", "age_group")]``, without repeats."""
    out: list[tuple[str, ...]] = []
    for value in values or []:
        table = tuple(dict.fromkeys(v.strip() for v in str(value).split(",") if v.strip()))
        if table and table not in out:
            out.append(table)
    return out


def estimate_child_labour(
    table: Any,
    mapping: ColumnMapping | None = None,
    definition: Definition | str = "sdg",
    by: Sequence[Sequence[str]] = (),
    options: Options | None = None,
    progress: ProgressCallback | None = None,
    release: bool = False,
) -> Result:
    """Estimate child labour for the total and every domain of every table of ``by``.

    ``table`` is a :class:`~target87.engines.microdata.MicroTable` (see ``read_microdata``), a pyarrow
    Table, a pandas or polars DataFrame or a dict of arrays. ``by`` lists tables as tuples of variables:
    ``sex``, ``area`` and ``age_group`` (derived from the age) or any other column. Raises
    :class:`ChildLabourError` (or :class:`~target87.engines.survey.SurveyError`) with a message for
    the user on bad input. ``release`` lets the engine drop each column of a MicroTable once it has
    converted it, to keep the peak memory low (the command does so; the table is then spent).
    To read a file in pieces, with less memory, use :func:`estimate_child_labour_file`.
    """
    mapping, definition, tables, options, progress = _setup(mapping, definition, by, options, progress)
    data = as_micro_table(table)
    need = required_columns(mapping, definition, tables)
    _check_columns(data, need, mapping)
    progress(0.05, _("Checking values"))
    acc = _Accumulator(mapping, definition, tables, options, need)
    acc.add(data, release=release)
    del data
    return acc.finish(progress)


def estimate_child_labour_file(
    path: str | Path,
    mapping: ColumnMapping | None = None,
    definition: Definition | str = "sdg",
    by: Sequence[Sequence[str]] = (),
    options: Options | None = None,
    progress: ProgressCallback | None = None,
) -> Result:
    """As :func:`estimate_child_labour`, reading a survey file (CSV, Parquet, SPSS, Stata) piece by piece.

    Only the columns needed are read, and each piece of the file is turned into the few compact
    arrays the estimation needs before the next one is read, so the memory used stays a fraction of
    the data's. When a piece holds bad values, the whole file is read again by the plain path, whose
    messages name every row concerned.
    """
    from target87.engines.microdata import iter_microdata, list_columns, read_microdata, release_memory, row_count

    mapping, definition, tables, options, progress = _setup(mapping, definition, by, options, progress)
    need = required_columns(mapping, definition, tables)
    names = list_columns(path)
    _check_columns(MicroTable(dict.fromkeys(names, ()), names), need, mapping)
    columns = list(dict.fromkeys(c for cols in need.values() for c in cols))
    numeric = [c for role in ("weight", "age", "econ_hours", "chore_hours", "fpc") for c in need.get(role, [])]
    progress(0.02, _("Reading and checking values"))
    try:
        acc = _Accumulator(mapping, definition, tables, options, need, rows=row_count(path))
        for chunk, fraction in iter_microdata(path, columns, numeric=numeric):
            acc.add(chunk, release=True)
            del chunk
            progress(0.02 + 0.6 * fraction, _("Reading and checking values"))
        release_memory()  # what the reader held
        acc.merge()
    except (MemoryError, MicrodataError):  # reading the file whole would fail the same way
        raise
    except Exception:
        acc = None
        table = read_microdata(path, columns)
        return estimate_child_labour(table, mapping, definition, tables, options, progress, release=True)
    return acc.finish(progress)


def _setup(mapping, definition, by, options, progress):
    mapping = mapping or ColumnMapping()
    options = options or Options()
    progress = progress or _no_progress
    if isinstance(definition, str):
        definition = load_definition(definition)
    if any(c.compare == "rule-43" for c in definition.criteria):
        definition = definition.resolve("ge")
    _check_options(options)
    tables = [tuple(t) for t in by]
    return mapping, definition, tables, options, progress


class _Fallback(Exception):
    """The pieces of a file cannot be put together (a column changed type): read it whole instead."""


class _Pieces:
    """The pieces of one per-row array, in order, put together at the end.

    When the number of rows is known beforehand (``rows``), each piece is copied at once into one
    array of that size: a piece that is a view of a file's buffer lets the buffer go, and nothing is
    concatenated at the end (which would hold the pieces and the whole at once). Otherwise, or when
    the pieces turn out longer than announced, they are kept and concatenated at the end.
    """

    def __init__(self, rows: int | None = None):
        self.rows = rows
        self.array: np.ndarray | None = None
        self.filled = 0
        self.parts: list[np.ndarray] = []

    def append(self, part: np.ndarray) -> None:
        part = np.asarray(part)
        if self.rows is None or self.parts or self.filled + part.size > self.rows:
            if self.array is not None:  # more rows than announced: pieces from here on
                self.parts.append(self.array[: self.filled])
                self.array = None
            self.parts.append(part)
            return
        if self.array is None:
            self.array = np.empty(self.rows, dtype=part.dtype)
        elif not np.can_cast(part.dtype, self.array.dtype, "safe"):  # e.g. codes that need 64 bits
            self.array = self.array.astype(np.result_type(self.array.dtype, part.dtype))
        self.array[self.filled : self.filled + part.size] = part
        self.filled += part.size

    def whole(self, dtype) -> np.ndarray:
        """The array, once; an empty one of ``dtype`` without pieces."""
        if self.array is not None:
            out = self.array if self.filled == self.array.size else self.array[: self.filled]
        elif self.parts:
            out = self.parts[0] if len(self.parts) == 1 else np.concatenate(self.parts)
        else:
            out = np.empty(0, dtype)
        self.array, self.parts, self.filled = None, [], 0
        return out


class _Labels:
    """The pieces of a categorical column (strata, PSU, sex, area, a --by column), merged at the end.

    Pieces of whole numbers (without value labels) and of text read as dictionaries are kept as
    compact codes; anything else is kept as read and converted once whole, by ``MicroTable.categorical``.
    The categories are the same either way.
    """

    def __init__(self, name: str, rows: int | None = None):
        self.name = name
        self.ints = _Pieces(rows)
        self.parts: list[Any] = []
        self.kinds: set[str] = set()
        self.labels: Mapping[Any, str] = {}

    def add(self, data: MicroTable, release: bool) -> None:
        col = data.columns[self.name]
        self.labels = data.labels.get(self.name) or self.labels
        kind, part = "raw", col
        if not self.labels and type(col).__module__.startswith("pyarrow"):
            import pyarrow as pa

            typ = col.type
            if pa.types.is_integer(typ) and col.null_count == 0:
                kind, part = "int", _arrow_ints(col)
            elif pa.types.is_dictionary(typ) and (
                pa.types.is_string(typ.value_type) or pa.types.is_large_string(typ.value_type)
            ):
                kind, part = "text", _dictionary_part(col)
        self.kinds.add(kind)
        if kind == "int":
            self.ints.append(part)
        else:
            self.parts.append(part)
        del part
        if release:
            data.release(self.name)

    def categories(self, labels: bool = True) -> tuple[np.ndarray, list[str] | None]:
        """Codes and categories; ``labels=False``: codes only (PSUs), when that saves work."""
        parts, self.parts = self.parts, []
        if len(self.kinds) > 1:
            raise _Fallback(self.name)
        kind = next(iter(self.kinds), "raw")
        if kind == "int":
            values = self.ints.whole(np.int64)
            if not labels:
                return factorize(values)[0], None
            return categorical_ints(values, {})
        if kind == "text":
            return _merge_text(parts)
        if len(parts) == 1:
            col = parts[0]
        elif all(type(p).__module__.startswith("pyarrow") for p in parts):
            import pyarrow as pa

            chunks = [c for p in parts for c in (p.chunks if isinstance(p, pa.ChunkedArray) else [p])]
            if len({c.type for c in chunks}) > 1:
                raise _Fallback(self.name)
            col = pa.chunked_array(chunks)
        else:
            col = np.concatenate([np.asarray(p) for p in parts])
        del parts
        return MicroTable({self.name: col}, labels={self.name: self.labels}).categorical(self.name)


def _arrow_ints(col) -> np.ndarray:
    """Whole numbers of an Arrow column without nulls, as int32 when they fit."""
    from target87.engines.microdata import _arrow_numpy

    values = _arrow_numpy(col)
    if values.size and values.dtype.itemsize > 4:
        lo, hi = values.min(), values.max()
        if lo >= -(2**31) and hi < 2**31:
            values = values.astype(np.int32)
    return values


def _dictionary_part(col) -> tuple[np.ndarray, list[str]]:
    """(indices, -1 for null; the dictionary's values that occur, stripped) of a dictionary column."""
    from target87.engines.microdata import _arrow_numpy

    chunks = col.chunks if hasattr(col, "chunks") else [col]
    if len(chunks) != 1:
        col = col.unify_dictionaries()
        chunks = col.chunks
    dictionary = chunks[0].dictionary if chunks else None
    idx = np.concatenate([_arrow_numpy(c.indices) for c in chunks]) if chunks else np.empty(0, np.int32)
    if idx.dtype.kind == "f":  # nulls came back as NaN
        idx = np.where(np.isnan(idx), -1, idx).astype(np.int32)
    values = [] if dictionary is None else [str(v).strip() for v in dictionary.to_pylist()]
    if len(values) < 127:  # compact while the pieces wait to be merged
        idx = idx.astype(np.int8)
    return idx, values


def _merge_text(parts: list[tuple[np.ndarray, list[str]]]) -> tuple[np.ndarray, list[str]]:
    """Codes into the sorted distinct values that occur, as ``MicroTable.categorical`` gives for text."""
    used = []
    for idx, values in parts:
        present = np.bincount(idx[idx >= 0], minlength=len(values)) > 0 if len(values) else np.zeros(0, bool)
        used.append(present)
    cats = sorted(
        {
            v
            for (_idx, values), present in zip(parts, used, strict=True)
            for v, p in zip(values, present, strict=True)
            if p
        }
    )
    rank = {c: i for i, c in enumerate(cats)}
    dtype = np.int8 if len(cats) < 127 else (np.int16 if len(cats) < 2**15 - 1 else np.int32)
    out = []
    for idx, values in parts:
        remap = np.array([rank.get(v, -1) for v in values] + [-1], dtype=dtype)
        out.append(remap[idx])  # index -1 takes the last entry: missing
    codes = out[0] if len(out) == 1 else np.concatenate(out)
    return codes, cats


class _Accumulator:
    """Turns a table (or each piece of a file) into the compact arrays the estimation needs."""

    def __init__(
        self,
        mapping: ColumnMapping,
        definition: Definition,
        tables: list[tuple[str, ...]],
        options: Options,
        need: dict[str, list[str]],
        rows: int | None = None,
    ):
        """``rows``: the number of rows of the file when it is known before reading it."""
        self.mapping, self.definition, self.tables, self.options, self.need = mapping, definition, tables, options, need
        self.n = 0
        self.weights = _Pieces(rows)
        self.y = _Pieces(rows)
        self.scope = _Pieces(rows)
        self.age_group = _Pieces(rows)
        self.fpc = _Pieces(rows)
        self.missing_hours: dict[str, int] = {}
        self.order: list[str] = []
        for t in tables:
            for v in t:
                if v not in self.order:
                    self.order.append(v)
        self.labels: dict[str, _Labels] = {}
        self.categories: dict[str, tuple[np.ndarray, list[str]]] = {}  # the labels put together (merge)
        for role in ("strata", "psu"):
            if role in need:
                self.labels[role] = _Labels(need[role][0], rows)
        for v in self.order:
            if v != "age_group":
                self.labels[v] = _Labels(need[v][0] if v in ("sex", "area") else v, rows)

    def add(self, data: MicroTable, release: bool = False) -> None:
        need, mapping, options, definition = self.need, self.mapping, self.options, self.definition
        n = data.n_rows

        def done(role: str) -> None:
            if release:
                for col in need.get(role, []):
                    if not any(col in cols for r, cols in need.items() if r != role):
                        data.release(col)

        weights = _numeric(data, need["weight"], "weight", allow_missing=False)
        done("weight")
        _check_weights(weights, mapping.weight)
        age = _numeric(data, need["age"], "age", allow_missing=False)
        done("age")
        scope = (age >= AGE_MIN) & (age < AGE_MAX + 1)
        values: dict[str, np.ndarray] = {}
        for col in definition.columns:
            if col == "hazardous":
                flag = np.zeros(n, dtype=bool)
                for part in need[col]:
                    flag |= data.flag(part)
                values[col] = flag
                done(col)
                continue
            hours = _numeric(data, need[col], col, allow_missing=True, rows=scope)
            missing = np.flatnonzero(np.isnan(hours) & scope)
            if missing.size:
                if options.missing_hours != "zero":
                    raise InvalidValuesError(
                        ngettext(
                            "Column {column} is empty for {count} child aged 5-17: row {rows}. Fill it in, or "
                            "count missing hours as none with --missing-hours zero.",
                            "Column {column} is empty for {count} children aged 5-17: rows {rows}. Fill them in, or "
                            "count missing hours as none with --missing-hours zero.",
                            missing.size,
                        ).format(column=getattr(mapping, col), count=missing.size, rows=describe_rows(missing)),
                        getattr(mapping, col),
                        missing,
                        code="empty_hours",
                        rows_text=describe_rows(missing),
                    )
                self.missing_hours[col] = self.missing_hours.get(col, 0) + int(missing.size)
                hours = np.where(np.isnan(hours), 0.0, hours)
            neg = np.flatnonzero((hours < 0) & scope)
            if neg.size:
                raise InvalidValuesError(
                    ngettext(
                        "Column {column} has negative hours in {count} row: {rows}.",
                        "Column {column} has negative hours in {count} rows: {rows}.",
                        neg.size,
                    ).format(column=getattr(mapping, col), count=neg.size, rows=describe_rows(neg, hours[neg])),
                    getattr(mapping, col),
                    neg,
                    code="negative_hours",
                    rows_text=describe_rows(neg, hours[neg]),
                )
            values[col] = hours
            done(col)
        self.y.append(definition.classify(age, values) & scope)
        del values
        if "age_group" in self.order:
            codes = np.full(n, -1, dtype=np.int8)
            for k, (_label, lo, hi) in enumerate(AGE_GROUPS):
                codes[(age >= lo) & (age < hi + 1)] = k
            self.age_group.append(codes)
        del age
        for role in ("strata", "psu"):
            if role in self.labels:
                self.labels[role].add(data, release)
        if "fpc" in need:
            self.fpc.append(_numeric(data, need["fpc"], "fpc", allow_missing=False))
        for v in self.order:
            if v != "age_group":
                self.labels[v].add(data, release)
        self.weights.append(weights)
        self.scope.append(scope)
        self.n += n

    def merge(self) -> None:
        """Put the pieces of the categorical columns together (may raise :class:`_Fallback`)."""
        self.categories = {}
        for key, parts in self.labels.items():
            self.categories[key] = parts.categories(labels=key != "psu")
        self.labels = {}

    def finish(self, progress: ProgressCallback) -> Result:
        if self.labels:
            self.merge()
        mapping, options, definition = self.mapping, self.options, self.definition
        n = self.n

        weights = self.weights.whole(np.float64)
        scope = self.scope.whole(bool)
        y = self.y.whole(bool)
        n_children = int(scope.sum())
        _check_counts(n, n_children, float(weights[scope].sum()) if n_children else 0.0, mapping)
        notes = [
            ngettext(
                "{count} child with no {column} was counted as working 0 hours.",
                "{count} children with no {column} were counted as working 0 hours.",
                count,
            ).format(count=count, column=getattr(mapping, col))
            for col, count in self.missing_hours.items()
        ]
        progress(0.65, _("Setting up the survey design"))
        strata = self._checked("strata", mapping.strata)
        psu = self._checked("psu", mapping.psu)
        fpc = self.fpc.whole(np.float64) if "fpc" in self.need else None
        design = Design(
            weights,
            strata[0] if strata else None,
            psu[0] if psu else None,
            fpc,
            lonely_psu=options.lonely_psu,
            adjust_domain_lonely=options.adjust_domain_lonely,
            strata_labels=strata[1] if strata else None,
        )
        del strata, psu, weights, fpc
        design_df = design.degf()
        try:
            design.check_lonely(scope)
        except LonelyPSUError as exc:
            raise LonelyStrataError(exc.message, exc.strata) from None

        variables: dict[str, tuple[np.ndarray, list[str]]] = {}
        for v in self.order:
            if v == "age_group":
                variables[v] = (self.age_group.whole(np.int8), [g[0] for g in AGE_GROUPS])
            else:
                codes, cats = self.categories.pop(v)
                if len(cats) < 127:
                    codes = codes.astype(np.int8)
                variables[v] = (codes, cats)
        progress(0.75, _("Estimating"))
        tables = [()] + [t for t in self.tables if t]
        sums = summarise_tables(design, y, variables, tables, scope, glm_start=options.ci_method == "likelihood")
        del variables, y, scope, design  # the tables are made from the sums alone
        results = sums.tables()
        del sums
        progress(0.9, _("Confidence intervals"))

        w_children = float(results[0].estimates.weight_sum[0]) if n_children else 0.0
        scale = 1.0
        if options.population is not None:
            if w_children <= 0:
                raise ChildLabourError(
                    _("No child aged 5-17 has a positive weight: --population cannot scale them."),
                    code="no_weight_to_scale",
                )
            scale = float(options.population) / w_children
        rows: list[EstimateRow] = []
        for tb in results:
            est = tb.estimates
            df = est.df if options.df == "domain" else np.full(est.df.shape, design_df)
            lo, hi = ci_proportion(
                est.mean,
                est.se_mean,
                df,
                est.n,
                options.ci_method,
                options.level,
                n_nonzero=est.n_nonzero,
                glm_start=est.glm_start,
            )
            for i, cats in enumerate(tb.categories):
                label = {v: TOTAL for v in self.order}
                label.update(dict(zip(tb.variables, cats)))
                empty = est.n[i] == 0
                rows.append(
                    EstimateRow(
                        categories=label,
                        n=int(est.n[i]),
                        estimate=None if empty else _num(100 * est.mean[i]),
                        se=None if empty else _num(100 * est.se_mean[i]),
                        ci_lower=None if empty else _num(100 * lo[i]),
                        ci_upper=None if empty else _num(100 * hi[i]),
                        number=None if empty else _num(scale * est.total[i]),
                        number_se=None if empty else _num(scale * est.se_total[i]),
                        df=None if empty else float(df[i]),
                    )
                )
        if options.df == "design":
            notes.append(
                _(
                    "Confidence intervals use the whole design's {df:g} degrees of freedom (as Stata, SPSS "
                    "Complex Samples and MICS do), not each domain's own."
                ).format(df=design_df)
            )
        if not definition.comparable:
            notes.append(
                _("Definition {name}: the values are not comparable with the SDG 8.7.1 series.").format(
                    name=definition.id
                )
            )
        progress(1.0, _("Done"))
        return Result(
            rows=rows,
            variables=list(self.order),
            definition=definition,
            options=options,
            n_rows=n,
            n_children=n_children,
            n_outside_age=n - n_children,
            notes=notes,
            missing_hours={getattr(mapping, col): count for col, count in self.missing_hours.items()},
            tables=list(self.tables),
        )

    def _checked(self, role: str, name: str | None) -> tuple[np.ndarray, list[str]] | None:
        if role not in self.categories:
            return None
        codes, cats = self.categories.pop(role)
        missing = np.flatnonzero(codes < 0)
        if missing.size:
            raise InvalidValuesError(
                ngettext(
                    "Column {column} ({role}) is empty in {count} row: {rows}.",
                    "Column {column} ({role}) is empty in {count} rows: {rows}.",
                    missing.size,
                ).format(column=name, role=role, count=missing.size, rows=describe_rows(missing)),
                str(name),
                missing,
                code="empty",
                role=role,
                rows_text=describe_rows(missing),
            )
        return codes, cats


def _check_weights(weights: np.ndarray, column: str) -> None:
    """Refuse negative weights, and weights that are infinite or too large to add up (rows named)."""
    bad = np.flatnonzero(weights < 0)
    if bad.size:
        raise InvalidValuesError(
            ngettext(
                "Column {column} has a negative weight in {count} row: {rows}.",
                "Column {column} has negative weights in {count} rows: {rows}.",
                bad.size,
            ).format(column=column, count=bad.size, rows=describe_rows(bad, weights[bad])),
            column,
            bad,
            code="negative_weights",
            rows_text=describe_rows(bad, weights[bad]),
        )
    bad = np.flatnonzero(~(weights <= MAX_WEIGHT))  # NaN was refused as empty before
    if bad.size:
        raise InvalidValuesError(
            ngettext(
                "Column {column} has a weight that is infinite or larger than {limit:.0e} in {count} row: {rows}. "
                "A weight is the number of children a row stands for: check the column.",
                "Column {column} has weights that are infinite or larger than {limit:.0e} in {count} rows: {rows}. "
                "A weight is the number of children a row stands for: check the column.",
                bad.size,
            ).format(column=column, limit=MAX_WEIGHT, count=bad.size, rows=describe_rows(bad, weights[bad])),
            column,
            bad,
            code="large_weights",
            limit=MAX_WEIGHT,
            rows_text=describe_rows(bad, weights[bad]),
        )


def _check_counts(n: int, n_children: int, weight_children: float, mapping: ColumnMapping) -> None:
    """Refuse a file with no rows, no child aged 5-17 or no positive weight: there is nothing to estimate."""
    if n == 0:
        raise ChildLabourError(_("The file has no rows: it holds no data below its header."))
    if n_children == 0:
        raise ChildLabourError(
            ngettext(
                "The only row is not a child aged 5-17 (column {column}): there is nothing to estimate. "
                "Check that the age column holds completed years.",
                "None of the {count} rows is a child aged 5-17 (column {column}): there is nothing to estimate. "
                "Check that the age column holds completed years.",
                n,
            ).format(count=n, column=mapping.age),
            code="no_child",
            count=n,
            column=mapping.age,
        )
    if not weight_children > 0:
        raise ChildLabourError(
            _(
                "Every child aged 5-17 has the weight 0 in column {column}: there is nothing to estimate. "
                "Check that the weight column is the survey's sample weight."
            ).format(column=mapping.weight)
        )


def _num(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


def _check_options(options: Options) -> None:
    if options.lonely_psu not in LONELY_PSU_OPTIONS:
        raise ChildLabourError(
            _("--lonely-psu must be one of {options}.").format(options=", ".join(LONELY_PSU_OPTIONS))
        )
    if options.df not in DF_OPTIONS:
        raise ChildLabourError(_("--df must be one of {options}.").format(options=", ".join(DF_OPTIONS)))
    if options.ci_method not in CI_METHODS:
        raise ChildLabourError(_("--ci-method must be one of {options}.").format(options=", ".join(CI_METHODS)))
    if not 0 < options.level < 1:
        raise ChildLabourError(_("--level must be between 0 and 1, e.g. 0.95."))
    if options.population is not None and not 0 < options.population <= MAX_POPULATION:
        raise ChildLabourError(
            _("--population must be a positive number of children, at most {limit:.0e}.").format(limit=MAX_POPULATION)
        )
    if options.missing_hours not in ("error", "zero"):
        raise ChildLabourError(_("--missing-hours must be error or zero."))


def _check_columns(data: MicroTable, need: dict[str, list[str]], mapping: ColumnMapping) -> None:
    missing = []
    for role, cols in need.items():
        for c in cols:
            if not data.has(c):
                missing.append((role, c))
    if not missing:
        return
    found = data.names
    hints = []
    for role, col in missing:
        if role.startswith("by:"):
            hints.append(_("{column} (asked for by --by)").format(column=col))
        else:
            hints.append(
                _("{column} (the {role}; map it with {option} NAME)").format(
                    column=col, role=role.replace("_", " "), option=ROLE_OPTIONS.get(role, "")
                )
            )
    extra = ""
    if any(role in ("strata", "psu") for role, _c in missing):
        extra = " " + _("Without strata or clusters, give --strata none or --psu none.")
    shown = ", ".join(found[:40]) + (" …" if len(found) > 40 else "")
    raise MissingColumnsError(
        _("Missing columns: {missing}. Expected: {expected}. Found: {found}.").format(
            missing="; ".join(hints),
            expected=", ".join(c for cols in need.values() for c in cols),
            found=shown or _("(no column)"),
        )
        + extra,
        [c for _r, c in missing],
        found,
    )


def _numeric(
    data: MicroTable, cols: list[str], role: str, *, allow_missing: bool, rows: np.ndarray | None = None
) -> np.ndarray:
    total = None
    for col in cols:
        values, bad = data.numeric(col)
        if rows is not None and bad.size:
            bad = bad[rows[bad]]
        if bad.size:
            raise InvalidValuesError(
                ngettext(
                    "Column {column} ({role}) must hold numbers; {count} row does not: {rows}.",
                    "Column {column} ({role}) must hold numbers; {count} rows do not: {rows}.",
                    bad.size,
                ).format(
                    column=col,
                    role=role.replace("_", " "),
                    count=bad.size,
                    rows=describe_rows(bad, data.raw_values(col, bad[:5])),
                ),
                col,
                bad,
                code="not_numbers",
                role=role,
                rows_text=describe_rows(bad, data.raw_values(col, bad[:5])),
            )
        if total is None:
            total = values
        else:  # a sum of columns: missing parts count as 0 while another part is present
            both = np.isnan(total) & np.isnan(values)
            total = np.where(both, np.nan, np.nan_to_num(total) + np.nan_to_num(values))
    assert total is not None
    if not allow_missing:
        missing = np.flatnonzero(np.isnan(total))
        if missing.size:
            raise InvalidValuesError(
                ngettext(
                    "Column {column} ({role}) is empty in {count} row: {rows}.",
                    "Column {column} ({role}) is empty in {count} rows: {rows}.",
                    missing.size,
                ).format(column="+".join(cols), role=role, count=missing.size, rows=describe_rows(missing)),
                "+".join(cols),
                missing,
            )
    return total


__all__ = [
    "AGE_GROUPS",
    "MAPPING_PRESETS",
    "PRESETS",
    "ChildLabourError",
    "ColumnMapping",
    "Criterion",
    "Definition",
    "EstimateRow",
    "InvalidValuesError",
    "LonelyStrataError",
    "MicrodataError",
    "MissingColumnsError",
    "Options",
    "Result",
    "SurveyError",
    "estimate_child_labour",
    "estimate_child_labour_file",
    "load_definition",
    "parse_by",
    "required_columns",
]
