"""Statements prepared once per database connection, for the few that run on every request of a hot path.

PostgreSQL plans a statement each time it receives its text; for a vote's upsert the planning costs more than the
work. Django binds parameters on the client side (no prepared statements), so these statements are prepared with
SQL's own ``PREPARE`` the first time a connection runs them, then run with ``EXECUTE``: through Django's cursor
still (its error translation, its query log and the tests' query counts see them). ``PREPARE`` is outside
transactions: a rollback does not undo it. A connection pooler that shares server connections between clients
(PgBouncer in transaction mode) does not keep SQL-prepared statements: set ``PREPARED_STATEMENTS=0`` in the
environment there.
Other databases run the statement's text as it is.
"""

from __future__ import annotations

import hashlib
import re
import weakref

from django.conf import settings
from django.db import ProgrammingError, connection

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
