"""Statement votes of one process written together on PostgreSQL: every vote stored once with its last value,
each participant answered with their own votes, and a closed ballot still refused."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from factories_deliberation import ballot, participant
from target87.core.errors import ServiceError
from target87.priorities import selectors, services
from target87.priorities.models import Ballot, Vote
from target87.priorities.services import writes

on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'")


def _stored(b) -> dict:
    codes = dict(b.items.values_list("pk", "code"))
    return {
        (p, codes[i]): v
        for p, i, v in Vote.objects.filter(ballot=b).values_list("participation_id", "item_id", "value")
    }


def _first_votes(b, people):
    for p in people:
        services.vote_cast(participation=p, ballot=b, values={"S1": 0})
        writes.papers_known(b).add(p.pk)  # the first vote's transaction committed (inside the test's own)


@on_postgresql
@pytest.mark.django_db
def test_votes_written_together_each_get_their_participants_votes_or_none(consultation, convener):
    b = ballot(consultation, convener, "consensus", items=3)
    other = ballot(consultation, convener, "consensus", items=2)
    ana, ben, cho = (participant(consultation, group) for group in ("government", "workers", "employers"))
    _first_votes(b, [ana, ben])
    _first_votes(other, [ana])
    ids = {code: pk for pk, code in b.items.values_list("pk", "code")}
    s1_other = other.items.get(code="S1").pk
    now = timezone.now()
    answers = writes._write_statement_votes(
        [
            (b.pk, ids["S2"], ana.pk, 1, now),
            (b.pk, ids["S3"], ana.pk, -1, now),
            (b.pk, ids["S1"], ben.pk, 1, now),  # replaces ben's first vote
            (b.pk, ids["S2"], cho.pk, 1, now),  # cho has no paper on the ballot: not stored
            (other.pk, s1_other, ana.pk, -1, now),  # another ballot in the same statement
        ]
    )
    assert answers[0] == answers[1] == {ids["S1"]: 0, ids["S2"]: 1, ids["S3"]: -1}
    assert answers[2] == {ids["S1"]: 1}
    assert answers[3] is None
    assert answers[4] == {s1_other: -1}
    assert _stored(b) == {(ana.pk, "S1"): 0, (ana.pk, "S2"): 1, (ana.pk, "S3"): -1, (ben.pk, "S1"): 1}


@on_postgresql
@pytest.mark.django_db
def test_a_vote_written_together_on_a_closed_ballot_is_not_stored(consultation, convener):
    b = ballot(consultation, convener, "consensus", items=2)
    ana = participant(consultation)
    _first_votes(b, [ana])
    services.ballot_close(actor=convener, ballot=Ballot.objects.get(pk=b.pk))
    s2 = b.items.get(code="S2").pk
    assert writes._write_statement_votes([(b.pk, s2, ana.pk, 1, timezone.now())]) == [None]
    assert _stored(b) == {(ana.pk, "S1"): 0}


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_participants_voting_at_once_each_keep_their_last_votes(consultation, convener, monkeypatch):
    """As on the server: sixteen threads of one process, each a participant voting statement after statement
    several times over, outside any transaction. Every vote is stored once with its last value, and each answer
    is the participant's own votes."""
    b = ballot(consultation, convener, "consensus", items=5)
    people = [participant(consultation, group) for group in ["government", "workers", "employers", "civil_society"] * 4]
    for p in people:  # the first vote writes the paper, in its own transaction
        services.vote_cast(participation=p, ballot=b, values={"S1": 0})
    codes = dict(b.items.values_list("pk", "code"))
    answers, errors, sizes = {}, [], []
    write = writes._statement_votes._write
    monkeypatch.setattr(writes._statement_votes, "_write", lambda rows: sizes.append(len(rows)) or write(rows))
    start = threading.Barrier(len(people))

    def votes(n, p):
        try:
            start.wait(10)
            for rounds in range(3):
                for code in ("S1", "S2", "S3", "S4", "S5"):
                    value = (n + rounds + int(code[1])) % 3 - 1
                    answers[p.pk, rounds, code] = services.statement_vote(
                        participation=p, ballot=b, item=code, value=value
                    )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=votes, args=(n, p)) for n, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(sizes) == len(people) * 15 and max(sizes) > 1  # votes were written together
    last = {(p.pk, code): (n + 2 + int(code[1])) % 3 - 1 for n, p in enumerate(people) for code in codes.values()}
    assert _stored(b) == last
    for p in people:
        # after their last vote, a participant is answered with all their votes, as stored
        mine = {codes[pk]: value for pk, value in answers[p.pk, 2, "S5"].items()}
        assert mine == {code: last[p.pk, code] for code in codes.values()}
        assert selectors.my_votes(ballot=b, participation=p) == answers[p.pk, 2, "S5"]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_after_closing_a_vote_that_would_be_written_together_is_refused(consultation, convener):
    b = ballot(consultation, convener, "consensus", items=3)
    p = participant(consultation)
    services.vote_cast(participation=p, ballot=b, values={"S1": 1})
    assert p.pk in writes.papers_known(b) and writes.statement_votes_together()
    services.ballot_close(actor=convener, ballot=Ballot.objects.get(pk=b.pk))
    with pytest.raises(ServiceError) as refused:  # as a process that has not yet seen the closing would try
        services.statement_vote(participation=p, ballot=b, item="S2", value=1)
    assert refused.value.messages == ["This ballot is closed: your vote was not recorded."]
    assert _stored(b) == {(p.pk, "S1"): 1}


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_turned_off_each_vote_is_written_on_its_own(consultation, convener, settings, monkeypatch):
    settings.COMBINED_WRITES = False
    monkeypatch.setattr(writes._statement_votes, "_write", lambda rows: pytest.fail("written together"))
    b = ballot(consultation, convener, "consensus", items=2)
    p = participant(consultation)
    services.vote_cast(participation=p, ballot=b, values={"S1": 1})
    assert not writes.statement_votes_together()
    mine = services.statement_vote(participation=p, ballot=b, item="S2", value=-1)
    assert _stored(b) == {(p.pk, "S1"): 1, (p.pk, "S2"): -1} and sorted(mine.values()) == [-1, 1]
