"""Statements proposed by participants on agree/disagree ballots, and the conveners' review of them."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.people.models import Participation
from target87.people.participants import Participant, participant_require
from target87.people.refusals import Refusal

from ..enums import BallotStatus, Method, ProposalStatus
from ..models import PROPOSAL_LENGTH, Ballot, BallotItem, StatementProposal
from . import writes
from .ballots import MAX_ITEMS, proposal_key, short_label
from .items import duplicate_of, items_changed, locked_for_items, next_position, next_statement_code
from .votes import audit_first_vote
from .writes import voter_group

#: how many of a participant's proposed statements may wait for review on one ballot at a time
MAX_PENDING = 5


@transaction.atomic
def ballot_proposals_set(*, actor, ballot: Ballot, allowed: bool) -> Ballot:
    """Let participants propose statements on an agree/disagree ballot (being prepared or open), or stop them."""
    ballot = locked_for_items(actor, ballot)
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
    twin = duplicate_of(ballot, text)
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
    ballot = locked_for_items(actor, proposal.ballot)
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
    twin = duplicate_of(ballot, proposal.text)
    if twin is not None:
        raise ServiceError(
            _("%(code)s already says this: leave this statement out rather than accept it.") % {"code": twin.code}
        )
    item = BallotItem.objects.create(
        ballot=ballot,
        code=next_statement_code(ballot),
        label=short_label(proposal.text),
        text=proposal.text,
        position=next_position(ballot),
    )
    proposal.status, proposal.item = ProposalStatus.ACCEPTED, item
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
    proposal.save(update_fields=["status", "item", "decided_by", "decided_at"])
    items_changed(ballot)
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
        audit_first_vote(author, ballot, "vote.cast", {"items": 1})
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
