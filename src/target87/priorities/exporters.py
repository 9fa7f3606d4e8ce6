"""Exports of a ballot's raw votes, so that results can be audited and counted again elsewhere.

``votes-csv``
    long format, as ``target87 rank VOTES.csv --method M`` reads it: ``voter``, ``group``, ``item``,
    ``value`` (``voter``, ``group``, ``winner``, ``loser`` for pairwise ballots), then ``cast_at``. Voters are
    pseudonymous (the participation's number); items are the codes shown on the ballot (R7, S3).
``polis-*`` (agree / disagree ballots)
    Pol.is' export layout, as in its public data exports (compdemocracy's openData): ``comments.csv``
    (``timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body``), ``votes.csv``
    (``timestamp,datetime,comment-id,voter-id,vote``, 1 agree, −1 disagree, 0 pass) and
    ``participants-votes.csv`` (``participant,group-id,n-comments,n-votes,n-agree,n-disagree`` then one
    column per comment id). As in Pol.is, comment and participant ids are integers from 0 (statements in
    ballot order, participants in the order they first voted), timestamps are Unix seconds and ``group-id``
    is the participant's opinion cluster on the map. Statements are set by the convener, so each is
    ``moderated`` 1 (accepted) and written by participant 0's side of the table, ``author-id`` 0.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import Counter, defaultdict

from django.utils.translation import gettext_lazy as _

from target87.deliberation.exporters import BaseExporter, csv_bytes, get, register, response  # noqa: F401

from .enums import Method
from .models import BallotItem, BallotPaper, PairwiseChoice, Vote


class BallotExporter(BaseExporter):
    methods: tuple[str, ...] | None = None  # None: every method
    polis_name = ""

    def __init__(self, consultation, *, ballot, **options) -> None:
        super().__init__(consultation, **options)
        self.ballot = ballot

    def filename(self) -> str:
        return f"{self.consultation.slug}-ballot{self.ballot.pk}-{self.suffix or self.identifier}.{self.extension}"


def for_ballot(ballot) -> list[type[BallotExporter]]:
    from target87.deliberation.exporters import EXPORTERS

    return [
        cls
        for cls in EXPORTERS.values()
        if issubclass(cls, BallotExporter) and (cls.methods is None or ballot.method in cls.methods)
    ]


def _groups(ballot) -> dict[int, str]:
    return dict(BallotPaper.objects.filter(ballot=ballot).values_list("participation_id", "group"))


@register
class VotesCSV(BallotExporter):
    identifier = "votes-csv"
    name = _("Raw votes, long format (CSV)")
    suffix = "votes"

    def render(self) -> bytes:
        groups = _groups(self.ballot)
        codes = dict(BallotItem.objects.filter(ballot=self.ballot).values_list("pk", "code"))
        if self.ballot.method == Method.PAIRWISE:
            rows = (
                PairwiseChoice.objects.filter(ballot=self.ballot)
                .order_by("cast_at", "id")
                .values_list("participation_id", "first_id", "second_id", "winner_id", "cast_at")
            )
            return csv_bytes(
                ["voter", "group", "winner", "loser", "cast_at"],
                ([p, groups[p], codes[w], codes[s if w == f else f], at.isoformat()] for p, f, s, w, at in rows),
            )
        rows = (
            Vote.objects.filter(ballot=self.ballot)
            .order_by("participation_id", "item__position")
            .values_list("participation_id", "item_id", "value", "cast_at")
        )
        return csv_bytes(
            ["voter", "group", "item", "value", "cast_at"],
            ([p, groups[p], codes[i], v, at.isoformat()] for p, i, v, at in rows),
        )


def _js_time(moment) -> tuple[int, str]:
    moment = moment.astimezone(dt.UTC)
    return int(moment.timestamp()), moment.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


class _Polis:
    """The ids Pol.is would give: statements by ballot order, participants by first vote, from 0."""

    def __init__(self, ballot) -> None:
        self.items = list(BallotItem.objects.filter(ballot=ballot).order_by("position"))
        self.tid = {item.pk: n for n, item in enumerate(self.items)}
        papers = BallotPaper.objects.filter(ballot=ballot).order_by("first_cast_at", "participation_id")
        self.pid = {paper.participation_id: n for n, paper in enumerate(papers)}
        self.votes = list(
            Vote.objects.filter(ballot=ballot)
            .order_by("cast_at", "id")
            .values_list("participation_id", "item_id", "value", "cast_at")
        )
        clusters = {}
        for point in ((ballot.result or {}).get("opinion_map") or {}).get("participants", []):
            clusters[int(point["voter"])] = point["cluster"]
        self.cluster = clusters


POLIS_METHODS = (Method.CONSENSUS,)


def _moment(ballot):
    return ballot.opened_at or ballot.created_at


@register
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
        stamp, text = _js_time(_moment(self.ballot))
        return csv_bytes(
            ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"],
            (
                [
                    stamp,
                    text,
                    polis.tid[item.pk],
                    0,
                    counts[item.pk][1],
                    counts[item.pk][-1],
                    1,
                    item.text or item.label,
                ]
                for item in polis.items
            ),
        )


@register
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


@register
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
        tids = list(range(len(polis.items)))
        rows = []
        for participation, pid in sorted(polis.pid.items(), key=lambda kv: kv[1]):
            votes = by_participant.get(participation, {})
            values = list(votes.values())
            cluster = polis.cluster.get(participation, "")
            rows.append(
                [pid, cluster, 0, len(values), values.count(1), values.count(-1), *[votes.get(t, "") for t in tids]]
            )
        return csv_bytes(
            ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *[str(t) for t in tids]], rows
        )


@register
class PolisZip(BallotExporter):
    identifier = "polis-zip"
    name = _("Pol.is layout: the three files (ZIP)")
    methods = POLIS_METHODS
    content_type = "application/zip"
    extension = "zip"
    suffix = "polis"

    def render(self) -> bytes:
        polis = _Polis(self.ballot)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for cls in (PolisComments, PolisVotes, PolisParticipantsVotes):
                archive.writestr(cls.polis_name, cls(self.consultation, ballot=self.ballot).render(polis))
        return buffer.getvalue()
