"""Reading CSV files the same way on every page and command, free of Django.

Every place that reads a delimited text file (the participant list, the breakout allocation, the votes of
a ballot, survey microdata and the columns shown for it) decides its encoding and delimiter here, so a file
reads the same everywhere.

Encoding
    UTF-8, with or without a byte order mark (the BOM that Excel's “CSV UTF-8” writes; it is dropped).
    Nothing else is guessed: bytes that are not UTF-8 (a file saved as Latin-1, Windows-1252 or UTF-16)
    raise :class:`TableError`, whose message names the first line that holds them and says to save the
    file as “CSV UTF-8”. A wrong guess would silently change names and categories.

Delimiter
    Comma, semicolon, tab or vertical bar (:data:`DELIMITERS`): the one that occurs most often, outside
    double quotes, in the header line (the first line that is not blank). A tie goes to the earlier in that
    order, so comma wins any tie it is in, and a header with none of them (one column) is read with commas.

Fields follow the usual CSV rules: a field in double quotes may hold the delimiter, line breaks and doubled
quotes (``""``). Blank lines are skipped. Lines are numbered from 1, the header line included, as a text
editor shows them.

Limits
    A line read on its own (the header, the first rows shown as examples) is refused beyond
    :data:`MAX_LINE_BYTES`, before more of it is read, so a compressed file whose header is one enormous
    line costs no memory; a header with more than :data:`MAX_COLUMNS` columns is refused, and so is a
    field longer than Python's CSV reader takes (128 KiB), each with a message that says so.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from target87.engines.i18n import gettext as _

#: the delimiters recognised, in the order that breaks ties
DELIMITERS = (",", ";", "\t", "|")
BOM = "\ufeff"
#: the longest line read on its own (the header, the example rows): 1 MiB
MAX_LINE_BYTES = 1 << 20
#: the most columns a table may have
MAX_COLUMNS = 2000


class TableError(ValueError):
    """A file that cannot be read as a table; ``message`` says what is wrong and how to fix it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def not_utf8_message(name: str, line: int | None) -> str:
    """What to tell the person whose file has bytes that are not UTF-8 (on ``line``, when known)."""
    if line is None:
        return _("The file is not UTF-8 text. Save the file as “CSV UTF-8” and try again.")
    if name:
        return _(
            "The file is not UTF-8 text. Line {line} of {name} has characters in another encoding: save the "
            "file as “CSV UTF-8” and try again."
        ).format(line=line, name=name)
    return _(
        "The file is not UTF-8 text. Line {line} has characters in another encoding: save the file as "
        "“CSV UTF-8” and try again."
    ).format(line=line)


def decode(data: bytes, name: str = "") -> str:
    """The text of a file's bytes (UTF-8, BOM dropped); :class:`TableError` when they are not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(not_utf8_message(name, data.count(b"\n", 0, error.start) + 1)) from None


def header_line(text: str) -> str:
    """The first line of ``text`` that is not blank, without a BOM ("" when every line is blank)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end].removeprefix(BOM)
        if line.strip():
            return line
        start = end + 1
    return ""


def delimiter_of(text: str) -> str:
    """The delimiter of a table, decided from its header line (see the module's documentation)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line(text):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=counts.__getitem__)  # the first of the largest: ties go to the earlier


def reader(text: str) -> Iterator[list[str]]:
    """A :func:`csv.reader` over ``text`` (BOM dropped) with its delimiter; ``line_num`` counts lines."""
    text = text.removeprefix(BOM)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))


def dict_reader(text: str) -> csv.DictReader:
    """A :class:`csv.DictReader` over ``text`` (BOM dropped) with its delimiter; the header gives the keys."""
    text = text.removeprefix(BOM)
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))


def read_rows(text: str, name: str = "") -> list[list[str]]:
    """The rows of a table's text, header first, blank rows left out; :class:`TableError` if it is not CSV."""
    rows = reader(text)
    try:
        table = [row for row in rows if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise csv_error(error, name, rows.line_num) from None
    if table and len(table[0]) > MAX_COLUMNS:
        raise too_many_columns(name, len(table[0]))
    return table


def csv_error(error: csv.Error, name: str, line: int) -> TableError:
    """The :class:`TableError` for a :class:`csv.Error` met on ``line`` of the file ``name``."""
    if "field larger than field limit" in str(error):
        return TableError(
            _(
                "{name}, line {line}: a field is longer than {limit:,} characters, more than a table may hold. "
                "Check for a quote that is never closed on that line, or shorten the field."
            ).format(name=name or _("The file"), line=line, limit=csv.field_size_limit())
        )
    return TableError(
        _("{name} is not valid CSV: line {line}: {error}. Check the quotes on that line.").format(
            name=name or _("The file"), line=line, error=error
        )
    )


def line_too_long(name: str, line: int) -> TableError:
    """The :class:`TableError` for a line longer than :data:`MAX_LINE_BYTES`."""
    return TableError(
        _(
            "Line {line} of {name} is longer than {limit} MiB: it cannot be a table's row. Check that the file "
            "is a CSV file with one row per line."
        ).format(line=line, name=name or _("the file"), limit=MAX_LINE_BYTES >> 20)
    )


def too_many_columns(name: str, count: int) -> TableError:
    """The :class:`TableError` for a header with more than :data:`MAX_COLUMNS` columns."""
    return TableError(
        _(
            "{name} has {count:,} columns; at most {limit:,} can be read. Keep only the columns needed and try again."
        ).format(name=name or _("The file"), count=count, limit=MAX_COLUMNS)
    )


def _lines(fh: BinaryIO, name: str) -> Iterator[tuple[int, bytes]]:
    """(number, line) of a binary file, refusing a line longer than :data:`MAX_LINE_BYTES` before reading it all.

    A line ends at a line feed. In a file whose lines end with a carriage return alone (Excel's “CSV
    (Macintosh)”), a piece of up to the limit holds several lines: it is given as one.
    """
    number = 0
    while True:
        line = fh.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and b"\r" not in line:
            raise line_too_long(name, number)
        yield number, line


# -- files ------------------------------------------------------------------------------------------------
def open_binary(path: str | Path) -> BinaryIO:
    """The file's bytes, uncompressed when its name ends with .gz."""
    path = Path(path)
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def read_text(path: str | Path) -> str:
    """The whole text of a file (see :func:`decode`); ``OSError`` when it cannot be opened."""
    path = Path(path)
    with open_binary(path) as fh:
        return decode(fh.read(), path.name)


def read_head(path: str | Path, rows: int = 0) -> list[list[str]]:
    """The header and the first ``rows`` rows of a CSV file, reading only those lines."""
    path = Path(path)
    lines: list[bytes] = []
    found = 0
    with open_binary(path) as fh:
        for _number, line in _lines(fh, path.name):
            lines.append(line)
            found += bool(line.strip())
            if found > rows:
                break
    return read_rows(decode(b"".join(lines), path.name), path.name)[: rows + 1]  # a CR-only piece holds more


def read_header(path: str | Path) -> tuple[list[str], str]:
    """The column names (stripped) of a CSV file and its delimiter, reading its header line only."""
    path = Path(path)
    number, line = _header_line(path)
    try:
        text = line.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        raise TableError(not_utf8_message(path.name, number)) from None
    delimiter = delimiter_of(text)
    try:
        names = next(csv.reader([text], delimiter=delimiter), [])
    except csv.Error as error:
        raise csv_error(error, path.name, number) from None
    if len(names) > MAX_COLUMNS:
        raise too_many_columns(path.name, len(names))
    return [name.strip() for name in names], delimiter


def _header_line(path: Path) -> tuple[int, bytes]:
    """(number, bytes) of the first line that is not blank; lines end at CR LF, LF or CR alone."""
    number = 0
    with open_binary(path) as fh:
        while True:
            chunk = fh.readline(MAX_LINE_BYTES + 1)
            if not chunk:
                return max(number, 1), b""
            ended = len(chunk) <= MAX_LINE_BYTES  # at a line feed, or at the end of the file
            text = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            lines = text.split(b"\n")
            # the last piece is no line when the chunk ends with a line break, and unfinished when it is cut
            for piece in lines[:-1] if text.endswith(b"\n") or not ended else lines:
                number += 1
                if piece.strip():
                    return number, piece
            if not ended:
                raise line_too_long(path.name, number + 1)


def undecodable_line(path: str | Path) -> int | None:
    """The number of the first line of a file that is not UTF-8, or None; reads the file line by line."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    number = 1
    with open_binary(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                return number + block.count(b"\n", 0, max(0, error.start))
            number += block.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return number
    return None
