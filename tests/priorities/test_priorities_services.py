"""Voting as participants would notice it: a second vote replaces the first, bad input stores nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from factories import ConsultationFactory
from factories_deliberation import ballot, participant
from target87.core.errors import ServiceError
from target87.priorities import selectors, services
from target87.priorities.models import Ballot, BallotPaper, PairwiseChoice, Vote
from target87.priorities.services import writes


def _stored(b, p):
    codes = dict(b.items.values_list("pk", "code"))
    return {codes[pk]: value for pk, value in selectors.my_votes(ballot=b, participation=p).items()}


def _ids(b):
    return {item.code: item.pk for item in b.items.all()}


def test_a_second_vote_replaces_the_first(consultation, convener):
    b = ballot(consultation, convener, "score")
    p = participant(consultation)
    first, second, third = list(_ids(b))[:3]
    services.vote_cast(participation=p, ballot=b, values={first: 5, second: 2})
    services.vote_cast(participation=p, ballot=b, values={first: 1, third: 4})
    assert _stored(b, p) == {first: 1, third: 4}
    assert BallotPaper.objects.filter(ballot=b).count() == 1
    assert selectors.ballot_count(ballot=b)["participants"] == 1


def test_a_vote_on_a_closed_ballot_is_refused_and_nothing_is_stored(consultation, convener):
    b = ballot(consultation, convener, "approval")
    services.ballot_close(actor=convener, ballot=b)
    p = participant(consultation)
    with pytest.raises(ServiceError) as refused:
        services.vote_cast(participation=p, ballot=Ballot.objects.get(pk=b.pk), values={"R1": 1})
    assert refused.value.messages == ["This ballot is closed: your vote was not recorded."]
    assert Vote.objects.count() == 0 and BallotPaper.objects.count() == 0


def test_after_a_first_vote_closing_still_refuses_the_next_one_and_keeps_the_votes(
    consultation, convener, django_capture_on_commit_callbacks
):
    b = ballot(consultation, convener, "consensus", items=3)
    p = participant(consultation)
    with django_capture_on_commit_callbacks(execute=True):  # the first vote's transaction commits
        services.vote_cast(participation=p, ballot=b, values={"S1": 1})
    assert p.pk in writes.papers_known(b)  # so the next votes are single statements
    services.vote_cast(participation=p, ballot=b, values={"S2": 1})
    services.ballot_close(actor=convener, ballot=Ballot.objects.get(pk=b.pk))
    for values in ({"S1": -1}, {"S3": 0}):  # as a process that has not yet seen the closing would try
        with pytest.raises(ServiceError) as refused:
            services.vote_cast(participation=p, ballot=b, values=values)
        assert refused.value.messages == ["This ballot is closed: your vote was not recorded."]
    assert _stored(b, p) == {"S1": 1, "S2": 1}


def test_after_a_first_choice_closing_still_refuses_the_next_pair(
    consultation, convener, django_capture_on_commit_callbacks
):
    b = ballot(consultation, convener, "bradley-terry", items=3)
    p = participant(consultation)
    first, second, third = sorted(_ids(b).values())
    with django_capture_on_commit_callbacks(execute=True):
        services.pairwise_choose(participation=p, ballot=b, winner=first, loser=second)
    assert p.pk in writes.papers_known(b)
    services.ballot_close(actor=convener, ballot=Ballot.objects.get(pk=b.pk))
    with pytest.raises(ServiceError) as refused:
        services.pairwise_choose(participation=p, ballot=b, winner=third, loser=first)
    assert refused.value.messages == ["This ballot is closed: your vote was not recorded."]
    assert list(PairwiseChoice.objects.filter(ballot=b).values_list("winner_id", flat=True)) == [first]


def test_a_vote_on_a_ballot_not_yet_open_is_refused(consultation, convener):
    b = ballot(consultation, convener, "approval", open_=False)
    with pytest.raises(ServiceError) as refused:
        services.vote_cast(participation=participant(consultation), ballot=b, values={})
    assert refused.value.messages == ["This ballot is not open yet: your vote was not recorded."]


def test_a_ranking_with_repeated_positions_is_refused(consultation, convener):
    b = ballot(consultation, convener, "schulze")
    p = participant(consultation)
    codes = sorted(_ids(b))
    with pytest.raises(ServiceError) as refused:
        services.vote_cast(participation=p, ballot=b, values={codes[0]: 1, codes[1]: 1, codes[2]: 2})
    assert refused.value.message_dict == {
        "items": [f"You gave position 1 to {codes[0]} and {codes[1]}: give each item its own position."]
    }
    assert Vote.objects.count() == 0


def test_a_ranking_with_a_gap_is_refused(consultation, convener):
    b = ballot(consultation, convener, "borda")
    codes = sorted(_ids(b))
    with pytest.raises(ServiceError) as refused:
        services.vote_cast(participation=participant(consultation), ballot=b, values={codes[0]: 1, codes[1]: 3})
    assert refused.value.message_dict["items"] == [
        "Number your choices 1, 2, 3… without gaps: you ranked 2 items, so use the positions 1 to 2."
    ]


def test_an_unknown_item_is_refused_and_nothing_is_stored(consultation, convener):
    b = ballot(consultation, convener, "score")
    p = participant(consultation)
    code = sorted(_ids(b))[0]
    with pytest.raises(ServiceError) as refused:
        services.vote_cast(participation=p, ballot=b, values={code: 3, "R999": 4})
    assert refused.value.message_dict == {"items": ["Item R999 is not on this ballot: nothing was recorded."]}
    assert Vote.objects.count() == 0


def test_too_many_dots_are_refused(consultation, convener):
    b = ballot(consultation, convener, "dots", dots=5)
    codes = sorted(_ids(b))
    with pytest.raises(ServiceError) as refused:
        services.vote_cast(participation=participant(consultation), ballot=b, values={codes[0]: 4, codes[1]: 2})
    assert refused.value.message_dict == {"items": ["You placed 6 dots but have 5: take some off."]}


def test_a_score_outside_0_to_5_is_refused(consultation, convener):
    b = ballot(consultation, convener, "score")
    code = sorted(_ids(b))[0]
    with pytest.raises(ServiceError) as refused:
        services.vote_cast(participation=participant(consultation), ballot=b, values={code: 7})
    assert refused.value.message_dict == {"items": [f"Scores run from 0 to 5 (check {code})."]}


def test_a_participant_of_another_consultation_cannot_vote(consultation, convener):
    b = ballot(consultation, convener, "approval")
    stranger = participant(ConsultationFactory())
    with pytest.raises(PermissionDenied) as refused:
        services.vote_cast(participation=stranger, ballot=b, values={})
    assert str(refused.value) == "Your access link is for another consultation."
    pending = participant(consultation, status="requested")
    with pytest.raises(PermissionDenied):
        services.vote_cast(participation=pending, ballot=b, values={})
    assert Vote.objects.count() == 0


def test_approval_stores_every_item_yes_or_no(consultation, convener):
    b = ballot(consultation, convener, "approval", items=3)
    p = participant(consultation)
    codes = sorted(_ids(b))
    services.vote_cast(participation=p, ballot=b, values={codes[1]: 1})
    assert _stored(b, p) == {codes[0]: 0, codes[1]: 1, codes[2]: 0}


def test_statements_are_voted_one_at_a_time_and_a_new_vote_replaces_the_old(consultation, convener):
    b = ballot(consultation, convener, "consensus", items=3)
    p = participant(consultation)
    services.vote_cast(participation=p, ballot=b, values={"S1": 1})
    services.vote_cast(participation=p, ballot=b, values={"S2": -1})
    services.vote_cast(participation=p, ballot=b, values={"S1": 0})
    assert _stored(b, p) == {"S1": 0, "S2": -1}
    assert selectors.next_statement(ballot=b, participation=p).code == "S3"


def test_a_new_choice_on_the_same_pair_replaces_the_old_one(consultation, convener):
    b = ballot(consultation, convener, "bradley-terry", items=3)
    p = participant(consultation)
    ids = _ids(b)
    services.pairwise_choose(participation=p, ballot=b, winner=min(ids.values()), loser=max(ids.values()))
    services.pairwise_choose(participation=p, ballot=b, winner=max(ids.values()), loser=min(ids.values()))
    choices = list(PairwiseChoice.objects.filter(ballot=b).values_list("winner_id", flat=True))
    assert choices == [max(ids.values())]
    with pytest.raises(ServiceError) as refused:
        services.pairwise_choose(participation=p, ballot=b, winner=min(ids.values()), loser=min(ids.values()))
    assert refused.value.message_dict == {"items": ["Choose between two different items."]}


def test_the_database_refuses_a_second_live_vote_on_the_same_item(consultation, convener):
    b = ballot(consultation, convener, "score")
    p = participant(consultation)
    code = sorted(_ids(b))[0]
    services.vote_cast(participation=p, ballot=b, values={code: 3})
    vote = Vote.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(ballot=b, item=vote.item, participation=p, value=4, cast_at=vote.cast_at)


def test_only_conveners_run_ballots(consultation, convener):
    from factories_deliberation import facilitator_of

    b = ballot(consultation, convener, "approval", open_=False)
    with pytest.raises(PermissionDenied):
        services.ballot_open(actor=facilitator_of(consultation), ballot=b)
    assert Ballot.objects.get(pk=b.pk).status == "draft"


def test_a_ballot_needs_two_items_and_a_known_method(consultation, convener):
    with pytest.raises(ServiceError) as refused:
        services.ballot_create(
            actor=convener, consultation=consultation, title="", method="plurality", statements=["One"]
        )
    assert refused.value.message_dict == {
        "title": ["Give the ballot a title."],
        "method": ["Choose a method from the list."],
        "statements": ["Statements are voted on with agree / disagree; choose that method or leave them out."],
        "recommendations": ["A ballot needs at least two items."],
    }
    assert Ballot.objects.count() == 0


def test_closing_keeps_the_result_and_plain_majority_differs_from_consensus(consultation, convener):
    """Ten governments carry S1 on a plain count, but the workers and employers reject it; S2 holds everywhere."""
    b = ballot(consultation, convener, "consensus", items=2)
    votes = (
        [("government", {"S1": 1, "S2": 0})] * 10
        + [("workers", {"S1": -1, "S2": 1})] * 3
        + [("employers", {"S1": -1, "S2": 1})] * 3
    )
    for group, values in votes:
        services.vote_cast(participation=participant(consultation, group), ballot=b, values=values)
    closed = services.ballot_close(actor=convener, ballot=b)
    result = Ballot.objects.get(pk=closed.pk).result
    assert [e["item"] for e in result["overall"]] == ["S1", "S2"]
    assert [e["item"] for e in result["consensus"]] == ["S2", "S1"]
    assert result["participants"] == 16 and result["votes"] == 32
    assert result["group_names"] == ["employers", "government", "workers"]
    assert result["divisive"][0] == "S1"


def test_observers_do_not_vote(consultation, convener):
    b = ballot(consultation, convener, "approval")
    with pytest.raises(PermissionDenied, match=r"Observers follow the consultation but do not vote\."):
        services.vote_cast(participation=participant(consultation, role="observer"), ballot=b, values={"R1": 1})
    assert Vote.objects.count() == 0 and BallotPaper.objects.count() == 0


def test_a_first_vote_rolled_back_leaves_the_next_vote_a_first_vote_with_its_paper(consultation, convener):
    b = ballot(consultation, convener, "consensus", items=3)
    p = participant(consultation)
    with pytest.raises(RuntimeError), transaction.atomic():  # e.g. a caller's outer transaction that fails
        services.vote_cast(participation=p, ballot=b, values={"S1": 1})
        raise RuntimeError
    assert p.pk not in writes.papers_known(b) and Vote.objects.count() == 0
    services.vote_cast(participation=p, ballot=b, values={"S2": -1})
    assert BallotPaper.objects.filter(ballot=b, participation=p).exists() and _stored(b, p) == {"S2": -1}


def test_a_vote_whose_paper_went_missing_writes_the_paper_again(consultation, convener):
    b = ballot(consultation, convener, "consensus", items=3)
    p = participant(consultation)
    services.vote_cast(participation=p, ballot=b, values={"S1": 1})
    writes.papers_known(b).add(p.pk)  # this process believes the paper is there …
    BallotPaper.objects.filter(ballot=b).delete()  # … but it is not (say, restored from an older copy)
    services.vote_cast(participation=p, ballot=b, values={"S2": 1})
    assert BallotPaper.objects.filter(ballot=b, participation=p).count() == 1
    assert _stored(b, p) == {"S1": 1, "S2": 1}


def test_the_live_count_of_statements_is_the_full_count_without_the_map(consultation, convener):
    """The projector's count is made by the database (counts per statement and group); it must say what the
    count from every vote says: the same rankings, figures and divisive statements."""
    import random

    b = ballot(consultation, convener, "consensus", items=5)
    rng = random.Random(7)
    codes = list(_ids(b))
    for n in range(24):
        p = participant(consultation, ["government", "workers", "employers", "survivor_led"][n % 4])
        for code in rng.sample(codes, rng.randint(1, 5)):
            services.statement_vote(participation=p, ballot=b, item=code, value=rng.choice([1, 1, -1, 0]))
    full = selectors.ballot_count(ballot=b)
    live = selectors.ballot_count(ballot=b, live=True)
    assert full["opinion_map"] is not None and live["opinion_map"] is None
    assert {k: v for k, v in live.items() if k != "opinion_map"} == {
        k: v for k, v in full.items() if k != "opinion_map"
    }
    assert live["participants"] == 24 and live["votes"] == Vote.objects.filter(ballot=b).count()
    empty = ballot(consultation, convener, "consensus", items=2)
    assert selectors.ballot_count(ballot=empty, live=True) == selectors.ballot_count(ballot=empty)
