"""Every change to ballots and votes goes through here.

Conveners create, open and close ballots (``actor``, checked with ``require``). Participants vote through
their access link (``participation``, checked by :func:`voter_check`): a vote on a closed ballot, an unknown
item, a ranking with repeated positions or too many dots raises
:class:`~target87.core.errors.ServiceError` and stores nothing. A second vote replaces the first: each
submission is an upsert on the database's one-live-vote constraint.

A participant's first vote on a ballot is one transaction: the paper's upsert, made only if the ballot is open
(its status read under a key-share lock on PostgreSQL, so a closing either counts the vote or refuses it, never
neither), then the votes' upserts and the audit entry. A whole-ballot submission (dots, approval, score, ranked)
is always such a transaction: the paper's upsert locks its row, so two submissions of the same participant wait
for each other rather than interleave. On ballots voted one statement or one pair at a time, once this process
has seen the participant's paper written, each further vote is a single statement of its own — the upsert of
that one vote, made only if the ballot is open — which is what lets a plenary of hundreds vote at once (on
PostgreSQL, the statement votes arriving together in a process share one such statement: see
:mod:`~target87.priorities.writes`, where every statement that stores votes lives). The
audit log gets one entry per participant and ballot, at their first vote: later votes are in the votes
themselves, each with the time it was cast.

A ballot's items are set while it is being prepared (:func:`ballot_item_add`, :func:`ballot_item_update`,
:func:`ballot_item_remove`, :func:`ballot_items_reorder`); once it is open they stay as they are, except on an
agree/disagree ballot that takes proposals, where a participant's statement (:func:`statement_propose`) becomes a
new item when the convener accepts it (:func:`proposal_accept`). Every change to the items counts up the ballot's
``items_version`` in the same transaction, under the ballot's row lock: each process's cache of the items is keyed
on it (see :func:`target87.priorities.selectors.ballot_items`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from target87.consultations.models import Consultation, Session
from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.deliberation.models import Recommendation
from target87.people.models import Participation
from target87.people.participants import Participant, participant_require
from target87.people.refusals import Refusal

from . import selectors, writes
from .enums import RANKED, BallotStatus, Method, ProposalStatus
from .models import PROPOSAL_LENGTH, Ballot, BallotItem, PairwiseChoice, StatementProposal, Vote
from .writes import NO_GROUP, voter_group  # noqa: F401 (part of this module's interface)

MAX_DOTS = 100
MAX_ITEMS = 200
MAX_STATEMENT = 1000
MAX_LABEL = 200
#: how many of a participant's proposed statements may wait for review on one ballot at a time
MAX_PENDING = 5


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


_CLOSING = re.compile(r"[\s.!?;:…,。！？]+$")


def statement_key(text: str) -> str:
    """A statement as compared for duplicates: without case, repeated spaces or closing punctuation."""
    return _CLOSING.sub("", " ".join((text or "").split()).casefold())


def proposal_key(text: str) -> str:
    """What a proposed statement is kept under, once per ballot: a digest of its :func:`statement_key`."""
    return hashlib.sha256(statement_key(text).encode()).hexdigest()


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


# --- ballots -------------------------------------------------------------------------------------------


@transaction.atomic
def ballot_create(
    *,
    actor,
    consultation: Consultation,
    title: str,
    method: str,
    recommendations: Iterable = (),
    statements: Iterable[str] = (),
    question: str = "",
    dots: int | None = None,
    session=None,
    takes_proposals: bool = False,
) -> Ballot:
    """A ballot (being prepared) on recommendations of the consultation and, for agree/disagree, statements.

    ``takes_proposals`` (agree/disagree only): while it is open, participants may propose statements, which the
    convener reviews before they are voted on."""
    require(actor, "priorities.manage_ballot", consultation)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the ballot a title.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the title under 200 characters.")]
    if method not in Method.values:
        errors["method"] = [_("Choose a method from the list.")]
    if method == Method.DOTS and (dots is None or not 1 <= int(dots) <= MAX_DOTS):
        errors["dots"] = [_("Give each participant from 1 to %(max)d dots.") % {"max": MAX_DOTS}]
    if session not in (None, ""):
        session = (
            Session.objects.filter(consultation=consultation, pk=getattr(session, "pk", session)).first()
            if str(getattr(session, "pk", session)).isdecimal()
            else None
        )
        if session is None:
            errors["session"] = [_("Choose a session of this consultation.")]
    else:
        session = None
    ids = [r.pk if isinstance(r, Recommendation) else r for r in recommendations or []]
    found = {
        r.pk: r
        for r in Recommendation.objects.filter(consultation=consultation, pk__in=[i for i in ids if str(i).isdecimal()])
    }
    if len(found) != len(set(ids)):
        errors["recommendations"] = [_("Choose recommendations of this consultation.")]
    texts = [s.strip() for s in statements or [] if s and s.strip()]
    if texts and method != Method.CONSENSUS:
        errors["statements"] = [
            _("Statements are voted on with agree / disagree; choose that method or leave them out.")
        ]
    if any(len(t) > MAX_STATEMENT for t in texts):
        errors["statements"] = [_("Keep each statement under 1,000 characters.")]
    elif len({statement_key(t) for t in texts}) < len(texts):
        errors["statements"] = [_("Each statement appears once: remove the repeated ones.")]
    if takes_proposals and method != Method.CONSENSUS:
        errors["takes_proposals"] = [_("Participants propose statements on agree / disagree ballots only.")]
    count = len(found) + len(texts)
    if count < 2 and "recommendations" not in errors:
        errors["recommendations"] = [_("A ballot needs at least two items.")]
    elif count > MAX_ITEMS:
        errors["recommendations"] = [_("A ballot holds at most %(max)d items.") % {"max": MAX_ITEMS}]
    if errors:
        raise ServiceError(errors)
    ballot = Ballot.objects.create(
        consultation=consultation,
        title=title,
        question=(question or "").strip(),
        method=method,
        dots=int(dots) if method == Method.DOTS else 10,
        created_by=actor,
        session=session,
        takes_proposals=bool(takes_proposals),
    )
    items = [
        BallotItem(ballot=ballot, recommendation=r, code=r.code, label=r.title, text=r.text)
        for r in sorted(found.values(), key=lambda r: r.number)
    ]
    items += [BallotItem(ballot=ballot, code=f"S{n}", label=_short(t), text=t) for n, t in enumerate(texts, start=1)]
    for position, item in enumerate(items, start=1):
        item.position = position
    BallotItem.objects.bulk_create(items)
    audit.record(
        actor=actor,
        action="ballot.create",
        obj=ballot,
        consultation=consultation,
        changes={"method": method, "items": [i.code for i in items], "takes_proposals": ballot.takes_proposals},
    )
    return ballot


@transaction.atomic
def ballot_open(*, actor, ballot: Ballot) -> Ballot:
    require(actor, "priorities.manage_ballot", ballot.consultation)
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.status != BallotStatus.DRAFT:
        raise ServiceError(
            _("Only a ballot being prepared can be opened; this one is %(status)s.")
            % {"status": ballot.get_status_display().lower()}
        )
    ballot.status = BallotStatus.OPEN
    ballot.opened_at = timezone.now()
    ballot.save(update_fields=["status", "opened_at"])
    audit.record(actor=actor, action="ballot.open", obj=ballot, consultation=ballot.consultation)
    return ballot


@transaction.atomic
def ballot_close(*, actor, ballot: Ballot) -> Ballot:
    """Close the ballot: no more votes; the result is counted once and kept with the ballot."""
    require(actor, "priorities.manage_ballot", ballot.consultation)
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.status != BallotStatus.OPEN:
        raise ServiceError(
            _("Only an open ballot can be closed; this one is %(status)s.")
            % {"status": ballot.get_status_display().lower()}
        )
    ballot.result = selectors.ballot_count(ballot=ballot)
    ballot.status = BallotStatus.CLOSED
    ballot.closed_at = timezone.now()
    ballot.save(update_fields=["status", "closed_at", "result"])
    audit.record(
        actor=actor,
        action="ballot.close",
        obj=ballot,
        consultation=ballot.consultation,
        changes={"participants": ballot.result["participants"], "votes": ballot.result["votes"]},
    )
    return ballot


# --- votes ---------------------------------------------------------------------------------------------


def _whole(value) -> int | None:
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
        return _clean_values(ballot, _items(ballot), values)
    except _UnknownItem:
        if ballot.method != Method.CONSENSUS:
            raise
        fresh = selectors.ballot_refresh(pk=ballot.pk)
        if fresh.items_version == ballot.items_version:
            raise
        return _clean_values(fresh, _items(fresh), values)


def _clean_values(ballot: Ballot, items: dict[int, BallotItem], values: Mapping) -> dict[int, int]:
    """The submitted values by item id, checked against the method; raises ServiceError saying what is wrong."""
    by_code = selectors.ballot_item_index(ballot=ballot).by_code
    cleaned: dict[int, int] = {}
    for key, raw in values.items():
        item = by_code.get(str(key)) or items.get(key if isinstance(key, int) else _whole(key) or -1)
        if item is None:
            raise _UnknownItem(
                {"items": [_("Item %(item)s is not on this ballot: nothing was recorded.") % {"item": key}]}
            )
        if raw in (None, ""):
            continue
        value = _whole(raw)
        if value is None:
            raise ServiceError(
                {item.code: [_("“%(value)s” for %(item)s is not a whole number.") % {"value": raw, "item": item.code}]}
            )
        cleaned[item.pk] = value
    method = ballot.method
    if method == Method.DOTS:
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
    elif method == Method.APPROVAL:
        if any(v not in (0, 1) for v in cleaned.values()):
            raise ServiceError({"items": [_("An approval is yes (1) or no (0).")]})
        cleaned = {pk: cleaned.get(pk, 0) for pk in items}
    elif method == Method.SCORE:
        bad = [items[pk].code for pk, v in cleaned.items() if not 0 <= v <= 5]
        if bad:
            raise ServiceError({"items": [_("Scores run from 0 to 5 (check %(items)s).") % {"items": ", ".join(bad)}]})
        if not cleaned:
            raise ServiceError({"items": [_("Score at least one item.")]})
    elif method in RANKED:
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
    elif method == Method.CONSENSUS:
        if any(v not in (1, -1, 0) for v in cleaned.values()):
            raise ServiceError({"items": [_("A vote on a statement is agree, disagree or pass.")]})
        if not cleaned:
            raise ServiceError({"items": [_("Choose agree, disagree or pass.")]})
    return cleaned


def _audit_first(participant: Participant, ballot: Ballot, action: str, changes: dict | None = None) -> None:
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


def _items(ballot: Ballot) -> dict[int, BallotItem]:
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
            _audit_first(participation, ballot, "vote.cast", {"items": len(cleaned)})
        writes.paper_written(ballot, participation)


def pairwise_choose(*, participation: Participation | None, ballot: Ballot, winner, loser) -> None:
    """Record that the participant preferred ``winner`` to ``loser``; a new choice on the same pair replaces it."""
    if ballot.method != Method.PAIRWISE:
        raise ServiceError(_("This ballot is not voted by pairs."))
    participation = voter_check(participation=participation, ballot=ballot)
    ids = {_whole(winner), _whole(loser)}
    items = {item.pk: item for item in selectors.ballot_items(ballot=ballot) if item.pk in ids}
    win, lose = items.get(_whole(winner)), items.get(_whole(loser))
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
            _audit_first(participation, ballot, "vote.pairwise")
        writes.paper_written(ballot, participation)


# --- the items of a ballot being prepared ----------------------------------------------------------------------


def _locked(actor, ballot: Ballot) -> Ballot:
    """The ballot, locked for a change to its items by a convener. The lock (``FOR NO KEY UPDATE`` on PostgreSQL)
    makes two such changes take turns, and a closing wait for them, but lets votes go on meanwhile: their
    ``FOR KEY SHARE`` does not wait for it."""
    require(actor, "priorities.manage_ballot", ballot.consultation)
    return Ballot.objects.select_related("consultation").select_for_update(of=("self",), no_key=True).get(pk=ballot.pk)


def _draft(actor, ballot: Ballot) -> Ballot:
    """The ballot, locked, if its items may still be changed; else ServiceError saying why not."""
    ballot = _locked(actor, ballot)
    if ballot.status == BallotStatus.OPEN:
        if ballot.method == Method.CONSENSUS and ballot.takes_proposals:
            raise ServiceError(
                _(
                    "This ballot is open: participants are voting on its items, so they can no longer be changed. "
                    "Only statements proposed by participants are added, once you accept them."
                )
            )
        raise ServiceError(
            _("This ballot is open: participants are voting on its items, so they can no longer be changed.")
        )
    if ballot.status != BallotStatus.DRAFT:
        raise ServiceError(_("This ballot is closed: its items and its result are kept as they were voted."))
    return ballot


def _items_changed(ballot: Ballot) -> None:
    """Inside the change's transaction, the ballot locked: every process reads the items again."""
    ballot.items_version += 1
    ballot.save(update_fields=["items_version"])


def _duplicate(ballot: Ballot, label: str, *, leaving_out: int | None = None) -> BallotItem | None:
    key = statement_key(label)
    for item in BallotItem.objects.filter(ballot=ballot).exclude(pk=leaving_out):
        if statement_key(item.label) == key or (item.recommendation_id is None and statement_key(item.text) == key):
            return item
    return None


def _label_and_text(ballot: Ballot, label: str, text: str, *, statement: bool, leaving_out=None) -> tuple[str, str]:
    """The item's label and text, checked; a statement's label is its text, shortened if need be."""
    label, text = " ".join((label or "").split()), (text or "").strip()
    if statement and not label:
        label = _short(" ".join(text.split()))
    errors: dict[str, list[str]] = {}
    if not label:
        errors["label" if not statement else "text"] = [
            _("Write the statement.") if statement else _("Give the item a label.")
        ]
    elif len(label) > MAX_LABEL:
        errors["label"] = [_("Keep the label under 200 characters (it has %(count)d).") % {"count": len(label)}]
    if len(text) > MAX_STATEMENT:
        errors["text"] = [_("Keep the text under 1,000 characters (it has %(count)d).") % {"count": len(text)}]
    if not errors:
        twin = _duplicate(ballot, text if statement else label, leaving_out=leaving_out)
        if twin is not None:
            errors["label" if not statement else "text"] = [
                _("%(code)s already says this: each item appears once on a ballot.") % {"code": twin.code}
            ]
    if errors:
        raise ServiceError(errors)
    return label, text


def _next_statement_code(ballot: Ballot) -> str:
    numbers = [
        int(code[1:])
        for code in BallotItem.objects.filter(ballot=ballot, code__startswith="S").values_list("code", flat=True)
        if code[1:].isdecimal()
    ]
    return f"S{max(numbers, default=0) + 1}"


def _next_position(ballot: Ballot) -> int:
    return (BallotItem.objects.filter(ballot=ballot).aggregate(last=Max("position"))["last"] or 0) + 1


def _set_positions(ballot: Ballot, order: list[int]) -> None:
    """The items in ``order`` (their ids), numbered from 1: moved out of the way first, so that no two items ever
    share a position (the database's constraint is checked row by row)."""
    items = {item.pk: item for item in BallotItem.objects.filter(ballot=ballot)}
    for item in items.values():
        item.position += MAX_ITEMS * 10
    BallotItem.objects.bulk_update(items.values(), ["position"])
    for position, pk in enumerate(order, start=1):
        items[pk].position = position
    BallotItem.objects.bulk_update(items.values(), ["position"])


@transaction.atomic
def ballot_item_add(
    *, actor, ballot: Ballot, label: str = "", text: str = "", recommendation: Recommendation | int | None = None
) -> BallotItem:
    """Add a recommendation of the consultation, or (agree/disagree ballots) a statement, at the end of the
    ballot being prepared."""
    ballot = _draft(actor, ballot)
    if BallotItem.objects.filter(ballot=ballot).count() >= MAX_ITEMS:
        raise ServiceError(_("A ballot holds at most %(max)d items.") % {"max": MAX_ITEMS})
    if recommendation not in (None, "") and ballot.method == Method.CONSENSUS and (text or label).strip():
        raise ServiceError({"text": [_("Choose a recommendation or write a statement, not both.")]})
    if recommendation not in (None, ""):
        pk = getattr(recommendation, "pk", recommendation)
        found = (
            Recommendation.objects.filter(consultation=ballot.consultation, pk=pk).first()
            if str(pk).isdecimal()
            else None
        )
        if found is None:
            raise ServiceError({"recommendation": [_("Choose a recommendation of this consultation.")]})
        if BallotItem.objects.filter(ballot=ballot, recommendation=found).exists():
            raise ServiceError({"recommendation": [_("%(code)s is already on this ballot.") % {"code": found.code}]})
        label, text = _label_and_text(ballot, label or found.title, text or found.text, statement=False)
        code = found.code
    else:
        if ballot.method != Method.CONSENSUS:
            raise ServiceError(
                {"text": [_("Statements are voted on with agree / disagree; on this ballot, add recommendations.")]}
            )
        label, text = _label_and_text(ballot, "", text or label, statement=True)
        code, found = _next_statement_code(ballot), None
    item = BallotItem.objects.create(
        ballot=ballot, recommendation=found, code=code, label=label, text=text, position=_next_position(ballot)
    )
    _items_changed(ballot)
    audit.record(
        actor=actor,
        action="ballot.item_add",
        obj=ballot,
        consultation=ballot.consultation,
        changes={"item": item.code, "label": item.label},
    )
    return item


def _item_still_there(ballot: Ballot, item: BallotItem) -> BallotItem:
    """The item as it is now that the ballot is locked (another convener, or a second click, may have taken it
    off meanwhile)."""
    found = BallotItem.objects.filter(pk=item.pk, ballot=ballot).first()
    if found is None:
        raise ServiceError(_("This item is no longer on the ballot."))
    return found


@transaction.atomic
def ballot_item_update(*, actor, item: BallotItem, label: str = "", text: str = "") -> BallotItem:
    """Change an item's label and text on a ballot being prepared (a statement's label follows its text)."""
    ballot = _draft(actor, item.ballot)
    item = _item_still_there(ballot, item)
    statement = item.recommendation_id is None and ballot.method == Method.CONSENSUS
    label, text = _label_and_text(ballot, "" if statement else label, text, statement=statement, leaving_out=item.pk)
    changes = audit.model_changes(item, {"label": label, "text": text})
    if changes:
        item.label, item.text = label, text
        item.save(update_fields=["label", "text"])
        _items_changed(ballot)
        audit.record(
            actor=actor,
            action="ballot.item_update",
            obj=ballot,
            consultation=ballot.consultation,
            changes={"item": item.code, **changes},
        )
    return item


@transaction.atomic
def ballot_item_remove(*, actor, item: BallotItem) -> None:
    """Take an item off a ballot being prepared; the others close up behind it."""
    ballot = _draft(actor, item.ballot)
    item = _item_still_there(ballot, item)
    order = list(BallotItem.objects.filter(ballot=ballot).order_by("position").values_list("pk", flat=True))
    if len(order) <= 2:
        raise ServiceError(_("A ballot needs at least two items: add another before taking this one off."))
    order.remove(item.pk)
    item.delete()
    _set_positions(ballot, order)
    _items_changed(ballot)
    audit.record(
        actor=actor,
        action="ballot.item_remove",
        obj=ballot,
        consultation=ballot.consultation,
        changes={"item": item.code, "label": item.label},
    )


@transaction.atomic
def ballot_items_reorder(*, actor, ballot: Ballot, order: Iterable) -> list[BallotItem]:
    """Put the items of a ballot being prepared in ``order`` (every item's id, once)."""
    ballot = _draft(actor, ballot)
    current = list(BallotItem.objects.filter(ballot=ballot).order_by("position").values_list("pk", "code"))
    wanted = [_whole(pk) for pk in order]
    if sorted(wanted, key=lambda pk: pk or 0) != sorted(pk for pk, _code in current):
        raise ServiceError(_("Give the order of every item of this ballot, each once."))
    if wanted != [pk for pk, _code in current]:
        _set_positions(ballot, wanted)
        _items_changed(ballot)
        codes = dict(current)
        audit.record(
            actor=actor,
            action="ballot.items_reorder",
            obj=ballot,
            consultation=ballot.consultation,
            changes={"order": [codes[pk] for pk in wanted]},
        )
    return list(BallotItem.objects.filter(ballot=ballot).order_by("position"))


def ballot_item_move(*, actor, item: BallotItem, by: int) -> list[BallotItem]:
    """Move an item up (``by`` −1) or down (+1) on a ballot being prepared."""
    order = list(BallotItem.objects.filter(ballot_id=item.ballot_id).order_by("position").values_list("pk", flat=True))
    if item.pk not in order:
        raise ServiceError(_("This item is not on the ballot."))
    at = order.index(item.pk)
    to = min(max(at + by, 0), len(order) - 1)
    order.insert(to, order.pop(at))
    return ballot_items_reorder(actor=actor, ballot=item.ballot, order=order)


@transaction.atomic
def ballot_proposals_set(*, actor, ballot: Ballot, allowed: bool) -> Ballot:
    """Let participants propose statements on an agree/disagree ballot (being prepared or open), or stop them."""
    ballot = _locked(actor, ballot)
    allowed = bool(allowed)
    if allowed and ballot.method != Method.CONSENSUS:
        raise ServiceError(_("Participants propose statements on agree / disagree ballots only."))
    if ballot.status == BallotStatus.CLOSED:
        raise ServiceError(_("This ballot is closed: its items and its result are kept as they were voted."))
    if ballot.takes_proposals != allowed:
        ballot.takes_proposals = allowed
        ballot.save(update_fields=["takes_proposals"])
        audit.record(
            actor=actor,
            action="ballot.proposals",
            obj=ballot,
            consultation=ballot.consultation,
            changes={"takes_proposals": allowed},
        )
    return ballot


# --- statements proposed by participants ---------------------------------------------------------------------


def statement_propose(*, participation: Participation | Participant | None, ballot: Ballot, text: str):
    """A participant proposes a statement on an open agree/disagree ballot that takes proposals. It waits for the
    convener's review (:func:`proposal_accept`, :func:`proposal_reject`) before anyone votes on it.

    Refused, with nothing stored: an empty statement, one over :data:`~target87.priorities.models.PROPOSAL_LENGTH`
    characters, one already on the ballot or already proposed, and more than :data:`MAX_PENDING` of the
    participant's statements waiting at once."""
    participation = participant_require(participation, "propose", ballot.consultation_id)
    if ballot.method != Method.CONSENSUS or not ballot.takes_proposals:
        raise ServiceError(_("This ballot does not take proposed statements."))
    status = Ballot.objects.filter(pk=ballot.pk).values_list("status", flat=True).first()
    if status == BallotStatus.CLOSED:
        raise ServiceError(_("This ballot is closed: your statement was not recorded."))
    if status != BallotStatus.OPEN:
        raise ServiceError(_("This ballot is not open yet: your statement was not recorded."))
    text = " ".join((text or "").split())
    if not text:
        raise ServiceError({"text": [_("Write your statement first.")]})
    if len(text) > PROPOSAL_LENGTH:
        raise ServiceError(
            {
                "text": [
                    _("Keep your statement to %(limit)d characters (it has %(count)d).")
                    % {"limit": PROPOSAL_LENGTH, "count": len(text)}
                ]
            }
        )
    key = proposal_key(text)
    twin = _duplicate(ballot, text)
    if twin is not None:
        raise ServiceError({"text": [_("%(code)s already says this: vote on it instead.") % {"code": twin.code}]})
    already = _("This statement has already been proposed: the organisers review it once.")
    if StatementProposal.objects.filter(ballot=ballot, key=key).exists():
        raise ServiceError({"text": [already]})
    try:
        with transaction.atomic():
            # the participant's row locked: two quick submits count each other's waiting statements
            list(Participation.objects.select_for_update().filter(pk=participation.pk).values_list("pk", flat=True))
            waiting = StatementProposal.objects.filter(
                ballot=ballot, participation_id=participation.pk, status=ProposalStatus.PENDING
            ).count()
            if waiting >= MAX_PENDING:
                raise ServiceError(
                    {
                        "text": [
                            _("%(count)d of your statements are waiting for review: propose more once they are read.")
                            % {"count": waiting}
                        ]
                    }
                )
            proposal = StatementProposal.objects.create(
                ballot_id=ballot.pk,
                participation_id=participation.pk,
                group=voter_group(participation),
                text=text,
                key=key,
                created_at=timezone.now(),
            )
            audit.record(
                actor=participation.participation,
                action="statement.propose",
                obj=proposal,
                consultation=ballot.consultation,
                changes={"ballot": ballot.pk, "text": text},
            )
    except IntegrityError:  # the same statement, proposed at the same moment by someone else
        raise ServiceError({"text": [already]}) from None
    return proposal


def _pending(actor, proposal: StatementProposal) -> tuple[Ballot, StatementProposal]:
    """The proposal's ballot and the proposal, both locked, if the proposal still waits for review."""
    ballot = _locked(actor, proposal.ballot)
    proposal = StatementProposal.objects.select_for_update().get(pk=proposal.pk, ballot=ballot)
    if proposal.status != ProposalStatus.PENDING:
        raise ServiceError(
            _("This statement has already been reviewed: it is %(status)s.")
            % {"status": proposal.get_status_display().lower()}
        )
    return ballot, proposal


@transaction.atomic
def proposal_accept(*, actor, proposal: StatementProposal) -> BallotItem:
    """Put a proposed statement to the vote: a new item at the end of the open ballot (the next S code), which
    every process serves within :data:`~target87.priorities.selectors.BALLOT_SECONDS`."""
    ballot, proposal = _pending(actor, proposal)
    if ballot.status != BallotStatus.OPEN:
        raise ServiceError(
            _("Statements are accepted while the ballot is open; this one is %(status)s.")
            % {"status": ballot.get_status_display().lower()}
        )
    if BallotItem.objects.filter(ballot=ballot).count() >= MAX_ITEMS:
        raise ServiceError(_("A ballot holds at most %(max)d items.") % {"max": MAX_ITEMS})
    twin = _duplicate(ballot, proposal.text)
    if twin is not None:
        raise ServiceError(
            _("%(code)s already says this: leave this statement out rather than accept it.") % {"code": twin.code}
        )
    item = BallotItem.objects.create(
        ballot=ballot,
        code=_next_statement_code(ballot),
        label=_short(proposal.text),
        text=proposal.text,
        position=_next_position(ballot),
    )
    proposal.status, proposal.item = ProposalStatus.ACCEPTED, item
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
    proposal.save(update_fields=["status", "item", "decided_by", "decided_at"])
    _items_changed(ballot)
    _author_agrees(ballot, proposal, item)
    audit.record(
        actor=actor,
        action="statement.accept",
        obj=proposal,
        consultation=ballot.consultation,
        changes={"ballot": ballot.pk, "item": item.code},
    )
    return item


def _author_agrees(ballot: Ballot, proposal: StatementProposal, item: BallotItem) -> None:
    """As in Pol.is, whoever proposed a statement agrees with it: their vote is recorded as the statement is put
    to the vote (they may change it like any other). A proposer who may no longer vote (an observer now, a
    registration withdrawn) is left out: the statement then waits for their vote like every other one."""
    author = Participation.objects.select_related("person__organisation", "consultation").get(
        pk=proposal.participation_id
    )
    try:
        author = participant_require(author, "vote", ballot.consultation_id)
    except Refusal:
        return
    now = timezone.now()
    first = writes.open_paper(ballot, author, now)
    writes.upsert_votes(ballot, author, {item.pk: 1}, now)
    if first:
        _audit_first(author, ballot, "vote.cast", {"items": 1})
    writes.paper_written(ballot, author)


@transaction.atomic
def proposal_reject(*, actor, proposal: StatementProposal) -> StatementProposal:
    """Leave a proposed statement out of the vote: it stays hidden, kept for the record with who decided."""
    ballot, proposal = _pending(actor, proposal)
    proposal.status = ProposalStatus.REJECTED
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        action="statement.reject",
        obj=proposal,
        consultation=ballot.consultation,
        changes={"ballot": ballot.pk},
    )
    return proposal
