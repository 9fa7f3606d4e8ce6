"""Walk-ins at a plenary: a participant who has not opened their personal link (or opened it on another device)
types the consultation's short join code, shown on the screen, and their e-mail address; if an approved
participant of that consultation has that address, a new personal link is e-mailed to them, in their language,
by a background job.

The page answers the same whether or not the address is known, so it tells nobody who is registered. How often a
network address, and an e-mail address, may ask is limited (:mod:`target87.core.ratelimit`): a venue's wifi is one
address for the whole room, so that limit is wide; the limit per e-mail address is narrow, so nobody's mailbox is
filled with links.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from target87.consultations.enums import SessionKind
from target87.core import audit, ratelimit
from target87.core.permissions import require
from target87.jobs.registry import job_kind
from target87.jobs.services import job_start

from . import mail, services
from .enums import RegistrationStatus
from .models import AccessLink, JoinCode, Participation

#: no 0/O, 1/I: a code read off a screen at the back of a room is typed right
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 6
#: the sessions whose screen shows the join code: those the whole room attends
PLENARY_KINDS = (SessionKind.PLENARY, SessionKind.EXPERT_PANEL, SessionKind.LUNCH_TALK)


# --- the code ----------------------------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _i in range(LENGTH))


def normalise(typed: str) -> str:
    """The code as typed, in capitals, without the spaces or dashes a reader may add."""
    return "".join(ch for ch in str(typed or "").upper() if ch not in " -\t\u00a0")


def join_code_get(consultation) -> JoinCode:
    """The consultation's join code, made the first time it is asked for."""
    found = JoinCode.objects.filter(consultation=consultation).first()
    if found is not None:
        return found
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return JoinCode.objects.create(consultation=consultation, code=_new_code())
        except IntegrityError:  # another page made it at the same moment, or the code is taken
            found = JoinCode.objects.filter(consultation=consultation).first()
            if found is not None:
                return found
    raise RuntimeError("no free join code after 10 attempts")  # 32⁶ codes: does not happen


@transaction.atomic
def join_code_renew(*, actor, consultation) -> JoinCode:
    """A new join code for the consultation; the old one stops working at once."""
    require(actor, "consultations.manage", consultation)
    join = join_code_get(consultation)
    old = join.code
    for _attempt in range(10):
        code = _new_code()
        if not JoinCode.objects.filter(code=code).exists():
            break
    join.code, join.created_at = code, timezone.now()
    join.save(update_fields=["code", "created_at"])
    audit.record(
        actor=actor, action="join_code.renew", obj=join, consultation=consultation, changes={"code": [old, code]}
    )
    return join


def consultation_for_code(typed: str):
    """The consultation whose join code this is, or None."""
    code = normalise(typed)
    if len(code) != LENGTH:
        return None
    join = JoinCode.objects.filter(code=code).select_related("consultation").first()
    return join.consultation if join is not None else None


@dataclasses.dataclass(frozen=True)
class JoinShown:
    """What a screen shows: the code, the address to type (short, without the scheme), and the address a QR code
    opens (with the code filled in)."""

    code: str
    short_address: str
    address: str
    qr_address: str


def join_shown(consultation, base_url: str) -> JoinShown:
    join = join_code_get(consultation)
    address = urljoin(base_url, reverse("people:join"))
    short = address.split("://", 1)[-1].rstrip("/")
    return JoinShown(join.code, short, address, f"{address}?{urlencode({'code': join.code})}")


def plenary_on(sessions) -> bool:
    """Whether one of the sessions (or the session) is one the whole room attends."""
    if sessions is None:
        return False
    if not isinstance(sessions, list | tuple):
        sessions = [sessions]
    return any(getattr(s, "kind", None) in PLENARY_KINDS for s in sessions)


# --- asking for the link -----------------------------------------------------------------------------------


def wait_for_address(address: str) -> int:
    """0 when this network address may ask once more, else the seconds until it may."""
    return ratelimit.wait_for(f"walkin:address:{address}", limit=settings.WALKIN_REQUESTS_PER_HOUR, seconds=3600)


def wait_for_email(email: str) -> int:
    """0 when a link may be asked for this e-mail address once more, else the seconds until it may."""
    return ratelimit.wait_for(
        f"walkin:email:{email.strip().lower()}", limit=settings.WALKIN_REQUESTS_PER_EMAIL_PER_HOUR, seconds=3600
    )


def participation_for(*, consultation, email: str) -> Participation | None:
    """The approved participation of the consultation whose person has this e-mail address."""
    email = email.strip()
    if not email:
        return None
    return (
        Participation.objects.filter(
            consultation=consultation, status=RegistrationStatus.APPROVED, person__email__iexact=email
        )
        .select_related("person", "consultation")
        .first()
    )


@transaction.atomic
def link_request(*, consultation, email: str, base_url: str) -> None:
    """E-mail a new personal link to the approved participant with this address, if there is one; nothing
    otherwise. Says nothing either way: the caller answers the same."""
    participation = participation_for(consultation=consultation, email=email)
    if participation is None:
        return
    job_start(
        kind="people.mail_walkin",
        title=_("E-mail %(name)s their personal link, asked for with the join code")
        % {"name": participation.person.name},
        params={"base_url": base_url, "participation": participation.pk},
        consultation=consultation,
    )


def _fresh_link(participation: Participation) -> str:
    """A new personal link for the participation (the ones they hold go on working)."""
    expires = timezone.now() + dt.timedelta(days=settings.ACCESS_LINK_DAYS)
    link = AccessLink.objects.create(participation=participation, nonce=secrets.token_urlsafe(12), expires_at=expires)
    audit.record(actor=None, action="access_link.walkin", obj=participation, consultation=participation.consultation)
    return services.access_link_token(link_id=link.pk)


@job_kind("people.mail_walkin")
def mail_walkin_job(job, progress):
    rows = Participation.objects.filter(
        pk=job.params["participation"], status=RegistrationStatus.APPROVED
    ).select_related("person", "consultation")

    def message_for(participation):
        url = mail.personal_url(job.params["base_url"], _fresh_link(participation))
        return mail.compose(participation, "link", url=url)

    result = mail.send_each(job, progress, rows, message_for)
    return result, ""
