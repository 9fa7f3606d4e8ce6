"""What a survey file holds, read from its header or metadata only, and the mapping proposed for it.

SPSS and Stata files carry variable labels and value labels: they are shown beside the names so that
the statistician recognises ``HL4`` as “Sex of the child (1 Male, 2 Female)”. CSV files show their first
values instead. The proposed mapping uses the engine's default names, or the MICS6 preset when the
file has the MICS6 children 5–17 (“fs”) variable names.
"""

from __future__ import annotations

from pathlib import Path

from target87.engines import tabular
from target87.engines.childlabour import MAPPING_PRESETS, ColumnMapping
from target87.engines.microdata import file_format, list_columns

from .enums import ROLES

#: value labels shown per column, at most
MAX_LABELS = 8
#: first values of a CSV column shown
SAMPLE_ROWS = 3


def detect_columns(path: str | Path) -> list[dict]:
    """``[{"name", "label", "values": {code: label}, "examples": [...]}]`` in the file's order.

    Raises :class:`~target87.engines.microdata.MicrodataError` when the file cannot be read.
    """
    path = Path(path)
    names = list_columns(path)
    kind = file_format(path)
    columns = [{"name": name, "label": "", "values": {}, "examples": []} for name in names]
    if kind in ("spss", "stata"):
        _add_labels(path, kind, columns)
    elif kind == "csv":
        _add_examples(path, columns)
    elif kind == "parquet":
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
        for column in columns:
            column["label"] = str(schema.field(column["name"]).type)
    return columns


def _add_labels(path: Path, kind: str, columns: list[dict]) -> None:
    import pyreadstat

    if kind == "stata":
        reader = pyreadstat.read_dta
    else:
        reader = pyreadstat.read_por if path.suffix.lower() == ".por" else pyreadstat.read_sav
    _df, meta = reader(str(path), metadataonly=True)
    labels = meta.column_names_to_labels or {}
    values = meta.variable_value_labels or {}
    for column in columns:
        column["label"] = labels.get(column["name"]) or ""
        shown = list((values.get(column["name"]) or {}).items())[:MAX_LABELS]
        column["values"] = {_code(code): str(label) for code, label in shown}


def _code(code) -> str:
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code)


def _add_examples(path: Path, columns: list[dict]) -> None:
    try:
        rows = tabular.read_head(path, SAMPLE_ROWS)[1:]
    except (OSError, EOFError, tabular.TableError):  # no examples; estimating will say what is wrong
        return
    for i, column in enumerate(columns):
        column["examples"] = [row[i].strip() for row in rows if i < len(row)]


def propose_mapping(names: list[str]) -> tuple[str, dict[str, str]]:
    """(preset name, role → column or sum of columns, "" where the file has nothing for the role).

    Names match whatever their case. The MICS6 preset is chosen when the file has its weight and age.
    """
    by_lower = {name.lower(): name for name in names}
    mics6 = MAPPING_PRESETS["mics6"]
    preset = "mics6" if mics6.weight.lower() in by_lower and mics6.age.lower() in by_lower else "default"
    mapping = MAPPING_PRESETS[preset]
    return preset, {role: _match(getattr(mapping, role), by_lower) for role in ROLES}


def _match(expression: str | None, by_lower: dict[str, str]) -> str:
    if not expression:
        return ""
    parts = [by_lower[p.strip().lower()] for p in expression.split("+") if p.strip().lower() in by_lower]
    return "+".join(parts)


def column_mapping(mapping: dict[str, str]) -> ColumnMapping:
    """The engine's mapping; an empty strata, cluster or FPC means the design has none."""
    values = {role: (mapping.get(role) or "") for role in ROLES}
    for role in ("strata", "psu", "fpc"):
        values[role] = values[role] or None
    return ColumnMapping(**values)


def parts(expression: str) -> list[str]:
    return [p.strip() for p in (expression or "").split("+") if p.strip()]


# -- sex and area coded as numbers ---------------------------------------------------------------------
#: what a code given on the page stands for: the words the tables show and the SDG code lists know
CODE_WORDS = {"F": "Female", "M": "Male", "U": "Urban", "R": "Rural"}
NUMERIC_TYPES = ("int", "uint", "double", "float", "decimal")


def bare_codes(columns: list[dict], expression: str) -> list[str] | None:
    """The first values of a column that holds numbers with no value labels (``["1", "2"]``); None otherwise.

    Such a column says nothing of what its codes mean: the page asks which is which. SPSS and Stata value
    labels are applied when estimating, so a labelled column is not asked about.
    """
    names = parts(expression)
    if len(names) != 1:
        return None
    column = next((c for c in columns if c["name"] == names[0]), None)
    if column is None or column.get("values"):
        return None
    examples = [e for e in column.get("examples") or [] if e]
    if examples:
        return examples if all(_is_number(e) for e in examples) else None
    if str(column.get("label") or "").startswith(NUMERIC_TYPES):  # a Parquet column's type
        return []
    return None


def unnamed_labels(columns: list[dict], expression: str, variable: str) -> list[str] | None:
    """``["1 Boy child", "2 Girl child"]`` when a column's value labels do not say which is which; else None.

    Labels such as “Male”/“Female” or “Urbain”/“Rural” are understood and need nothing more.
    """
    from target87.engines import sdmx

    names = parts(expression)
    column = next((c for c in columns if len(names) == 1 and c["name"] == names[0]), None)
    if column is None or not column.get("values"):
        return None
    words, wanted = (sdmx.SEX_CODES, {"F", "M"}) if variable == "sex" else (sdmx.AREA_CODES, {"U", "R"})
    known = {words.get(str(label).strip().lower()) for label in column["values"].values()}
    if wanted <= known:
        return None
    return [f"{code} {label}" for code, label in column["values"].items()]


def codes_to_ask(columns: list[dict], expression: str, variable: str) -> list[str] | None:
    """What the page shows when it must ask which code of the sex or area column means what; None if not."""
    bare = bare_codes(columns, expression)
    return bare if bare is not None else unnamed_labels(columns, expression, variable)


def with_labels(columns: list[dict], expression: str, given: dict[str, str]) -> dict[str, str]:
    """The codes given, and the value label of each code too (estimates name categories by their labels)."""
    names = parts(expression)
    column = next((c for c in columns if len(names) == 1 and c["name"] == names[0]), None)
    labels = (column or {}).get("values") or {}
    out = dict(given)
    for code, meaning in given.items():
        label = next((lab for value, lab in labels.items() if _same_code(value, code)), None)
        if label is not None:
            out.setdefault(label, meaning)
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _same_code(value: str, code: str) -> bool:
    if value.strip() == code.strip():
        return True
    try:
        return float(value) == float(code)
    except ValueError:
        return False


def recode(result: dict, codes: dict[str, dict[str, str]]) -> dict:
    """The result with the sex and area categories given as codes (``{"sex": {"2": "F"}}``) as words.

    Only the names of the domains change; every figure stays as estimated.
    """
    for row in result.get("rows", []):
        categories = row["categories"]
        for variable, given in codes.items():
            value = categories.get(variable)
            if value is None or not given:
                continue
            meaning = next((sdmx for code, sdmx in given.items() if _same_code(str(value), code)), None)
            if meaning is not None:
                categories[variable] = CODE_WORDS[meaning]
    return result
