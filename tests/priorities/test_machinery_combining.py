"""Rows that arrive while a write is under way are written together next, each thread getting its own answer."""

import threading
import time

from django.db import OperationalError

from target87.priorities.machinery import Combiner


class _Gate:
    """A write function whose first call holds until it is let go, so that the next rows queue behind it."""

    def __init__(self, then=None) -> None:
        self.writes: list[list] = []
        self.started, self.release = threading.Event(), threading.Event()
        self.then = then or (lambda rows: [f"stored {row}" for row in rows])

    def __call__(self, rows):
        self.writes.append(list(rows))
        if len(self.writes) == 1:
            self.started.set()
            assert self.release.wait(10)
            return [f"stored {row}" for row in rows]
        return self.then(rows)


def _submitting(combiner, rows):
    """Submit the first row, then the others one by one once the write of the first is under way, each from a
    thread of its own; returns each row's answer (or the exception it raised)."""
    answers, threads = {}, []

    def submit(row):
        try:
            answers[row] = combiner.submit(row)
        except Exception as error:
            answers[row] = error

    for n, row in enumerate(rows):
        thread = threading.Thread(target=submit, args=(row,))
        thread.start()
        threads.append(thread)
        if n == 0:
            assert combiner._write.started.wait(10)
        else:  # each in its turn: the order of arrival is the order in the batch
            deadline = time.monotonic() + 10
            while combiner.waiting() < n and time.monotonic() < deadline:
                time.sleep(0.001)
    combiner._write.release.set()
    for thread in threads:
        thread.join(10)
    return answers


def test_a_row_alone_is_written_at_once():
    combiner = Combiner(lambda rows: [row.upper() for row in rows], key=lambda row: row)
    assert [combiner.submit("a"), combiner.submit("b")] == ["A", "B"]
    assert combiner.waiting() == 0


def test_rows_arriving_during_a_write_are_written_together_next():
    gate = _Gate()
    answers = _submitting(Combiner(gate, key=lambda row: row), ["a", "b", "c", "d"])
    assert gate.writes == [["a"], ["b", "c", "d"]]
    assert answers == {row: f"stored {row}" for row in "abcd"}


def test_two_rows_of_one_key_wait_for_two_writes_in_their_order():
    gate = _Gate()
    rows = [("p1", "agree"), ("p1", "pass"), ("p2", "agree"), ("p1", "disagree")]
    _submitting(Combiner(gate, key=lambda row: row[0]), rows)
    assert gate.writes == [[("p1", "agree")], [("p1", "pass"), ("p2", "agree")], [("p1", "disagree")]]


def test_a_write_takes_at_most_the_limit():
    gate = _Gate()
    _submitting(Combiner(gate, key=lambda row: row, limit=2), ["a", "b", "c", "d"])
    assert gate.writes == [["a"], ["b", "c"], ["d"]]


def test_a_database_error_leaves_each_row_to_be_written_alone():
    def failing(rows):
        raise OperationalError("deadlock detected")

    gate = _Gate(then=failing)
    answers = _submitting(Combiner(gate, key=lambda row: row), ["a", "b", "c"])
    assert answers == {"a": "stored a", "b": None, "c": None}


def test_any_other_error_is_raised_in_every_thread_of_its_write_and_the_next_writes_go_on():
    def broken(rows):
        raise ValueError("a defect")

    gate = _Gate(then=broken)
    combiner = Combiner(gate, key=lambda row: row)
    answers = _submitting(combiner, ["a", "b", "c"])
    assert answers["a"] == "stored a"
    assert [type(answers[row]) for row in "bc"] == [ValueError, ValueError]
    gate.then = lambda rows: [f"stored {row}" for row in rows]
    assert combiner.submit("d") == "stored d"


def test_many_threads_each_get_their_own_answer():
    threads = 16
    sizes = []

    def write(rows):
        sizes.append(len(rows))
        time.sleep(0.002)  # a round trip, during which others arrive
        return [row * 2 for row in rows]

    combiner = Combiner(write, key=lambda row: row)
    answers = {}

    def vote(n):
        for k in range(20):
            answers[n, k] = combiner.submit(n * 100 + k)

    workers = [threading.Thread(target=vote, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert answers == {(n, k): (n * 100 + k) * 2 for n in range(threads) for k in range(20)}
    assert sum(sizes) == threads * 20 and max(sizes) > 1 and combiner.waiting() == 0


def test_a_write_that_answers_for_fewer_rows_raises_in_every_thread_and_none_is_left_waiting():
    gate = _Gate(then=lambda rows: ["stored"])  # one answer for two rows
    combiner = Combiner(gate, key=lambda row: row)
    answers = _submitting(combiner, ["a", "b", "c"])
    assert [type(answers[row]) for row in "bc"] == [ValueError, ValueError]
    assert "2 rows written but 1 results" in str(answers["b"]) and combiner.waiting() == 0
