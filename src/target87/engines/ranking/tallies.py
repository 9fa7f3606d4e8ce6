"""Dots, approval and score: the item's score is a plain tally of its votes.

- ``dots``: the number of dots the item received (each voter spreads at most N dots);
- ``approval``: the number of voters who approved the item;
- ``score``: the mean score (0–5) over the voters who scored the item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .types import Vote


def tally(votes: Sequence[Vote], method: str, items: Sequence[str]) -> dict[str, float]:
    totals: dict[str, float] = {item: 0 for item in items}
    counts: dict[str, int] = defaultdict(int)
    for vote in votes:
        if method == "approval":
            totals[vote.item] += 1 if vote.value == 1 else 0
        elif method == "dots":
            totals[vote.item] += int(vote.value)
        else:
            totals[vote.item] += vote.value
            counts[vote.item] += 1
    if method == "score":
        return {item: (totals[item] / counts[item] if counts[item] else 0.0) for item in items}
    return totals
