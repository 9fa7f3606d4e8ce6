"""The per-process memo: bounded, read like a dict."""

import threading

from target87.core.memo import Memo


def test_a_memo_keeps_and_returns_what_it_is_given():
    memo = Memo(4)
    value = memo.keep("a", [1, 2])
    assert value == [1, 2] and memo.get("a") is value and memo.get("b") is None


def test_a_full_memo_starts_again_empty_for_a_new_key():
    memo = Memo(3)
    for key in "abc":
        memo.keep(key, key.upper())
    memo.keep("d", "D")
    assert dict(memo) == {"d": "D"}


def test_keeping_a_key_again_in_a_full_memo_replaces_it_without_emptying_it():
    memo = Memo(2)
    memo.keep("a", 1)
    memo.keep("b", 2)
    memo.keep("a", 3)
    assert dict(memo) == {"a": 3, "b": 2}


def test_threads_sharing_a_memo_never_hold_more_than_its_size_plus_their_number():
    memo = Memo(50)

    def fill(n):
        for k in range(2000):
            memo.keep((n, k), k)

    threads = [threading.Thread(target=fill, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 0 < len(memo) <= 50 + 4
