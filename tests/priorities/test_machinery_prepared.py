"""Statements prepared once per connection: the same answers as the plain statement, on every database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from target87.priorities.machinery import Statement

on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'")


def _answer(statement: Statement, *params):
    with connection.cursor() as cursor:
        statement.run(cursor, list(params))
        return cursor.fetchone()[0]


def test_a_statement_needs_one_type_per_placeholder():
    with pytest.raises(ValueError, match="2 placeholders but 1 types"):
        Statement("SELECT %s + %s", ["integer"])


@pytest.mark.django_db
def test_the_statement_answers_as_its_text_would():
    add = Statement("SELECT %s + %s", ["integer", "integer"])
    assert [_answer(add, 40, 2), _answer(add, 1, 1)] == [42, 2]


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_it_is_prepared_once_and_then_executed():
    add = Statement("SELECT %s * %s", ["integer", "integer"])
    with CaptureQueriesContext(connection) as queries:
        assert [_answer(add, 6, 7), _answer(add, 2, 3)] == [42, 6]
    sent = [q["sql"] for q in queries.captured_queries]
    assert sent[0].startswith(f"PREPARE {add.name} (integer, integer) AS SELECT $1 * $2")
    assert sent[1:] == [f"EXECUTE {add.name} (6, 7)", f"EXECUTE {add.name} (2, 3)"]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_statement_the_server_forgot_is_prepared_again():
    add = Statement("SELECT %s - %s", ["integer", "integer"])
    assert _answer(add, 50, 8) == 42
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a pooler does between clients
    assert _answer(add, 10, 3) == 7


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_its_own():
    add = Statement("SELECT %s + 100", ["integer"])
    assert _answer(add, 1) == 101
    connection.close()
    assert _answer(add, 2) == 102


@pytest.mark.django_db
def test_turned_off_the_text_runs_as_it_is(settings):
    settings.PREPARED_STATEMENTS = False
    add = Statement("SELECT %s + 2", ["integer"])
    with CaptureQueriesContext(connection) as queries:
        assert _answer(add, 40) == 42
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 40 + 2"]
