"""Statements proposed by participants on agree/disagree ballots: refused with a clear message, or waiting for the
convener's review; accepted, voted on and counted like the others; rejected, kept out of sight for the record."""

import csv
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from factories_deliberation import ballot, facilitator_of, participant
from target87.core.errors import ServiceError
from target87.core.models import AuditEntry
from target87.people.participants import Participant, participant_of
from target87.priorities import exporters, machinery, selectors, services
from target87.priorities.models import Ballot, BallotItem, StatementProposal


@pytest.fixture
def open_ballot(consultation, convener):
    return ballot(consultation, convener, "consensus", items=3, takes_proposals=True)


def _refusal(**kwargs):
    with pytest.raises(ServiceError) as refused:
        services.statement_propose(**kwargs)
    return refused.value.messages


def test_a_participant_proposes_a_statement_that_waits_for_review(consultation, open_ballot):
    p = participant(consultation, "workers")
    proposal = services.statement_propose(
        participation=p, ballot=open_ballot, text="  Labour inspectors   need interpreters. "
    )
    stored = StatementProposal.objects.get()
    assert (stored.pk, stored.text, stored.status, stored.group, stored.participation_id) == (
        proposal.pk,
        "Labour inspectors need interpreters.",
        "pending",
        "workers",
        p.pk,
    )
    assert [i.code for i in selectors.ballot_items(ballot=open_ballot)] == ["S1", "S2", "S3"]
    entry = AuditEntry.objects.get(action="statement.propose")
    assert (entry.actor_label, entry.changes["text"]) == (str(p), "Labour inspectors need interpreters.")


def test_a_proposal_through_a_voter_pass_keeps_the_group_of_the_pass(consultation, convener, open_ballot):
    from target87.people import services as people
    from target87.people.models import AccessLink

    p = participant(consultation, "survivor_led")
    people.access_link_issue(actor=convener, participation=p)
    held = participant_of(p, AccessLink.objects.get(participation=p)).to_pass()
    voter = Participant.from_pass(held)  # as a vote knows them: from the pass alone
    services.statement_propose(participation=voter, ballot=open_ballot, text="Survivors sit on the steering group.")
    assert list(StatementProposal.objects.values_list("participation_id", "group")) == [(p.pk, "survivor_led")]


def test_a_ballot_that_does_not_take_proposals_refuses_them(consultation, convener):
    b = ballot(consultation, convener, "consensus", items=2)
    messages = _refusal(participation=participant(consultation), ballot=b, text="A new idea.")
    assert messages == ["This ballot does not take proposed statements."]
    assert StatementProposal.objects.count() == 0


def test_only_agree_disagree_ballots_take_proposals(consultation, convener):
    with pytest.raises(ServiceError) as refused:
        ballot(consultation, convener, "score", items=2, takes_proposals=True)
    assert refused.value.message_dict == {
        "takes_proposals": ["Participants propose statements on agree / disagree ballots only."]
    }


def test_a_closed_ballot_or_one_not_yet_open_refuses_proposals(consultation, convener):
    draft = ballot(consultation, convener, "consensus", items=2, open_=False, takes_proposals=True)
    p = participant(consultation)
    assert _refusal(participation=p, ballot=draft, text="Too early.") == [
        "This ballot is not open yet: your statement was not recorded."
    ]
    closed = services.ballot_close(
        actor=convener, ballot=ballot(consultation, convener, "consensus", items=2, takes_proposals=True)
    )
    assert _refusal(participation=p, ballot=closed, text="Too late.") == [
        "This ballot is closed: your statement was not recorded."
    ]
    assert StatementProposal.objects.count() == 0


def test_observers_and_participants_not_approved_do_not_propose(consultation, open_ballot):
    observer = participant(consultation, role="observer")
    with pytest.raises(PermissionDenied, match=r"Observers follow the consultation but do not vote\."):
        services.statement_propose(participation=observer, ballot=open_ballot, text="From the gallery.")
    with pytest.raises(PermissionDenied, match="not approved"):
        services.statement_propose(
            participation=participant(consultation, status="requested"), ballot=open_ballot, text="Not yet in."
        )
    assert StatementProposal.objects.count() == 0


def test_an_empty_or_too_long_statement_is_refused(consultation, open_ballot):
    p = participant(consultation)
    with pytest.raises(ServiceError) as refused:
        services.statement_propose(participation=p, ballot=open_ballot, text="   ")
    assert refused.value.message_dict == {"text": ["Write your statement first."]}
    with pytest.raises(ServiceError) as refused:
        services.statement_propose(participation=p, ballot=open_ballot, text="x" * 281)
    assert refused.value.message_dict == {"text": ["Keep your statement to 280 characters (it has 281)."]}
    services.statement_propose(participation=p, ballot=open_ballot, text="y" * 280)
    # 280 characters that grow without case ("ß" compares as "ss") are kept as well, on either database
    services.statement_propose(participation=p, ballot=open_ballot, text="Straße " * 40)
    assert StatementProposal.objects.count() == 2


def test_a_statement_already_on_the_ballot_or_already_proposed_is_refused(consultation, open_ballot):
    p, other = participant(consultation), participant(consultation, "employers")
    with pytest.raises(ServiceError) as refused:
        services.statement_propose(participation=p, ballot=open_ballot, text="statement 2!")
    assert refused.value.message_dict == {"text": ["S2 already says this: vote on it instead."]}
    services.statement_propose(participation=p, ballot=open_ballot, text="Fund the labour inspectorate.")
    with pytest.raises(ServiceError) as refused:
        services.statement_propose(participation=other, ballot=open_ballot, text="fund the  labour inspectorate")
    assert refused.value.message_dict == {
        "text": ["This statement has already been proposed: the organisers review it once."]
    }
    assert StatementProposal.objects.count() == 1


def test_a_participant_has_at_most_five_statements_waiting(consultation, open_ballot):
    p = participant(consultation)
    for n in range(services.MAX_PENDING):
        services.statement_propose(participation=p, ballot=open_ballot, text=f"Idea number {n}")
    with pytest.raises(ServiceError) as refused:
        services.statement_propose(participation=p, ballot=open_ballot, text="One idea too many")
    assert refused.value.message_dict == {
        "text": ["5 of your statements are waiting for review: propose more once they are read."]
    }
    services.statement_propose(participation=participant(consultation), ballot=open_ballot, text="Someone else's")


def test_accepting_adds_the_next_statement_that_voters_get_and_results_count(consultation, convener, open_ballot):
    proposer = participant(consultation, "workers")
    proposal = services.statement_propose(
        participation=proposer, ballot=open_ballot, text="Recruitment agencies are licensed."
    )
    voter = participant(consultation, "government")
    for code in ("S1", "S2", "S3"):
        services.vote_cast(participation=voter, ballot=open_ballot, values={code: 1})
    assert selectors.next_statement(ballot=open_ballot, participation=voter) is None
    item = services.proposal_accept(actor=convener, proposal=proposal)
    assert (item.code, item.position, item.text, item.recommendation_id) == (
        "S4",
        4,
        "Recruitment agencies are licensed.",
        None,
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.item_id, proposal.decided_by) == ("accepted", item.pk, convener)
    # the ballot as the voting pages read it again (at most a second later) has the new statement
    current = Ballot.objects.get(pk=open_ballot.pk)
    assert current.items_version == open_ballot.items_version + 1
    offered = selectors.next_statement(ballot=current, participation=voter)
    assert offered.code == "S4" and offered.proposed.group == "workers"
    services.vote_cast(participation=voter, ballot=current, values={"S4": -1})
    services.vote_cast(participation=proposer, ballot=current, values={"S4": 1})
    result = selectors.ballot_count(ballot=current)
    s4 = next(s for s in result["statements"] if s["item"] == "S4")
    assert (s4["agree"], s4["disagree"], s4["seen"]) == (1, 1, 2)
    closed = services.ballot_close(actor=convener, ballot=current)
    assert "S4" in [e["item"] for e in closed.result["overall"]]
    entry = AuditEntry.objects.get(action="statement.accept")
    assert (entry.actor, entry.changes) == (convener, {"ballot": open_ballot.pk, "item": "S4"})


def test_the_proposer_agrees_with_their_statement_once_it_is_put_to_the_vote(consultation, convener, open_ballot):
    """As in Pol.is: the author's agreement is counted, and they may change it like any other vote."""
    proposer = participant(consultation, "civil_society")
    proposal = services.statement_propose(participation=proposer, ballot=open_ballot, text="Fund shelters.")
    assert selectors.my_votes(ballot=open_ballot, participation=proposer) == {}  # nothing while it waits
    item = services.proposal_accept(actor=convener, proposal=proposal)
    assert selectors.my_votes(ballot=open_ballot, participation=proposer) == {item.pk: 1}
    current = Ballot.objects.get(pk=open_ballot.pk)
    s4 = next(s for s in selectors.ballot_count(ballot=current)["statements"] if s["item"] == "S4")
    assert (s4["agree"], s4["disagree"], s4["seen"]) == (1, 0, 1)
    services.statement_vote(participation=proposer, ballot=current, item="S4", value=-1)
    assert selectors.my_votes(ballot=current, participation=proposer) == {item.pk: -1}


def test_a_proposer_who_may_no_longer_vote_is_not_counted(consultation, convener, open_ballot):
    proposer = participant(consultation, "workers")
    proposal = services.statement_propose(participation=proposer, ballot=open_ballot, text="Fund shelters.")
    proposer.role = "observer"
    proposer.save(update_fields=["role"])
    item = services.proposal_accept(actor=convener, proposal=proposal)
    assert item.code == "S4" and selectors.my_votes(ballot=open_ballot, participation=proposer) == {}


def test_a_vote_on_a_statement_accepted_in_the_last_second_is_recorded(consultation, convener, open_ballot):
    """A process that read the ballot before the statement was accepted looks again rather than refuse it."""
    voter = participant(consultation)
    services.vote_cast(participation=voter, ballot=open_ballot, values={"S1": 1})
    selectors.ballot_items(ballot=open_ballot)  # this process has the three statements
    proposal = services.statement_propose(
        participation=participant(consultation), ballot=open_ballot, text="Publish the inspections."
    )
    item = services.proposal_accept(actor=convener, proposal=proposal)
    mine = services.statement_vote(participation=voter, ballot=open_ballot, item=item.pk, value=1)
    assert mine == {b.pk: 1 for b in BallotItem.objects.filter(code__in=["S1", "S4"])}
    with pytest.raises(ServiceError) as refused:
        services.statement_vote(participation=voter, ballot=open_ballot, item="S9", value=1)
    assert refused.value.message_dict == {"items": ["Item S9 is not on this ballot: nothing was recorded."]}


def test_the_items_cache_sees_an_accepted_statement(consultation, convener, open_ballot):
    before = selectors.ballot_items(ballot=open_ballot)
    assert selectors.ballot_items(ballot=open_ballot) is before  # kept by the process
    proposal = services.statement_propose(
        participation=participant(consultation), ballot=open_ballot, text="Child labour surveys every five years."
    )
    services.proposal_accept(actor=convener, proposal=proposal)
    cached = selectors.ballot_cached(pk=open_ballot.pk)  # the process that accepted forgets its copy at once
    assert [i.code for i in selectors.ballot_items(ballot=cached)] == ["S1", "S2", "S3", "S4"]


def test_other_processes_see_an_accepted_statement_within_a_second(consultation, convener, open_ballot, monkeypatch):
    cached = selectors.ballot_cached(pk=open_ballot.pk)
    assert len(selectors.ballot_items(ballot=cached)) == 3
    proposal = services.statement_propose(
        participation=participant(consultation), ballot=open_ballot, text="Fishing vessels are inspected at sea."
    )
    # as another process would: the acceptance's signal does not reach it, its ballot is up to a second old
    kept, key = selectors._ballot_seen.cache, selectors._ballot_seen.cache_key(open_ballot.pk)
    stale = kept[key]
    services.proposal_accept(actor=convener, proposal=proposal)
    kept[key] = stale
    assert len(selectors.ballot_items(ballot=selectors.ballot_cached(pk=open_ballot.pk))) == 3
    clock = machinery.time.monotonic() + selectors.BALLOT_SECONDS + 0.01
    monkeypatch.setattr(machinery.time, "monotonic", lambda: clock)
    assert len(selectors.ballot_items(ballot=selectors.ballot_cached(pk=open_ballot.pk))) == 4


def test_rejecting_keeps_the_statement_out_of_sight_and_on_record(consultation, convener, open_ballot):
    p = participant(consultation)
    proposal = services.statement_propose(participation=p, ballot=open_ballot, text="Something off topic.")
    services.proposal_reject(actor=convener, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.item_id, proposal.decided_by) == ("rejected", None, convener)
    assert proposal.decided_at is not None
    assert [i.code for i in selectors.ballot_items(ballot=Ballot.objects.get(pk=open_ballot.pk))] == [
        "S1",
        "S2",
        "S3",
    ]
    assert AuditEntry.objects.get(action="statement.reject").actor == convener
    with pytest.raises(ServiceError) as refused:
        services.proposal_accept(actor=convener, proposal=proposal)
    assert refused.value.messages == ["This statement has already been reviewed: it is not accepted."]
    assert _refusal(participation=p, ballot=open_ballot, text="Something off topic") == [
        "This statement has already been proposed: the organisers review it once."
    ]


def test_only_conveners_review_proposals(consultation, convener, open_ballot):
    proposal = services.statement_propose(participation=participant(consultation), ballot=open_ballot, text="Any idea.")
    with pytest.raises(PermissionDenied):
        services.proposal_accept(actor=facilitator_of(consultation), proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.proposal_reject(actor=facilitator_of(consultation), proposal=proposal)
    assert StatementProposal.objects.get().status == "pending"


def test_a_statement_is_not_accepted_once_the_ballot_is_closed(consultation, convener, open_ballot):
    proposal = services.statement_propose(
        participation=participant(consultation), ballot=open_ballot, text="Late idea."
    )
    services.ballot_close(actor=convener, ballot=open_ballot)
    with pytest.raises(ServiceError) as refused:
        services.proposal_accept(actor=convener, proposal=proposal)
    assert refused.value.messages == ["Statements are accepted while the ballot is open; this one is closed."]
    services.proposal_reject(actor=convener, proposal=proposal)  # reviewed for the record all the same
    assert BallotItem.objects.filter(ballot=open_ballot).count() == 3


def test_the_convener_stops_and_resumes_proposals_while_the_ballot_is_open(consultation, convener, open_ballot):
    p = participant(consultation)
    services.ballot_proposals_set(actor=convener, ballot=open_ballot, allowed=False)
    current = Ballot.objects.get(pk=open_ballot.pk)
    assert _refusal(participation=p, ballot=current, text="A new idea.") == [
        "This ballot does not take proposed statements."
    ]
    current = services.ballot_proposals_set(actor=convener, ballot=current, allowed=True)
    services.statement_propose(participation=p, ballot=current, text="A new idea.")
    assert [e.changes for e in AuditEntry.objects.filter(action="ballot.proposals").order_by("pk")] == [
        {"takes_proposals": False},
        {"takes_proposals": True},
    ]


def test_the_polis_export_carries_proposers_and_moderation(consultation, convener, open_ballot):
    first, proposer, quiet = participant(consultation), participant(consultation, "workers"), participant(consultation)
    services.vote_cast(participation=first, ballot=open_ballot, values={"S1": 1})
    accepted = services.statement_propose(participation=proposer, ballot=open_ballot, text="Accepted idea.")
    rejected = services.statement_propose(participation=quiet, ballot=open_ballot, text="Rejected idea.")
    services.statement_propose(participation=proposer, ballot=open_ballot, text="Waiting idea.")
    services.proposal_accept(actor=convener, proposal=accepted)
    services.proposal_reject(actor=convener, proposal=rejected)
    current = Ballot.objects.get(pk=open_ballot.pk)
    services.vote_cast(participation=first, ballot=current, values={"S4": -1})
    services.vote_cast(participation=proposer, ballot=current, values={"S4": 1})
    closed = services.ballot_close(actor=convener, ballot=current)
    archive = zipfile.ZipFile(io.BytesIO(exporters.get("polis-zip")(consultation, ballot=closed).render()))
    comments = list(csv.DictReader(io.StringIO(archive.read("comments.csv").decode())))
    # the convener 0; participants by first action: the first voter 1, the proposer 2, the one refused 3
    assert [(c["comment-id"], c["author-id"], c["agrees"], c["disagrees"], c["moderated"]) for c in comments] == [
        ("0", "0", "1", "0", "1"),
        ("1", "0", "0", "0", "1"),
        ("2", "0", "0", "0", "1"),
        ("3", "2", "1", "1", "1"),
        ("4", "3", "0", "0", "-1"),
        ("5", "2", "0", "0", "0"),
    ]
    assert [c["comment-body"] for c in comments[3:]] == ["Accepted idea.", "Rejected idea.", "Waiting idea."]
    matrix = list(csv.reader(io.StringIO(archive.read("participants-votes.csv").decode())))
    assert matrix[0][6:] == ["0", "1", "2", "3", "4", "5"]
    assert [(row[0], row[2], row[3]) for row in matrix[1:]] == [("1", "0", "2"), ("2", "2", "1"), ("3", "1", "0")]
    votes = list(csv.DictReader(io.StringIO(archive.read("votes.csv").decode())))
    assert sorted((v["comment-id"], v["voter-id"], v["vote"]) for v in votes) == [
        ("0", "1", "1"),
        ("3", "1", "-1"),
        ("3", "2", "1"),
    ]
