"""Who a participant is, for every app: one value (:class:`Participant`) and one check (:func:`participant_require`).

Participants have no account. Their personal access link (a signed token, see
:func:`target87.people.services.access_link_issue`) is resolved once, when it is opened
(:func:`target87.people.services.access_link_resolve`); the browser then carries a signed **participant pass**
(:meth:`Participant.to_pass`, a cookie set by :mod:`target87.people.access`): the participation, the link, the
consultation, the stakeholder group and when the link expires. It is signed with the site's secret key, so it can
be neither forged nor altered.

A participant's *standing* — registration approved, link withdrawn, observer — is known one of two ways:

* read from the database with the participation (:func:`participant_read`, :func:`participant_of`): every page
  load, and every write that is rare (a contribution, a proposed statement);
* from what this process knows of the consultation (its withdrawn links, registrations no longer approved and
  observers), reloaded at most every :data:`REFRESH_SECONDS` and at once in the process that made a change: the
  votes of a plenary voting at once, which trust the pass and need no query to know who votes. So a withdrawn link,
  a registration declined or a participant made an observer stops voting within two seconds in every process.

Both are judged by the same rules (:mod:`target87.people.rules`).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import threading
import time

import cachetools
from django.core import signing
from django.db.models.signals import post_delete, post_save

from .enums import RegistrationStatus, Role
from .models import AccessLink, Participation
from .refusals import Refusal
from .rules import refusal_reason

PASS_SALT = "target87.people.participant-pass"
#: how long a process may go on accepting votes through a link withdrawn (or a registration declined) elsewhere
REFRESH_SECONDS = 2.0
#: the group of a participant whose organisation has none
NO_GROUP = "none"


@dataclasses.dataclass(frozen=True, slots=True)
class Standing:
    """What is known of a participant's right to act at one moment: what the rules judge
    (:mod:`target87.people.rules`)."""

    consultation_id: int
    expires: float
    approved: bool
    withdrawn: bool
    observer: bool


@dataclasses.dataclass(frozen=True, eq=False)
class Participant:
    """A participant of one consultation (``pk`` is the participation's id), as a pass or the database says."""

    pk: int
    consultation_id: int
    group: str
    link_id: int = 0  # 0: known without a link (a service called with a participation)
    expires: float = math.inf
    #: as read from the database with the participation; None: as this process knows it (see :func:`_known`)
    known: Standing | None = None
    row: Participation | None = dataclasses.field(default=None, repr=False)

    def standing(self) -> Standing:
        if self.known is not None:
            return self.known
        links, unapproved, observers = _known(self.consultation_id)
        return Standing(
            self.consultation_id, self.expires, self.pk not in unapproved, self.link_id in links, self.pk in observers
        )

    @property
    def participation(self) -> Participation:
        """The participation itself (read from the database if this participant came from a pass)."""
        if self.row is not None:
            return self.row
        return Participation.objects.select_related("person__organisation", "consultation").get(pk=self.pk)

    def to_pass(self) -> str:
        return signing.dumps(
            [self.pk, self.consultation_id, self.group, self.link_id, int(self.expires)], salt=PASS_SALT, compress=False
        )

    @classmethod
    def from_pass(cls, value: str | None) -> Participant | None:
        """The participant a pass describes, if its signature holds (each process remembers the passes it has
        checked: a participant's every vote carries the same one)."""
        return _verified(value) if value else None


@functools.lru_cache(maxsize=8192)
def _verified(value: str) -> Participant | None:
    try:
        pk, consultation_id, group, link_id, expires = signing.loads(value, salt=PASS_SALT)
        return Participant(int(pk), int(consultation_id), str(group), int(link_id), float(expires))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def participant_of(participation: Participation | Participant, link: AccessLink | None = None) -> Participant:
    """A participation (as read from the database, with its link if known) as a :class:`Participant`."""
    if isinstance(participation, Participant):
        return participation
    expires = link.expires_at.timestamp() if link is not None else math.inf
    return Participant(
        pk=participation.pk,
        consultation_id=participation.consultation_id,
        group=participation.person.stakeholder_group or NO_GROUP,
        link_id=link.pk if link is not None else 0,
        expires=expires,
        known=Standing(
            consultation_id=participation.consultation_id,
            expires=expires,
            approved=participation.status == RegistrationStatus.APPROVED,
            withdrawn=link is not None and link.revoked_at is not None,
            observer=participation.role == Role.OBSERVER,
        ),
        row=participation,
    )


def participant_read(held: Participant) -> Participant | None:
    """The participant a pass names, read again from the database with its link (None if the link is gone)."""
    link = (
        AccessLink.objects.select_related("participation__person__organisation", "participation__consultation")
        .filter(pk=held.link_id, participation_id=held.pk)
        .first()
    )
    return None if link is None else participant_of(link.participation, link)


def participant_require(participant: Participant | Participation | None, action: str, consultation) -> Participant:
    """The participant, if they may do ``action`` ("contribute", "vote", "propose", "ask") in the consultation
    (an object or its id); else :class:`~target87.people.refusals.Refusal` saying why."""
    if isinstance(participant, Participation):
        participant = participant_of(participant)
    consultation_id = getattr(consultation, "pk", consultation)
    reason = refusal_reason(participant, action, consultation_id)
    if reason is not None:
        raise Refusal(reason, consultation=consultation)
    return participant


# --- what each process knows of withdrawn links, registrations no longer approved and observers -----------------


@cachetools.cached(cachetools.TTLCache(1024, REFRESH_SECONDS, timer=lambda: time.monotonic()), lock=threading.Lock())
def _known(consultation_id: int) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """The consultation's withdrawn links, registrations not approved and observers, as this process knows them
    (read again at most every :data:`REFRESH_SECONDS`)."""
    links = AccessLink.objects.filter(participation__consultation_id=consultation_id, revoked_at__isnull=False)
    participations = Participation.objects.filter(consultation_id=consultation_id).order_by()
    return (
        frozenset(links.order_by().values_list("pk", flat=True)),
        frozenset(participations.exclude(status=RegistrationStatus.APPROVED).values_list("pk", flat=True)),
        frozenset(participations.filter(role=Role.OBSERVER).values_list("pk", flat=True)),
    )


def forget(consultation_id: int | None = None) -> None:
    """Read what this process knows again at the next check (of every consultation when no id is given)."""
    with _known.cache_lock:
        if consultation_id is None:
            _known.cache.clear()
        else:
            _known.cache.pop(_known.cache_key(consultation_id), None)


def _changed(sender, instance, **kwargs) -> None:
    forget(instance.consultation_id if sender is Participation else None)


post_save.connect(_changed, sender=Participation, dispatch_uid="people.participants.participation")
post_save.connect(_changed, sender=AccessLink, dispatch_uid="people.participants.link")
post_delete.connect(_changed, sender=AccessLink, dispatch_uid="people.participants.link-delete")
