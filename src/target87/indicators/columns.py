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
