"""Reading survey microdata files (CSV, Parquet, SPSS, Stata) into columns, free of Django.

:func:`read_microdata` reads only the columns asked for. A :class:`MicroTable` hands out columns as
numbers (:meth:`MicroTable.numeric`), categories (:meth:`MicroTable.categorical`, value labels of SPSS
and Stata files become the categories) or yes/no flags (:meth:`MicroTable.flag`). Problems raise
:class:`MicrodataError` with a message for the person who gave the file; rows are numbered from 1,
the first row of data (the line after a CSV header). A CSV file's encoding and delimiter are decided
as on every page and command (:mod:`target87.engines.tabular`): UTF-8 with or without BOM, the
delimiter from the header; text in another encoding is refused with the line that holds it.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from target87.engines import tabular
from target87.engines.i18n import gettext as _

FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".gz": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".sav": "spss",
    ".zsav": "spss",
    ".por": "spss",
    ".dta": "stata",
}
_NUMBER = r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$"
_YES = {"1", "yes", "y", "true", "t", "oui", "sí", "si"}


class LinesEndWithCR(Exception):
    """A CSV file whose lines end with a carriage return alone ("CSV (Macintosh)"): read it whole."""


class MicrodataError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def describe_rows(rows: np.ndarray, values: Iterable[Any] | None = None, limit: int = 5) -> str:
    """'3, 17 and 20' or '3 ("abc"), 17 ("x") … (12 rows)' for 0-based row indices."""
    rows = np.asarray(rows)
    shown = []
    vals = list(values)[:limit] if values is not None else None
    for i, r in enumerate(rows[:limit]):
        text = str(int(r) + 1)
        if vals is not None:
            text += f" ({_show(vals[i])})"
        shown.append(text)
    text = ", ".join(shown)
    if rows.size > limit:
        text += " " + _("… ({count} rows in all)").format(count=rows.size)
    return text


def _show(v: Any) -> str:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        if math.isnan(v):
            return "empty"
        return _number_text(v) if abs(v) < 1e15 else repr(v)  # 1e+308, not its 309 digits
    return repr(v)


class MicroTable:
    """Columns of a survey file; ``labels`` holds value labels (value → label) per column."""

    def __init__(
        self,
        columns: Mapping[str, Any],
        names: list[str] | None = None,
        labels: Mapping[str, Mapping[Any, str]] | None = None,
        source: str = "",
    ):
        self.columns = dict(columns)
        self.names = list(names if names is not None else self.columns)
        self.labels = dict(labels or {})
        self.source = source
        first = next(iter(self.columns.values()), None)
        self.n_rows = 0 if first is None else len(first)

    def has(self, name: str) -> bool:
        return name in self.columns

    def release(self, name: str) -> None:
        """Forget a column (to free memory once it has been converted)."""
        self.columns.pop(name, None)

    # -- conversions ----------------------------------------------------------------------------
    def numeric(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(float64 values, NaN where missing; indices of rows that hold something that is not a number)."""
        col = self.columns[name]
        if _is_arrow(col):
            import pyarrow as pa

            if pa.types.is_dictionary(col.type):
                col = col.cast(col.type.value_type)
            if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
                ok = _pc().match_substring_regex(col, _NUMBER)
                bad = np.flatnonzero(_arrow_numpy(_pc().fill_null(_pc().invert(ok), False)))
                col = _pc().if_else(ok, col, pa.scalar(None, col.type))
                col = _pc().cast(_pc().utf8_trim_whitespace(col), pa.float64())
                return _arrow_float(col), bad
            if pa.types.is_boolean(col.type) or pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
                return _arrow_float(col), np.empty(0, dtype=np.int64)
            if pa.types.is_decimal(col.type):
                return _arrow_float(_pc().cast(col, pa.float64())), np.empty(0, dtype=np.int64)
            col = np.asarray(col.to_pylist(), dtype=object)
        arr = np.asarray(col)
        if arr.dtype.kind in "fiub":
            return arr.astype(np.float64), np.empty(0, dtype=np.int64)
        out = np.full(arr.size, np.nan)
        bad = []
        for i, v in enumerate(arr):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            try:
                out[i] = float(str(v).strip()) if isinstance(v, str) else float(v)
            except (TypeError, ValueError):
                bad.append(i)
            else:
                if isinstance(v, str) and not v.strip():
                    out[i] = np.nan
        return out, np.asarray(bad, dtype=np.int64)

    def raw_values(self, name: str, rows: np.ndarray) -> list:
        col = self.columns[name]
        if _is_arrow(col):
            return [col[int(i)].as_py() for i in rows]
        return [np.asarray(col)[int(i)] for i in rows]

    def categorical(self, name: str) -> tuple[np.ndarray, list[str]]:
        """(codes 0..k-1, -1 where missing; the k categories as text, value labels applied)."""
        col = self.columns[name]
        labels = self.labels.get(name) or {}
        if _is_arrow(col):
            import pyarrow as pa

            if pa.types.is_dictionary(col.type):
                if pa.types.is_string(col.type.value_type) or pa.types.is_large_string(col.type.value_type):
                    return _categorical_dictionary(col, labels)
                col = col.cast(col.type.value_type)
            if pa.types.is_integer(col.type) and col.null_count == 0:
                return categorical_ints(_arrow_numpy(col), labels)
            if pa.types.is_integer(col.type) or pa.types.is_floating(col.type) or pa.types.is_boolean(col.type):
                values = _arrow_float(_pc().cast(col, pa.float64()))
                return _categorical_numbers(values, labels)
            enc = _pc().dictionary_encode(col.combine_chunks() if hasattr(col, "combine_chunks") else col)
            idx = _arrow_numpy(enc.indices)
            dictionary = [str(v).strip() for v in enc.dictionary.to_pylist()]
            valid = ~np.isnan(idx) if enc.null_count else np.ones(len(enc), dtype=bool)
            idx = np.where(valid, np.nan_to_num(idx, nan=0), 0).astype(np.int64)
            return _sorted_categories(idx, valid, dictionary, labels)
        arr = np.asarray(col)
        if arr.dtype.kind in "fiub":
            return _categorical_numbers(arr.astype(np.float64), labels)
        valid = np.array(
            [not (v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "") for v in arr]
        )
        texts = np.array([str(v).strip() if ok else "" for v, ok in zip(arr, valid)], dtype=object)
        uniq, inv = np.unique(texts.astype(str), return_inverse=True)
        return _sorted_categories(inv.reshape(-1).astype(np.int64), valid, list(uniq), labels)

    def flag(self, name: str) -> np.ndarray:
        """True where the value means yes: 1 / true / yes (also as a value label); anything else is no."""
        codes, cats = self.categorical(name)
        yes = np.array([c.strip().lower() in _YES for c in cats] + [False], dtype=bool)
        return yes[np.where(codes < 0, len(cats), codes)]


def categorical_ints(values: np.ndarray, labels: Mapping[Any, str]) -> tuple[np.ndarray, list[str]]:
    """Categories of whole numbers without missing values (codes 0..k-1 in increasing order)."""
    from target87.engines.survey import factorize

    codes, uniq = factorize(values)
    lab = _float_keys(labels)
    cats = [lab.get(float(u), str(u)) for u in uniq] if lab else [str(u) for u in uniq]
    return _merge_duplicates(codes, cats)


def _is_arrow(col) -> bool:
    return type(col).__module__.startswith("pyarrow")


def _arrow_float(col) -> np.ndarray:
    return _arrow_numpy(col).astype(np.float64, copy=False)


def _categorical_dictionary(col, labels):
    """Categories of a dictionary-encoded text column, from its dictionary (as if decoded and re-encoded)."""
    import pyarrow as pa

    if isinstance(col, pa.ChunkedArray):
        if col.num_chunks > 1:
            col = col.unify_dictionaries()
        chunks = col.chunks
        dictionary = chunks[0].dictionary if chunks else pa.array([], pa.string())
        idx = np.concatenate([_arrow_numpy(c.indices) for c in chunks]) if chunks else np.empty(0)
    else:
        dictionary = col.dictionary
        idx = _arrow_numpy(col.indices)
    if idx.dtype.kind == "f":  # nulls came back as NaN
        valid = ~np.isnan(idx)
        idx = np.where(valid, idx, 0).astype(np.int64)
    else:
        valid = np.ones(idx.size, dtype=bool)
    # only the values that occur, as dictionary_encode of the decoded column would give
    present = np.bincount(idx[valid], minlength=len(dictionary)) > 0 if len(dictionary) else np.zeros(0, bool)
    if not present.all():
        keep = np.flatnonzero(present)
        remap = np.cumsum(present) - 1
        idx = remap[idx] if len(dictionary) else idx
        dictionary = dictionary.take(pa.array(keep))
    values = [str(v).strip() for v in dictionary.to_pylist()]
    return _sorted_categories(idx, valid, values, labels)


_ARROW_NUMPY = {"double": "float64", "float": "float32", "halffloat": "float16"}


def _arrow_numpy(col) -> np.ndarray:
    """A numeric or boolean Arrow array as numpy (nulls as NaN) through its buffers.

    ``Array.to_numpy`` would import pandas, which costs more start-up time than the whole estimate.
    """
    if hasattr(col, "combine_chunks"):
        col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    n, off = len(col), col.offset
    bufs = col.buffers()
    name = str(col.type)
    if name == "bool":
        bits = np.unpackbits(np.frombuffer(bufs[1], dtype=np.uint8), bitorder="little")[off : off + n]
        data = bits.astype(np.float64)
    elif name == "null":
        return np.full(n, np.nan)
    else:
        data = np.frombuffer(bufs[1], dtype=np.dtype(_ARROW_NUMPY.get(name, name)))[off : off + n]
    if col.null_count:
        valid = np.unpackbits(np.frombuffer(bufs[0], dtype=np.uint8), bitorder="little")[off : off + n].astype(bool)
        data = np.where(valid, data, np.nan)
    return data


def _number_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _categorical_numbers(values: np.ndarray, labels: Mapping[Any, str]) -> tuple[np.ndarray, list[str]]:
    valid = ~np.isnan(values)
    uniq, inv = np.unique(values[valid], return_inverse=True)
    codes = np.full(values.size, -1, dtype=np.int64)
    codes[valid] = inv.reshape(-1)
    lab = _float_keys(labels)
    cats = [lab.get(float(u), _number_text(u)) for u in uniq]
    return _merge_duplicates(codes, cats)


def _float_keys(labels: Mapping[Any, str]) -> dict[float, str]:
    lab = {}
    for k, v in labels.items():
        with contextlib.suppress(TypeError, ValueError):
            lab[float(k)] = str(v)
    return lab


def _sorted_categories(idx, valid, dictionary, labels):
    order = sorted(range(len(dictionary)), key=lambda i: dictionary[i])
    rank = np.empty(len(dictionary), dtype=np.int64)
    rank[order] = np.arange(len(dictionary))
    codes = np.where(valid, rank[idx] if len(dictionary) else 0, -1)
    cats = [str(labels.get(dictionary[i], dictionary[i])) for i in order]
    return _merge_duplicates(codes, cats)


def _merge_duplicates(codes, cats):
    """Two values with the same label become one category."""
    if len(set(cats)) == len(cats):
        return codes, cats
    merged: list[str] = []
    remap = np.empty(len(cats), dtype=np.int64)
    for i, c in enumerate(cats):
        if c not in merged:
            merged.append(c)
        remap[i] = merged.index(c)
    return np.where(codes < 0, -1, remap[np.maximum(codes, 0)]), merged


# -- files ------------------------------------------------------------------------------------------
def file_format(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if not suffixes:
        return None
    if suffixes[-1] == ".gz" and len(suffixes) > 1:
        return FORMATS.get(suffixes[-2]) if FORMATS.get(suffixes[-2]) == "csv" else None
    return FORMATS.get(suffixes[-1]) if suffixes[-1] != ".gz" else None


def list_columns(path: str | Path) -> list[str]:
    """The column names of a file (reads only its header or metadata); at most :data:`tabular.MAX_COLUMNS`."""
    path = Path(path)
    names = _list_columns(path)
    if len(names) > tabular.MAX_COLUMNS:
        raise MicrodataError(tabular.too_many_columns(path.name, len(names)).message)
    return names


def _list_columns(path: Path) -> list[str]:
    kind = _check_file(path)
    try:
        if kind == "csv":
            return _csv_header(path)[0]
        if kind == "parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        import pyreadstat

        reader = (
            pyreadstat.read_dta
            if kind == "stata"
            else (pyreadstat.read_por if path.suffix.lower() == ".por" else pyreadstat.read_sav)
        )
        _df, meta = reader(str(path), metadataonly=True)
        return list(meta.column_names)
    except MicrodataError:
        raise
    except Exception as exc:
        raise MicrodataError(_("Cannot read {file}: {reason}").format(file=path.name, reason=_short(exc))) from exc


def _csv_header(path: Path) -> tuple[list[str], str]:
    """The column names and the delimiter of a CSV file, as every page and command reads them."""
    try:
        return tabular.read_header(path)
    except tabular.TableError as error:
        raise MicrodataError(error.message) from None


def _check_text(path: Path, table) -> None:
    """Arrow reads text that is not UTF-8 as bytes: say which line, rather than show bytes as categories."""
    import pyarrow as pa

    for field in table.schema:
        kind = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
        if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
            raise MicrodataError(tabular.not_utf8_message(path.name, tabular.undecodable_line(path)))


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else exc.__class__.__name__


def _check_file(path: Path) -> str:
    kind = file_format(path)
    if kind is None:
        raise MicrodataError(
            _(
                "Unknown file type {suffix}: give a CSV (.csv), Parquet (.parquet), SPSS (.sav) or Stata (.dta) file."
            ).format(suffix="".join(path.suffixes) or _("(no extension)"))
        )
    if not path.exists():
        raise MicrodataError(_("File not found: {file}").format(file=str(path)))
    if not path.is_file():
        raise MicrodataError(_("Not a file: {file}").format(file=str(path)))
    return kind


def read_microdata(path: str | Path, columns: Iterable[str] | None = None) -> MicroTable:
    """Read ``columns`` (all when None) of a CSV, Parquet, SPSS or Stata file."""
    path = Path(path)
    kind = _check_file(path)
    names = list_columns(path)
    wanted = list(dict.fromkeys(c for c in (columns if columns is not None else names) if c in names))
    try:
        if kind == "csv":
            import pyarrow.csv as pacsv

            parse = pacsv.ParseOptions(delimiter=_csv_header(path)[1])
            convert = pacsv.ConvertOptions(include_columns=wanted, strings_can_be_null=True)
            read = pacsv.ReadOptions(block_size=1 << 24)
            try:
                # streaming holds one block besides the columns: half the peak memory of read_csv, and
                # faster; the types come from the first block, so a later surprise falls back below
                import pyarrow as pa

                with pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert) as reader:
                    table = pa.Table.from_batches(list(reader), schema=reader.schema)
            except pa.ArrowInvalid:
                table = pacsv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)
            _check_text(path, table)
            return MicroTable({c: table.column(c) for c in wanted}, names, source=path.name)
        if kind == "parquet":
            import pyarrow.parquet as pq

            table = pq.read_table(path, columns=wanted)
            return MicroTable({c: table.column(c) for c in wanted}, names, source=path.name)
        import pyreadstat

        reader = (
            pyreadstat.read_dta
            if kind == "stata"
            else (pyreadstat.read_por if path.suffix.lower() == ".por" else pyreadstat.read_sav)
        )
        df, meta = reader(str(path), usecols=wanted or None, apply_value_formats=False)
        labels = {c: meta.variable_value_labels[c] for c in wanted if c in meta.variable_value_labels}
        return MicroTable({c: df[c].to_numpy() for c in wanted}, names, labels=labels, source=path.name)
    except MicrodataError:
        raise
    except Exception as exc:
        if kind == "csv" and "invalid UTF8" in str(exc):
            raise MicrodataError(tabular.not_utf8_message(path.name, tabular.undecodable_line(path))) from exc
        raise MicrodataError(_("Cannot read {file}: {reason}").format(file=path.name, reason=_short(exc))) from exc


def as_micro_table(data: Any) -> MicroTable:
    """A MicroTable from a MicroTable, a pyarrow Table, a pandas or polars DataFrame or a dict of arrays."""
    if isinstance(data, MicroTable):
        return data
    if hasattr(data, "column_names") and hasattr(data, "column"):  # pyarrow.Table
        return MicroTable({c: data.column(c) for c in data.column_names})
    if hasattr(data, "to_arrow") and hasattr(data, "columns"):  # polars
        t = data.to_arrow()
        return MicroTable({c: t.column(c) for c in t.column_names})
    if hasattr(data, "columns") and hasattr(data, "__getitem__") and hasattr(data, "to_numpy"):  # pandas
        return MicroTable({str(c): data[c].to_numpy() for c in data.columns})
    if isinstance(data, Mapping):
        return MicroTable({str(k): v if _is_arrow(v) else np.asarray(v) for k, v in data.items()})
    raise MicrodataError(_("Unsupported table type: {type}").format(type=type(data).__name__))


#: rows per piece when a file is read piece by piece (Parquet batches; CSV blocks are in bytes)
CHUNK_ROWS = 1 << 16
CSV_BLOCK_BYTES = 1 << 22
CSV_THREADS = True


def iter_microdata(path: str | Path, columns: Iterable[str], numeric: Iterable[str] = (), prefetch: bool = True):
    """Yield (MicroTable, fraction of the file read) piece by piece: ``columns`` only.

    With ``prefetch``, the next piece of a CSV file is read and parsed in a second thread while the
    caller works on the current one (one piece ahead at most, so the memory stays bounded); Parquet
    pieces decode faster than they are used, and are read in turn.
    """
    pieces = _iter_pieces(path, columns, numeric)
    if not prefetch or file_format(Path(path)) != "csv":
        yield from pieces
        return
    yield from _prefetched(pieces)


def _prefetched(pieces):
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    end = object()

    def produce():
        try:
            for item in pieces:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                del item
                if stop.is_set():
                    return
            q.put(end)
        except BaseException as exc:
            q.put(exc)

    worker = threading.Thread(target=produce, name="microdata-reader", daemon=True)
    worker.start()
    try:
        while True:
            item = q.get()
            if item is end:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
            del item
    finally:
        stop.set()
        while worker.is_alive():  # let the reader see the stop signal
            try:
                q.get_nowait()
            except queue.Empty:
                worker.join(0.05)


def row_count(path: str | Path) -> int | None:
    """The number of rows of a Parquet file, from its metadata; None for the other formats."""
    path = Path(path)
    if file_format(path) != "parquet" or not path.is_file():
        return None
    try:
        import pyarrow.parquet as pq

        return int(pq.read_metadata(path).num_rows)
    except Exception:  # unreadable: reading it will say why
        return None


def release_memory() -> None:
    """Give the memory Arrow has freed back to the system (its pool may keep it for reuse)."""
    import sys

    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()


def _iter_pieces(path: str | Path, columns: Iterable[str], numeric: Iterable[str] = ()):
    """The pieces of :func:`iter_microdata`, read in this thread.

    CSV files are read in blocks of :data:`CSV_BLOCK_BYTES`; the ``numeric`` columns are read as
    numbers directly and text columns as dictionaries (a value that is not a number, or a column whose
    type changes after the first block, raises: the caller then reads the file whole). Parquet files
    are read by batches of row groups; SPSS and Stata files whole.
    """
    path = Path(path)
    kind = _check_file(path)
    names = list_columns(path)
    wanted = list(dict.fromkeys(c for c in columns if c in names))
    if kind == "csv":
        delimiter = _csv_header(path)[1]
        yield from _iter_csv(path, names, wanted, [c for c in numeric if c in wanted], delimiter)
        return
    if kind == "parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 16)
        schema = pf.schema_arrow
        text = [c for c in wanted if str(schema.field(c).type) in ("string", "large_string")]
        if text:  # text columns as dictionaries: compact, and their categories come from the dictionary
            pf = pq.ParquetFile(path, read_dictionary=text, pre_buffer=False, buffer_size=1 << 16)
        total = max(1, pf.metadata.num_rows)
        done = 0
        for batch in pf.iter_batches(batch_size=CHUNK_ROWS, columns=wanted, use_threads=False):
            done += batch.num_rows
            yield MicroTable({c: batch.column(c) for c in wanted}, names, source=path.name), done / total
            del batch
        return
    yield read_microdata(path, wanted), 1.0


def _iter_csv(path: Path, names: list[str], wanted: list[str], numeric: list[str], delimiter: str):
    """CSV pieces of about :data:`CSV_BLOCK_BYTES`, each parsed by Arrow (in parallel) as it is needed.

    Arrow's own streaming reader reads ahead without bound (the whole file is soon in memory); here a
    piece is read only when the previous one has been used. Pieces end at a line break, as Arrow's
    blocks do (values with line breaks inside quotes are not split safely: such a file fails to
    parse, and the caller reads it whole). The types found in the first piece hold for the others.
    A compressed file (.gz) is read the same way as it is uncompressed; a line longer than a piece
    and :data:`tabular.MAX_LINE_BYTES` is refused before more of it is read.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    size = max(1, path.stat().st_size)
    parse = pacsv.ParseOptions(delimiter=delimiter)
    read = pacsv.ReadOptions(column_names=names, block_size=max(1 << 20, CSV_BLOCK_BYTES // 4), use_threads=CSV_THREADS)
    types: dict[str, Any] = {c: pa.float64() for c in numeric}
    compressed = path.suffix.lower() == ".gz"
    with tabular.open_binary(path) as fh:
        header, done = b"\n", 0
        while header and not header.strip():  # the header is the first line that is not blank
            header = fh.readline(tabular.MAX_LINE_BYTES + 1)
            done += len(header)
        if b"\r" in header.rstrip(b"\r\n"):
            raise LinesEndWithCR(path.name)  # pieces end at line feeds: the caller reads the file whole
        rest = b""
        while True:
            block = fh.read(CSV_BLOCK_BYTES)
            data = rest + block if rest else block
            del block
            if len(data) == len(rest):  # the end of the file
                ended, rest = True, b""
            else:
                ended = False
                cut = data.rfind(b"\n") + 1
                if cut == 0:  # a line longer than a block: read on, up to a limit
                    if len(data) > max(tabular.MAX_LINE_BYTES, CSV_BLOCK_BYTES):
                        raise MicrodataError(
                            tabular.line_too_long(path.name, _line_number(path, fh.tell() - len(data))).message
                        )
                    rest = data
                    continue
                rest = data[cut:]
                data = memoryview(data)[:cut]
            if len(data):
                convert = pacsv.ConvertOptions(
                    include_columns=wanted,
                    strings_can_be_null=True,
                    column_types=types,
                    auto_dict_encode=True,
                    auto_dict_max_cardinality=2**31 - 1,
                )
                table = pacsv.read_csv(
                    pa.BufferReader(data), read_options=read, parse_options=parse, convert_options=convert
                )
                del data
                _check_text(path, table)
                if len(types) < len(wanted):  # the types of the first piece hold for the others
                    types = {f.name: f.type for f in table.schema}
                done = fh.fileobj.tell() if compressed else done + CSV_BLOCK_BYTES  # type: ignore[attr-defined]
                yield MicroTable({c: table.column(c) for c in wanted}, names, source=path.name), min(1.0, done / size)
                del table
            if ended:
                return


def _line_number(path: Path, offset: int) -> int:
    """The number of the line that goes on at byte ``offset`` of a file's text (read in blocks)."""
    count = 1
    with tabular.open_binary(path) as fh:
        while offset > 0:
            block = fh.read(min(offset, 1 << 20))
            if not block:
                break
            count += block.count(b"\n")
            offset -= len(block)
    return count


def _pc():
    """pyarrow.compute, imported only where needed (it costs start-up time and memory)."""
    import pyarrow.compute

    return pyarrow.compute
