"""Who is voting, without a database query per vote.

Opening a personal access link, or loading a voting page, checks the participant in the database (registration
approved, link neither withdrawn nor expired) and gives the browser a signed *voter pass* cookie: the
participation, the access link, the consultation, the stakeholder group and when the link expires. A vote then
trusts the pass's signature (made with the site's secret key: it cannot be forged or altered) and checks it
against the consultation's withdrawn links, registrations no longer approved and observers (who follow the
consultation but do not vote), which each process reloads at most every :data:`REFRESH_SECONDS`. So a withdrawn
link, a registration declined or cancelled, or a participant made an observer, stops voting within two seconds
in every process — at once in the process that made the change, and at once on any page
load, which asks the database.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
import time

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from target87.people.enums import RegistrationStatus, Role
from target87.people.models import AccessLink, Participation

COOKIE = "target87_voter"
SALT = "target87.priorities.voter-pass"
#: how long a process may go on accepting votes through a link withdrawn (or a registration declined) elsewhere
REFRESH_SECONDS = 2.0


@dataclasses.dataclass(frozen=True)
class Voter:
    """A participant as their voter pass describes them (``pk`` is the participation's id)."""

    pk: int
    consultation_id: int
    group: str
    link_id: int
    expires: float

    def to_cookie(self) -> str:
        return signing.dumps(
            [self.pk, self.consultation_id, self.group, self.link_id, int(self.expires)], salt=SALT, compress=False
        )

    @classmethod
    def from_cookie(cls, value: str | None) -> Voter | None:
        """The voter a pass describes, if its signature holds (each process remembers the passes it has
        checked: a participant's every vote carries the same one)."""
        if not value:
            return None
        return _verified(value)


@functools.lru_cache(maxsize=8192)
def _verified(value: str) -> Voter | None:
    try:
        pk, consultation_id, group, link_id, expires = signing.loads(value, salt=SALT)
        return Voter(int(pk), int(consultation_id), str(group), int(link_id), float(expires))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def voter_for(participation: Participation, link: AccessLink) -> Voter:
    return Voter(
        pk=participation.pk,
        consultation_id=participation.consultation_id,
        group=participation.person.stakeholder_group or "none",
        link_id=link.pk,
        expires=link.expires_at.timestamp(),
    )


def give_pass(response, voter: Voter) -> None:
    response.set_cookie(
        COOKIE,
        voter.to_cookie(),
        max_age=max(0, int(voter.expires - time.time())),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def take_pass(response) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


# --- what each process knows of withdrawn links and registrations no longer approved ---------------------------

_lock = threading.Lock()
_refused: dict[int, tuple[float, frozenset[int], frozenset[int], frozenset[int]]] = {}


def observer_refusal() -> str:
    return _("Observers follow the consultation but do not vote.")


def _load(consultation_id: int) -> tuple[float, frozenset[int], frozenset[int], frozenset[int]]:
    links = AccessLink.objects.filter(participation__consultation_id=consultation_id, revoked_at__isnull=False)
    participations = Participation.objects.filter(consultation_id=consultation_id).order_by()
    return (
        time.monotonic(),
        frozenset(links.order_by().values_list("pk", flat=True)),
        frozenset(participations.exclude(status=RegistrationStatus.APPROVED).values_list("pk", flat=True)),
        frozenset(participations.filter(role=Role.OBSERVER).values_list("pk", flat=True)),
    )


def _refusals(consultation_id: int) -> tuple[float, frozenset[int], frozenset[int], frozenset[int]]:
    entry = _refused.get(consultation_id)
    if entry is None or time.monotonic() - entry[0] > REFRESH_SECONDS:
        with _lock:
            entry = _refused.get(consultation_id)
            if entry is None or time.monotonic() - entry[0] > REFRESH_SECONDS:
                entry = _refused[consultation_id] = _load(consultation_id)
    return entry


def forget(consultation_id: int | None = None) -> None:
    """Reload the refusals at the next vote (all consultations' when no id is given)."""
    if consultation_id is None:
        _refused.clear()
    else:
        _refused.pop(consultation_id, None)


def check(voter: Voter, *, consultation_id: int) -> Voter:
    """The voter, if their pass lets them act in the consultation; else :class:`PermissionDenied` saying why."""
    if voter.consultation_id != consultation_id:
        raise PermissionDenied(_("Your access link is for another consultation."))
    if voter.expires <= time.time():
        raise PermissionDenied(_("This access link has expired. Ask the organisers for a new one."))
    _loaded, links, participations, observers = _refusals(consultation_id)
    if voter.pk in participations:
        raise PermissionDenied(_("Your registration is not approved, so you cannot take part here."))
    if voter.link_id in links:
        raise PermissionDenied(_("This access link has been withdrawn. Ask the organisers for a new one."))
    if voter.pk in observers:
        raise PermissionDenied(observer_refusal())
    return voter


def _changed(sender, instance, **kwargs) -> None:
    if sender is Participation:
        forget(instance.consultation_id)
    else:
        forget()


post_save.connect(_changed, sender=Participation, dispatch_uid="priorities.voters.participation")
post_save.connect(_changed, sender=AccessLink, dispatch_uid="priorities.voters.link")
post_delete.connect(_changed, sender=AccessLink, dispatch_uid="priorities.voters.link-delete")
