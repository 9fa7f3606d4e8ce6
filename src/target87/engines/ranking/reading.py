"""Reading votes from rows of a table (a CSV file, an upload), in long format.

Votes on items have the columns ``voter``, ``group``, ``item``, ``value``; pairwise choices (Bradley–Terry)
have ``voter``, ``group``, ``winner``, ``loser``. Other columns are ignored; column names are matched without
regard to case or surrounding spaces.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence

from target87.engines import tabular
from target87.engines.i18n import gettext as _

from .checks import where
from .types import Comparison, RankingInputError, Vote

ITEM_COLUMNS = ("voter", "group", "item", "value")
PAIRWISE_COLUMNS = ("voter", "group", "winner", "loser")
PAIRWISE_METHODS = {"bradley-terry"}


def columns_for(method: str) -> tuple[str, ...]:
    return PAIRWISE_COLUMNS if method in PAIRWISE_METHODS else ITEM_COLUMNS


def check_columns(found: Sequence[str] | None, method: str) -> dict[str, str]:
    """Map each expected column to its name in the header; raise if any is missing."""
    expected = columns_for(method)
    found = [name for name in (found or []) if name is not None]
    by_name = {name.strip().lower(): name for name in found}
    missing = [name for name in expected if name not in by_name]
    if missing:
        raise RankingInputError(
            _("Missing columns: %(missing)s. Expected: %(expected)s; found: %(found)s.")
            % {
                "missing": ", ".join(missing),
                "expected": ", ".join(expected),
                "found": ", ".join(found) if found else _("none"),
            }
        )
    return {name: by_name[name] for name in expected}


def votes_from_rows(
    rows: Iterable[Mapping[str, str | None]], method: str, header: Sequence[str] | None, first_line: int = 2
) -> list[Vote] | list[Comparison]:
    """Votes from dict rows whose keys are the header's names; ``first_line`` numbers the first row."""
    return _votes(enumerate(rows, start=first_line), method, header)


def _votes(
    numbered_rows: Iterable[tuple[int, Mapping[str, str | None]]], method: str, header: Sequence[str] | None
) -> list[Vote] | list[Comparison]:
    names = check_columns(header, method)
    pairwise = method in PAIRWISE_METHODS
    votes: list = []
    for line, row in numbered_rows:
        cells = {key: (row.get(name) or "").strip() for key, name in names.items()}
        if not any(cells.values()):
            continue  # blank line
        if pairwise:
            votes.append(Comparison(cells["voter"], cells["group"], cells["winner"], cells["loser"], line))
        else:
            votes.append(Vote(cells["voter"], cells["group"], cells["item"], _parse_value(cells["value"], line), line))
    return votes


def _parse_value(text: str, line: int) -> float:
    try:
        value = float(text.replace("−", "-"))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise RankingInputError(where(line) + _("the value %(value)r is not a number.") % {"value": text})
    return value


def read_votes_csv(text: str, method: str) -> list[Vote] | list[Comparison]:
    """Votes from the text of a CSV file; its delimiter is decided as :mod:`target87.engines.tabular` says."""
    if not text.removeprefix(tabular.BOM).strip():
        raise RankingInputError(_("The file is empty."))
    reader = tabular.dict_reader(text)
    try:
        votes = _votes(((reader.line_num, row) for row in reader), method, reader.fieldnames)
    except csv.Error as error:
        raise RankingInputError(_("The file is not valid CSV: %(error)s") % {"error": error}) from error
    if not votes:
        raise RankingInputError(_("The file has a header but no votes."))
    return votes
