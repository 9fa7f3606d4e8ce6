"""Reading ballots, votes and results.

Results come from the ranking engine (:mod:`target87.engines.ranking`): a closed ballot keeps the result
counted when it closed; an open one is counted live, at most once a second per process (the projector
polls every two seconds).
"""

from __future__ import annotations

import dataclasses
import random
import time
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import Http404

from target87.engines import ranking
from target87.people.models import Participation

from . import results
from .enums import BallotStatus, Method, ProposalStatus
from .machinery import forget, kept
from .models import Ballot, BallotItem, BallotPaper, PairwiseChoice, StatementProposal, Vote

LIVE_SECONDS = 1
RESULTS_SECONDS = 10
#: how long a process keeps a ballot for its votes: its status may lag a closing by that much, which the vote's
#: own transaction then catches (see :func:`target87.priorities.services.vote_cast`)
BALLOT_SECONDS = 1.0


def ballot_get(*, pk) -> Ballot:
    ballot = Ballot.objects.select_related("consultation").filter(pk=pk).first()
    if ballot is None:
        raise Http404
    return ballot


def ballot_get_viewable(*, pk, user) -> Ballot:
    """The ballot if ``user`` may see its results and plenary screen: those who may view the consultation see
    open and closed ballots; a ballot being prepared only those who manage it. Else :class:`Http404`."""
    ballot = ballot_get(pk=pk)
    if not user.has_perm("priorities.view_results", ballot.consultation) or (
        ballot.status == BallotStatus.DRAFT and not user.has_perm("priorities.manage_ballot", ballot.consultation)
    ):
        raise Http404
    return ballot


@kept(1024, seconds=BALLOT_SECONDS)
def _ballot_seen(pk: int) -> Ballot:
    return ballot_get(pk=pk)


def ballot_cached(*, pk) -> Ballot:
    """The ballot as this process saw it less than :data:`BALLOT_SECONDS` ago (for votes, which check again
    that it is open inside their transaction)."""
    return _ballot_seen(int(pk))


def ballot_refresh(*, pk) -> Ballot:
    """The ballot read again now, and kept as :func:`ballot_cached` gives it (after a vote named an item that
    the cached ballot's items do not have: one accepted in the last second)."""
    ballot = ballot_get(pk=pk)
    with _ballot_seen.cache_lock:
        _ballot_seen.cache[_ballot_seen.cache_key(int(pk))] = ballot
    return ballot


def _ballot_changed(sender, instance, **kwargs) -> None:
    forget(_ballot_seen, _ballot_seen.cache_key(instance.pk))


post_save.connect(_ballot_changed, sender=Ballot, dispatch_uid="priorities.selectors.ballot")
post_delete.connect(_ballot_changed, sender=Ballot, dispatch_uid="priorities.selectors.ballot-delete")


def ballot_list(*, consultation, statuses=None) -> QuerySet[Ballot]:
    ballots = Ballot.objects.filter(consultation=consultation).annotate(participants=Count("papers"))
    if statuses:
        ballots = ballots.filter(status__in=statuses)
    return ballots.order_by("-created_at", "-id")


def ballot_list_visible(*, consultation, user) -> QuerySet[Ballot]:
    """The ballots ``user`` may list: every one to those who manage the consultation, else the open and closed
    ones (a ballot being prepared is seen only by its conveners), on the pages and through the API alike."""
    if user.has_perm("priorities.manage_ballot", consultation):
        return ballot_list(consultation=consultation)
    return ballot_list(consultation=consultation, statuses=[BallotStatus.OPEN, BallotStatus.CLOSED])


def items_key(ballot) -> tuple[int, float, int]:
    """What a ballot's cached items and counts are kept under: its id, its creation time (an id used again, after
    a rollback, is another ballot) and how many times its items have changed."""
    return (ballot.pk, ballot.created_at.timestamp(), ballot.items_version)


def ballot_items(*, ballot) -> list[BallotItem]:
    """The ballot's items in order, with the proposal each statement came from if a participant proposed it.

    Each process keeps them under the ballot's :attr:`~target87.priorities.models.Ballot.items_version`, which
    every change to the items counts up in the same transaction: a process sees new items as soon as it reads the
    ballot again (the voting pages do on every load; votes within :data:`BALLOT_SECONDS`)."""
    return _items_of(ballot)


@kept(256, key=items_key)
def _items_of(ballot) -> list[BallotItem]:
    return list(BallotItem.objects.filter(ballot_id=ballot.pk).select_related("proposal").order_by("position"))


class ItemIndex(NamedTuple):
    by_pk: dict[int, BallotItem]
    by_code: dict[str, BallotItem]


def ballot_item_index(*, ballot) -> ItemIndex:
    """The ballot's items by id and by code, kept with its items (every vote looks its item up)."""
    return _index_of(ballot)


@kept(256, key=items_key)
def _index_of(ballot) -> ItemIndex:
    items = ballot_items(ballot=ballot)
    return ItemIndex({item.pk: item for item in items}, {item.code: item for item in items})


def ballot_item_find(*, ballot, pk) -> BallotItem | None:
    """The ballot's item of that id as the database has it now, or None."""
    if not str(pk or "").isdecimal():
        return None
    item = BallotItem.objects.filter(ballot_id=ballot.pk, pk=pk).first()
    if item is not None:
        item.ballot = ballot
    return item


def participants_count(*, ballot) -> int:
    return BallotPaper.objects.filter(ballot=ballot).count()


def my_votes(*, ballot, participation: Participation) -> dict[int, int]:
    """The participant's live votes on the ballot by item id (read after every vote: one indexed query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT item_id, value FROM {Vote._meta.db_table} WHERE ballot_id = %s AND participation_id = %s",
            [ballot.pk, participation.pk],
        )
        return dict(cursor.fetchall())


def my_pairs(*, ballot, participation: Participation) -> set[tuple[int, int]]:
    return set(
        PairwiseChoice.objects.filter(ballot_id=ballot.pk, participation_id=participation.pk)
        .order_by()
        .values_list("first_id", "second_id")
    )


#: the process's generator for what to show next (a new generator would be seeded from the system on every vote)
_random = random.Random()


def next_pair(*, ballot, participation: Participation, rng: random.Random | None = None):
    """A random pair of items the participant has not compared yet (as in All Our Ideas), or None."""
    rng = rng or _random
    items = {item.pk: item for item in ballot_items(ballot=ballot)}
    ids = sorted(items)
    seen = my_pairs(ballot=ballot, participation=participation)
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :] if (a, b) not in seen]
    if not pairs:
        return None
    first, second = rng.choice(pairs)
    if rng.random() < 0.5:
        first, second = second, first
    return items[first], items[second]


def next_statement(
    *, ballot, participation: Participation, rng: random.Random | None = None, voted: dict | None = None
):
    """A random statement the participant has not voted on yet, or None (as in Pol.is)."""
    rng = rng or _random
    voted = my_votes(ballot=ballot, participation=participation) if voted is None else voted
    remaining = [item for item in ballot_items(ballot=ballot) if item.id not in voted]
    return rng.choice(remaining) if remaining else None


def _codes(ballot, *, fresh: bool = False) -> dict[int, str]:
    """The items' codes by id; ``fresh``: read now (votes on a statement accepted after the ballot was read)."""
    if fresh:
        return dict(BallotItem.objects.filter(ballot_id=ballot.pk).order_by().values_list("pk", "code"))
    return {item.pk: item.code for item in ballot_items(ballot=ballot)}


def engine_votes(*, ballot) -> list:
    """The ballot's live votes in the engine's shape: voters by participation id, items by code.

    The votes are read before the papers: a paper is written in the same transaction as its first vote, so every
    vote read has its paper by the time the papers are read, even while people vote (read the other way round,
    a vote cast in between would have no group)."""
    codes = _codes(ballot)
    if ballot.method == Method.PAIRWISE:
        rows = list(
            PairwiseChoice.objects.filter(ballot=ballot)
            .order_by("id")
            .values_list("participation_id", "first_id", "second_id", "winner_id")
        )
        groups = dict(BallotPaper.objects.filter(ballot=ballot).order_by().values_list("participation_id", "group"))
        return [ranking.Comparison(str(p), groups[p], codes[w], codes[s if w == f else f]) for p, f, s, w in rows]
    rows = list(Vote.objects.filter(ballot=ballot).order_by("id").values_list("participation_id", "item_id", "value"))
    groups = dict(BallotPaper.objects.filter(ballot=ballot).order_by().values_list("participation_id", "group"))
    if any(i not in codes for _p, i, _v in rows):  # a statement accepted since the ballot was read
        codes = _codes(ballot, fresh=True)
    return [ranking.Vote(str(p), groups[p], codes[i], v) for p, i, v in rows]


def ballot_count(*, ballot, live: bool = False) -> dict:
    """Count the ballot now with the ranking engine: overall, per stakeholder group, consensus.

    ``live`` skips what the projector does not show (the opinion map, Bradley–Terry's bootstrap intervals);
    on agree / disagree ballots the database then counts the votes (see :func:`_live_consensus`).
    """
    if live and ballot.method == Method.CONSENSUS:
        return _live_consensus(ballot)
    votes = engine_votes(ballot=ballot)
    if not votes:
        return results.empty(ballot.method)
    options = {"dots": ballot.dots} if ballot.method == Method.DOTS else {}
    if live:
        options.update(opinion_map=False, bootstrap=0)
    if ballot.method == Method.PAIRWISE and not live:
        # intervals for the overall scores; within groups, the scores alone (a bootstrap per group would take
        # ten times as long for intervals that few groups are large enough to make useful)
        grouped = ranking.rank(votes, ballot.method, by_group=True, seed=ballot.pk, bootstrap=0)
        overall = ranking.rank(votes, ballot.method, by_group=False, seed=ballot.pk)
        result = dataclasses.replace(grouped, overall=overall.overall)
    else:
        result = ranking.rank(votes, ballot.method, by_group=True, seed=ballot.pk, **options)
    return results.to_dict(result, participants=len({v.voter for v in votes}), votes=len(votes))


def _live_consensus(ballot) -> dict:
    """An agree / disagree ballot's count for the projector: the database counts agree, disagree and pass per
    statement and stakeholder group, and the voters per group (a few hundred rows, whatever the number of
    participants, where reading every vote took a quarter of a second a count at 2,000 participants); the engine
    ranks from those counts exactly as from the votes, without the opinion map. One statement, one snapshot."""
    qn = connection.ops.quote_name
    vote, paper = qn(Vote._meta.db_table), qn(BallotPaper._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.item_id, p.{qn('group')}, v.value, COUNT(*), NULL FROM {vote} v JOIN {paper} p "
            "ON p.ballot_id = v.ballot_id AND p.participation_id = v.participation_id WHERE v.ballot_id = %s "
            f"GROUP BY v.item_id, p.{qn('group')}, v.value "
            f"UNION ALL SELECT NULL, p.{qn('group')}, NULL, NULL, COUNT(DISTINCT v.participation_id) FROM {vote} v "
            f"JOIN {paper} p ON p.ballot_id = v.ballot_id AND p.participation_id = v.participation_id "
            f"WHERE v.ballot_id = %s GROUP BY p.{qn('group')}",
            [ballot.pk, ballot.pk],
        )
        rows = cursor.fetchall()
    if not rows:
        return results.empty(ballot.method)
    codes = _codes(ballot)
    if any(item is not None and item not in codes for item, *_rest in rows):  # a statement accepted meanwhile
        codes = _codes(ballot, fresh=True)
    counts: dict[tuple[str, str], list[int]] = {}
    voters: dict[str, int] = {}
    for item, group, value, number, distinct in rows:
        if item is None:
            voters[group] = distinct
        else:
            counts.setdefault((codes[item], group), [0, 0, 0])[0 if value == 1 else 1 if value == -1 else 2] += number
    result = ranking.rank_counts(counts, voters)
    return results.to_dict(result, participants=sum(voters.values()), votes=sum(map(sum, counts.values())))


def ballot_results(*, ballot) -> dict:
    """The full result: the one kept at closing, or a count of the votes so far (at most every ten seconds)."""
    if ballot.status == BallotStatus.CLOSED and ballot.result is not None:
        return ballot.result
    key = "target87:ballot:{}:{}:{}:results:{}".format(*items_key(ballot), int(time.time()) // RESULTS_SECONDS)
    data = cache.get(key)
    if data is None:
        data = ballot_count(ballot=ballot)
        cache.set(key, data, RESULTS_SECONDS * 2)
    return data


def ballot_live(*, ballot) -> dict:
    """The count the projector shows: the one kept at closing, or one counted at most once a second in each
    process (without the opinion map)."""
    if ballot.status == BallotStatus.CLOSED and ballot.result is not None:
        return ballot.result
    key = "target87:ballot:{}:{}:{}:live:{}".format(*items_key(ballot), int(time.time()) // LIVE_SECONDS)
    data = cache.get(key)
    if data is None:
        data = ballot_count(ballot=ballot, live=True)
        cache.set(key, data, LIVE_SECONDS * 5)
    return data


def pairs_count(*, ballot) -> int:
    return PairwiseChoice.objects.filter(ballot=ballot).count()


def votes_count(*, ballot) -> int:
    if ballot.method == Method.PAIRWISE:
        return pairs_count(ballot=ballot)
    return Vote.objects.filter(ballot=ballot).count()


# --- statements proposed by participants -------------------------------------------------------------------


def proposal_list(*, ballot, statuses=None) -> QuerySet[StatementProposal]:
    """The statements proposed on the ballot, oldest first, with their proposer (for the convener's review)."""
    proposals = StatementProposal.objects.filter(ballot=ballot).select_related(
        "participation__person", "item", "decided_by"
    )
    if statuses:
        proposals = proposals.filter(status__in=statuses)
    return proposals.order_by("created_at", "id")


def proposal_get(*, ballot, pk) -> StatementProposal:
    proposal = StatementProposal.objects.filter(ballot_id=ballot.pk, pk=pk).first()
    if proposal is None:
        raise Http404
    proposal.ballot = ballot
    return proposal


def my_proposals(*, ballot, participation) -> list[StatementProposal]:
    """What the participant proposed on the ballot, and where each stands."""
    return list(
        StatementProposal.objects.filter(ballot_id=ballot.pk, participation_id=participation.pk)
        .select_related("item")
        .order_by("created_at", "id")
    )


def proposals_waiting(*, consultation) -> list[tuple[Ballot, int]]:
    """The ballots of the consultation with statements proposed and not yet reviewed, and how many each has."""
    ballots = (
        Ballot.objects.filter(consultation=consultation)
        .annotate(waiting=Count("proposals", filter=Q(proposals__status=ProposalStatus.PENDING)))
        .filter(waiting__gt=0)
        .order_by("-created_at", "-id")
    )
    return [(ballot, ballot.waiting) for ballot in ballots]
