"""Votes the engine refuses, each with a message naming the problem."""

from __future__ import annotations

import pytest

from target87.engines.ranking import Comparison, RankingInputError, Vote, rank, read_votes_csv


def refused(votes, method, **options) -> str:
    with pytest.raises(RankingInputError) as caught:
        rank(votes, method, **options)
    return str(caught.value)


def test_unknown_method():
    assert "Unknown method plurality" in refused([Vote("a", "g", "X", 1)], "plurality")


def test_no_votes():
    assert "no votes" in refused([], "score")
    assert "no votes" in refused([], "bradley-terry")


def test_repeated_position_in_one_ballot():
    votes = [Vote("a", "g", "X", 1, line=2), Vote("a", "g", "Y", 1, line=3), Vote("a", "g", "Z", 2, line=4)]
    message = refused(votes, "borda")
    assert "line 3" in message and "position 1" in message and "X" in message and "Y" in message
    assert "position 1" in refused(votes, "schulze")


def test_positions_with_a_gap_or_out_of_range():
    gap = [Vote("a", "g", "X", 1), Vote("a", "g", "Y", 3), Vote("b", "g", "Z", 1)]
    assert "without gaps" in refused(gap, "borda")
    out = [Vote("a", "g", "X", 1), Vote("a", "g", "Y", 3)]
    assert "from 1 to 2" in refused(out, "schulze")
    assert "from 1 to 2" in refused([Vote("a", "g", "X", 1.5), Vote("a", "g", "Y", 1)], "borda")


def test_score_out_of_range():
    assert "outside 0–5" in refused([Vote("a", "g", "X", 6)], "score")
    assert "outside 0–5" in refused([Vote("a", "g", "X", -1)], "score")


def test_agree_value_not_one_minus_one_or_zero():
    assert "1 (agree), -1 (disagree) or 0 (pass), not 2" in refused([Vote("a", "g", "X", 2)], "consensus")


def test_approval_value():
    assert "not 2" in refused([Vote("a", "g", "X", 2)], "approval")


def test_too_many_dots():
    votes = [Vote("a", "g", "X", 3), Vote("a", "g", "Y", 3), Vote("b", "g", "Y", 1)]
    assert "placed 6 dots; at most 5" in refused(votes, "dots", dots=5)
    rank(votes, "dots", dots=6)  # within the limit
    many = [Vote("a", "g", f"I{i}", 1) for i in range(11)]
    assert "at most 10" in refused(many, "dots")  # 10 dots unless told
    assert "whole number" in refused([Vote("a", "g", "X", 1.5)], "dots")


def test_voting_twice_on_the_same_item():
    votes = [Vote("a", "g", "X", 1, line=2), Vote("a", "g", "X", -1, line=5)]
    assert refused(votes, "consensus") == "line 5: voter a voted twice on item X."


def test_voter_in_two_groups_and_empty_fields():
    assert "in group h here but in group g" in refused([Vote("a", "g", "X", 1), Vote("a", "h", "Y", 1)], "approval")
    assert "no stakeholder group" in refused([Vote("a", "", "X", 1)], "approval")
    assert "voter is empty" in refused([Vote("", "g", "X", 1)], "approval")


def test_pairwise_problems():
    assert "with itself" in refused([Comparison("a", "g", "X", "X")], "bradley-terry")
    assert "pairwise choices" in refused([Vote("a", "g", "X", 1)], "bradley-terry")
    assert "not pairwise choices" in refused([Comparison("a", "g", "X", "Y")], "borda")
    assert "between 0 and 1" in refused([Comparison("a", "g", "X", "Y")], "bradley-terry", level=1.5)


def test_reading_csv_reports_missing_columns_expected_and_found():
    with pytest.raises(RankingInputError) as caught:
        read_votes_csv("voter,item,score\na,X,1\n", "score")
    assert str(caught.value) == (
        "Missing columns: group, value. Expected: voter, group, item, value; found: voter, item, score."
    )
    with pytest.raises(RankingInputError, match="Expected: voter, group, winner, loser"):
        read_votes_csv("voter,group,item,value\na,g,X,1\n", "bradley-terry")


def test_reading_csv_empty_file_header_only_and_bad_numbers():
    with pytest.raises(RankingInputError, match="empty"):
        read_votes_csv("", "score")
    with pytest.raises(RankingInputError, match="empty"):
        read_votes_csv("\n\n", "score")
    with pytest.raises(RankingInputError, match="header but no votes"):
        read_votes_csv("voter,group,item,value\n", "score")
    with pytest.raises(RankingInputError, match="line 3: the value 'lots' is not a number"):
        read_votes_csv("voter,group,item,value\na,g,X,1\nb,g,X,lots\n", "score")


def test_reading_csv_accepts_semicolons_bom_case_and_extra_columns():
    votes = read_votes_csv("\ufeffVoter;Group;Item;Value;comment\na;g;X;−1;hm\n\nb;g;X;1;\n", "consensus")
    assert [(v.voter, v.group, v.item, v.value, v.line) for v in votes] == [
        ("a", "g", "X", -1.0, 2),
        ("b", "g", "X", 1.0, 4),
    ]
