"""Checking what is asked of an estimation: the columns for each role, the definition and the options.

:func:`clean_request` checks a request against the file's columns and returns it cleaned, or raises a
:class:`ServiceError` whose messages name the fields concerned, so the page shows each beside its field.
Nothing is written here.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from target87.core import countries
from target87.core.errors import ServiceError
from target87.engines.childlabour import PRESETS, ChildLabourError, Definition, load_definition
from target87.engines.survey import CI_METHODS, DF_OPTIONS, LONELY_PSU_OPTIONS

from .columns import bare_codes, codes_to_ask, parts
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
    "sex_codes": {},
    "area_codes": {},
}
#: what a code of each variable may stand for, and the code fields of the page
CODE_MEANINGS = {"sex": ("F", "M"), "area": ("U", "R")}
CODE_FIELDS = {
    ("sex", "F"): "sex_female",
    ("sex", "M"): "sex_male",
    ("area", "U"): "area_urban",
    ("area", "R"): "area_rural",
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
    _clean_codes(estimation, clean_map, opts, errors)
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
            message = _("The definition chosen needs this column: choose it, or choose another definition.")
        _add(errors, role, message % {"role": str(ROLE_LABELS[role]).lower(), "definition": definition})


def _clean_codes(estimation: Estimation, clean_map: dict[str, str], opts: dict, errors: Errors) -> None:
    """The codes given for sex and area; asked for when a table needs a column of numbers with no labels."""
    needed = {v for t in opts["tables"] for v in TABLES[t]}
    for variable, meanings in CODE_MEANINGS.items():
        given = opts.get(f"{variable}_codes") or {}
        given = {str(code).strip()[:40]: m for code, m in given.items() if str(code).strip() and m in meanings}
        opts[f"{variable}_codes"] = given
        if variable not in needed or not clean_map.get(variable):
            continue
        if len(given) == 1 or (given and len(set(given.values())) != len(given)):
            missing = next(m for m in meanings if m not in given.values())
            _add(errors, CODE_FIELDS[variable, missing], _("Give this code too, different from the other one."))
            continue
        examples = codes_to_ask(estimation.columns, clean_map[variable], variable)
        if given or examples is None:
            continue
        first = CODE_FIELDS[variable, meanings[0]]
        shown = ", ".join(dict.fromkeys(examples)) or _("numbers")
        if bare_codes(estimation.columns, clean_map[variable]) is None:  # labels that do not say which is which
            message = _(
                "The value labels of column %(column)s (%(examples)s) do not say which code means what: give the "
                "code of each, so that the tables and the SDMX download name them."
            )
        elif variable == "sex":
            message = _(
                "The column %(column)s holds codes (%(examples)s) with no labels: say which code means girls and "
                "which boys, so that the tables and the SDMX download name them."
            )
        else:
            message = _(
                "The column %(column)s holds codes (%(examples)s) with no labels: say which code means urban "
                "and which rural, so that the tables and the SDMX download name them."
            )
        _add(errors, first, message % {"column": clean_map[variable], "examples": shown})


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


# -- the engine's messages in the page's words -----------------------------------------------------------
#
# The engine speaks to the command line ("… with --missing-hours zero"). The page names its own fields
# instead, and counts in the reader's grammar ("1 child", "2 children"): an error the engine gives a ``code``
# (with its values in ``params``) is worded here; one without keeps the engine's text, with any option named by
# the field that sets it on this page.

#: command-line options → the field of the configure page that sets the same thing
OPTION_FIELDS = {
    "--missing-hours": "missing_hours",
    "--lonely-psu": "lonely_psu",
    "--population": "population",
    "--df": "df",
    "--ci-method": "ci_method",
    "--level": "level",
    "--rule-43": "rule_43",
    "--weight": "weight",
    "--strata": "strata",
    "--psu": "psu",
    "--fpc": "fpc",
    "--age": "age",
    "--sex": "sex",
    "--area": "area",
    "--econ-hours": "econ_hours",
    "--chore-hours": "chore_hours",
    "--hazardous": "hazardous",
}


def field_label(name: str) -> str:
    """The label of a field of the configure page, as the page shows it."""
    from .forms import EstimationForm

    field = EstimationForm.base_fields.get(name)
    return str(field.label if field is not None else ROLE_LABELS[name])


def _choice_label(name: str, value: str) -> str:
    from .forms import EstimationForm

    return str(dict(EstimationForm.base_fields[name].choices)[value])


def _role_label(text: str) -> str:
    role = text.strip().replace(" ", "_")
    return str(ROLE_LABELS[role]).lower() if role in ROLE_LABELS else text


def _invalid_values(key: str, params: dict) -> str | None:
    count = int(params.get("count", 0))
    values = {**params, "count": count, "rows": params.get("rows_text", "")}
    if "role" in params:
        values["role"] = _role_label(params["role"])
    if "limit" in params:
        values["limit"] = f"{params['limit']:.0e}"
    if key == "empty_hours":
        values["field"], values["zero"] = field_label("missing_hours"), _choice_label("missing_hours", "zero")
        text = ngettext(
            "Column %(column)s is empty for %(count)d child aged 5–17: row %(rows)s. Fill it in, or choose "
            "“%(zero)s” under “%(field)s”.",
            "Column %(column)s is empty for %(count)d children aged 5–17: rows %(rows)s. Fill them in, or choose "
            "“%(zero)s” under “%(field)s”.",
            count,
        )
    elif key == "negative_hours":
        text = ngettext(
            "Column %(column)s has negative hours in %(count)d row: %(rows)s.",
            "Column %(column)s has negative hours in %(count)d rows: %(rows)s.",
            count,
        )
    elif key == "negative_weights":
        text = ngettext(
            "Column %(column)s has a negative weight in %(count)d row: %(rows)s.",
            "Column %(column)s has negative weights in %(count)d rows: %(rows)s.",
            count,
        )
    elif key == "large_weights":
        text = ngettext(
            "Column %(column)s has a weight that is infinite or larger than %(limit)s in %(count)d row: %(rows)s. "
            "A weight is the number of children a row stands for: check the column.",
            "Column %(column)s has weights that are infinite or larger than %(limit)s in %(count)d rows: %(rows)s. "
            "A weight is the number of children a row stands for: check the column.",
            count,
        )
    elif key == "not_numbers":
        text = ngettext(
            "Column %(column)s (%(role)s) must hold numbers; %(count)d row does not: %(rows)s.",
            "Column %(column)s (%(role)s) must hold numbers; %(count)d rows do not: %(rows)s.",
            count,
        )
    elif key == "empty":
        text = ngettext(
            "Column %(column)s (%(role)s) is empty in %(count)d row: %(rows)s.",
            "Column %(column)s (%(role)s) is empty in %(count)d rows: %(rows)s.",
            count,
        )
    elif key == "no_child":
        text = ngettext(
            "The only row of the file is not a child aged 5–17 (column %(column)s): there is nothing to estimate. "
            "Check that the age column holds completed years.",
            "None of the %(count)d rows is a child aged 5–17 (column %(column)s): there is nothing to estimate. "
            "Check that the age column holds completed years.",
            count,
        )
    elif key == "no_weight_to_scale":
        text = _("No child aged 5–17 has a positive weight: “%(field)s” cannot scale them.")
        values["field"] = field_label("population")
    else:
        return None
    return text % values


def page_message(error) -> str:
    """An engine's error in the page's words: its fields named as the page labels them, plurals right."""
    text = _invalid_values(error.code, error.params) if getattr(error, "code", "") else None
    return text if text is not None else without_options(error.message)


def without_options(message: str) -> str:
    """A message with each command-line option (``--lonely-psu``) replaced by the page's field that sets it."""

    def name(found: re.Match) -> str:
        field = OPTION_FIELDS.get(found.group(1))
        if not field:
            return found.group(0)
        value = found.group(2)
        choice = _choice_or_none(field, value) if value else None
        if choice is not None:  # "--rule-43 gt": the field and the choice, as the page words them
            return f"“{field_label(field)}”: “{choice}”"
        return f"“{field_label(field)}”" + (f" {value}" if value else "")

    return re.sub(r"(?<![\w-])(--[a-z][a-z0-9-]*)(?: ([\w.-]+))?", name, message)


def _choice_or_none(name: str, value: str) -> str | None:
    from .forms import EstimationForm

    field = EstimationForm.base_fields.get(name)
    choices = dict(getattr(field, "choices", None) or [])
    return str(choices[value]) if value in choices else None


def lonely_message(strata: list[str]) -> str:
    """Strata with a single cluster, named, and where on the page to choose how to treat them."""
    shown = ", ".join(strata[:10]) + (" …" if len(strata) > 10 else "")
    count = len(strata)
    return (
        ngettext(
            "%(count)d stratum has a single cluster: %(strata)s.",
            "%(count)d strata have a single cluster: %(strata)s.",
            count,
        )
        % {"count": count, "strata": shown}
        + " "
        + _(
            "The variance cannot be estimated there. Choose how to treat them under “%(field)s” (as R's "
            "survey.lonely.psu does), or merge these strata with a neighbouring one."
        )
        % {"field": field_label("lonely_psu")}
    )


def missing_columns_message(missing: list[str], mapping: dict[str, str]) -> str:
    """Columns chosen on the page that the file does not have, each with the field it was chosen for."""
    named = []
    for column in missing:
        roles = [str(ROLE_LABELS[r]) for r in ROLES if column in parts(mapping.get(r) or "")]
        named.append(
            _("%(column)s (chosen for “%(field)s”)") % {"column": column, "field": roles[0]} if roles else column
        )
    return (
        ngettext("The file has no column %(columns)s.", "The file has none of the columns %(columns)s.", len(missing))
        % {"columns": "; ".join(named)}
        + " "
        + _("Choose the columns under “Columns of the file” below.")
    )


def page_notes(data: dict) -> list[str]:
    """The notes of an engine's result (as :meth:`Result.to_dict` gives it) in the page's words: the children
    counted as working 0 hours in the reader's grammar, options named as the page's fields."""
    missing = data.get("missing_hours") or {}
    out = [
        ngettext(
            "%(count)d child with no %(column)s was counted as working 0 hours.",
            "%(count)d children with no %(column)s were counted as working 0 hours.",
            count,
        )
        % {"count": count, "column": column}
        for column, count in missing.items()
    ]
    return out + [without_options(note) for note in data["notes"][len(missing) :]]
