"""Exports of a ballot's raw votes, so that results can be audited and counted again elsewhere.

``votes-csv``
    long format, as ``target87 rank VOTES.csv --method M`` reads it: ``voter``, ``group``, ``item``,
    ``value`` (``voter``, ``group``, ``winner``, ``loser`` for pairwise ballots), then ``cast_at``. Voters are
    pseudonymous (the participation's number); items are the codes shown on the ballot (R7, S3).
``polis-*`` (agree / disagree ballots)
    Pol.is' export layout, as its report export writes it: ``summary.csv`` (one ``name,value`` per line:
    ``topic``, ``url``, ``voters``, ``voters-in-conv``, ``commenters``, ``comments``, ``groups``,
    ``conversation-description``), ``comments.csv``
    (``timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body,is-meta``), ``votes.csv``
    (``timestamp,datetime,comment-id,voter-id,vote``, 1 agree, −1 disagree, 0 pass) and
    ``participants-votes.csv`` (``participant,group-id,n-comments,n-votes,n-agree,n-disagree`` then one
    column per comment id). As in Pol.is, comment ids are integers from 0 (the ballot's statements in ballot
    order, then the proposed statements that were not put to the vote, in the order they were proposed) and
    participant ids too: 0 is the convener, who wrote the ballot's statements as a conversation's owner writes
    its seed comments, and the participants follow from 1 in the order they first voted or proposed a statement.
    Timestamps are Unix seconds, as Pol.is' export writes them (its ``datetime`` column gives the same moment
    as text); ``group-id`` is the participant's opinion group on the map (at most five, as Pol.is forms).
    The convener's statements are ``moderated`` 1 (accepted) with ``author-id`` 0; a statement a participant
    proposed has its proposer's participant id as ``author-id`` (counted in their ``n-comments``) and is
    ``moderated`` 1 once accepted, 0 while it waits for review and −1 when it was not accepted. ``is-meta`` is
    0: no statement of a ballot is about the ballot itself.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import Counter, defaultdict

from django.utils.translation import gettext_lazy as _

from target87.core.exporters import BaseExporter, Registry, csv_bytes

from .enums import Method, ProposalStatus
from .models import BallotItem, BallotPaper, PairwiseChoice, StatementProposal, Vote

ballot_exporters = Registry("ballot")
get = ballot_exporters.get


class BallotExporter(BaseExporter):
    content_type = "text/csv; charset=utf-8"
    extension = "csv"
    suffix = ""
    methods: tuple[str, ...] | None = None  # None: every method
    polis_name = ""

    def __init__(self, consultation, *, ballot, base_url: str = "") -> None:
        self.consultation = consultation
        self.ballot = ballot
        #: the site's address (``https://host``), for the links an export holds; without it, paths
        self.base_url = base_url.rstrip("/")

    def filename(self) -> str:
        return f"{self.consultation.slug}-ballot{self.ballot.pk}-{self.suffix or self.identifier}.{self.extension}"


def for_ballot(ballot) -> list[type[BallotExporter]]:
    return [cls for cls in ballot_exporters if cls.methods is None or ballot.method in cls.methods]


def _groups(ballot) -> dict[int, str]:
    return dict(BallotPaper.objects.filter(ballot=ballot).values_list("participation_id", "group"))


@ballot_exporters.register
class VotesCSV(BallotExporter):
    identifier = "votes-csv"
    name = _("Raw votes, long format (CSV)")
    suffix = "votes"

    def render(self) -> bytes:
        # the votes first, then the papers and items they name (an open ballot may gain both meanwhile)
        if self.ballot.method == Method.PAIRWISE:
            rows = list(
                PairwiseChoice.objects.filter(ballot=self.ballot)
                .order_by("cast_at", "id")
                .values_list("participation_id", "first_id", "second_id", "winner_id", "cast_at")
            )
        else:
            rows = list(
                Vote.objects.filter(ballot=self.ballot)
                .order_by("participation_id", "item__position")
                .values_list("participation_id", "item_id", "value", "cast_at")
            )
        groups = _groups(self.ballot)
        codes = dict(BallotItem.objects.filter(ballot=self.ballot).values_list("pk", "code"))
        if self.ballot.method == Method.PAIRWISE:
            return csv_bytes(
                ["voter", "group", "winner", "loser", "cast_at"],
                ([p, groups[p], codes[w], codes[s if w == f else f], at.isoformat()] for p, f, s, w, at in rows),
            )
        return csv_bytes(
            ["voter", "group", "item", "value", "cast_at"],
            ([p, groups[p], codes[i], v, at.isoformat()] for p, i, v, at in rows),
        )


def _js_time(moment) -> tuple[int, str]:
    moment = moment.astimezone(dt.UTC)
    return int(moment.timestamp()), moment.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


#: the participant id of the convener, the author of the ballot's own statements (Pol.is' conversation owner)
CONVENER_PID = 0


class _Polis:
    """The ids Pol.is would give: statements by ballot order then the proposals left out; the convener 0 and the
    participants by first vote or proposal from 1. The votes are read first: every item and paper they need is
    there when the rest is read, even while people vote and statements are accepted."""

    MODERATED = {ProposalStatus.ACCEPTED: 1, ProposalStatus.PENDING: 0, ProposalStatus.REJECTED: -1}

    def __init__(self, ballot) -> None:
        self.votes = list(
            Vote.objects.filter(ballot=ballot)
            .order_by("cast_at", "id")
            .values_list("participation_id", "item_id", "value", "cast_at")
        )
        self.items = list(BallotItem.objects.filter(ballot=ballot).select_related("proposal").order_by("position"))
        proposals = list(StatementProposal.objects.filter(ballot=ballot).order_by("created_at", "id"))
        #: proposed statements never put to the vote (waiting for review, or not accepted)
        self.left_out = [p for p in proposals if p.item_id is None]
        self.tid = {item.pk: n for n, item in enumerate(self.items)}
        self.left_out_tid = {p.pk: len(self.items) + n for n, p in enumerate(self.left_out)}
        first = dict(BallotPaper.objects.filter(ballot=ballot).values_list("participation_id", "first_cast_at"))
        for proposal in proposals:
            known = first.get(proposal.participation_id)
            if known is None or proposal.created_at < known:
                first[proposal.participation_id] = proposal.created_at
        order = sorted(first.items(), key=lambda kv: (kv[1], kv[0]))
        self.pid = {participation: n for n, (participation, _at) in enumerate(order, start=CONVENER_PID + 1)}
        self.authored = Counter(p.participation_id for p in proposals)
        clusters = {}
        for point in ((ballot.result or {}).get("opinion_map") or {}).get("participants", []):
            clusters[int(point["voter"])] = point["cluster"]
        self.cluster = clusters

    @property
    def comment_ids(self) -> list[int]:
        return list(range(len(self.items) + len(self.left_out)))


POLIS_METHODS = (Method.CONSENSUS,)


def _moment(ballot):
    return ballot.opened_at or ballot.created_at


@ballot_exporters.register
class PolisComments(BallotExporter):
    identifier = "polis-comments"
    name = _("Pol.is layout: comments.csv")
    methods = POLIS_METHODS
    polis_name = "comments.csv"
    suffix = "comments"

    def render(self, polis: _Polis | None = None) -> bytes:
        polis = polis or _Polis(self.ballot)
        counts: dict[int, Counter] = defaultdict(Counter)
        for _p, item, value, _at in polis.votes:
            counts[item][value] += 1
        seeded = _js_time(_moment(self.ballot))
        rows = []
        for item in polis.items:
            proposal = item.proposed
            stamp, text = _js_time(proposal.created_at) if proposal else seeded
            author = polis.pid[proposal.participation_id] if proposal else CONVENER_PID
            body = item.text or item.label
            agrees, disagrees = counts[item.pk][1], counts[item.pk][-1]
            rows.append([stamp, text, polis.tid[item.pk], author, agrees, disagrees, 1, body, 0])
        for proposal in polis.left_out:
            stamp, text = _js_time(proposal.created_at)
            moderated = polis.MODERATED[proposal.status]
            tid, author = polis.left_out_tid[proposal.pk], polis.pid[proposal.participation_id]
            rows.append([stamp, text, tid, author, 0, 0, moderated, proposal.text, 0])
        return csv_bytes(
            [
                "timestamp",
                "datetime",
                "comment-id",
                "author-id",
                "agrees",
                "disagrees",
                "moderated",
                "comment-body",
                "is-meta",
            ],
            rows,
        )


@ballot_exporters.register
class PolisSummary(BallotExporter):
    identifier = "polis-summary"
    name = _("Pol.is layout: summary.csv")
    methods = POLIS_METHODS
    polis_name = "summary.csv"
    suffix = "summary"

    def render(self, polis: _Polis | None = None) -> bytes:
        polis = polis or _Polis(self.ballot)
        proposed = [i.proposed for i in polis.items]
        authors = {p.participation_id for p in polis.left_out} | {p.participation_id for p in proposed if p}
        seeded = any(p is None for p in proposed)  # the convener wrote statements too
        groups = {c for c in polis.cluster.values() if c is not None}
        # Pol.is' summary has no header: its first line is the topic
        return csv_bytes(
            ["topic", self.ballot.title],
            [
                ["url", f"{self.base_url}{self.ballot.get_absolute_url()}"],
                ["voters", len({participation for participation, *_rest in polis.votes})],
                ["voters-in-conv", len(polis.cluster)],
                ["commenters", len(authors) + seeded],
                ["comments", len(polis.comment_ids)],
                ["groups", len(groups)],
                ["conversation-description", self.ballot.question],
            ],
        )


@ballot_exporters.register
class PolisVotes(BallotExporter):
    identifier = "polis-votes"
    name = _("Pol.is layout: votes.csv")
    methods = POLIS_METHODS
    polis_name = "votes.csv"
    suffix = "polis-votes"

    def render(self, polis: _Polis | None = None) -> bytes:
        polis = polis or _Polis(self.ballot)
        rows = []
        for participation, item, value, at in polis.votes:
            stamp, text = _js_time(at)
            rows.append([stamp, text, polis.tid[item], polis.pid[participation], value])
        return csv_bytes(["timestamp", "datetime", "comment-id", "voter-id", "vote"], rows)


@ballot_exporters.register
class PolisParticipantsVotes(BallotExporter):
    identifier = "polis-participants-votes"
    name = _("Pol.is layout: participants-votes.csv")
    methods = POLIS_METHODS
    polis_name = "participants-votes.csv"
    suffix = "participants-votes"

    def render(self, polis: _Polis | None = None) -> bytes:
        polis = polis or _Polis(self.ballot)
        by_participant: dict[int, dict[int, int]] = defaultdict(dict)
        for participation, item, value, _at in polis.votes:
            by_participant[participation][polis.tid[item]] = value
        tids = polis.comment_ids
        rows = []
        for participation, pid in sorted(polis.pid.items(), key=lambda kv: kv[1]):
            votes = by_participant.get(participation, {})
            values = list(votes.values())
            cluster = polis.cluster.get(participation, "")
            authored = polis.authored.get(participation, 0)
            counted = [len(values), values.count(1), values.count(-1)]
            rows.append([pid, cluster, authored, *counted, *[votes.get(t, "") for t in tids]])
        return csv_bytes(
            ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *[str(t) for t in tids]], rows
        )


@ballot_exporters.register
class PolisZip(BallotExporter):
    identifier = "polis-zip"
    name = _("Pol.is layout: the four files (ZIP)")
    methods = POLIS_METHODS
    content_type = "application/zip"
    extension = "zip"
    suffix = "polis"

    def render(self) -> bytes:
        polis = _Polis(self.ballot)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for cls in (PolisSummary, PolisComments, PolisVotes, PolisParticipantsVotes):
                exporter = cls(self.consultation, ballot=self.ballot, base_url=self.base_url)
                archive.writestr(cls.polis_name, exporter.render(polis))
        return buffer.getvalue()
