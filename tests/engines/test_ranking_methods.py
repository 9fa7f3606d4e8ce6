"""Ranking methods checked on published worked examples and hand-computed cases."""

from __future__ import annotations

import math

import pytest

from target87.engines.ranking import Comparison, RankingInputError, Vote, rank
from target87.engines.ranking.pairwise import bradley_terry


def ballots(profile: list[tuple[str, int]], groups: int = 3) -> list[Vote]:
    """Votes from ``(order, count)`` ballots; each letter of ``order`` is an item, first is best."""
    votes, voter = [], 0
    for order, count in profile:
        for _ in range(count):
            voter += 1
            votes += [
                Vote(f"v{voter}", f"g{voter % groups}", item, position) for position, item in enumerate(order, start=1)
            ]
    return votes


# The 45-voter example of Schulze's method (Schulze 2011, and the method's Wikipedia article).
SCHULZE_45 = [
    ("ACBED", 5),
    ("ADECB", 5),
    ("BEDAC", 8),
    ("CABED", 3),
    ("CAEBD", 7),
    ("CBADE", 2),
    ("DCEBA", 7),
    ("EBADC", 8),
]

# Tennessee's capital, the standard example of the Borda count and Condorcet methods: 100 voters,
# M(emphis), N(ashville), C(hattanooga), K(noxville), each voter preferring cities near them.
TENNESSEE = [("MNCK", 42), ("NCKM", 26), ("CKNM", 15), ("KCNM", 17)]


def test_schulze_45_voter_example():
    result = rank(ballots(SCHULZE_45), "schulze")
    assert result.overall.order() == ["E", "A", "C", "B", "D"]
    assert [entry.rank for entry in result.overall.items] == [1, 2, 3, 4, 5]
    assert result.overall.voters == 45
    # The example's strongest paths: p[E,A] 25 > p[A,E] 24, p[E,B] 28 > 24, p[E,C] 28 > 24, p[E,D] 31 > 24,
    # p[A,B] 28 > 25, p[A,C] 28 > 25, p[A,D] 30 > 25, p[C,B] 29 > 28, p[C,D] 29 > 28, p[B,D] 33 > 28: the score
    # is the number of items each one is better than.
    assert {e.item: e.score for e in result.overall.items} == {"E": 4, "A": 3, "C": 2, "B": 1, "D": 0}


def test_tennessee_borda_points():
    result = rank(ballots(TENNESSEE), "borda")
    assert {e.item: e.score for e in result.overall.items} == {"N": 194, "C": 173, "M": 126, "K": 107}
    assert result.overall.order() == ["N", "C", "M", "K"]


def test_tennessee_schulze_follows_the_condorcet_order():
    # Knoxville beats Memphis head to head 58 to 42, though Memphis has more Borda points.
    assert rank(ballots(TENNESSEE), "schulze").overall.order() == ["N", "C", "K", "M"]


def test_borda_and_schulze_can_disagree():
    # 3 voters A>B>C, 2 voters B>C>A: A is the majority's first, B the Borda winner.
    profile = [("ABC", 3), ("BCA", 2)]
    assert rank(ballots(profile), "borda").overall.order() == ["B", "A", "C"]
    assert rank(ballots(profile), "schulze").overall.order()[0] == "A"


def test_partial_ballots_leave_unranked_items_at_the_bottom():
    votes = [Vote("a", "g", "X", 1), Vote("b", "g", "Y", 1), Vote("b", "g", "X", 2), Vote("c", "g", "Z", 1)]
    borda = rank(votes, "borda").overall
    # n = 3 items: first gets 2 points, second 1, unranked 0.
    assert {e.item: e.score for e in borda.items} == {"X": 3, "Y": 2, "Z": 2}
    assert [(e.item, e.rank) for e in borda.items] == [("X", 1), ("Y", 2), ("Z", 2)]


def test_schulze_tie_when_a_cycle_is_perfectly_balanced():
    profile = [("ABC", 1), ("BCA", 1), ("CAB", 1)]
    ranking = rank(ballots(profile), "schulze").overall
    assert [(e.item, e.rank) for e in ranking.items] == [("A", 1), ("B", 1), ("C", 1)]


def test_dots_approval_score_tallies_and_competition_ranks():
    dots = [
        Vote("a", "g", "X", 3),
        Vote("a", "g", "Y", 2),
        Vote("b", "h", "Y", 3),
        Vote("b", "h", "Z", 2),
        Vote("c", "h", "W", 5),
    ]
    ranking = rank(dots, "dots", dots=5).overall
    assert [(e.item, e.rank, e.score) for e in ranking.items] == [
        ("W", 1, 5),
        ("Y", 1, 5),
        ("X", 3, 3),
        ("Z", 4, 2),
    ]

    approval = [
        Vote("a", "g", "X", 1),
        Vote("a", "g", "Y", 1),
        Vote("b", "h", "Y", 1),
        Vote("b", "h", "X", 0),
    ]
    assert [(e.item, e.score) for e in rank(approval, "approval").overall.items] == [("Y", 2), ("X", 1)]

    score = [Vote("a", "g", "X", 5), Vote("b", "g", "X", 2), Vote("a", "g", "Y", 4), Vote("c", "h", "Z", 0)]
    ranking = rank(score, "score").overall
    assert [(e.item, e.rank, e.score) for e in ranking.items] == [("Y", 1, 4.0), ("X", 2, 3.5), ("Z", 3, 0.0)]


def test_results_by_group_side_by_side():
    votes = [
        Vote("a", "workers", "X", 1),
        Vote("b", "workers", "X", 1),
        Vote("c", "employers", "Y", 1),
        Vote("a", "workers", "Y", 0),
    ]
    result = rank(votes, "approval")
    assert result.group_names == ("employers", "workers")
    assert result.groups["workers"].order() == ["X", "Y"]
    assert result.groups["employers"].order() == ["Y", "X"]
    assert result.groups["employers"].get("X").score == 0
    assert result.groups["workers"].voters == 2
    assert result.consensus is None and result.primary is result.overall
    assert rank(votes, "approval", by_group=False).groups == {}


# --- Bradley–Terry ---------------------------------------------------------------------------------------


def choices(pairs: list[tuple[str, str, int]], voter_prefix: str = "v") -> list[Comparison]:
    out, voter = [], 0
    for winner, loser, count in pairs:
        for _ in range(count):
            voter += 1
            out.append(Comparison(f"{voter_prefix}{voter}", "g", winner, loser))
    return out


def test_bradley_terry_two_items_hand_computed_mle():
    # A chosen 3 times out of 4: the MLE has P(A over B) = 3/4, so θA − θB = ln 3.
    fit = bradley_terry(choices([("A", "B", 3), ("B", "A", 1)]), ["A", "B"], bootstrap=0, prior_wins=0)
    assert fit.strengths["A"] - fit.strengths["B"] == pytest.approx(math.log(3), abs=1e-6)
    assert fit.scores == pytest.approx({"A": 75.0, "B": 25.0}, abs=1e-4)


def test_bradley_terry_three_items_hand_computed_mle():
    # Strengths 4 : 2 : 1 reproduce every pair's win share exactly (A–B 2:1, B–C 2:1, A–C 4:1),
    # so they satisfy the likelihood equations: the MLE is θ = ln(4, 2, 1), centred.
    data = choices([("A", "B", 2), ("B", "A", 1), ("B", "C", 2), ("C", "B", 1), ("A", "C", 4), ("C", "A", 1)])
    fit = bradley_terry(data, ["A", "B", "C"], bootstrap=0, prior_wins=0)
    centre = (math.log(4) + math.log(2) + math.log(1)) / 3
    assert fit.strengths == pytest.approx(
        {"A": math.log(4) - centre, "B": math.log(2) - centre, "C": -centre}, abs=1e-5
    )
    # A's chance against a random other item: (4/6 + 4/5) / 2.
    assert fit.scores["A"] == pytest.approx(100 * (4 / 6 + 4 / 5) / 2, abs=1e-3)


def test_bradley_terry_ranking_with_reproducible_bootstrap_intervals():
    data = choices([("A", "B", 8), ("B", "A", 2), ("B", "C", 7), ("C", "B", 3), ("A", "C", 9), ("C", "A", 1)])
    first = rank(data, "bradley-terry", bootstrap=60, seed=7)
    again = rank(data, "bradley-terry", bootstrap=60, seed=7)
    other = rank(data, "bradley-terry", bootstrap=60, seed=8)
    assert first.overall.order() == ["A", "B", "C"]
    assert first.overall.items == again.overall.items
    assert first.overall.items != other.overall.items
    for entry in first.overall.items:
        assert entry.ci_lower <= entry.score <= entry.ci_upper
        assert entry.ci_lower >= 0 and entry.ci_upper <= 100
    assert sum(e.score for e in first.overall.items) == pytest.approx(150.0)  # chances average to 50 %


def test_bradley_terry_item_that_never_lost_stays_finite():
    data = choices([("A", "B", 3), ("A", "C", 2), ("B", "C", 2)])
    ranking = rank(data, "bradley-terry", bootstrap=20).overall
    assert ranking.order() == ["A", "B", "C"]
    assert all(math.isfinite(e.score) for e in ranking.items)


def test_bradley_terry_per_group_is_independent_of_other_groups():
    workers = [Comparison(f"w{i}", "workers", "A", "B") for i in range(5)] + [Comparison("w0", "workers", "B", "A")]
    employers = [Comparison(f"e{i}", "employers", "B", "A") for i in range(4)] + [
        Comparison("e0", "employers", "A", "B")
    ]
    both = rank(workers + employers, "bradley-terry", bootstrap=30, seed=3)
    alone = rank(workers, "bradley-terry", bootstrap=30, seed=3)
    assert both.groups["workers"].items == alone.groups["workers"].items
    assert both.groups["workers"].order() == ["A", "B"]
    assert both.groups["employers"].order() == ["B", "A"]


def test_bradley_terry_without_prior_needs_chains_of_wins_both_ways():
    data = choices([("A", "B", 3), ("B", "C", 2)])  # A never lost: no finite maximum likelihood
    with pytest.raises(RankingInputError, match="chain of wins"):
        rank(data, "bradley-terry", prior_wins=0, bootstrap=0)
    assert rank(data, "bradley-terry", bootstrap=0).overall.order() == ["A", "B", "C"]


def test_bradley_terry_prior_shrinks_little_on_well_observed_pairs():
    data = choices([("A", "B", 300), ("B", "A", 100)])
    fit = bradley_terry(data, ["A", "B"], bootstrap=0)
    assert fit.strengths["A"] - fit.strengths["B"] == pytest.approx(math.log(3), abs=1e-3)
