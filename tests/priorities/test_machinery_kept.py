"""What a process keeps between requests: bounded, short-lived where asked, shared by threads, forgotten on demand."""

import threading

from target87.priorities import machinery
from target87.priorities.machinery import forget, kept


def test_a_kept_function_runs_once_per_key():
    calls = []

    @kept(8)
    def square(n):
        calls.append(n)
        return n * n

    assert [square(3), square(3), square(4)] == [9, 9, 16]
    assert calls == [3, 4]


def test_a_full_cache_drops_the_least_recently_used_entry():
    calls = []

    @kept(2)
    def same(n):
        calls.append(n)
        return n

    same(1), same(2), same(1), same(3)  # 2 is the least recently used when 3 comes
    same(1), same(2)
    assert calls == [1, 2, 3, 2]


def test_an_entry_kept_for_some_seconds_is_read_again_after_them(monkeypatch):
    calls, clock = [], [1000.0]
    monkeypatch.setattr(machinery.time, "monotonic", lambda: clock[0])

    @kept(8, seconds=1.0)
    def read(n):
        calls.append(n)
        return len(calls)

    assert (read(7), read(7)) == (1, 1)
    clock[0] += 1.5
    assert read(7) == 2 and calls == [7, 7]


def test_forget_drops_one_key_or_everything():
    calls = []

    @kept(8)
    def value(n):
        calls.append(n)
        return n

    value(1), value(2)
    forget(value, value.cache_key(1))
    value(1), value(2)
    forget(value)
    value(2)
    assert calls == [1, 2, 1, 2]


def test_threads_that_ask_at_once_get_the_same_object():
    @kept(8)
    def papers(n):
        return set()

    seen, start = [], threading.Barrier(8)

    def ask():
        start.wait()
        seen.append(papers(1))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(found) for found in seen}) == 1 and len(seen) == 8
