"""``target87 rank VOTES.csv --method METHOD``: rank items from votes in long format, CSV on stdout.

Input columns: ``voter``, ``group``, ``item``, ``value`` (``winner``, ``loser`` instead of ``item``,
``value`` for ``bradley-terry``); ``-`` reads standard input. Output columns: ``item``, ``rank`` (1 is first;
competition ranking "1,2,2,4", tied items listed by item name), ``score``; Bradley–Terry adds ``ci_lower``,
``ci_upper``; consensus gives the group-aware consensus as ``score``, then ``agree_share`` over all voters and
one ``agree_<group>`` column per stakeholder group (its smoothed agreement).

Bad input prints a message on standard error and exits with status 2.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Sequence

from target87.cli import EXIT_BAD_INPUT, Parser, UsageError
from target87.engines.i18n import gettext as _

#: the most bootstrap draws asked for (each draw fits the model again)
MAX_BOOTSTRAP = 10_000
#: seeds are whole numbers from 0 to this
MAX_SEED = 2**63 - 1


def _parser() -> argparse.ArgumentParser:
    from target87.engines.ranking import DEFAULT_BOOTSTRAP, DEFAULT_DOTS, DEFAULT_LEVEL, METHODS

    parser = Parser(
        prog="target87 rank",
        description=_("Rank items from votes in long format (CSV); the ranking is written as CSV on stdout."),
    )
    parser.add_argument("votes", metavar="VOTES.csv", help=_("votes file, or - for standard input"))
    parser.add_argument("--method", required=True, help=_("one of: %(methods)s") % {"methods": ", ".join(METHODS)})
    parser.add_argument(
        "--dots",
        type=int,
        default=None,
        help=_("dots each voter may spread (default %(d)s)") % {"d": DEFAULT_DOTS},
    )
    parser.add_argument("--seed", type=int, default=0, help=_("random seed for the bootstrap (default 0)"))
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=DEFAULT_BOOTSTRAP,
        help=_("bootstrap draws over voters for Bradley–Terry intervals, 0 for none (default %(n)d)")
        % {"n": DEFAULT_BOOTSTRAP},
    )
    parser.add_argument(
        "--level",
        type=float,
        default=DEFAULT_LEVEL,
        help=_("confidence level of the intervals (default %(level)s)") % {"level": DEFAULT_LEVEL},
    )
    return parser


def _format(value: float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _write(result, out) -> None:
    writer = csv.writer(out, lineterminator="\n")
    if result.method == "consensus":
        groups = result.group_names
        writer.writerow(["item", "rank", "score", "agree_share", *[f"agree_{g}" for g in groups]])
        for entry in result.consensus.items:
            stats = result.statement(entry.item)
            writer.writerow(
                [
                    entry.item,
                    entry.rank,
                    _format(entry.score),
                    _format(stats.agree_share),
                    *[_format(stats.group_agreement[g]) for g in groups],
                ]
            )
    elif result.method == "bradley-terry":
        writer.writerow(["item", "rank", "score", "ci_lower", "ci_upper"])
        for entry in result.overall.items:
            writer.writerow(
                [
                    entry.item,
                    entry.rank,
                    _format(entry.score),
                    _format(entry.ci_lower),
                    _format(entry.ci_upper),
                ]
            )
    else:
        writer.writerow(["item", "rank", "score"])
        for entry in result.overall.items:
            writer.writerow([entry.item, entry.rank, _format(entry.score)])


#: control characters (all but tab and line breaks): never written to the terminal, never in a table
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _fail(message: str) -> int:
    message = _CONTROL.sub("\ufffd", message)
    sys.stderr.write(_("target87 rank: error: %(message)s") % {"message": message} + "\n")
    return EXIT_BAD_INPUT


def _read_text(path: str) -> str:
    """The votes file's text (standard input for ``-``), read as bytes and decoded as every table is."""
    from target87.engines import tabular
    from target87.engines.ranking import RankingInputError

    name = _("standard input") if path == "-" else path
    try:
        text = tabular.decode(sys.stdin.buffer.read(), name) if path == "-" else tabular.read_text(path)
    except OSError as error:
        raise RankingInputError(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror or error}
        ) from error
    except tabular.TableError as error:  # not UTF-8: the message names the line, never the bytes
        raise RankingInputError(error.message) from error
    control = _CONTROL.search(text)
    if control:
        raise RankingInputError(
            _("%(name)s is not a CSV text file: line %(line)d holds control characters.")
            % {"name": name, "line": text.count("\n", 0, control.start()) + 1}
        )
    return text


def main(argv: Sequence[str]) -> int:
    try:
        args = _parser().parse_args(list(argv))
    except UsageError as error:
        return _fail(str(error))
    except SystemExit as done:  # --help
        return int(done.code or 0)

    from target87.engines.ranking import RankingInputError, check_method, rank, read_votes_csv

    try:
        method = check_method(args.method)
        if not 0 <= args.bootstrap <= MAX_BOOTSTRAP:
            raise RankingInputError(
                _("--bootstrap must be a number of draws from 0 to %(limit)s, not %(n)s.")
                % {"limit": f"{MAX_BOOTSTRAP:,}", "n": args.bootstrap}
            )
        if not 0 <= args.seed <= MAX_SEED:
            raise RankingInputError(_("--seed must be a whole number from 0 to %(limit)s.") % {"limit": MAX_SEED})
        if not 0 < args.level < 1:
            raise RankingInputError(_("The confidence level must lie strictly between 0 and 1."))
        votes = read_votes_csv(_read_text(args.votes), method)
        result = rank(
            votes,
            method,
            by_group=False,
            dots=args.dots,
            seed=args.seed,
            bootstrap=args.bootstrap,
            level=args.level,
            opinion_map=False,
        )
    except RankingInputError as error:
        return _fail(str(error))
    _write(result, sys.stdout)
    return 0
