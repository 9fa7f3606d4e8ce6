"""The statements that store votes, each a single round trip to the database.

:mod:`~target87.priorities.services.votes` decides what a vote is and whether it may be cast; this module writes it.
A participant's first vote on a ballot opens their paper (:func:`open_paper`) inside the vote's transaction;
once this process has seen the paper written (:func:`papers_known`), each further vote on a ballot voted one
statement or one pair at a time is a statement of its own (:func:`upsert_alone`), made only if the ballot is open.
On PostgreSQL, the statement votes that arrive together in a process are written as one statement
(:func:`statement_vote`): one round trip and one commit for all of them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from target87.core.errors import ServiceError
from target87.people.participants import NO_GROUP, participant_of  # noqa: F401 (NO_GROUP: the group of none)

from ..enums import BallotStatus
from ..machinery import Combiner, Statement, kept
from ..models import Ballot, BallotPaper, Vote


def voter_group(participation) -> str:
    """The stakeholder group a participant votes in: their organisation's (as their participant pass says, if
    they vote with one: it is read from the database each time they open their link or a voting page)."""
    return participant_of(participation).group


def status_guard() -> str:
    """The clause that makes a vote's statement read the ballot's status: under a key-share lock on PostgreSQL,
    so that a closing (``SELECT … FOR UPDATE``) that started first has committed by then and the status read is
    its own, while one that starts later waits for this vote, which it then counts. On SQLite writers take
    turns (an ``IMMEDIATE`` transaction or a single statement)."""
    return " FOR KEY SHARE" if connection.vendor == "postgresql" else ""


def open_paper(ballot: Ballot, participation, now) -> bool:
    """Inside the vote's transaction: check that the ballot is open and upsert the participant's paper (the
    upsert locks the paper's row: two submissions of one participant wait for each other). Returns whether this
    is the participant's first paper on the ballot."""
    qn = connection.ops.quote_name
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(BallotPaper._meta.db_table)} (ballot_id, participation_id, {qn('group')}, first_cast_at) "
            f"SELECT id, %s, %s, %s FROM {qn(Ballot._meta.db_table)} WHERE id = %s AND status = %s{status_guard()} "
            f"ON CONFLICT (ballot_id, participation_id) DO UPDATE SET {qn('group')} = "
            f"{qn(BallotPaper._meta.db_table)}.{qn('group')} RETURNING first_cast_at = %s",
            [participation.pk, voter_group(participation), stamp, ballot.pk, BallotStatus.OPEN, stamp],
        )
        row = cursor.fetchone()
    if row is None:
        raise ServiceError(_("This ballot is closed: your vote was not recorded."))
    return bool(row[0])


def paper_written(ballot: Ballot, participation) -> None:
    """Inside the transaction that wrote (or found) the participant's paper: once it commits, this process knows
    the paper is there (a transaction rolled back, even an outer one, leaves it unknown)."""
    pk = participation.pk
    transaction.on_commit(lambda: papers_known(ballot).add(pk))


@kept(256, key=lambda ballot: (ballot.pk, ballot.created_at.timestamp()))
def papers_known(ballot: Ballot) -> set[int]:
    """The participants whose paper this process has seen written on the ballot (kept under its id and creation
    time: an id used again after a rollback is another ballot); a paper stays as long as the ballot and the
    registration do."""
    return set()


@functools.cache
def _upsert_statement(
    model, columns: tuple[str, ...], conflict: tuple[str, ...], update: tuple[str, ...], vendor: str, reads_mine: bool
) -> Statement:
    """The statement of :func:`upsert_alone` for these columns on this database (put together once per process)."""
    postgres = vendor == "postgresql"
    qn = connection.ops.quote_name
    lock = f"{status_guard()} OF b" if postgres else ""
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} (ballot_id, {', '.join(qn(c) for c in columns)}) "
        f"SELECT b.id, {', '.join(['%s'] * len(columns))} FROM {qn(Ballot._meta.db_table)} b "
        f"JOIN {qn(BallotPaper._meta.db_table)} p ON p.ballot_id = b.id AND p.participation_id = %s "
        f"WHERE b.id = %s AND b.status = %s{lock} "
        f"ON CONFLICT ({', '.join(qn(c) for c in conflict)}) "
        f"DO UPDATE SET {', '.join(f'{qn(c)} = excluded.{qn(c)}' for c in update)} "
    )
    if not reads_mine:
        sql += "RETURNING 1"
    else:  # the other votes as they were when the statement began (so this one is left out of them)
        sql = (
            f"WITH cast_ AS ({sql} RETURNING item_id, value) SELECT item_id, value FROM cast_ UNION ALL "
            f"SELECT item_id, value FROM {qn(Vote._meta.db_table)} WHERE ballot_id = %s AND "
            "participation_id = %s AND item_id <> %s AND EXISTS (SELECT 1 FROM cast_)"
        )
    column = lambda model, name: model._meta.get_field(name).cast_db_type(connection)  # noqa: E731
    types = [column(model, c) for c in columns] + [
        column(BallotPaper, "participation_id"),
        column(Ballot, "id"),
        column(Ballot, "status"),
    ]
    if reads_mine:
        types += [column(Vote, "ballot_id"), column(Vote, "participation_id"), column(Vote, "item_id")]
    return Statement(sql, types)


def upsert_alone(
    ballot: Ballot,
    model,
    values: dict,
    conflict: tuple[str, ...],
    update: tuple[str, ...],
    mine: tuple[int, int] | None = None,
) -> dict[int, int] | None:
    """One row's upsert as a single statement of its own (atomic without a transaction), made only if the ballot
    is open and the participant's paper is there: the vote of a participant whose first vote this process has
    seen, on a ballot voted one statement or pair at a time. Returns None when nothing was stored (the ballot is
    not open, or the paper is missing): the caller then goes the way of a first vote, which says which.

    With ``mine`` (participation id, item id), it also reads the participant's votes on the ballot and returns
    them all, this one included, by item id (else ``{}`` once stored): on PostgreSQL in the same statement, on
    SQLite in a second one on the same cursor (SQLite has no writing ``WITH``). On PostgreSQL the statement is
    prepared once per connection (:mod:`target87.priorities.machinery`)."""
    postgres = connection.vendor == "postgresql"
    sql = _upsert_statement(model, tuple(values), conflict, update, connection.vendor, mine is not None and postgres)
    params = [*values.values(), values["participation_id"], ballot.pk, BallotStatus.OPEN]
    with connection.cursor() as cursor:
        if mine is not None and postgres:
            sql.run(cursor, [*params, ballot.pk, *mine])
            return dict(cursor.fetchall()) or None
        sql.run(cursor, params)
        if not cursor.fetchone():
            return None
        if mine is None:
            return {}
        cursor.execute(_MINE, [ballot.pk, mine[0]])
        return dict(cursor.fetchall())


#: a participant's votes on a ballot (see selectors.my_votes)
_MINE = f"SELECT item_id, value FROM {Vote._meta.db_table} WHERE ballot_id = %s AND participation_id = %s"


def upsert_votes(ballot: Ballot, participation, cleaned: Mapping[int, int], now) -> None:
    """One live vote per item and participant: a new value replaces the old (the database's constraint)."""
    qn = connection.ops.quote_name
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {qn(Vote._meta.db_table)} (ballot_id, item_id, participation_id, value, cast_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (item_id, participation_id) "
            "DO UPDATE SET value = excluded.value, cast_at = excluded.cast_at",
            [(ballot.pk, pk, participation.pk, value, stamp) for pk, value in cleaned.items()],
        )


# --- statement votes arriving together, in one statement (PostgreSQL) ------------------------------------------


@functools.cache
def _combined_statement() -> Statement:
    """The upsert of several statement votes, each made only if its ballot is open and its participant's paper is
    there, with the reading of those participants' other votes on their ballots: one statement. The votes come
    as five arrays (ballot, item, participation, value, time cast), one element per vote."""
    qn = connection.ops.quote_name
    vote, paper, ballot = (qn(model._meta.db_table) for model in (Vote, BallotPaper, Ballot))
    columns = ("ballot_id", "item_id", "participation_id", "value", "cast_at")
    types = [Vote._meta.get_field(name).cast_db_type(connection) + "[]" for name in columns]
    return Statement(
        f"WITH cast_ AS (INSERT INTO {vote} (ballot_id, item_id, participation_id, value, cast_at) "
        "SELECT b.id, i.item_id, i.participation_id, i.value, i.cast_at "
        f"FROM unnest(%s, %s, %s, %s, %s) AS i({', '.join(columns)}) "
        f"JOIN {ballot} b ON b.id = i.ballot_id "
        f"JOIN {paper} p ON p.ballot_id = i.ballot_id AND p.participation_id = i.participation_id "
        f"WHERE b.status = %s{status_guard()} OF b "
        "ON CONFLICT (item_id, participation_id) DO UPDATE SET value = excluded.value, cast_at = excluded.cast_at "
        "RETURNING ballot_id, participation_id, item_id, value) "
        "SELECT ballot_id, participation_id, item_id, value, true FROM cast_ UNION ALL "
        f"SELECT v.ballot_id, v.participation_id, v.item_id, v.value, false FROM {vote} v "
        "WHERE (v.ballot_id, v.participation_id) IN (SELECT ballot_id, participation_id FROM cast_) "
        "AND (v.participation_id, v.item_id) NOT IN (SELECT participation_id, item_id FROM cast_)",
        [*types, Ballot._meta.get_field("status").cast_db_type(connection)],
    )


def _array(values) -> str:
    """PostgreSQL's text form of an array of whole numbers or times (no other values come here)."""
    return (
        "{"
        + ",".join(f'"{value.isoformat()}"' if isinstance(value, datetime) else str(value) for value in values)
        + "}"
    )


def _write_statement_votes(rows: list[tuple]) -> list[dict[int, int] | None]:
    """Write the votes ``(ballot id, item id, participation id, value, time cast)``; for each, the participant's
    live votes on its ballot by item id, or None if it was not stored (the ballot is not open, or the paper is
    missing)."""
    with connection.cursor() as cursor:
        _combined_statement().run(cursor, [*(_array(column) for column in zip(*rows)), BallotStatus.OPEN])
        found = cursor.fetchall()
    stored, mine = set(), {}
    for ballot_id, participation_id, item_id, value, cast in found:
        mine.setdefault((ballot_id, participation_id), {})[item_id] = value
        if cast:
            stored.add((ballot_id, participation_id, item_id))
    return [
        mine[ballot_id, participation_id] if (ballot_id, participation_id, item_id) in stored else None
        for ballot_id, item_id, participation_id, _value, _cast_at in rows
    ]


#: a participant's two votes on one statement wait for two writes (an upsert cannot change a row twice)
_statement_votes = Combiner(_write_statement_votes, key=lambda row: (row[2], row[1]))


def statement_votes_together() -> bool:
    """Whether a statement vote made now may wait to be written with others: on PostgreSQL, outside a
    transaction (the row is committed by the thread that writes the batch)."""
    return (
        connection.vendor == "postgresql"
        and settings.COMBINED_WRITES
        and connection.get_autocommit()
        and not connection.in_atomic_block
    )


def statement_vote(ballot: Ballot, participation, item_id: int, value: int, now: datetime) -> dict[int, int] | None:
    """A statement vote of a participant whose paper this process has seen written, with the votes of other
    participants of this process arriving meanwhile: the participant's live votes on the ballot by item id, this
    one included, or None when nothing was stored (the caller goes the way of a first vote, which says why)."""
    return _statement_votes.submit((ballot.pk, item_id, participation.pk, value, now))
