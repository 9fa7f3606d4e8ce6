"""``target87 progress OBS.csv --method M …``: progress of indicator series towards a target, CSV on stdout.

The file is either SDMX-CSV (recognised by its ``TIME_PERIOD`` and ``OBS_VALUE`` columns; 1.0, 2.0 or the
flat SDG columns), read by the project's SDMX reader (:func:`target87.engines.sdmx.read_sdmx_csv`: REF_AREA
comes out as ISO3 for a country, ``LOWER_BOUND``/``UPPER_BOUND`` are used when present), or Open SDG CSV
(``Year`` first, ``Value`` last, the columns between are categories, a blank category is the total), read
here because an Open SDG file for this command need not name its series or country, which the project's
Open SDG importer requires. ``-`` reads standard input. Each series (a combination of the key columns:
``SERIES``, ``REF_AREA``, ``SEX``, ``AGE``, ``URBANISATION``, ``REPORTING_TYPE`` where present, or the
Open SDG categories) is assessed with :func:`target87.engines.progress.assess`. Output columns: the key
columns, ``method``, ``base_year``, ``latest_year``, ``score``, ``label``, ``probability`` (empty without
bounds).

Values that are not numbers ("<0.1", "NA", "..") are named on standard error with their line and left
out of their series; the rest is assessed. Bad input or options: one line on standard error, exit 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence

from target87.cli import EXIT_BAD_INPUT, Parser, UsageError
from target87.engines import tabular
from target87.engines.i18n import gettext as _


def _parser() -> argparse.ArgumentParser:
    from target87.engines.progress import DEFAULT_DRAWS, METHODS

    p = Parser(
        prog="target87 progress",
        description=_("Assess the progress of indicator series towards a target; the result is written as CSV."),
    )
    p.add_argument("file", metavar="OBS.csv", help=_("Open SDG CSV or SDMX-CSV file, or - for standard input"))
    p.add_argument("--method", required=True, help=_("one of: %(methods)s, or all") % {"methods": ", ".join(METHODS)})
    p.add_argument("--base-year", type=int, default=2015, help=_("base year (default 2015)"))
    p.add_argument("--target-value", type=float, default=None, help=_("target value (Open SDG can do without)"))
    p.add_argument("--target-year", type=int, default=2030, help=_("target year (default 2030)"))
    p.add_argument("--direction", required=True, choices=("increase", "decrease"), help=_("desired direction"))
    p.add_argument("--start-year", type=int, default=2000, help=_("first year of ESCAP's regression (default 2000)"))
    p.add_argument("--limit", type=float, default=None, help=_("natural limit of the values (Open SDG, no target)"))
    p.add_argument(
        "--draws",
        type=int,
        default=DEFAULT_DRAWS,
        help=_("simulated series for the probability of the label (default %(n)d)") % {"n": DEFAULT_DRAWS},
    )
    p.add_argument("--seed", type=int, default=0, help=_("random seed of the simulation (default 0)"))
    return p


class BadInput(ValueError):
    pass


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _year(text: str) -> int | None:
    head = text.strip()[:4]  # "2015-16" is 2015, as Open SDG reads it
    return int(head) if len(head) == 4 and head.isdigit() else None


def read_observations(text: str, warn) -> tuple[list[str], dict[tuple[str, ...], list[tuple]]]:
    """The key columns and, per key, its observations ``(line, year, value, lower, upper)``.

    ``warn(message)`` receives one message per row left out (a value that is not a number)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _read_observations(reader, text, warn)
    except csv.Error as error:  # an unclosed quote, a field longer than a table may hold
        raise BadInput(tabular.csv_error(error, "", reader.line_num).message) from None


def _read_observations(reader, text: str, warn) -> tuple[list[str], dict[tuple[str, ...], list[tuple]]]:
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise BadInput(_("The file is empty: it needs a header line."))
    header = [h.strip() for h in header]
    upper = [h.upper() for h in header]
    if "TIME_PERIOD" in upper and "OBS_VALUE" in upper:
        return _read_sdmx(text, header, warn)
    if len(header) >= 2 and header[0].lower() == "year" and header[-1].lower() == "value":
        key_cols = list(range(1, len(header) - 1))
        year_col, value_col = 0, len(header) - 1
    else:
        raise BadInput(
            _(
                "Unknown file layout: Open SDG CSV starts with Year and ends with Value; SDMX-CSV has "
                "TIME_PERIOD and OBS_VALUE columns. The header is: {header}."
            ).format(header=", ".join(header))
        )
    series: dict[tuple[str, ...], list[tuple]] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise BadInput(
                _("Line {line} has {n} fields where the header has {m}.").format(line=line, n=len(row), m=len(header))
            )
        year = _year(row[year_col])
        if year is None:
            raise BadInput(_("Line {line}: {value!r} is not a year.").format(line=line, value=row[year_col]))
        key = tuple(row[i].strip() for i in key_cols)
        value = _number(row[value_col])
        if value is None:
            warn(
                _("Line {line}: the value {value!r} is not a number; left out of the series {key}.").format(
                    line=line, value=row[value_col], key=_describe(key) or _("total")
                )
            )
            continue
        series.setdefault(key, []).append((line, year, value, None, None))
    if not series:
        raise BadInput(_("No observation with a number to assess."))
    return [header[i] for i in key_cols], series


#: the SDMX dimensions that key a series, as the project's SDMX reader keeps them
SDMX_KEY = ("SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION", "REPORTING_TYPE")


def _read_sdmx(text: str, header: list[str], warn):
    """SDMX-CSV through the project's reader (:func:`target87.engines.sdmx.read_sdmx_csv`)."""
    from target87.engines import sdmx

    reading = sdmx.read_sdmx_csv(text)
    if reading.missing:
        raise BadInput(
            _("Lines without REF_AREA or TIME_PERIOD: {lines}.").format(lines=", ".join(map(str, reading.missing)))
        )
    if reading.duplicates:
        key, lines = reading.duplicates[0]
        raise BadInput(
            _("Lines {lines} give the same observation ({key}) twice.").format(
                lines=", ".join(map(str, lines)), key=key
            )
        )
    for column, codes in reading.unknown.items():
        warn(_("Unknown {column} codes, kept as given: {codes}.").format(column=column, codes=", ".join(codes)))
    names = [c for c in SDMX_KEY if c in header or c == "REF_AREA"]
    series: dict[tuple[str, ...], list[tuple]] = {}
    for r in reading.records:
        key = tuple(getattr(r, c.lower()) for c in names)
        year = _year(r.time_period)
        if year is None:
            raise BadInput(_("Line {line}: {value!r} is not a year.").format(line=r.line, value=r.time_period))
        if r.value is None:
            warn(
                _("Line {line}: the value {value!r} is not a number; left out of the series {key}.").format(
                    line=r.line, value=r.value_text, key=_describe(key)
                )
            )
            continue
        lo, hi = r.lower, r.upper
        if (lo is None) != (hi is None):
            warn(_("Line {line}: one bound without the other; the bounds are left out.").format(line=r.line))
            lo = hi = None
        series.setdefault(key, []).append((r.line, year, r.value, lo, hi))
    if not series:
        raise BadInput(_("No observation with a number to assess."))
    return names, series


def _describe(key: Sequence[str]) -> str:
    return "/".join(k for k in key if k)


def _series(key, observations):
    from target87.engines.progress import Series

    years = [o[1] for o in observations]
    seen: dict[int, int] = {}
    for line, year, *_rest in observations:
        if year in seen:
            raise BadInput(
                _("Lines {a} and {b} give the series {key} two values for {year}.").format(
                    a=seen[year], b=line, key=_describe(key) or _("total"), year=year
                )
            )
        seen[year] = line
    bounded = any(o[3] is not None for o in observations)
    try:
        return Series(
            tuple(years),
            tuple(o[2] for o in observations),
            lower=tuple(o[3] for o in observations) if bounded else None,
            upper=tuple(o[4] for o in observations) if bounded else None,
        )
    except ValueError as bad:
        raise BadInput(_("Series {key}: {problem}").format(key=_describe(key) or _("total"), problem=bad)) from None


def _fmt(x) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x) if isinstance(x, float) else str(x)


def _methods(args, warn) -> list[str]:
    from target87.engines.progress import METHODS, check_method, needs_target

    if args.method == "all":
        chosen = list(METHODS)
        if args.target_value is None:
            skipped = [m for m in chosen if needs_target(m)]
            warn(
                _("Without --target-value only opensdg applies; left out: {methods}.").format(
                    methods=", ".join(skipped)
                )
            )
            chosen = [m for m in chosen if not needs_target(m)]
        return chosen
    method = check_method(args.method)
    if args.target_value is None and needs_target(method):
        raise BadInput(_("--method {method} needs --target-value.").format(method=method))
    return [method]


def _read_text(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except OSError as error:
        raise BadInput(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror or error}
        ) from error
    except UnicodeDecodeError as error:
        raise BadInput(_("%(path)s is not UTF-8 text.") % {"path": path}) from error


def _fail(message: str) -> int:
    sys.stderr.write(_("target87 progress: error: %(message)s") % {"message": message} + "\n")
    return EXIT_BAD_INPUT


def _warn(message: str) -> None:
    sys.stderr.write(_("target87 progress: %(message)s") % {"message": message} + "\n")


def run(args) -> list[list[str]]:
    """The rows of the output (header first); BadInput or ValueError on bad input."""
    from target87.engines.progress import assess

    if args.draws < 0:
        raise BadInput(_("--draws cannot be negative."))
    methods = _methods(args, _warn)
    key_names, observations = read_observations(_read_text(args.file), _warn)
    rows = [[*key_names, "method", "base_year", "latest_year", "score", "label", "probability"]]
    for key, obs in observations.items():
        series = _series(key, obs)
        for method in methods:
            result = assess(
                series,
                method,
                target_value=args.target_value,
                target_year=args.target_year,
                direction=args.direction,
                base_year=args.base_year,
                limit=args.limit,
                start_year=args.start_year,
                draws=args.draws,
                seed=args.seed,
            )
            rows.append(
                [
                    *key,
                    method,
                    _fmt(result.base_year),
                    _fmt(result.latest_year),
                    _fmt(result.score),
                    result.label,
                    _fmt(result.probability),
                ]
            )
    return rows


def main(argv: Sequence[str]) -> int:
    try:
        args = _parser().parse_args(list(argv))
    except UsageError as error:
        return _fail(str(error))
    except SystemExit as done:  # --help
        return int(done.code or 0)
    try:
        rows = run(args)
    except ValueError as error:  # BadInput included
        return _fail(str(error))
    try:
        csv.writer(sys.stdout, lineterminator="\n").writerows(rows)
        sys.stdout.flush()
    except BrokenPipeError:  # ``| head`` closed the pipe: stop quietly
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0
