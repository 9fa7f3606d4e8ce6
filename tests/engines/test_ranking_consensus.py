"""Agree / disagree / pass: group-aware consensus, divisiveness and the opinion map."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from target87.engines.ranking import RankingInputError, Vote, rank, rank_counts


def votes_for(group: str, item: str, agree: int, disagree: int = 0, passed: int = 0, start: int = 0):
    values = [1] * agree + [-1] * disagree + [0] * passed
    return [Vote(f"{group}-{start + i}", group, item, value) for i, value in enumerate(values)]


def test_consensus_is_the_product_of_smoothed_group_agreement_by_hand():
    # statement S:   gov 2 agree, 1 disagree     -> (2+1)/(3+2) = 3/5
    #                workers 1 agree, 1 pass     -> (1+1)/(2+2) = 1/2
    #                survivors 0 agree, 1 dis.   -> (0+1)/(1+2) = 1/3
    # statement T:   gov 1 agree                 -> 2/3; workers unseen -> 1/2; survivors unseen -> 1/2
    votes = (
        votes_for("gov", "S", 2, 1)
        + votes_for("workers", "S", 1, passed=1)
        + votes_for("survivors", "S", 0, 1)
        + [Vote("gov-0", "gov", "T", 1)]
    )
    result = rank(votes, "consensus", opinion_map=False)
    s, t = result.statement("S"), result.statement("T")
    assert s.group_agreement == pytest.approx({"gov": 3 / 5, "workers": 1 / 2, "survivors": 1 / 3})
    assert s.consensus == pytest.approx(3 / 5 * 1 / 2 * 1 / 3)
    assert t.consensus == pytest.approx(2 / 3 * 1 / 2 * 1 / 2)
    assert s.agree_share == pytest.approx(3 / 6)
    assert (s.seen, s.agree, s.disagree, s.passed) == (6, 3, 2, 1)
    assert result.consensus.order() == ["T", "S"]
    assert result.consensus.get("S").score == pytest.approx(0.1)
    assert s.divisiveness == pytest.approx(3 / 5 - 1 / 3)
    assert (s.most_agreeing_group, s.least_agreeing_group) == ("gov", "survivors")
    assert t.divisiveness == 0  # one group only voted on it


def test_majority_and_cross_group_consensus_disagree():
    # A large group (employers, 20) loves X, which every other group rejects; Y is broadly accepted.
    votes = votes_for("employers", "X", 20)
    votes += votes_for("employers", "Y", 10, 10)
    for group in ("governments", "workers", "survivors"):
        votes += votes_for(group, "X", 0, 3)
        votes += votes_for(group, "Y", 3)
    result = rank(votes, "consensus", opinion_map=False)
    assert result.overall.order() == ["X", "Y"]  # plain agree share: 20/29 against 19/29
    assert result.consensus.order() == ["Y", "X"]  # holds across groups
    assert result.consensus.get("Y").score == pytest.approx(11 / 22 * (4 / 5) ** 3)
    assert result.consensus.get("X").score == pytest.approx(21 / 22 * (1 / 5) ** 3)
    assert result.primary is result.consensus
    assert result.groups["employers"].order() == ["X", "Y"]
    assert result.groups["workers"].order() == ["Y", "X"]
    assert result.divisive[0].item == "X"
    assert result.divisive[0].most_agreeing_group == "employers"


def test_counts_give_the_worked_example_without_the_votes():
    """The same statement S and T as above, given as counts (agree, disagree, pass) per statement and group."""
    counts = {
        ("S", "gov"): (2, 1, 0),
        ("S", "workers"): (1, 0, 1),
        ("S", "survivors"): (0, 1, 0),
        ("T", "gov"): (1, 0, 0),
    }
    result = rank_counts(counts, {"gov": 3, "workers": 2, "survivors": 1})
    s, t = result.statement("S"), result.statement("T")
    assert s.consensus == pytest.approx(3 / 5 * 1 / 2 * 1 / 3) and t.consensus == pytest.approx(2 / 3 * 1 / 2 * 1 / 2)
    assert (s.seen, s.agree, s.disagree, s.passed, s.agree_share) == (6, 3, 2, 1, 0.5)
    assert result.consensus.order() == ["T", "S"] and result.overall.order() == ["T", "S"]
    assert (result.overall.voters, result.groups["gov"].voters) == (6, 3)
    assert [d.item for d in result.divisive] == ["S", "T"] and result.opinion_map is None


def test_counts_are_checked():
    with pytest.raises(RankingInputError, match="three numbers"):
        rank_counts({("S", "gov"): (1, -1, 0)}, {"gov": 1})
    with pytest.raises(RankingInputError, match="number of voters"):
        rank_counts({("S", "gov"): (1, 0, 0)}, {})


def test_a_group_that_never_saw_a_statement_counts_as_undecided():
    votes = votes_for("a", "S", 1) + votes_for("b", "T", 1)
    result = rank(votes, "consensus", opinion_map=False)
    assert result.statement("S").group_agreement == {"a": 2 / 3, "b": 1 / 2}
    assert result.statement("S").group_seen == {"a": 1, "b": 0}


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        keys=st.tuples(st.integers(0, 7), st.sampled_from(["S", "T", "U"])),
        values=st.sampled_from([1, -1, 0]),
        min_size=1,
        max_size=20,
    )
)
def test_consensus_matches_the_formula_on_any_table(table):
    group_of = {voter: f"g{voter % 3}" for voter in range(8)}
    votes = [Vote(str(voter), group_of[voter], item, value) for (voter, item), value in table.items()]
    result = rank(votes, "consensus", opinion_map=False)
    groups = sorted({vote.group for vote in votes})
    for stats in result.statements:
        expected = 1.0
        for g in groups:
            mine = [v for (voter, item), v in table.items() if item == stats.item and group_of[voter] == g]
            expected *= (mine.count(1) + 1) / (len(mine) + 2)
        assert stats.consensus == pytest.approx(expected, rel=1e-12)
        assert result.consensus.get(stats.item).score == stats.consensus
    ranks = [entry.rank for entry in result.consensus.items]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    # counted rather than read vote by vote (as the live screen does), the ranking is the same
    counts: dict = {}
    for vote in votes:
        counts.setdefault((vote.item, vote.group), [0, 0, 0])[{1: 0, -1: 1, 0: 2}[vote.value]] += 1
    voters = {g: len({v.voter for v in votes if v.group == g}) for g in groups}
    assert rank_counts(counts, voters) == result


def test_opinion_map_finds_two_camps():
    votes = []
    for i in range(12):
        camp = i % 2
        group = ["gov", "workers", "employers"][i % 3]
        for j, item in enumerate(["S1", "S2", "S3", "S4", "S5", "S6"]):
            if (i + j) % 7 == 0 and j > 1:
                continue  # a few statements not seen
            agree = (j < 3) == (camp == 0)
            votes.append(Vote(f"p{i}", group, item, 1 if agree else -1))
    opinion = rank(votes, "consensus", seed=1).opinion_map
    assert opinion.clusters == 2
    assert opinion.silhouette > 0.5
    by_voter = {p.voter: p.cluster for p in opinion.participants}
    camps = {by_voter[f"p{i}"] for i in range(0, 12, 2)}, {by_voter[f"p{i}"] for i in range(1, 12, 2)}
    assert len(camps[0]) == 1 and len(camps[1]) == 1 and camps[0] != camps[1]
    assert opinion.explained_variance[0] > 0.5
    assert set(opinion.loadings) == {"S1", "S2", "S3", "S4", "S5", "S6"}
    again = rank(votes, "consensus", seed=1).opinion_map
    assert again == opinion


def test_opinion_map_with_too_few_participants_has_one_cluster():
    votes = [Vote("a", "g", "S", 1), Vote("b", "h", "S", -1)]
    opinion = rank(votes, "consensus").opinion_map
    assert opinion.clusters == 1 and opinion.silhouette is None
    assert all(math.isfinite(p.x) and math.isfinite(p.y) for p in opinion.participants)
    same = rank([Vote("a", "g", "S", 1), Vote("b", "h", "S", 1)], "consensus").opinion_map
    assert same.clusters == 1 and {(p.x, p.y) for p in same.participants} == {(0.0, 0.0)}


def _axes_profile() -> list[Vote]:
    """Six participants: p1–p3 agree with S1, S2 and S3, p4–p6 disagree; on T, p1 and p4 agree, p2 and p5
    disagree, p3 and p6 did not see it (so they take T's mean, 0)."""
    votes = []
    for i, voter in enumerate(["p1", "p2", "p3", "p4", "p5", "p6"]):
        votes += [Vote(voter, "g", item, 1 if i < 3 else -1) for item in ("S1", "S2", "S3")]
    votes += [Vote(voter, "g", "T", value) for voter, value in (("p1", 1), ("p2", -1), ("p4", 1), ("p5", -1))]
    return votes


def test_opinion_map_axes_and_silhouette_by_hand():
    # Centred, the columns S1 = S2 = S3 = (1, 1, 1, −1, −1, −1) and T = (1, −1, 0, 1, −1, 0) are orthogonal, so
    # the first axis is (S1 + S2 + S3)/√3 (variance share 18/22), the second T (4/22), and participant i sits
    # at (±√3, T_i). Each axis is oriented so that its largest loading (the first, among equals) is positive.
    opinion = rank(_axes_profile(), "consensus", seed=3).opinion_map
    r3 = math.sqrt(3)
    expected = {"p1": (r3, 1), "p2": (r3, -1), "p3": (r3, 0), "p4": (-r3, 1), "p5": (-r3, -1), "p6": (-r3, 0)}
    assert {p.voter: (p.x, p.y) for p in opinion.participants} == {
        voter: pytest.approx(point, abs=1e-12) for voter, point in expected.items()
    }
    assert opinion.explained_variance == pytest.approx((18 / 22, 4 / 22))
    assert opinion.loadings == {
        "S1": pytest.approx((1 / r3, 0), abs=1e-12),
        "S2": pytest.approx((1 / r3, 0), abs=1e-12),
        "S3": pytest.approx((1 / r3, 0), abs=1e-12),
        "T": pytest.approx((0, 1), abs=1e-12),
    }
    # Two groups, the columns x = √3 and x = −√3 (equal sizes: the group of the first participant is 0).
    assert opinion.clusters == 2
    assert {p.voter: p.cluster for p in opinion.participants} == {"p1": 0, "p2": 0, "p3": 0, "p4": 1, "p5": 1, "p6": 1}
    # Silhouette s = (b − a) / max(a, b), a the mean distance to the own group, b to the other group.
    # Corner (√3, 1): a = (2 + 1)/2, b = (2√3 + 4 + √13)/3; middle (√3, 0): a = (1 + 1)/2, b = (2√3 + 2√13)/3.
    b_corner = (2 * r3 + 4 + math.sqrt(13)) / 3
    b_middle = (2 * r3 + 2 * math.sqrt(13)) / 3
    by_hand = (4 * (b_corner - 1.5) / b_corner + 2 * (b_middle - 1) / b_middle) / 6
    assert opinion.silhouette == pytest.approx(by_hand, rel=1e-12)  # 0.6353…


def test_opinion_map_axes_do_not_depend_on_the_order_of_the_votes():
    votes = _axes_profile()
    assert rank(list(reversed(votes)), "consensus").opinion_map == rank(votes, "consensus").opinion_map


CAMPS = {  # camp: (votes on S1…S6, members)
    "a": ((1, 1, 1, -1, -1, -1), 6),
    "b": ((-1, -1, 1, 1, 1, -1), 4),
    "c": ((-1, 1, -1, -1, 1, 1), 3),
}


def _three_camps() -> list[Vote]:
    """Every member but the first of a camp skips one statement; the second passes on another."""
    items = ["S1", "S2", "S3", "S4", "S5", "S6"]
    votes, n = [], 0
    for camp, (pattern, size) in CAMPS.items():
        for member in range(size):
            n += 1
            for j, (item, value) in enumerate(zip(items, pattern)):
                if member > 0 and j == member % 6:
                    continue
                passed = member == 1 and j == (member + 3) % 6
                votes.append(Vote(f"{camp}{member}", ["gov", "workers", "ngo"][n % 3], item, 0 if passed else value))
    return votes


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_opinion_map_finds_three_camps_numbered_by_size(seed):
    opinion = rank(_three_camps(), "consensus", seed=seed).opinion_map
    assert opinion.clusters == 3
    assert {p.voter: p.cluster for p in opinion.participants} == {
        f"{camp}{member}": number
        for number, (camp, (_pattern, size)) in enumerate(CAMPS.items())
        for member in range(size)
    }
    assert opinion.silhouette > 0.8
