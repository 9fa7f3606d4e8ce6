"""The Pol.is export: the four files of Pol.is' report export, read back by a Pol.is analysis library."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest

from factories_deliberation import ballot, participant
from target87.priorities import exporters, services
from target87.priorities.models import Ballot

VOTES = [  # eight participants on eight statements: two camps that disagree on half of them
    [1, 1, 1, 1, -1, -1, -1, -1],
    [1, 1, 1, 1, -1, -1, -1, 0],
    [1, 1, 1, 0, -1, -1, -1, -1],
    [1, 1, 1, 1, -1, 0, -1, -1],
    [-1, -1, -1, -1, 1, 1, 1, 1],
    [-1, -1, -1, 0, 1, 1, 1, 1],
    [-1, -1, -1, -1, 1, 1, 0, 1],
    [-1, 0, -1, -1, 1, 1, 1, 1],
]


def polis_files(consultation, closed: Ballot) -> dict[str, list[list[str]]]:
    archive = zipfile.ZipFile(io.BytesIO(exporters.get("polis-zip")(consultation, ballot=closed).render()))
    return {name: list(csv.reader(io.StringIO(archive.read(name).decode()))) for name in archive.namelist()}


def records(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.fixture
def voted(consultation, convener):
    """An agree/disagree ballot of eight statements, a proposal accepted and one rejected, eight voters; closed."""
    b = ballot(consultation, convener, "consensus", items=8, takes_proposals=True)
    voters = [participant(consultation, ["government", "workers"][n % 2]) for n in range(len(VOTES))]
    codes = [item.code for item in b.items.order_by("position")]
    services.vote_cast(participation=voters[0], ballot=b, values={codes[0]: 1})  # the first voter
    accepted = services.statement_propose(participation=voters[1], ballot=b, text="A proposed statement.")
    rejected = services.statement_propose(participation=voters[2], ballot=b, text="Off the subject.")
    services.proposal_accept(actor=convener, proposal=accepted)
    services.proposal_reject(actor=convener, proposal=rejected)
    b = Ballot.objects.get(pk=b.pk)
    for voter, values in zip(voters, VOTES):
        services.vote_cast(participation=voter, ballot=b, values=dict(zip(codes, values)))
    return services.ballot_close(actor=convener, ballot=b)


def test_the_zip_holds_polis_four_files(consultation, voted):
    assert sorted(polis_files(consultation, voted)) == [
        "comments.csv",
        "participants-votes.csv",
        "summary.csv",
        "votes.csv",
    ]


def test_the_conveners_statements_and_the_first_voter_have_different_author_ids(consultation, voted):
    files = polis_files(consultation, voted)
    comments = records(files["comments.csv"])
    seeds = [c for c in comments if c["comment-body"].startswith("Statement ")]
    assert len(seeds) == 8 and {c["author-id"] for c in seeds} == {"0"}
    proposed = {c["comment-body"]: c["author-id"] for c in comments if not c["comment-body"].startswith("Statement ")}
    # participants by first action from 1: the first voter 1, the proposer 2, the one whose proposal was refused 3
    assert proposed == {"A proposed statement.": "2", "Off the subject.": "3"}
    votes = records(files["votes.csv"])
    first_vote = min(votes, key=lambda v: (int(v["timestamp"]), v["comment-id"] != "0"))
    assert first_vote["voter-id"] == "1" and "0" not in {v["voter-id"] for v in votes}
    matrix = records(files["participants-votes.csv"])
    assert [row["participant"] for row in matrix] == [str(n) for n in range(1, 9)]
    assert [row["n-comments"] for row in matrix[:3]] == ["0", "1", "1"]


def test_comments_have_an_is_meta_column(consultation, voted):
    rows = polis_files(consultation, voted)["comments.csv"]
    assert rows[0] == [
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
    assert {row[8] for row in rows[1:]} == {"0"}


def test_summary_as_polis_writes_it(consultation, voted):
    summary = polis_files(consultation, voted)["summary.csv"]
    assert [row[0] for row in summary] == [
        "topic",
        "url",
        "voters",
        "voters-in-conv",
        "commenters",
        "comments",
        "groups",
        "conversation-description",
    ]
    values = dict(summary)
    assert values["topic"] == "consensus ballot" and values["url"] == voted.get_absolute_url()
    # eight voters; the convener and the two proposers wrote the ten statements
    assert (values["voters"], values["commenters"], values["comments"]) == ("8", "3", "10")
    groups = {p["cluster"] for p in voted.result["opinion_map"]["participants"]}
    assert values["groups"] == str(len(groups)) and 1 <= len(groups) <= 5


def test_summary_url_is_absolute_with_the_sites_address(consultation, voted):
    exporter = exporters.get("polis-summary")(consultation, ballot=voted, base_url="https://target87.example/")
    summary = dict(csv.reader(io.StringIO(exporter.render().decode())))
    assert summary["url"] == f"https://target87.example{voted.get_absolute_url()}"


def test_timestamps_are_unix_seconds_of_the_datetime_shown(consultation, voted):
    files = polis_files(consultation, voted)
    for row in records(files["votes.csv"]) + records(files["comments.csv"]):
        moment = dt.datetime.fromtimestamp(int(row["timestamp"]), dt.UTC)
        assert row["datetime"] == moment.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")
        assert abs(moment - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=10)


def test_a_polis_analysis_library_reads_the_export_and_finds_the_two_camps(consultation, voted):
    models = pytest.importorskip("reddwarf.models")
    polis = pytest.importorskip("reddwarf.implementations.polis")
    files = polis_files(consultation, voted)
    # as red-dwarf's loader reads a Pol.is CSV export
    statements = [models.Statement(**row).model_dump(mode="json") for row in records(files["comments.csv"])]
    votes = [models.Vote(**row).model_dump(mode="json") for row in records(files["votes.csv"])]
    assert [s["is_meta"] for s in statements] == [False] * 10
    assert {s["participant_id"] for s in statements} == {0, 2, 3}
    result = polis.run_pipeline(
        votes=votes,
        mod_out_statement_ids=[s["statement_id"] for s in statements if s["moderated"] == -1],
        meta_statement_ids=[s["statement_id"] for s in statements if s["is_meta"]],
        random_state=0,
    )
    groups = result.participants_df.dropna(subset=["cluster_id"]).groupby("cluster_id").groups
    camps = sorted(sorted(int(p) for p in members) for members in groups.values())
    assert camps == [[1, 2, 3, 4], [5, 6, 7, 8]]
