"""Participants vote: what a vote is, whether it may be cast, and the way it is stored."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.people.models import Participation
from target87.people.participants import Participant, participant_require

from .. import selectors
from ..enums import RANKED, BallotStatus, Method
from ..models import Ballot, BallotItem, PairwiseChoice, Vote
from . import writes


def voter_check(*, participation: Participation | Participant | None, ballot: Ballot) -> Participant:
    """The participant, if they may vote on this ballot now; raises a
    :class:`~target87.people.refusals.Refusal` or a ServiceError saying why.

    ``participation``: a participation read from the database, or the
    :class:`~target87.people.participants.Participant` of a participant pass, judged on what this process knows of
    the consultation's withdrawn links and registrations."""
    participant = participant_require(participation, "vote", ballot.consultation_id)
    if ballot.status == BallotStatus.CLOSED:
        raise ServiceError(_("This ballot is closed: your vote was not recorded."))
    if ballot.status != BallotStatus.OPEN:
        raise ServiceError(_("This ballot is not open yet: your vote was not recorded."))
    return participant


def whole_number(value) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        number = float(str(value).strip().replace("−", "-"))
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


class _UnknownItem(ServiceError):
    """A vote names an item the ballot's items (as this process has them) do not have."""


def _cleaned(ballot: Ballot, values: Mapping) -> dict[int, int]:
    """The submitted values checked against the ballot's items. An agree/disagree ballot may have been given a
    statement since this process read it (at most :data:`~target87.priorities.selectors.BALLOT_SECONDS` ago): an
    item not found is looked for again in the ballot as it is now."""
    try:
        return _clean_values(ballot, items_by_id(ballot), values)
    except _UnknownItem:
        if ballot.method != Method.CONSENSUS:
            raise
        fresh = selectors.ballot_refresh(pk=ballot.pk)
        if fresh.items_version == ballot.items_version:
            raise
        return _clean_values(fresh, items_by_id(fresh), values)


def _clean_values(ballot: Ballot, items: dict[int, BallotItem], values: Mapping) -> dict[int, int]:
    """The submitted values by item id, checked against the method; raises ServiceError saying what is wrong."""
    by_code = selectors.ballot_item_index(ballot=ballot).by_code
    cleaned: dict[int, int] = {}
    for key, raw in values.items():
        item = by_code.get(str(key)) or items.get(key if isinstance(key, int) else whole_number(key) or -1)
        if item is None:
            raise _UnknownItem(
                {"items": [_("Item %(item)s is not on this ballot: nothing was recorded.") % {"item": key}]}
            )
        if raw in (None, ""):
            continue
        value = whole_number(raw)
        if value is None:
            raise ServiceError(
                {item.code: [_("“%(value)s” for %(item)s is not a whole number.") % {"value": raw, "item": item.code}]}
            )
        cleaned[item.pk] = value
    return _CHECKS[ballot.method](ballot, items, cleaned)


def _dots(ballot: Ballot, items, cleaned: dict[int, int]) -> dict[int, int]:
    if any(v < 0 for v in cleaned.values()):
        raise ServiceError({"items": [_("A number of dots cannot be negative.")]})
    total = sum(cleaned.values())
    if total > ballot.dots:
        raise ServiceError(
            {
                "items": [
                    _("You placed %(placed)d dots but have %(limit)d: take some off.")
                    % {"placed": total, "limit": ballot.dots}
                ]
            }
        )
    if total == 0:
        raise ServiceError({"items": [_("Place at least one dot.")]})
    return cleaned


def _approval(ballot: Ballot, items, cleaned: dict[int, int]) -> dict[int, int]:
    if any(v not in (0, 1) for v in cleaned.values()):
        raise ServiceError({"items": [_("An approval is yes (1) or no (0).")]})
    return {pk: cleaned.get(pk, 0) for pk in items}


def _score(ballot: Ballot, items, cleaned: dict[int, int]) -> dict[int, int]:
    bad = [items[pk].code for pk, v in cleaned.items() if not 0 <= v <= 5]
    if bad:
        raise ServiceError({"items": [_("Scores run from 0 to 5 (check %(items)s).") % {"items": ", ".join(bad)}]})
    if not cleaned:
        raise ServiceError({"items": [_("Score at least one item.")]})
    return cleaned


def _ranked(ballot: Ballot, items, cleaned: dict[int, int]) -> dict[int, int]:
    if not cleaned:
        raise ServiceError({"items": [_("Rank at least one item: 1 for your first choice.")]})
    by_position: dict[int, list[str]] = {}
    for pk, position in sorted(cleaned.items(), key=lambda kv: items[kv[0]].code):
        by_position.setdefault(position, []).append(items[pk].code)
    repeated = {p: codes for p, codes in by_position.items() if len(codes) > 1}
    if repeated:
        position, codes = min(repeated.items())
        raise ServiceError(
            {
                "items": [
                    _("You gave position %(position)d to %(items)s: give each item its own position.")
                    % {"position": position, "items": _(" and ").join(codes)}
                ]
            }
        )
    if sorted(by_position) != list(range(1, len(cleaned) + 1)):
        raise ServiceError(
            {
                "items": [
                    _(
                        "Number your choices 1, 2, 3… without gaps: you ranked %(count)d items, so "
                        "use the positions 1 to %(count)d."
                    )
                    % {"count": len(cleaned)}
                ]
            }
        )
    return cleaned


def _statements(ballot: Ballot, items, cleaned: dict[int, int]) -> dict[int, int]:
    if any(v not in (1, -1, 0) for v in cleaned.values()):
        raise ServiceError({"items": [_("A vote on a statement is agree, disagree or pass.")]})
    if not cleaned:
        raise ServiceError({"items": [_("Choose agree, disagree or pass.")]})
    return cleaned


#: what each method asks of the values submitted (pairwise ballots are voted by pairs, not through these)
_CHECKS = {
    Method.DOTS: _dots,
    Method.APPROVAL: _approval,
    Method.SCORE: _score,
    **dict.fromkeys(RANKED, _ranked),
    Method.CONSENSUS: _statements,
}


def audit_first_vote(participant: Participant, ballot: Ballot, action: str, changes: dict | None = None) -> None:
    """The audit entry of a participant's first vote on a ballot (later votes are kept in the votes)."""
    participation = participant.participation
    audit.record(
        actor=participation, action=action, obj=ballot, consultation=participation.consultation, changes=changes
    )


def vote_cast(*, participation: Participation | None, ballot: Ballot, values: Mapping) -> dict[int, int]:
    """Record a participant's vote; ``values`` maps items (id or code) to values.

    For dots, approval, score and ranked ballots the submission is the participant's whole ballot and replaces
    their previous one; for agree/disagree ballots each statement's vote replaces the previous vote on that
    statement only (see :func:`statement_vote`). Returns the stored values by item id.
    """
    if ballot.method == Method.PAIRWISE:
        raise ServiceError(_("This ballot is voted by choosing between pairs."))
    participation = voter_check(participation=participation, ballot=ballot)
    cleaned = _cleaned(ballot, values)
    if ballot.method == Method.CONSENSUS and len(cleaned) == 1:
        mine = _statement_vote(ballot, participation, cleaned)
        return {pk: mine[pk] for pk in cleaned}
    _cast_first_or_whole(ballot, participation, cleaned, timezone.now(), replace=ballot.method != Method.CONSENSUS)
    return cleaned


def statement_vote(*, participation: Participation | None, ballot: Ballot, item, value) -> dict[int, int]:
    """A participant's vote on one statement of an agree/disagree ballot (1 agree, −1 disagree, 0 pass; ``item``
    is its id or code), replacing their previous vote on that statement. Returns all their live votes on the
    ballot by item id, this one included: what the next statement is chosen from."""
    if ballot.method != Method.CONSENSUS:
        raise ServiceError(_("This ballot is not voted statement by statement."))
    participation = voter_check(participation=participation, ballot=ballot)
    return _statement_vote(ballot, participation, _cleaned(ballot, {item: value}))


def _statement_vote(ballot: Ballot, participation, cleaned: Mapping[int, int]) -> dict[int, int]:
    now = timezone.now()
    if participation.pk in writes.papers_known(ballot):
        ((item_id, value),) = cleaned.items()
        mine = None
        if writes.statement_votes_together():  # with the others of this process arriving meanwhile
            mine = writes.statement_vote(ballot, participation, item_id, value, now)
        else:
            vote = {
                "item_id": item_id,
                "participation_id": participation.pk,
                "value": value,
                "cast_at": connection.ops.adapt_datetimefield_value(now),
            }
            mine = writes.upsert_alone(
                ballot,
                Vote,
                vote,
                conflict=("item_id", "participation_id"),
                update=("value", "cast_at"),
                mine=(participation.pk, item_id),
            )
        if mine is not None:
            return mine
    _cast_first_or_whole(ballot, participation, cleaned, now, replace=False)
    return selectors.my_votes(ballot=ballot, participation=participation)


def items_by_id(ballot: Ballot) -> dict[int, BallotItem]:
    return selectors.ballot_item_index(ballot=ballot).by_pk


def _cast_first_or_whole(ballot: Ballot, participation, cleaned: Mapping[int, int], now, *, replace: bool) -> None:
    """A participant's first vote on the ballot, or a whole-ballot submission: the paper, then the votes (with
    ``replace``, the participant's votes on items not in ``cleaned`` are withdrawn), in one transaction."""
    with transaction.atomic():
        first = writes.open_paper(ballot, participation, now)
        if replace and not first:
            Vote.objects.filter(ballot_id=ballot.pk, participation_id=participation.pk).exclude(
                item_id__in=list(cleaned)
            ).delete()
        writes.upsert_votes(ballot, participation, cleaned, now)
        if first:
            audit_first_vote(participation, ballot, "vote.cast", {"items": len(cleaned)})
        writes.paper_written(ballot, participation)


def pairwise_choose(*, participation: Participation | None, ballot: Ballot, winner, loser) -> None:
    """Record that the participant preferred ``winner`` to ``loser``; a new choice on the same pair replaces it."""
    if ballot.method != Method.PAIRWISE:
        raise ServiceError(_("This ballot is not voted by pairs."))
    participation = voter_check(participation=participation, ballot=ballot)
    ids = {whole_number(winner), whole_number(loser)}
    items = {item.pk: item for item in selectors.ballot_items(ballot=ballot) if item.pk in ids}
    win, lose = items.get(whole_number(winner)), items.get(whole_number(loser))
    if win is None or lose is None:
        raise ServiceError({"items": [_("This pair is not on the ballot: nothing was recorded.")]})
    if win.pk == lose.pk:
        raise ServiceError({"items": [_("Choose between two different items.")]})
    first_id, second_id = sorted((win.pk, lose.pk))
    now = timezone.now()
    choice = {
        "participation_id": participation.pk,
        "first_id": first_id,
        "second_id": second_id,
        "winner_id": win.pk,
        "cast_at": connection.ops.adapt_datetimefield_value(now),
    }
    upsert = {"conflict": ("participation_id", "first_id", "second_id"), "update": ("winner_id", "cast_at")}
    if (
        participation.pk in writes.papers_known(ballot)
        and writes.upsert_alone(ballot, PairwiseChoice, choice, **upsert) is not None
    ):
        return
    with transaction.atomic():
        first = writes.open_paper(ballot, participation, now)
        writes.upsert_alone(ballot, PairwiseChoice, choice, **upsert)
        if first:
            audit_first_vote(participation, ballot, "vote.pairwise")
        writes.paper_written(ballot, participation)
