"""``target87 estimate child-labour FILE [options]``: SDG 8.7.1 from survey microdata.

Runs without Django; heavy libraries are imported only once the arguments are understood, so the
command starts quickly. Exit codes: 0 success, 2 bad input or options (a message on stderr, never a
traceback).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from target87.engines.i18n import gettext as _

EXIT_OK = 0
EXIT_BAD_INPUT = 2
FORMATS = ("csv", "json", "table", "sdmx-csv")
#: files above this size get a progress bar on an interactive terminal
PROGRESS_BYTES = 50_000_000
#: pyarrow's optional cloud file system modules (pyarrow.fs does without them)
CLOUD_FILESYSTEMS = ("pyarrow._s3fs", "pyarrow._gcsfs", "pyarrow._azurefs", "pyarrow._hdfs")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # exit code 2 with a short message, as argparse does, no traceback
        self.print_usage(sys.stderr)
        raise _BadArguments(message)


class _BadArguments(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="target87 estimate", description=_("Estimate indicators from survey microdata."))
    sub = p.add_subparsers(dest="what", metavar="INDICATOR")
    c = sub.add_parser(
        "child-labour",
        help=_("SDG 8.7.1: proportion and number of children aged 5-17 in child labour"),
        description=_(
            "Proportion and number of children aged 5-17 in child labour (SDG 8.7.1), by domain, with "
            "design-based standard errors and confidence intervals (as R's survey package)."
        ),
    )
    c.add_argument("file", metavar="FILE", help=_("CSV, Parquet, SPSS .sav or Stata .dta file, one row per child"))
    c.add_argument(
        "--columns",
        default="default",
        metavar="PRESET",
        help=_("column names of a standard file: default or mics6 (MICS6 children 5-17 'fs' file)"),
    )
    for role, option in (
        ("weight", "--weight"),
        ("strata", "--strata"),
        ("psu", "--psu"),
        ("age", "--age"),
        ("sex", "--sex"),
        ("area", "--area"),
        ("econ_hours", "--econ-hours"),
        ("chore_hours", "--chore-hours"),
        ("hazardous", "--hazardous"),
        ("fpc", "--fpc"),
    ):
        extra = (
            _(" ('none': not stratified)")
            if role == "strata"
            else (_(" ('none': each row its own PSU)") if role == "psu" else "")
        )
        c.add_argument(
            option,
            dest=role,
            metavar="COLUMN",
            help=_("column of the {role}").format(role=role.replace("_", " ")) + extra,
        )
    c.add_argument(
        "--definition", default="sdg", metavar="NAME", help=_("sdg (default), sdg-sna, mics6, mics4 or a FILE.toml")
    )
    c.add_argument(
        "--rule-43",
        default="ge",
        choices=("ge", "gt"),
        help=_("15-17: at least (ge, default) or more than (gt) 43 hours"),
    )
    c.add_argument(
        "--lonely-psu",
        default="fail",
        choices=("fail", "remove", "certainty", "adjust", "average"),
        help=_("strata with a single PSU, as R's survey.lonely.psu (default fail)"),
    )
    c.add_argument(
        "--adjust-domain-lonely",
        action="store_true",
        help=_("apply --lonely-psu to strata with one PSU in a domain (R's survey.adjust.domain.lonely)"),
    )
    c.add_argument(
        "--ci-method",
        default="logit",
        choices=("logit", "likelihood", "xlogit", "mean", "beta", "asin"),
        help=_(
            "confidence interval, as R's svyciprop (default logit; likelihood: the Rao-Scott scaled profile likelihood)"
        ),
    )
    c.add_argument("--level", default=0.95, type=float, help=_("confidence level (default 0.95)"))
    c.add_argument(
        "--df",
        default="domain",
        choices=("domain", "design"),
        help=_(
            "degrees of freedom of a domain's interval: domain (its PSUs less its strata, R's default) or "
            "design (the whole design's, as Stata, SPSS Complex Samples and MICS use)"
        ),
    )
    c.add_argument(
        "--population",
        type=float,
        metavar="N",
        help=_("children aged 5-17 in the population: scales the numbers (normalised weights)"),
    )
    c.add_argument(
        "--missing-hours",
        default=None,
        choices=("error", "zero"),
        help=_("empty hours: an error (default) or none worked (default with --columns mics6)"),
    )
    c.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="COLS",
        help=_("a table by these variables (comma-separated: sex, age_group, area or a column); repeatable"),
    )
    c.add_argument("--format", default="csv", choices=FORMATS, help=_("output format (default csv)"))
    c.add_argument("--ref-area", default="", metavar="ISO3", help=_("REF_AREA for sdmx-csv"))
    c.add_argument("--year", default="", metavar="YEAR", help=_("TIME_PERIOD for sdmx-csv"))
    c.add_argument(
        "--series", default="", metavar="CODE", help=_("SDG series code for sdmx-csv (default: the definition's)")
    )
    c.add_argument(
        "--sex-codes",
        default="",
        metavar="MAP",
        help=_(
            "sdmx-csv: SEX codes of the file's sex values, e.g. 1=M,2=F (default with --columns "
            "mics6: 1=M,2=F, the MICS6 HL4 coding)"
        ),
    )
    c.add_argument(
        "--area-codes",
        default="",
        metavar="MAP",
        help=_(
            "sdmx-csv: URBANISATION codes of the file's area values, e.g. 1=U,2=R (default with "
            "--columns mics6: 1=U,2=R, the MICS6 HH6 coding)"
        ),
    )
    c.add_argument("--output", "-o", default="-", metavar="FILE", help=_("write here instead of standard output"))
    c.add_argument("--no-progress", action="store_true", help=_("no progress bar"))
    return p


def main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except _BadArguments as exc:
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    if args.what != "child-labour":
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return _child_labour(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        message = getattr(exc, "message", None)
        if message is None:
            if isinstance(exc, MemoryError):
                message = _("Not enough memory for this file.")
            elif isinstance(exc, OSError):
                message = _("Cannot read or write a file: {reason}").format(reason=exc)
            else:
                message = _("Unexpected problem ({kind}): {reason}").format(kind=type(exc).__name__, reason=exc)
                print(_("error: {message}").format(message=message), file=sys.stderr)
                return 1
        print(_("error: {message}").format(message=_printable(message)), file=sys.stderr)
        return EXIT_BAD_INPUT


def _printable(text: str) -> str:
    """The message without control characters (a file's column names may hold terminal escapes)."""
    return "".join(c if c.isprintable() or c in "\t" else "\ufffd" for c in text)


def _child_labour(args) -> int:
    import os
    from pathlib import Path

    # Arrow's default allocator keeps freed memory for reuse; the system one gives it back, which
    # keeps the peak low while the file is read piece by piece (set before pyarrow is imported)
    in_own_process = "pyarrow" not in sys.modules and "scipy.special" not in sys.modules
    if in_own_process:
        os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
        # the command reads local files only: without Arrow's cloud file systems (S3, GCS, Azure,
        # HDFS), which pyarrow.parquet loads when it can, with their libraries (~3 MiB of memory)
        for module in CLOUD_FILESYSTEMS:
            sys.modules.setdefault(module, None)

    from target87.engines import survey
    from target87.engines.childlabour import (
        MAPPING_PRESETS,
        ChildLabourError,
        Options,
        estimate_child_labour_file,
        load_definition,
        parse_by,
    )

    if args.columns not in MAPPING_PRESETS:
        raise ChildLabourError(
            _("Unknown --columns preset {name}: use {options}.").format(
                name=args.columns, options=", ".join(MAPPING_PRESETS)
            )
        )
    mapping = MAPPING_PRESETS[args.columns]
    changes = {
        role: getattr(args, role)
        for role in ("weight", "strata", "psu", "age", "sex", "area", "econ_hours", "chore_hours", "hazardous", "fpc")
    }
    mapping = mapping.with_(**changes)
    for role in ("strata", "psu", "fpc"):
        if str(getattr(mapping, role)).lower() == "none":
            mapping = mapping.__class__(**{**mapping.__dict__, role: None})
    definition = load_definition(args.definition, args.rule_43)
    missing_hours = args.missing_hours or ("zero" if args.columns == "mics6" else "error")
    options = Options(
        lonely_psu=args.lonely_psu,
        adjust_domain_lonely=args.adjust_domain_lonely,
        ci_method=args.ci_method,
        level=args.level,
        df=args.df,
        population=args.population,
        missing_hours=missing_hours,
    )
    by = parse_by(args.by)
    _check_sdmx_options(args, definition)
    if args.format == "sdmx-csv":
        other = [v for t in by for v in t if v not in ("sex", "age_group", "area")]
        if other:
            raise ChildLabourError(
                _("sdmx-csv has dimensions for sex, age_group and area only, not {names}.").format(
                    names=", ".join(dict.fromkeys(other))
                )
            )
        if not (args.series or definition.series):
            raise ChildLabourError(
                _("The definition {name} has no SDG series code: give one with --series.").format(name=definition.id)
            )
        if not (args.ref_area and args.year):
            raise ChildLabourError(
                _(
                    "sdmx-csv keys every observation by its area and year: give the survey's country with "
                    "--ref-area (e.g. THA) and its year with --year (e.g. 2016)."
                )
            )
    path = Path(args.file)

    show = not args.no_progress and sys.stderr.isatty() and path.is_file() and os.path.getsize(path) > PROGRESS_BYTES
    bar = _Progress() if show else None
    try:
        if bar:
            bar.update(0.0, _("Reading {file}").format(file=path.name))
        # the command's own process is short-lived and single-purpose: the lighter import of scipy's
        # special functions is safe there (not when main() is called inside a larger process)
        survey.LEAN_SCIPY = in_own_process
        result = estimate_child_labour_file(
            path, mapping, definition, by, options, progress=bar.update if bar else None
        )
    finally:
        survey.LEAN_SCIPY = False
        if bar:
            bar.close()
    if result.n_outside_age:
        print(
            _("{count} of {total} rows are children outside ages 5-17: left out of the estimates.").format(
                count=result.n_outside_age, total=result.n_rows
            ),
            file=sys.stderr,
        )
    for note in result.notes:
        print(note, file=sys.stderr)
    text = _render(result, args)
    if args.output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return EXIT_OK


#: the years a survey's TIME_PERIOD may name
YEARS = (1950, 2100)


def _check_sdmx_options(args, definition) -> None:
    """--year, --ref-area and --series, when given, must be codes an SDMX reader knows: a comparable
    definition's series is one of SDG 8.7.1's; another definition's (not comparable) is a national code."""
    import re

    from target87.engines import sdmx
    from target87.engines.childlabour import SERIES, ChildLabourError

    if args.year and not (args.year.isdigit() and YEARS[0] <= int(args.year) <= YEARS[1]):
        raise ChildLabourError(
            _("--year must be the survey's year, from {first} to {last}, e.g. 2016: not {value!r}.").format(
                first=YEARS[0], last=YEARS[1], value=args.year
            )
        )
    if args.ref_area:
        code = sdmx.area_code(args.ref_area)
        if code is None:
            raise ChildLabourError(
                _(
                    "--ref-area must be a country's ISO 3166 alpha-3 code (e.g. THA) or UN M49 number: not {value!r}."
                ).format(value=args.ref_area)
            )
        args.ref_area = code
    if not args.series:
        return
    if definition.comparable and args.series not in SERIES:
        raise ChildLabourError(
            _("--series must be one of the SDG 8.7.1 series {series}: not {value!r}.").format(
                series=", ".join(SERIES), value=args.series
            )
        )
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,49}", args.series):
        raise ChildLabourError(
            _("--series must be a code of letters, digits and underscores, e.g. XX_MICS4: not {value!r}.").format(
                value=args.series
            )
        )


class _Progress:
    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.p = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.p.start()
        self.task = self.p.add_task("", total=1.0)

    def update(self, fraction: float, stage: str) -> None:
        self.p.update(self.task, completed=fraction, description=stage)

    def close(self) -> None:
        self.p.stop()


# -- output ---------------------------------------------------------------------------------------
def _fmt(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, float):
        return repr(x)
    return str(x)


def _render(result, args) -> str:
    if args.format == "json":
        return _json(result, args)
    if args.format == "table":
        return _table(result)
    if args.format == "sdmx-csv":
        return _sdmx(result, args)
    return _csv(result)


def _csv(result) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(result.variables + ["n", "estimate", "se", "ci_lower", "ci_upper", "number"])
    for r in result.rows:
        w.writerow(
            [r.categories[v] for v in result.variables]
            + [r.n]
            + [_fmt(x) for x in (r.estimate, r.se, r.ci_lower, r.ci_upper, r.number)]
        )
    return buf.getvalue()


def _json(result, args) -> str:
    """The engine's :meth:`~target87.engines.childlabour.Result.to_dict` under the command's published names:
    the counts as ``rows_in_file``, ``children_5_17`` and ``outside_ages_5_17``, each row's categories
    beside its numbers, the series given with ``--series`` in place of the definition's."""
    import json

    data = result.to_dict()
    doc = {
        "indicator": data["indicator"],
        "definition": {**data["definition"], "series": args.series or data["definition"]["series"]},
        "options": data["options"],
        "rows_in_file": data["n_rows"],
        "children_5_17": data["n_children"],
        "outside_ages_5_17": data["n_outside_age"],
        "notes": data["notes"],
        "variables": data["variables"],
        "rows": [{**row.pop("categories"), **row} for row in data["rows"]],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _table(result) -> str:
    import io

    from rich.console import Console
    from rich.table import Table

    d = result.definition
    t = Table(title=_("Children aged 5-17 in child labour — {name}").format(name=d.name))
    for v in result.variables:
        t.add_column(v)
    for col in ("n", "%", "SE", _("CI lower"), _("CI upper"), _("number")):
        t.add_column(col, justify="right")

    def f(x, digits):
        return "" if x is None else f"{x:,.{digits}f}"

    for r in result.rows:
        t.add_row(
            *[_("total") if r.categories[v] == "_T" else r.categories[v] for v in result.variables],
            f"{r.n:,}",
            f(r.estimate, 1),
            f(r.se, 2),
            f(r.ci_lower, 1),
            f(r.ci_upper, 1),
            f(r.number, 0),
        )
    buf = io.StringIO()
    Console(file=buf, width=120, force_terminal=False).print(t)
    if not d.comparable:
        buf.write(_("Not comparable with the SDG 8.7.1 series.") + "\n")
    return buf.getvalue()


def _sdmx(result, args) -> str:
    from target87.engines import sdmx
    from target87.engines.childlabour import ChildLabourError

    mics = getattr(args, "columns", "") == "mics6"
    codings = {}
    for what, option, given, default, allowed in (
        ("sex", "--sex-codes", getattr(args, "sex_codes", ""), "1=M,2=F", ("F", "M")),
        ("area", "--area-codes", getattr(args, "area_codes", ""), "1=U,2=R", ("U", "R")),
    ):
        try:
            codings[what] = sdmx.parse_code_map(given or (default if mics else ""), allowed)
        except ValueError as bad:
            raise ChildLabourError(
                _("{option} takes VALUE=CODE pairs separated by commas, with codes {codes}: not {part!r}.").format(
                    option=option, codes="/".join(allowed), part=str(bad)
                )
            ) from None
    try:
        dimensions = sdmx.code_domains(
            (r.categories for r in result.rows), sex_codes=codings["sex"], area_codes=codings["area"]
        )
    except sdmx.UncodedCategories as uncoded:
        what, values = next(iter(uncoded.unknown.items()))
        raise ChildLabourError(
            _(
                "Cannot code the {what} category {value!r} for SDMX: use F/M (female/male) for sex and "
                "U/R (urban/rural) for area, or give the coding with --sex-codes 1=M,2=F or --area-codes 1=U,2=R."
            ).format(what=what, value=values[0])
        ) from None
    # SDMX-CSV 2.0 in the SDG global structure, as sdmx1 reads it: REF_AREA as the M49 number with ISO3 beside
    # it, a national estimate (REPORTING_TYPE N) of country data (NATURE C), in percent
    records = [
        sdmx.Record(
            series=args.series or result.definition.series,
            ref_area=args.ref_area,
            time_period=args.year,
            value=r.estimate,
            lower=r.ci_lower,
            upper=r.ci_upper,
            sex=dims.sex,
            age=dims.age,
            urbanisation=dims.urbanisation,
            reporting_type="N",
            unit="PT",
            nature="C",
        )
        for dims, r in zip(dimensions, result.rows, strict=True)
    ]
    return sdmx.write_sdmx_csv(records)
