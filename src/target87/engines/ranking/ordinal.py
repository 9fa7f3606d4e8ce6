"""Ranked ballots: Borda count and the Schulze method, counted with ``votelib``.

A ballot is a voter's items in the order of the positions they gave (1 is best). A voter may rank only some
items; the positions they gave must then run from 1 without gaps, and the items they left out count as tied
below every item they ranked.

- Borda: with n items in the election, the item ranked k-th on a ballot gets n − k points (n − 1 for the
  first, 0 for the last); items left off a ballot get 0. The score is the sum over ballots.
- Schulze: the strength of the strongest path from one item to another through pairwise defeats, each
  defeat as strong as the number of voters behind it ("winning votes"); an item comes before another when
  its strongest path to the other is stronger than the reverse. The score is the number of items an item
  comes before, so the order by score is the Schulze order and items the method cannot separate tie.

``votelib`` names candidates by number here: its positional counting iterates over anything with a length,
which would split item names into letters.

Why ``votelib`` (0.4.0, 2021) rather than a newer library
    It counts both methods as defined: Borda with any base and a fixed number of candidates, so partial ballots
    score as above; Schulze by winning votes, its strongest paths by the Floyd–Warshall recurrence, ties left as
    ties. It is pure Python with no dependencies (about 1 MB), imports in about 0.04 s, and its API has not moved
    since 2021, so the project pins it to the 0.4 series. ``pref_voting`` (1.18), the maintained alternative, was
    weighed and set aside: it pulls in numba, llvmlite, matplotlib, seaborn, networkx, PuLP and pathos (about
    360 MB), holds numpy below 2.4 (through numba, so it would downgrade ours), and ``import pref_voting`` takes
    1.3–1.8 s, fifteen times what ``target87 rank`` now needs to start and count (about 0.1 s). Nor would it
    count the same without adapters: its "beat path" returns the winners (the order must be rebuilt from its
    defeat relation) and weighs a defeat by its margin unless told otherwise, where the rule above counts winning
    votes (the two part on partial ballots); its Borda for partial ballots scores unranked items differently from
    the rule above.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from .types import Vote


def _ballots(votes: Sequence[Vote], index: dict[str, int]) -> Counter[tuple[int, ...]]:
    by_voter: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for vote in votes:
        by_voter[vote.voter].append((vote.value, index[vote.item]))
    return Counter(tuple(item for _position, item in sorted(ranked)) for ranked in by_voter.values())


class _FixedBorda:
    """A Borda rank scorer for an election of a set size, whatever the ballots at hand mention."""

    def __init__(self, n_items: int) -> None:
        from votelib.component.rankscore import Borda

        self._borda = Borda(base=0)
        self._borda.set_n_candidates(n_items)

    def scores(self, n_ranked: int) -> list[int]:
        return self._borda.scores(n_ranked)


def borda(votes: Sequence[Vote], items: Sequence[str]) -> dict[str, float]:
    from votelib.convert import RankedToPositionalVotes

    index = {item: number for number, item in enumerate(items)}
    points = RankedToPositionalVotes(_FixedBorda(len(items))).convert(dict(_ballots(votes, index)))
    return {item: int(points.get(index[item], 0)) for item in items}


def schulze(votes: Sequence[Vote], items: Sequence[str]) -> dict[str, float]:
    from votelib.convert import RankedToCondorcetVotes
    from votelib.evaluate.condorcet import Schulze, pairwise_wins

    index = {item: number for number, item in enumerate(items)}
    ballots = _ballots(votes, index)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    counts.update(RankedToCondorcetVotes(unranked_at_bottom=True).convert(dict(ballots)))
    # Items that no ballot here mentions are below every ranked item on every ballot.
    mentioned = {number for ballot in ballots for number in ballot}
    unmentioned = [number for number in index.values() if number not in mentioned]
    for ballot, n_ballots in ballots.items():
        for upper in ballot:
            for lower in unmentioned:
                counts[upper, lower] += n_ballots
    paths = Schulze.widest_paths(dict(counts))
    beaten: Counter[int] = Counter(winner for winner, _loser in pairwise_wins(paths))
    return {item: beaten.get(index[item], 0) for item in items}
