"""What a process keeps between requests on its hot paths: a ballot's items, the rows of a voting panel.

A :class:`Memo` is a dict that holds at most ``size`` entries. When it is full, the next entry it keeps starts it
again empty: the entries of a live consultation come back at their next use, and a process that has served many
ballots does not grow without end. Reading is a dict's own ``get`` (the hot paths read far more than they keep).
Threads share a memo without a lock: a dict's single operations are atomic, and at worst two threads build the
same entry or one entry is lost to a clearing, which only costs building it again.
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V]):
    __slots__ = ("size",)

    def __init__(self, size: int = 256) -> None:
        super().__init__()
        self.size = size

    def keep(self, key: K, value: V) -> V:
        """Keep ``value`` under ``key`` (emptying the memo first if it is full) and return it."""
        if len(self) >= self.size and key not in self:
            self.clear()
        self[key] = value
        return value
