"""Writes of one process that arrive together, sent to the database as one statement.

A :class:`Combiner` is shared by the threads of a process. The first thread to submit a row writes it at once,
alone. Rows submitted while that write is under way wait; when it is done, the first of them writes them all
together, and so on. Each thread waits for the write that holds its row, so a request answers only once its row
is stored: nothing is acknowledged before the database has it. A plenary voting at once thus costs the database
one statement (one round trip, one commit) for every few votes, while a quiet ballot writes each vote at once.

Rows that may not share a statement (two updates of one row: ``ON CONFLICT`` cannot touch a row twice in one
statement) say so through ``key``: a row whose key is already in the batch waits for the next write.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

from django.db import DatabaseError

logger = logging.getLogger(__name__)


Row = TypeVar("Row")
Result = TypeVar("Result")


class _Entry(Generic[Row, Result]):
    __slots__ = ("error", "leads", "ready", "result", "row")

    def __init__(self, row: Row) -> None:
        self.row = row
        self.result: Result | None = None
        self.error: BaseException | None = None
        self.leads = False
        self.ready = threading.Lock()  # held until the entry's write is done, or its thread is to write next
        self.ready.acquire()

    def outcome(self) -> Result | None:
        if self.error is not None:
            raise self.error
        return self.result


class Combiner(Generic[Row, Result]):
    """Rows written together by ``write(rows) -> results`` (one result per row, in order).

    :meth:`submit` returns the row's result, or None when the write failed with a database error (a deadlock,
    a row removed meanwhile): the caller then writes its row the ordinary way, which says what is wrong.
    Call it only outside a transaction: the row is committed by whichever thread writes the batch.
    """

    def __init__(
        self, write: Callable[[list[Row]], Sequence[Result]], *, key: Callable[[Row], Hashable], limit: int = 64
    ) -> None:
        self._write = write
        self._key = key
        self._limit = limit
        self._lock = threading.Lock()
        self._waiting: list[_Entry[Row, Result]] = []
        self._busy = False

    def submit(self, row: Row) -> Result | None:
        entry: _Entry[Row, Result] = _Entry(row)
        with self._lock:
            self._waiting.append(entry)
            leads = not self._busy
            self._busy = True
        if not leads:
            entry.ready.acquire()
            if not entry.leads:
                return entry.outcome()
        self._lead(entry)
        return entry.outcome()

    def waiting(self) -> int:
        """How many rows wait for a write now."""
        with self._lock:
            return len(self._waiting)

    def _take(self) -> list[_Entry[Row, Result]]:
        """The waiting rows of the next write, in their order of arrival; the others keep waiting."""
        batch, rest, keys = [], [], set()
        for entry in self._waiting:
            key = self._key(entry.row)
            if key in keys or len(batch) >= self._limit:
                rest.append(entry)
            else:
                keys.add(key)
                batch.append(entry)
        self._waiting = rest
        return batch

    def _lead(self, me: _Entry[Row, Result]) -> None:
        with self._lock:
            batch = self._take()
        try:
            results = list(self._write([entry.row for entry in batch]))
            if len(results) != len(batch):
                raise ValueError(f"{len(batch)} rows written but {len(results)} results")
        except DatabaseError:
            logger.warning("A combined write of %d rows failed; each is written alone", len(batch), exc_info=True)
            results = [None] * len(batch)
        except BaseException as error:  # a defect: every thread of the batch raises it
            for entry in batch:
                entry.error = error
            results = [None] * len(batch)
        for entry, result in zip(batch, results, strict=True):
            entry.result = result
        with self._lock:
            following = self._waiting[0] if self._waiting else None
            if following is None:
                self._busy = False
            else:
                following.leads = True
        for entry in batch:
            if entry is not me:
                entry.ready.release()
        if following is not None:
            following.ready.release()
