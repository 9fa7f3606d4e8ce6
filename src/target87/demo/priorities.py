"""The Bangkok demonstration's prioritisation: a closed ballot of every kind with its result, and two open ones.

The ballots are prepared, opened and closed through the priorities services; the demonstration's votes are
generated from a preference profile per stakeholder group (seeded, so every load gives the same votes) and
written in bulk, as the voting pages would have stored them, one live vote per participant and item. The
agree/disagree statements are written so that the plain count and the consensus across groups disagree:
the employers' and business groups reject the statement most voters agree with. On the live agree/disagree
ballot participants propose statements: one was accepted by the convener (and is being voted on), one waits for
review. Idempotent: a consultation that already has ballots is left as it is.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from target87.people.models import Participation
from target87.priorities import services
from target87.priorities.models import Ballot, BallotPaper, PairwiseChoice, StatementProposal, Vote

#: how much each stakeholder group favours each recommendation (R1…R12), on top of a shared base
BASE = [0.8, 0.6, 0.5, 0.4, 0.3, 0.6, 0.5, 0.7, 0.4, 0.4, 0.5, 0.4]
BIAS = {
    "government": {0: 1.2, 7: 0.8, 1: 0.6, 6: -0.6, 3: -0.3},
    "workers": {3: 1.4, 2: 1.2, 6: 1.2, 4: -0.8},
    "employers": {4: 1.5, 3: 0.8, 6: -1.0, 2: -0.4},
    "civil_society": {5: 1.2, 10: 0.9, 6: 0.8},
    "survivor_led": {5: 1.8, 6: 1.0, 9: 0.6},
    "un_international": {7: 1.0, 8: 1.0, 9: 0.7},
    "development_partner": {11: 1.4, 10: 1.0, 1: 0.5},
    "academia": {7: 1.1, 8: 1.1},
    "private_sector": {4: 1.4, 6: -0.6},
    "none": {},
}

#: agree/disagree statements with each group's chance of agreeing (the rest disagree or pass)
STATEMENTS = [
    (
        "Labour inspection should focus first on the formal sector, where it can act.",
        {"government": 0.9, "employers": 0.6, "private_sector": 0.6, "*": 0.15},
    ),
    ("Progress on 8.7 should be reported every year with the same indicators across the sub-region.", {"*": 0.8}),
    (
        "Survivors should be paid for their time when they help design services.",
        {"government": 0.55, "employers": 0.5, "*": 0.7},
    ),
    (
        "Recruitment fees should always be paid by employers, never by workers.",
        {"employers": 0.05, "private_sector": 0.1, "*": 0.97},
    ),
    (
        "Business should be left to set its own due-diligence rules.",
        {"employers": 0.85, "private_sector": 0.9, "*": 0.1},
    ),
    (
        "Donor funding should go through national plans rather than separate projects.",
        {"government": 0.95, "development_partner": 0.45, "*": 0.6},
    ),
    (
        "Children above the minimum age may do light work that does not harm their schooling.",
        {"*": 0.5, "survivor_led": 0.2},
    ),
    ("Every country of the sub-region should run a forced labour survey before 2020.", {"*": 0.7, "government": 0.5}),
]

#: statements proposed on the live agree/disagree ballot, by a participant of the group: the first accepted (with
#: each group's chance of agreeing), the second waiting for the convener's review
PROPOSED = [
    (
        "Labour inspectors should bring interpreters for the languages of migrant workers.",
        "workers",
        {"employers": 0.55, "private_sector": 0.6, "*": 0.85},
    ),
    ("Fishing vessels should carry a tracking device that labour inspectors can follow.", "civil_society", None),
]

CLOSED = [
    ("dots", "Dots: where should the Alliance put its effort first?", {"dots": 10}),
    ("approval", "Approval: which recommendations do you support?", {}),
    ("score", "Scores: how much of a priority is each recommendation?", {}),
    ("borda", "Ranked (Borda): your order of priority", {}),
    ("schulze", "Ranked (Schulze): your order of priority", {}),
    ("bradley-terry", "Pairwise: which should come first?", {}),
    ("consensus", "Statements for the outcome document", {}),
]
OPEN = [
    ("bradley-terry", "Live: which recommendation should the Alliance take up first?", {}),
    ("consensus", "Live: statements for the closing declaration", {"takes_proposals": True}),
]

TZ_OFFSET = dt.timezone(dt.timedelta(hours=7))
CLOSING = dt.datetime(2016, 9, 15, 16, 0, tzinfo=TZ_OFFSET)


def _utilities(group: str, rng: random.Random) -> list[float]:
    bias = BIAS.get(group, {})
    return [BASE[i] + bias.get(i, 0.0) + rng.gauss(0, 0.45) for i in range(len(BASE))]


def _values(method: str, utilities: list[float], ids: list[int], rng: random.Random, dots: int) -> dict[int, int]:
    order = sorted(range(len(ids)), key=lambda i: -utilities[i])
    if method == "dots":
        values = {}
        for i in order[:4]:
            values[ids[i]] = values.get(ids[i], 0)
        left = dots
        for i in order[:4]:
            share = min(left, max(1, round(dots * (0.4 if i == order[0] else 0.2))))
            values[ids[i]] += share
            left -= share
        return {k: v for k, v in values.items() if v}
    if method == "approval":
        return {ids[i]: int(utilities[i] > 1.0) for i in range(len(ids))}
    if method == "score":
        return {ids[i]: max(0, min(5, round(utilities[i] * 2.2))) for i in range(len(ids)) if rng.random() < 0.9}
    # ranked: the top five to eight, in order
    depth = rng.randint(5, 8)
    return {ids[i]: position for position, i in enumerate(order[:depth], start=1)}


def _participants(consultation) -> list[Participation]:
    return list(
        Participation.objects.filter(consultation=consultation, status="approved")
        .exclude(role__in=["convener", "observer"])
        .select_related("person__organisation")
        .order_by("pk")
    )


def _cast(
    ballot: Ballot, voters: list[Participation], rng: random.Random, when: dt.datetime, statements=STATEMENTS
) -> None:
    """The votes of ``voters``; on agree/disagree ballots, ``statements``: each item's chances of agreement (an item
    beyond :data:`STATEMENTS` came later: fewer voters have seen it). A proposer's agreement with their accepted
    statement is already recorded: it stays, and their paper takes the time of their first vote here."""
    items = list(ballot.items.order_by("position"))
    ids = [item.pk for item in items]
    existing = set(BallotPaper.objects.filter(ballot=ballot).values_list("participation_id", flat=True))
    voted = set(Vote.objects.filter(ballot=ballot).values_list("participation_id", "item_id"))
    papers, votes, choices = [], [], []
    for n, p in enumerate(voters):
        group = services.voter_group(p)
        moment = when + dt.timedelta(seconds=7 * n)
        if p.pk in existing:
            BallotPaper.objects.filter(ballot=ballot, participation=p).update(first_cast_at=moment)
        else:
            papers.append(BallotPaper(ballot=ballot, participation=p, group=group, first_cast_at=moment))
        if ballot.method == "consensus":
            for position, (item, chances) in enumerate(zip(items, statements, strict=False)):
                late = position >= len(STATEMENTS)  # proposed and accepted after the ballot opened
                if (p.pk, item.pk) in voted or rng.random() < (0.4 if late else 0.1):
                    continue  # proposed by them, or not seen
                agree = chances.get(group, chances.get("*", 0.5))
                draw = rng.random()
                value = 1 if draw < agree else 0 if draw < agree + 0.1 else -1
                cast_at = moment + dt.timedelta(minutes=3) if late else moment
                votes.append(Vote(ballot=ballot, item=item, participation=p, value=value, cast_at=cast_at))
        elif ballot.method == "bradley-terry":
            utilities = _utilities(group, rng)
            pairs = set()
            for _ in range(rng.randint(8, 16)):
                a, b = sorted(rng.sample(range(len(ids)), 2))
                if (a, b) in pairs:
                    continue
                pairs.add((a, b))
                chance = 1 / (1 + math.exp(-(utilities[a] - utilities[b]) * 2))
                winner = a if rng.random() < chance else b
                choices.append(
                    PairwiseChoice(
                        ballot=ballot,
                        participation=p,
                        first_id=ids[a],
                        second_id=ids[b],
                        winner_id=ids[winner],
                        cast_at=moment,
                    )
                )
        else:
            for pk, value in _values(ballot.method, _utilities(group, rng), ids, rng, ballot.dots).items():
                votes.append(Vote(ballot=ballot, item_id=pk, participation=p, value=value, cast_at=moment))
    BallotPaper.objects.bulk_create(papers)
    Vote.objects.bulk_create(votes, batch_size=2000)
    PairwiseChoice.objects.bulk_create(choices, batch_size=2000)


def _propose(ballot: Ballot, convener, people: list[Participation], when: dt.datetime) -> list[dict]:
    """The statements of :data:`PROPOSED`, proposed and reviewed through the services (a minute or two after the
    ballot opened); returns the chances of agreement of those accepted."""
    accepted = []
    for n, (text, group, chances) in enumerate(PROPOSED):
        proposer = next(p for p in people if services.voter_group(p) == group)
        proposal = services.statement_propose(participation=proposer, ballot=ballot, text=text)
        proposed_at = when + dt.timedelta(minutes=1 + n)
        StatementProposal.objects.filter(pk=proposal.pk).update(created_at=proposed_at)
        if chances is not None:
            item = services.proposal_accept(actor=convener, proposal=proposal)
            decided_at = proposed_at + dt.timedelta(minutes=1)
            StatementProposal.objects.filter(pk=proposal.pk).update(decided_at=decided_at)
            # the proposer's agreement, recorded as the statement was accepted
            Vote.objects.filter(item=item, participation=proposer).update(cast_at=decided_at)
            BallotPaper.objects.filter(ballot=ballot, participation=proposer).update(first_cast_at=decided_at)
            accepted.append(chances)
    return accepted


@transaction.atomic
def load(*, consultation, stdout=None) -> None:
    from target87.demo.bangkok import CONVENER_USERNAME

    say = stdout.write if stdout else lambda *_: None
    if consultation.ballots.exists():
        say("Found the ballots.\n")
        return
    recommendations = list(consultation.recommendations.order_by("number"))
    if len(recommendations) < 2:
        return
    rng = random.Random(8787)
    convener = get_user_model().objects.get(username=CONVENER_USERNAME)
    plenary = consultation.sessions.filter(title__startswith="Closing plenary").first()
    people = _participants(consultation)
    for number, (method, title, options) in enumerate(CLOSED + OPEN):
        statements = [text for text, _chances in STATEMENTS] if method == "consensus" else []
        agreement = [chances for _text, chances in STATEMENTS]
        ballot = services.ballot_create(
            actor=convener,
            consultation=consultation,
            title=title,
            method=method,
            session=plenary,
            recommendations=[] if method == "consensus" else recommendations,
            statements=statements,
            **options,
        )
        ballot = services.ballot_open(actor=convener, ballot=ballot)
        turnout = 0.8 if (method, title, options) in CLOSED else 0.5  # the open ballots are still being voted on
        voters = [p for p in people if rng.random() < turnout]
        when = CLOSING + dt.timedelta(minutes=5 * number)
        if ballot.takes_proposals:
            agreement += _propose(ballot, convener, people, when)
        _cast(ballot, voters, rng, when, agreement)
        if (method, title, options) in CLOSED:
            ballot = services.ballot_close(actor=convener, ballot=ballot)
            Ballot.objects.filter(pk=ballot.pk).update(opened_at=when, closed_at=when + dt.timedelta(minutes=4))
        else:
            Ballot.objects.filter(pk=ballot.pk).update(opened_at=when)
    say(f"Created {len(CLOSED)} closed ballots with their results and {len(OPEN)} open ones.\n")
