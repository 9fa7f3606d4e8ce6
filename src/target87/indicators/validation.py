"""Checking what is asked of an estimation: the columns for each role, the definition and the options.

:func:`clean_request` checks a request against the file's columns and returns it cleaned, or raises a
:class:`ServiceError` whose messages name the fields concerned, so the page shows each beside its field.
Nothing is written here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from target87.core import countries
from target87.core.errors import ServiceError
from target87.engines.childlabour import PRESETS, ChildLabourError, Definition, load_definition
from target87.engines.survey import CI_METHODS, DF_OPTIONS, LONELY_PSU_OPTIONS

from .columns import parts
from .enums import ROLE_LABELS, ROLES, TABLES
from .models import Estimation

DEFAULT_OPTIONS = {
    "rule_43": "ge",
    "lonely_psu": "fail",
    "adjust_domain_lonely": False,
    "ci_method": "logit",
    "df": "domain",
    "level": 0.95,
    "population": None,
    "missing_hours": "error",
    "tables": ["sex", "age_group"],
    "ref_area": "",
    "year": None,
    "definition_toml": "",
}
#: a custom definition is a small TOML file
MAX_DEFINITION_BYTES = 64 * 1024
CUSTOM = "custom"

Errors = dict[str, list[str]]


def clean_request(
    *, estimation: Estimation, mapping: dict[str, str], definition: str, options: dict
) -> tuple[dict[str, str], str, dict]:
    """The mapping, definition and options, checked against the file's columns; a ServiceError otherwise."""
    errors: Errors = {}
    clean_map = _clean_mapping(mapping, {c["name"] for c in estimation.columns}, errors)
    if definition not in PRESETS and definition != CUSTOM:
        _add(errors, "definition", _("Choose one of the definitions."))
        raise ServiceError(errors)
    opts = {**DEFAULT_OPTIONS, **{k: v for k, v in options.items() if k in DEFAULT_OPTIONS}}
    opts["definition_toml"] = _definition_toml(estimation, definition, opts)
    opts["columns_preset"] = estimation.options.get("columns_preset", "default")
    opts["tables"] = [t for t in (opts.get("tables") or []) if t in TABLES]
    try:
        chosen = definition_load(definition, opts, "ge")
    except ChildLabourError as error:
        raise ServiceError({"definition_file": error.message}) from None
    _require_columns(clean_map, chosen, definition, opts["tables"], errors)
    _clean_methods(opts, errors)
    _clean_numbers(opts, errors)
    _clean_country_and_year(opts, errors)
    opts["adjust_domain_lonely"] = bool(opts["adjust_domain_lonely"])
    if errors:
        raise ServiceError(errors)
    return clean_map, definition, opts


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _clean_mapping(mapping: dict[str, str], names: set[str], errors: Errors) -> dict[str, str]:
    """Every role's column or sum of columns, stripped; each column must be in the file."""
    clean_map = {role: (mapping.get(role) or "").strip() for role in ROLES}
    for role, expression in clean_map.items():
        unknown = [p for p in parts(expression) if p not in names]
        if unknown:
            _add(errors, role, _("The file has no column %(names)s.") % {"names": ", ".join(unknown)})
    return clean_map


def _definition_toml(estimation: Estimation, definition: str, opts: dict) -> str:
    """The custom definition's TOML: a new file, or the one given before for this estimation."""
    if definition != CUSTOM:
        return ""
    toml = opts.get("definition_toml") or estimation.options.get("definition_toml") or ""
    if not toml:
        raise ServiceError({"definition_file": _("Give the definition as a TOML file.")})
    return toml


def _require_columns(
    clean_map: dict[str, str], chosen: Definition, definition: str, tables: list[str], errors: Errors
) -> None:
    """The definition's columns, and the sex and area when the tables asked for need them, are chosen."""
    needed = {"weight", "age"} | set(chosen.columns)
    for t in tables:
        needed |= {v for v in TABLES[t] if v in ("sex", "area")}
    for role in sorted(needed, key=ROLES.index):
        if clean_map[role]:
            continue
        if role in ("sex", "area"):
            message = _("The tables asked for need the column of the %(role)s: choose it, or untick those tables.")
        else:
            message = _("The definition %(definition)s needs this column: choose it.")
        _add(errors, role, message % {"role": str(ROLE_LABELS[role]).lower(), "definition": definition})


def _clean_methods(opts: dict, errors: Errors) -> None:
    if opts["rule_43"] not in ("ge", "gt"):
        _add(errors, "rule_43", _("Choose at least or more than 43 hours."))
    if opts["lonely_psu"] not in LONELY_PSU_OPTIONS:
        _add(errors, "lonely_psu", _("Choose one of the options."))
    if opts["ci_method"] not in CI_METHODS:
        _add(errors, "ci_method", _("Choose one of the methods."))
    if opts.get("df") not in DF_OPTIONS:
        _add(errors, "df", _("Choose the domain's or the whole design's degrees of freedom."))
    if opts["missing_hours"] not in ("error", "zero"):
        _add(errors, "missing_hours", _("Choose one of the options."))


def _clean_numbers(opts: dict, errors: Errors) -> None:
    """The confidence level, and the population when given, as numbers in their ranges."""
    try:
        level = float(opts["level"])
    except (TypeError, ValueError):
        level = -1.0
    if not 0.5 <= level < 1:
        _add(errors, "level", _("Give a confidence level between 0.5 and 0.999, e.g. 0.95."))
    opts["level"] = level
    if opts["population"] is not None:
        try:
            opts["population"] = float(opts["population"])
        except (TypeError, ValueError):
            opts["population"] = -1.0
        if not opts["population"] > 0:
            _add(errors, "population", _("Give the number of children aged 5–17, or leave it empty."))


def _clean_country_and_year(opts: dict, errors: Errors) -> None:
    """The country as its ISO 3166 alpha-3 code and the year as a number, when given."""
    if opts["ref_area"]:
        code = countries.lookup(opts["ref_area"])
        if code is None:
            _add(errors, "ref_area", _("Give an ISO 3166 country code such as THA."))
        opts["ref_area"] = code or ""
    if opts["year"] in (None, ""):
        opts["year"] = None
        return
    try:
        year = int(opts["year"])
    except (TypeError, ValueError):
        year = 0
    if not 1950 <= year <= 2100:
        _add(errors, "year", _("Give the year of the survey, e.g. 2019."))
    opts["year"] = year


def definition_load(name: str, options: dict, rule_43: str = "ge") -> Definition:
    """A preset, or the custom TOML definition kept in the options, read by the engine."""
    if name != CUSTOM:
        return load_definition(name, rule_43)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "custom.toml"
        path.write_text(options.get("definition_toml") or "", encoding="utf-8")
        return load_definition(path, rule_43)


def read_definition_file(upload) -> str:
    """The text of an uploaded TOML definition, or a ServiceError on the field."""
    if upload.size > MAX_DEFINITION_BYTES:
        raise ServiceError({"definition_file": _("A definition is a small TOML file (at most 64 kB).")})
    try:
        return b"".join(upload.chunks()).decode("utf-8")
    except UnicodeDecodeError:
        raise ServiceError({"definition_file": _("The definition file is not UTF-8 text.")}) from None
