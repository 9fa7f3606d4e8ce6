"""Voting on a phone through the access link, results, the plenary screen, exports and the convener's pages."""

import csv
import io
import zipfile

import pytest

from factories_deliberation import RecommendationFactory, ballot, facilitator_of, participant
from target87.cli import rank as rank_command
from target87.people import services as people
from target87.priorities import services
from target87.priorities.models import Ballot, Vote


def _link(client, consultation, convener, group="government"):
    p = participant(consultation, group)
    token = people.access_link_issue(actor=convener, participation=p)
    return p, token


def test_a_participant_opens_the_ballot_from_their_link_and_votes_without_javascript(client, consultation, convener):
    b = ballot(consultation, convener, "score", items=3)
    _p, token = _link(client, consultation, convener)
    response = client.get(f"/a/{token}/ballots/{b.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/ballots/{b.pk}/vote/"
    page = client.get(f"/ballots/{b.pk}/vote/").content.decode()
    items = list(b.items.all())
    assert all(item.label in page for item in items)
    response = client.post(f"/ballots/{b.pk}/vote/", {f"item-{items[0].pk}": "5", f"item-{items[1].pk}": ""})
    assert (response.status_code, response["Location"]) == (303, f"/ballots/{b.pk}/vote/?saved=1")
    assert "Your vote is saved" in client.get(response["Location"]).content.decode()
    assert list(Vote.objects.values_list("item_id", "value")) == [(items[0].pk, 5)]


def test_with_htmx_the_next_statement_comes_in_place(client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=2)
    _p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    first = b.items.get(code="S1")
    response = client.post(f"/ballots/{b.pk}/vote/", {"item": first.pk, "vote": "1"}, HTTP_HX_REQUEST="true")
    panel = response.content.decode()
    assert response.status_code == 200 and panel.startswith('<div id="ballot-panel"')
    assert "statements voted: 1 of 2" in panel and 'data-statement="S2"' in panel


def test_a_forged_link_is_refused_and_nothing_is_stored(client, consultation, convener):
    b = ballot(consultation, convener, "approval")
    response = client.get(f"/a/not-a-real-token/ballots/{b.pk}/")
    assert response.status_code == 403
    assert "This access link is not valid" in response.content.decode()
    response = client.post(f"/ballots/{b.pk}/vote/", {"approve": [b.items.first().pk]})
    assert response.status_code == 403 and "Open your personal link first" in response.content.decode()
    assert Vote.objects.count() == 0


def test_a_vote_after_closing_gets_a_clear_message(client, consultation, convener):
    b = ballot(consultation, convener, "approval")
    _p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    services.ballot_close(actor=convener, ballot=b)
    response = client.post(f"/ballots/{b.pk}/vote/", {"approve": [b.items.first().pk]})
    assert response.status_code == 400
    assert "This ballot is closed: your vote was not recorded." in response.content.decode()
    assert Vote.objects.count() == 0


def test_a_repeated_position_comes_back_with_the_message(client, consultation, convener):
    b = ballot(consultation, convener, "borda", items=3)
    _p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    a, c, _ = list(b.items.all())
    response = client.post(f"/ballots/{b.pk}/vote/", {f"item-{a.pk}": "1", f"item-{c.pk}": "1"})
    assert response.status_code == 400
    assert (
        f"You gave position 1 to {a.code} and {c.code}: give each item its own position." in response.content.decode()
    )


def test_pairs_are_offered_until_every_pair_is_compared(client, consultation, convener):
    b = ballot(consultation, convener, "bradley-terry", items=3)
    _p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    for _ in range(3):
        page = client.get(f"/ballots/{b.pk}/vote/").content.decode()
        winner = page.split('name="winner" value="')[1].split('"')[0]
        loser = page.split('name="loser" value="')[1].split('"')[0]
        client.post(f"/ballots/{b.pk}/vote/", {"winner": winner, "loser": loser})
    assert "You have compared every pair" in client.get(f"/ballots/{b.pk}/vote/").content.decode()
    assert b.choices.count() == 3


def _vote_everyone(consultation, b):
    groups = ["government"] * 4 + ["workers"] * 2 + ["employers"] * 2
    codes = [item.code for item in b.items.all()]
    for n, group in enumerate(groups):
        p = participant(consultation, group)
        if b.method == "consensus":
            for k, code in enumerate(codes):
                services.vote_cast(
                    participation=p, ballot=b, values={code: [1, -1, 0][(n + k) % 3] if group != "government" else 1}
                )
        else:
            services.vote_cast(
                participation=p, ballot=b, values={codes[(n + k) % len(codes)]: k + 1 for k in range(len(codes))}
            )


def test_the_screen_shows_the_counts_and_the_live_fragment_polls(client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=3)
    _vote_everyone(consultation, b)
    page = client.get(f"/ballots/{b.pk}/screen/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "<svg" in page
    live = client.get(f"/ballots/{b.pk}/screen/live/").content.decode()
    assert "<strong data-participants>8</strong>" in live and "<strong data-votes>24</strong>" in live


def test_results_show_overall_and_each_group_side_by_side(client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=3)
    _vote_everyone(consultation, b)
    services.ballot_close(actor=convener, ballot=b)
    page = client.get(f"/ballots/{b.pk}/results/").content.decode()
    for heading in [
        "Lowest group's agreement",
        "All voters",
        "Government",
        "Workers&#x27; organisation",
        "Employers&#x27; organisation",
        "Opinion map",
    ]:
        assert heading in page


@pytest.mark.parametrize("method", ["dots", "score", "schulze", "consensus"])
def test_the_rank_command_reproduces_the_result_from_the_exported_votes(
    convener_client, consultation, convener, method, tmp_path, capsys
):
    b = ballot(consultation, convener, method, items=4, **({"dots": 10} if method == "dots" else {}))
    _vote_everyone(consultation, b)
    b = services.ballot_close(actor=convener, ballot=b)
    exported = convener_client.get(f"/manage/{consultation.slug}/ballots/{b.pk}/export/votes-csv/")
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    path = tmp_path / "votes.csv"
    path.write_bytes(exported.content)
    assert rank_command.main([str(path), "--method", method]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    stored = Ballot.objects.get(pk=b.pk).result
    primary = stored["consensus"] or stored["overall"]
    assert [(r["item"], int(r["rank"])) for r in rows] == [(e["item"], e["rank"]) for e in primary]
    assert [round(float(r["score"]), 9) for r in rows] == [round(e["score"], 9) for e in primary]


def test_the_polis_export_has_the_four_files_in_polis_layout(convener_client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=3)
    _vote_everyone(consultation, b)
    b = services.ballot_close(actor=convener, ballot=b)
    response = convener_client.get(f"/manage/{consultation.slug}/ballots/{b.pk}/export/polis-zip/")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["comments.csv", "participants-votes.csv", "summary.csv", "votes.csv"]
    comments = list(csv.reader(io.StringIO(archive.read("comments.csv").decode())))
    assert comments[0] == [
        "timestamp",
        "datetime",
        "comment-id",
        "author-id",
        "agrees",
        "disagrees",
        "moderated",
        "comment-body",
        "is-meta",
    ]
    assert [row[2] for row in comments[1:]] == ["0", "1", "2"] and comments[1][7] == "Statement 1"
    votes = list(csv.reader(io.StringIO(archive.read("votes.csv").decode())))
    assert votes[0] == ["timestamp", "datetime", "comment-id", "voter-id", "vote"] and len(votes) == 1 + 24
    matrix = list(csv.reader(io.StringIO(archive.read("participants-votes.csv").decode())))
    assert matrix[0] == ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", "0", "1", "2"]
    assert matrix[1][:6] == ["1", matrix[1][1], "0", "3", "3", "0"] and matrix[1][6:] == ["1", "1", "1"]
    assert sum(int(r[4]) for r in matrix[1:]) == sum(int(r[4]) for r in comments[1:])


def test_a_convener_prepares_opens_and_closes_a_ballot(convener_client, consultation):
    recs = [RecommendationFactory(consultation=consultation) for _ in range(3)]
    response = convener_client.post(
        f"/manage/{consultation.slug}/ballots/",
        {
            "title": "Priorities for the Alliance",
            "method": "dots",
            "dots": "5",
            "recommendations": [r.pk for r in recs],
        },
    )
    b = Ballot.objects.get()
    assert response["Location"] == f"/manage/{consultation.slug}/ballots/{b.pk}/"
    assert (b.method, b.dots, list(b.items.values_list("code", flat=True))) == ("dots", 5, [r.code for r in recs])
    convener_client.post(f"/manage/{consultation.slug}/ballots/{b.pk}/status/", {"action": "open"})
    assert Ballot.objects.get().status == "open"
    convener_client.post(f"/manage/{consultation.slug}/ballots/{b.pk}/status/", {"action": "close"})
    b = Ballot.objects.get()
    assert (b.status, b.result["participants"]) == ("closed", 0)
    page = convener_client.get(f"/manage/{consultation.slug}/ballots/{b.pk}/").content.decode()
    assert "Raw votes, long format (CSV)" in page and "Pol.is" not in page


def test_a_ballot_being_prepared_is_hidden_from_the_public(client, consultation, convener):
    b = ballot(consultation, convener, "approval", open_=False)
    assert client.get(f"/ballots/{b.pk}/results/").status_code == 404
    assert client.get(f"/ballots/{b.pk}/screen/").status_code == 404


def test_the_trivial_page_answers(client, db):
    response = client.get("/ballots/ping/")
    assert (response.status_code, response.content) == (200, b"ok")


def test_a_vote_needs_no_query_to_know_who_votes(
    client, consultation, convener, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    b = ballot(consultation, convener, "consensus", items=3)
    _p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    assert client.cookies["target87_pass"]["httponly"]
    items = list(b.items.all())
    with django_capture_on_commit_callbacks(execute=True):  # the first vote's transaction commits
        client.post(f"/ballots/{b.pk}/vote/", {"item": items[0].pk, "vote": "1"}, HTTP_HX_REQUEST="true")
    # once the participant's paper is written: the vote (one statement, that checks the ballot is open) and the
    # participant's votes (for the next statement)
    with django_assert_max_num_queries(2):
        response = client.post(f"/ballots/{b.pk}/vote/", {"item": items[1].pk, "vote": "-1"}, HTTP_HX_REQUEST="true")
    assert "statements voted: 2 of 3" in response.content.decode()


def test_a_withdrawn_link_stops_voting_within_two_seconds(client, consultation, convener, monkeypatch):
    from target87.people import participants

    b = ballot(consultation, convener, "consensus", items=3)
    p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    first, second, _third = list(b.items.all())
    assert client.post(f"/ballots/{b.pk}/vote/", {"item": first.pk, "vote": "1"}).status_code == 303
    people.access_link_revoke_all(actor=convener, participation=p)  # an update: no signal reaches the processes
    clock = participants.time.monotonic() + participants.REFRESH_SECONDS + 0.1
    monkeypatch.setattr(participants.time, "monotonic", lambda: clock)
    response = client.post(f"/ballots/{b.pk}/vote/", {"item": second.pk, "vote": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403 and response["HX-Refresh"] == "true"
    assert "This access link has been withdrawn" in response.content.decode()
    # the page, loaded again, asks the database and says why
    page = client.get(f"/ballots/{b.pk}/vote/")
    assert page.status_code == 403 and "This access link has been withdrawn" in page.content.decode()
    assert list(Vote.objects.values_list("item_id", flat=True)) == [first.pk]


def test_a_declined_registration_stops_voting_at_once_in_this_process(client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=2)
    p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    people.participation_decide(actor=convener, participation=p, status="declined")
    response = client.post(f"/ballots/{b.pk}/vote/", {"item": b.items.first().pk, "vote": "1"})
    assert response.status_code == 403 and "not approved" in response.content.decode()
    assert Vote.objects.count() == 0


def test_an_altered_voter_pass_is_refused(client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=2)
    _p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    other = participant(consultation, "workers")
    value = client.cookies["target87_pass"].value
    client.cookies["target87_pass"] = value.replace(value.split(":")[0], value.split(":")[0][:-2] + "xx")
    response = client.post(f"/ballots/{b.pk}/vote/", {"item": b.items.first().pk, "vote": "1"})
    assert response.status_code == 403 and "Open your personal link first" in response.content.decode()
    assert not Vote.objects.filter(participation=other).exists() and Vote.objects.count() == 0


def test_the_audit_log_has_one_entry_per_participant_and_ballot(client, consultation, convener):
    from target87.core.models import AuditEntry

    b = ballot(consultation, convener, "consensus", items=3)
    p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    for item in b.items.all():
        client.post(f"/ballots/{b.pk}/vote/", {"item": item.pk, "vote": "0"}, HTTP_HX_REQUEST="true")
    entries = AuditEntry.objects.filter(action="vote.cast", object_id=str(b.pk))
    assert [(e.actor_label, e.changes) for e in entries] == [(str(p), {"items": 1})]
    assert b.papers.get().participation_id == p.pk and Vote.objects.count() == 3


def test_an_observer_follows_the_ballot_but_cannot_vote(client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=2)
    observer = participant(consultation, "un_international", role="observer")
    observer_token = people.access_link_issue(actor=convener, participation=observer)
    response = client.get(f"/a/{observer_token}/ballots/{b.pk}/", follow=True)
    assert response.status_code == 403
    assert "Observers follow the consultation but do not vote." in response.content.decode()
    response = client.post(f"/ballots/{b.pk}/vote/", {"item": b.items.first().pk, "vote": "1"})
    assert response.status_code == 403 and Vote.objects.count() == 0
    assert client.get(f"/ballots/{b.pk}/results/").status_code == 200  # what observers come for


def test_a_participant_made_an_observer_stops_voting(client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=2)
    p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    first, second = b.items.order_by("position")
    client.post(f"/ballots/{b.pk}/vote/", {"item": first.pk, "vote": "1"}, HTTP_HX_REQUEST="true")
    people.participation_update(actor=convener, participation=p, role="observer")
    response = client.post(f"/ballots/{b.pk}/vote/", {"item": second.pk, "vote": "1"})
    assert response.status_code == 403 and "Observers follow the consultation" in response.content.decode()
    assert list(Vote.objects.values_list("item_id", flat=True)) == [first.pk]


# --- statements proposed by participants, and the items of a ballot being prepared ---------------------------


def test_a_participant_proposes_a_statement_from_the_panel_without_javascript(client, consultation, convener):
    from target87.priorities.models import StatementProposal

    b = ballot(consultation, convener, "consensus", items=2, takes_proposals=True)
    p, token = _link(client, consultation, convener, "workers")
    client.get(f"/a/{token}/ballots/{b.pk}/")
    page = client.get(f"/ballots/{b.pk}/vote/").content.decode()
    assert "Propose a statement" in page and f'action="/ballots/{b.pk}/propose/"' in page
    response = client.post(f"/ballots/{b.pk}/propose/", {"text": "Interpreters join every labour inspection."})
    assert (response.status_code, response["Location"]) == (303, f"/ballots/{b.pk}/vote/?proposed=1")
    page = client.get(response["Location"]).content.decode()
    assert "Thank you: your statement was sent to the organisers." in page
    assert "Interpreters join every labour inspection." in page and "Waiting for review" in page
    assert list(StatementProposal.objects.values_list("participation_id", "status")) == [(p.pk, "pending")]


def test_a_refused_proposal_comes_back_with_the_message_and_the_text(client, consultation, convener):
    from target87.priorities.models import StatementProposal

    b = ballot(consultation, convener, "consensus", items=2, takes_proposals=True)
    _p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    response = client.post(f"/ballots/{b.pk}/propose/", {"text": "Statement 1"})
    assert response.status_code == 400
    assert "S1 already says this: vote on it instead." in response.content.decode()
    long = "x" * 300
    response = client.post(f"/ballots/{b.pk}/propose/", {"text": long}, HTTP_HX_REQUEST="true")
    panel = response.content.decode()
    assert response.status_code == 200 and panel.startswith('<div id="ballot-panel"')
    assert "Keep your statement to 280 characters (it has 300)." in panel and f">{long}</textarea>" in panel
    assert StatementProposal.objects.count() == 0


def test_with_htmx_the_panel_keeps_the_statement_and_the_list_of_proposals_follows(client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=3, takes_proposals=True)
    _p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    s2 = b.items.get(code="S2")
    response = client.post(
        f"/ballots/{b.pk}/propose/", {"text": "Fees are never charged.", "statement": s2.pk}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'data-statement="S2"' in html and "data-proposed" in html
    assert 'id="my-proposals" class="my-proposals" hx-swap-oob="true"' in html and "Fees are never charged." in html


def test_the_panel_has_no_proposal_form_when_the_ballot_does_not_take_them(client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=2)
    _p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    assert "Propose a statement" not in client.get(f"/ballots/{b.pk}/vote/").content.decode()
    response = client.post(f"/ballots/{b.pk}/propose/", {"text": "Anyway."})
    assert response.status_code == 400
    assert "This ballot does not take proposed statements." in response.content.decode()


def test_an_observer_cannot_propose(client, consultation, convener):
    from target87.priorities.models import StatementProposal

    b = ballot(consultation, convener, "consensus", items=2, takes_proposals=True)
    observer = participant(consultation, role="observer")
    client.get(f"/a/{people.access_link_issue(actor=convener, participation=observer)}/ballots/{b.pk}/")
    response = client.post(f"/ballots/{b.pk}/propose/", {"text": "From the gallery."})
    assert response.status_code == 403 and "Observers follow the consultation" in response.content.decode()
    assert StatementProposal.objects.count() == 0


def test_the_convener_accepts_and_the_participant_then_votes_on_it(client, convener_client, consultation, convener):
    from django.test import Client

    from target87.core.models import AuditEntry

    b = ballot(consultation, convener, "consensus", items=2, takes_proposals=True)
    delegate = Client()
    p, token = _link(delegate, consultation, convener, "survivor_led")
    delegate.get(f"/a/{token}/ballots/{b.pk}/")
    for item in b.items.all():
        delegate.post(f"/ballots/{b.pk}/vote/", {"item": item.pk, "vote": "1"})
    assert "You have voted on every statement" in delegate.get(f"/ballots/{b.pk}/vote/").content.decode()
    delegate.post(f"/ballots/{b.pk}/propose/", {"text": "Survivors are paid for their advice."})
    delegate.post(f"/ballots/{b.pk}/propose/", {"text": "Off topic remark."})
    page = convener_client.get(f"/manage/{consultation.slug}/ballots/{b.pk}/").content.decode()
    assert "Statements proposed by participants" in page and "Survivors are paid for their advice." in page
    assert str(p.person.name) in page and "Survivor-led organisation" in page
    accept, reject = b.proposals.order_by("pk")
    response = convener_client.post(
        f"/manage/{consultation.slug}/ballots/{b.pk}/proposals/{accept.pk}/", {"action": "accept"}
    )
    assert response.status_code == 303
    fragment = convener_client.post(
        f"/manage/{consultation.slug}/ballots/{b.pk}/proposals/{reject.pk}/",
        {"action": "reject"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert fragment.startswith('<section id="proposals"') and "No statement is waiting for review." in fragment
    assert "accepted as S3" in fragment and "Not accepted" in fragment
    # the proposer agrees with their statement as it is put to the vote (as in Pol.is), and may change that
    s3 = b.items.get(code="S3")
    page = delegate.get(f"/ballots/{b.pk}/vote/").content.decode()
    assert "statements voted: 3 of 3" in page
    assert f'<li><a href="?statement={s3.pk}">Survivors are paid for their advice.</a> — Agree</li>' in page
    assert "accepted as S3" in page and "Off topic remark." in page
    page = delegate.get(f"/ballots/{b.pk}/vote/?statement={s3.pk}").content.decode()
    assert 'data-statement="S3"' in page and "Proposed by a participant" in page
    # another participant gets the accepted statement next, and only that one
    other = Client()
    _q, other_token = _link(other, consultation, convener, "workers")
    other.get(f"/a/{other_token}/ballots/{b.pk}/")
    for item in b.items.exclude(code="S3"):
        other.post(f"/ballots/{b.pk}/vote/", {"item": item.pk, "vote": "-1"})
    page = other.get(f"/ballots/{b.pk}/vote/").content.decode()
    assert 'data-statement="S3"' in page and "statements voted: 2 of 3" in page
    assert "Off topic remark." not in client.get(f"/ballots/{b.pk}/results/").content.decode()
    assert sorted(AuditEntry.objects.filter(action__startswith="statement.").values_list("action", flat=True)) == [
        "statement.accept",
        "statement.propose",
        "statement.propose",
        "statement.reject",
    ]


def test_the_proposals_list_polls_and_is_left_alone_when_nothing_changed(convener_client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=2, takes_proposals=True)
    url = f"/manage/{consultation.slug}/ballots/{b.pk}/proposals/"
    fragment = convener_client.get(url).content.decode()
    seen = fragment.split("?seen=")[1].split('"')[0]
    assert convener_client.get(f"{url}?seen={seen}").status_code == 204
    services.statement_propose(participation=participant(consultation), ballot=b, text="New one.")
    response = convener_client.get(f"{url}?seen={seen}")
    assert response.status_code == 200 and "New one." in response.content.decode()


def test_the_proposals_are_the_conveners_only(client, consultation, convener):
    from target87.priorities.models import StatementProposal

    b = ballot(consultation, convener, "consensus", items=2, takes_proposals=True)
    proposal = services.statement_propose(participation=participant(consultation), ballot=b, text="An idea.")
    client.force_login(facilitator_of(consultation))
    response = client.post(f"/manage/{consultation.slug}/ballots/{b.pk}/proposals/{proposal.pk}/", {"action": "accept"})
    assert response.status_code == 403
    assert StatementProposal.objects.get().status == "pending"


def test_a_convener_edits_the_items_of_a_ballot_being_prepared(convener_client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=3, open_=False)
    url = f"/manage/{consultation.slug}/ballots/{b.pk}/items/"
    s1, s2, s3 = b.items.order_by("position")
    page = convener_client.get(f"/manage/{consultation.slug}/ballots/{b.pk}/").content.decode()
    assert "Edit S1" in page and "Add an item" in page
    response = convener_client.post(url, {"action": "update", "item": s2.pk, f"item-{s2.pk}-text": "Rewritten."})
    assert response.status_code == 303 and response["Location"].endswith("#items")
    convener_client.post(url, {"action": "add", "add-text": "Added at the end."})
    convener_client.post(url, {"action": "down", "item": s1.pk})
    convener_client.post(url, {"action": "remove", "item": s3.pk})
    assert list(b.items.order_by("position").values_list("code", "label")) == [
        ("S2", "Rewritten."),
        ("S1", "Statement 1"),
        ("S4", "Added at the end."),
    ]
    response = convener_client.post(url, {"action": "update", "item": s1.pk, f"item-{s1.pk}-text": "rewritten"})
    page = response.content.decode()
    assert response.status_code == 400 and "S2 already says this: each item appears once on a ballot." in page
    assert ">\nrewritten</textarea>" in page
    response = convener_client.post(url, {"action": "add", "add-text": ""})
    assert response.status_code == 400 and "Write the statement." in response.content.decode()


def test_once_open_the_item_forms_are_gone_and_a_change_is_refused_with_the_reason(
    convener_client, consultation, convener
):
    b = ballot(consultation, convener, "consensus", items=3)
    page = convener_client.get(f"/manage/{consultation.slug}/ballots/{b.pk}/").content.decode()
    assert "Edit S1" not in page and "its items can no longer be changed" in page
    response = convener_client.post(
        f"/manage/{consultation.slug}/ballots/{b.pk}/items/", {"action": "remove", "item": b.items.first().pk}
    )
    assert response.status_code == 400
    assert "participants are voting on its items, so they can no longer be changed" in response.content.decode()
    # a colleague opened the ballot while this convener was adding or changing an item: the reason shows
    for posted in (
        {"action": "add", "text": "Added late"},
        {"action": "update", "item": b.items.first().pk, "text": "x"},
    ):
        response = convener_client.post(f"/manage/{consultation.slug}/ballots/{b.pk}/items/", posted)
        assert response.status_code == 400, posted
        assert "participants are voting on its items, so they can no longer be changed" in response.content.decode()
    assert b.items.count() == 3 and not b.items.filter(label__in=["Added late", "x"]).exists()


def test_the_convener_prepares_a_ballot_that_takes_proposals(convener_client, consultation):
    response = convener_client.post(
        f"/manage/{consultation.slug}/ballots/",
        {"title": "Closing declaration", "method": "consensus", "statements": "One\nTwo", "takes_proposals": "on"},
    )
    b = Ballot.objects.get()
    assert response.status_code == 302 and b.takes_proposals
    response = convener_client.post(
        f"/manage/{consultation.slug}/ballots/",
        {"title": "Scores", "method": "score", "recommendations": [], "takes_proposals": "on"},
    )
    assert "Participants propose statements on agree / disagree ballots only." in response.content.decode()


def test_the_screen_counts_the_statements_as_they_are_added(client, consultation, convener):
    b = ballot(consultation, convener, "consensus", items=2, takes_proposals=True)
    live = client.get(f"/ballots/{b.pk}/screen/live/").content.decode()
    assert "<strong data-statements>2</strong>" in live
    proposal = services.statement_propose(participation=participant(consultation), ballot=b, text="A third.")
    services.proposal_accept(actor=convener, proposal=proposal)
    voter = participant(consultation)
    services.vote_cast(participation=voter, ballot=Ballot.objects.get(pk=b.pk), values={"S3": 1})
    from django.core.cache import cache

    cache.clear()
    live = client.get(f"/ballots/{b.pk}/screen/live/").content.decode()
    assert "<strong data-statements>3</strong>" in live and "A third." in live


def test_a_ballot_offers_only_the_exports_of_its_method(convener_client, consultation, convener):
    b = ballot(consultation, convener, "approval")
    base = f"/manage/{consultation.slug}/ballots/{b.pk}/export/"
    assert convener_client.get(base + "votes-csv/").status_code == 200
    assert convener_client.get(base + "polis-zip/").status_code == 404  # Pol.is files are for agree/disagree
    assert convener_client.get(base + "no-such-format/").status_code == 404


def test_a_vote_sent_with_htmx_carries_the_pages_token_and_the_panel_sets_no_cookie(consultation, convener):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    b = ballot(consultation, convener, "consensus", items=3)
    _p, token = _link(client, consultation, convener)
    client.get(f"/a/{token}/ballots/{b.pk}/")
    page = client.get(f"/ballots/{b.pk}/vote/")
    header = page.content.decode().split("hx-headers='")[1].split("'")[0]
    csrf = header.split('"X-CSRFToken": "')[1].split('"')[0]
    first, second = b.items.get(code="S1"), b.items.get(code="S2")
    refused = client.post(f"/ballots/{b.pk}/vote/", {"item": first.pk, "vote": "1"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 403 and Vote.objects.count() == 0
    answer = client.post(
        f"/ballots/{b.pk}/vote/", {"item": first.pk, "vote": "1"}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=csrf
    )
    panel = answer.content.decode()
    assert answer.status_code == 200 and "statements voted: 1 of 3" in panel
    assert "csrfmiddlewaretoken" not in panel and "csrftoken" not in answer.cookies
    client.post(
        f"/ballots/{b.pk}/vote/", {"item": second.pk, "vote": "-1"}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=csrf
    )
    assert sorted(Vote.objects.values_list("item__code", "value")) == [("S1", 1), ("S2", -1)]


def test_each_participant_sees_their_own_votes_in_their_language_after_a_vote(consultation, convener):
    from django.test import Client

    b = ballot(consultation, convener, "consensus", items=2)
    first, second = b.items.get(code="S1"), b.items.get(code="S2")
    answers = {}
    for group, value, language in (("government", "1", "en"), ("workers", "-1", "en"), ("employers", "1", "es")):
        client = Client()
        _p, token = _link(client, consultation, convener, group)
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        client.get(f"/a/{token}/ballots/{b.pk}/")
        panel = client.post(f"/ballots/{b.pk}/vote/", {"item": first.pk, "vote": value}, HTTP_HX_REQUEST="true")
        answers[group] = panel.content.decode()
        again = client.post(f"/ballots/{b.pk}/vote/", {"item": second.pk, "vote": "0"}, HTTP_HX_REQUEST="true")
        answers[group + " again"] = again.content.decode()
    # the same point of the ballot (one statement of two voted, the other shown next), each with their own list
    assert 'data-statement="S2"' in answers["government"] and 'data-statement="S2"' in answers["workers"]
    assert f'?statement={first.pk}">{first.label}</a> — Agree</li></ul>' in answers["government"]
    assert f'?statement={first.pk}">{first.label}</a> — Disagree</li></ul>' in answers["workers"]
    assert "statements voted: 1 of 2" in answers["workers"]
    assert "Sus votos" in answers["employers"] and "De acuerdo" in answers["employers"]
    assert "Your votes" not in answers["employers"] and "Sus votos" not in answers["workers"]
    assert "You have voted on every statement" in answers["workers again"]
    assert answers["workers again"].count("<li>") == 2 and "— Pass / unsure</li>" in answers["workers again"]


def test_the_ballots_page_lists_a_ballot_being_prepared_to_its_conveners_only(client, consultation, convener):
    ballot(consultation, convener, "approval", items=2, question="Ready")
    services.ballot_create(
        actor=convener,
        consultation=consultation,
        title="Still being prepared",
        method="approval",
        recommendations=[RecommendationFactory(consultation=consultation) for _ in range(2)],
    )
    url = f"/consultations/{consultation.slug}/ballots/"
    public = client.get(url).content.decode()
    client.force_login(convener)
    managed = client.get(url).content.decode()
    assert ("approval ballot" in public, "Still being prepared" in public) == (True, False)
    assert ("approval ballot" in managed, "Still being prepared" in managed) == (True, True)
