"""Conveners prepare, open and close ballots; what the items of a ballot are compared by."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from target87.consultations.models import Consultation, Session
from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.deliberation.models import Recommendation

from .. import selectors
from ..enums import BallotStatus, Method
from ..models import Ballot, BallotItem

MAX_DOTS = 100
MAX_ITEMS = 200
MAX_STATEMENT = 1000
MAX_LABEL = 200


_CLOSING = re.compile(r"[\s.!?;:…,。！？]+$")


def statement_key(text: str) -> str:
    """A statement as compared for duplicates: without case, repeated spaces or closing punctuation."""
    return _CLOSING.sub("", " ".join((text or "").split()).casefold())


def proposal_key(text: str) -> str:
    """What a proposed statement is kept under, once per ballot: a digest of its :func:`statement_key`."""
    return hashlib.sha256(statement_key(text).encode()).hexdigest()


def short_label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


# --- ballots ------------------------------------------------------------------------------------------


@transaction.atomic
def ballot_create(
    *,
    actor,
    consultation: Consultation,
    title: str,
    method: str,
    recommendations: Iterable[Recommendation] = (),
    statements: Iterable[str] = (),
    question: str = "",
    dots: int | None = None,
    session: Session | None = None,
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
    if method == Method.DOTS and (dots is None or not 1 <= dots <= MAX_DOTS):
        errors["dots"] = [_("Give each participant from 1 to %(max)d dots.") % {"max": MAX_DOTS}]
    if session is not None and session.consultation_id != consultation.pk:
        errors["session"] = [_("Choose a session of this consultation.")]
    found = {r.pk: r for r in recommendations or ()}
    if any(r.consultation_id != consultation.pk for r in found.values()):
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
        dots=dots if method == Method.DOTS else 10,
        created_by=actor,
        session=session,
        takes_proposals=bool(takes_proposals),
    )
    items = [
        BallotItem(ballot=ballot, recommendation=r, code=r.code, label=r.title, text=r.text)
        for r in sorted(found.values(), key=lambda r: r.number)
    ]
    items += [
        BallotItem(ballot=ballot, code=f"S{n}", label=short_label(t), text=t) for n, t in enumerate(texts, start=1)
    ]
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
