"""What makes the votes of a plenary voting at once cheap, in one module: three pieces of machinery, each with
what it costs to read and what it was measured to give (``bench/live_voting.py``, which runs the production
settings of the README).

1. **What a process keeps between requests** (:func:`kept`): a ballot as read within the last second, its items,
   the rows and panels of the voting page, the participants whose paper is written. A vote reads these instead of
   the database or the template engine. They are `cachetools` caches, bounded (the least recently used entry goes
   first) and, where what they keep can change elsewhere, short-lived; each is shared by a process's threads
   under a lock. Each one is keyed on what makes it right: a ballot's items on its ``items_version``, which every
   change counts up in the change's transaction.

2. **Statements prepared once per database connection** (:class:`Statement`, PostgreSQL). PostgreSQL plans a
   statement each time it receives its text; for a vote's upsert the planning costs more than the work. Django
   binds parameters on the client side, so these statements are prepared with SQL's own ``PREPARE`` the first
   time a connection runs them, then run with ``EXECUTE``, through Django's cursor still (its error translation,
   its query log and the tests' query counts see them). psycopg prepares statements itself when Django binds on
   the server side (``OPTIONS={"server_side_binding": True}``, every query of the project then bound so): measured
   on 5 December 2026 (``--sizes 100 --no-search --db postgres``, one run each on the same machine within minutes,
   15 rounds each), that gave a vote 50.4 % of the trivial endpoint's throughput with the database at 0.19 cores,
   against 55.8 % and 0.12 cores for these statements, so these stay. ``PREPARE`` is outside transactions: a
   rollback does not undo it. A pooler that shares server connections between clients (PgBouncer in transaction
   mode) does not keep SQL-prepared statements: set ``PREPARED_STATEMENTS=0`` there. Other databases run the
   statement's text as it is.

3. **Writes of one process that arrive together, sent as one statement** (:class:`Combiner`, PostgreSQL). The
   first thread to submit a row writes it at once, alone. Rows submitted while that write is under way wait; when
   it is done, the first of them writes them all together, and so on. Each thread waits for the write that holds
   its row, so a request answers only once its row is stored: nothing is acknowledged before the database has it.
   A plenary voting at once thus costs the database one statement (one round trip, one commit) for every few
   votes, while a quiet ballot writes each vote at once. Rows that may not share a statement (two updates of one
   row: ``ON CONFLICT`` cannot touch a row twice in one statement) say so through ``key``: a row whose key is
   already in the batch waits for the next write. (``COMBINED_WRITES=0`` writes each vote on its own.)
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
import weakref
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

import cachetools
from django.conf import settings
from django.db import DatabaseError, ProgrammingError, connection

# --- 1. what a process keeps between requests ------------------------------------------------------------------


def kept(maxsize: int, *, key: Callable = cachetools.keys.hashkey, seconds: float | None = None):
    """Decorate a function so that this process keeps its results: at most ``maxsize`` of them (the least recently
    used dropped first) and, with ``seconds``, each for that long at most. The cache and its lock are the
    function's ``cache`` and ``cache_lock``."""
    if seconds is None:
        cache = cachetools.LRUCache(maxsize)
    else:
        cache = cachetools.TTLCache(maxsize, seconds, timer=lambda: time.monotonic())
    return cachetools.cached(cache, key=key, lock=threading.Lock())


def forget(function, key=None) -> None:
    """Drop what a :func:`kept` function keeps under ``key`` (everything when no key is given)."""
    with function.cache_lock:
        if key is None:
            function.cache.clear()
        else:
            function.cache.pop(key, None)


# --- 2. statements prepared once per connection ----------------------------------------------------------------

#: per driver connection (a new connection starts with none), the names of the statements prepared on it
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PLACEHOLDER = re.compile(r"%s")
#: PostgreSQL's code for "prepared statement does not exist"
_UNKNOWN_STATEMENT = "26000"


class Statement:
    """One statement's text with ``%s`` placeholders, and the types of its parameters (PostgreSQL's names),
    which ``PREPARE`` needs where the statement itself does not say (a value in a ``SELECT`` list)."""

    def __init__(self, sql: str, types: list[str]) -> None:
        if sql.count("%s") != len(types):
            raise ValueError(f"{sql.count('%s')} placeholders but {len(types)} types")
        self.sql = sql
        self.name = "t87_" + hashlib.blake2b(f"{sql}|{types}".encode(), digest_size=8).hexdigest()
        numbers = iter(range(1, len(types) + 1))
        body = _PLACEHOLDER.sub(lambda _match: f"${next(numbers)}", sql)
        self.prepare = f"PREPARE {self.name} ({', '.join(types)}) AS {body}"
        self.execute = f"EXECUTE {self.name} ({', '.join(['%s'] * len(types))})" if types else f"EXECUTE {self.name}"

    def run(self, cursor, params) -> None:
        """Run the statement on ``cursor`` (a cursor of ``django.db.connection``) with ``params``."""
        if connection.vendor != "postgresql" or not settings.PREPARED_STATEMENTS:
            cursor.execute(self.sql, params)
            return
        raw = connection.connection
        names = _prepared.get(raw)
        if names is None:
            names = _prepared[raw] = set()
        if self.name not in names:
            cursor.execute(self.prepare)
            names.add(self.name)
        try:
            cursor.execute(self.execute, params)
        except ProgrammingError as error:
            # forgotten by the server (a pooler's DISCARD ALL): prepare it again, where the failed statement
            # has not aborted a transaction
            sqlstate = getattr(error.__cause__, "sqlstate", None)
            if sqlstate != _UNKNOWN_STATEMENT or not connection.get_autocommit():
                raise
            cursor.execute(self.prepare)
            cursor.execute(self.execute, params)


# --- 3. writes that arrive together, in one statement --------------------------------------------------------

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
