"""Turning scores into ranks.

Ties use competition ranking ("1, 2, 2, 4"): items with equal scores share the best rank of their block and
the next item's rank counts every item above it. Tied items are listed by item name, so the order is the
same from one run to the next. Scores are compared rounded to ``TIE_DECIMALS`` decimals, so that two
scores equal on paper but apart by floating-point noise (a product computed in another order) tie.
"""

from __future__ import annotations

from collections.abc import Mapping

from .types import RankedItem, Ranking

TIE_DECIMALS = 9


def competition_ranking(
    method: str,
    scores: Mapping[str, float],
    voters: int,
    intervals: Mapping[str, tuple[float, float]] | None = None,
) -> Ranking:
    """Rank items by descending score (higher is better)."""
    ordered = sorted(scores, key=lambda item: (-round(float(scores[item]), TIE_DECIMALS), item))
    entries: list[RankedItem] = []
    previous: float | None = None
    rank = 0
    for position, item in enumerate(ordered, start=1):
        key = round(float(scores[item]), TIE_DECIMALS)
        if previous is None or key != previous:
            rank, previous = position, key
        low, high = intervals[item] if intervals and item in intervals else (None, None)
        entries.append(RankedItem(item=item, rank=rank, score=scores[item], ci_lower=low, ci_upper=high))
    return Ranking(method=method, items=tuple(entries), voters=voters)
