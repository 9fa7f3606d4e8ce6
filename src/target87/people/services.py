"""Every change to organisations, people and participations goes through here."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from target87.core import audit, countries
from target87.core.errors import ServiceError
from target87.core.permissions import require

from .enums import Gender, RegistrationStatus, Role, StakeholderGroup
from .models import AccessLink, Organisation, Participation, Person
from .participants import participant_of, participant_require
from .refusals import Reason, Refusal

ACCESS_SALT = "target87.people.access-link"


# --- people and organisations ----------------------------------------------------------------------


def person_for_user(*, user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(
            user=user, name=user.get_full_name() or user.get_username(), email=user.email or ""
        )
    return person


def organisation_get_or_create(*, name: str, stakeholder_group: str, country: str = "") -> Organisation:
    if stakeholder_group not in StakeholderGroup.values:
        raise ServiceError({"stakeholder_group": [_("Unknown stakeholder group.")]})
    organisation = Organisation.objects.filter(name__iexact=name.strip(), country=country).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=name.strip(), stakeholder_group=stakeholder_group, country=country
        )
    return organisation


def participation_set_role(*, consultation, person: Person, role: str, approved: bool = False) -> Participation:
    """Give a person a role in a consultation (used when setting up, not for public registration)."""
    participation, _created = Participation.objects.get_or_create(consultation=consultation, person=person)
    participation.role = role
    if approved:
        participation.status = RegistrationStatus.APPROVED
        participation.decided_at = timezone.now()
    participation.save()
    return participation


# --- registration -------------------------------------------------------------------------------------


@transaction.atomic
def registration_request(
    *,
    consultation,
    name: str,
    email: str,
    organisation: str,
    stakeholder_group: str,
    country: str,
    gender: str = "",
    languages: list[str] | None = None,
    topic_preferences: list[str] | None = None,
    access_needs: str = "",
    dietary_needs: str = "",
    motivation: str = "",
) -> Participation:
    """A member of the public asks to take part; the convener decides later. An address already registered gets
    its existing participation back, marked ``repeated`` (nothing changes; the view tells its owner by e-mail)."""
    if not consultation.is_public or consultation.status == "closed":
        raise ServiceError(_("Registration for this consultation is not open."))
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address, such as name@example.org.")]
    code = countries.lookup(country)
    if code is None:
        errors["country"] = [_("Choose a country from the list.")]
    if stakeholder_group not in StakeholderGroup.values:
        errors["stakeholder_group"] = [_("Choose a stakeholder group from the list.")]
    if gender and gender not in Gender.values:
        errors["gender"] = [_("Choose a value from the list.")]
    if errors:
        raise ServiceError(errors)
    person = Person.objects.filter(email__iexact=email).first()
    already = person and Participation.objects.filter(consultation=consultation, person=person).first()
    if already:
        # the page answers as for anyone (it must not tell who is registered); the address's owner is told by e-mail
        audit.record(actor=None, action="registration.repeat", obj=already, consultation=consultation)
        already.repeated = True
        return already
    org = organisation_get_or_create(name=organisation, stakeholder_group=stakeholder_group, country=code)
    if person is None:
        person = Person.objects.create(
            name=name.strip(),
            email=email.strip(),
            organisation=org,
            country=code,
            gender=gender,
            languages=languages or [],
        )
    participation = Participation.objects.create(
        consultation=consultation,
        person=person,
        role=Role.PARTICIPANT,
        status=RegistrationStatus.REQUESTED,
        topic_preferences=topic_preferences or [],
        access_needs=access_needs,
        dietary_needs=dietary_needs,
        motivation=motivation,
    )
    audit.record(actor=None, action="registration.request", obj=participation, consultation=consultation)
    return participation


@transaction.atomic
def participation_decide(*, actor, participation: Participation, status: str) -> Participation:
    require(actor, "consultations.manage", participation.consultation)
    if status not in (RegistrationStatus.APPROVED, RegistrationStatus.DECLINED, RegistrationStatus.CANCELLED):
        raise ServiceError(_("A registration can be approved, declined or cancelled."))
    changes = audit.model_changes(participation, {"status": status})
    participation.status = status
    participation.decided_at = timezone.now()
    participation.decided_by = actor
    participation.save(update_fields=["status", "decided_at", "decided_by"])
    if status != RegistrationStatus.APPROVED:
        participation.access_links.filter(revoked_at=None).update(revoked_at=timezone.now())
    audit.record(
        actor=actor,
        action=f"registration.{status}",
        obj=participation,
        consultation=participation.consultation,
        changes=changes,
    )
    return participation


@transaction.atomic
def participations_approve(*, actor, consultation, ids=None) -> list[Participation]:
    """Approve pending registrations at once: those of ``ids``, or every pending one when ``ids`` is None. One
    transaction: all are approved, or none. Each approval is audited as a single one is."""
    require(actor, "consultations.manage", consultation)
    pending = Participation.objects.select_for_update(of=("self",)).filter(
        consultation=consultation, status=RegistrationStatus.REQUESTED
    )
    if ids is not None:
        try:
            wanted = {int(pk) for pk in ids}
        except (TypeError, ValueError):
            raise ServiceError(
                _("The selection was not understood. Tick the registrations to approve again.")
            ) from None
        if not wanted:
            raise ServiceError(_("Tick at least one pending registration to approve, or approve all pending."))
        pending = pending.filter(pk__in=wanted)
    chosen = list(pending.select_related("person").order_by("person__name", "pk"))
    if not chosen:
        raise ServiceError(_("No pending registration to approve: they may have been decided already."))
    return [participation_decide(actor=actor, participation=p, status=RegistrationStatus.APPROVED) for p in chosen]


@transaction.atomic
def participation_update(*, actor, participation: Participation, **fields) -> Participation:
    require(actor, "consultations.manage", participation.consultation)
    allowed = {"role", "access_needs", "dietary_needs", "topic_preferences"}
    fields = {k: v for k, v in fields.items() if k in allowed}
    if "role" in fields and fields["role"] not in Role.values:
        raise ServiceError({"role": [_("Unknown role.")]})
    changes = audit.model_changes(participation, fields)
    for name, value in fields.items():
        setattr(participation, name, value)
    participation.save()
    audit.record(
        actor=actor,
        action="participation.update",
        obj=participation,
        consultation=participation.consultation,
        changes=changes,
    )
    return participation


# --- personal access links ---------------------------------------------------------------------------


@transaction.atomic
def access_link_issue(*, actor, participation: Participation, days: int | None = None) -> str:
    """A new personal link for an approved participant; returns the token to put in the URL."""
    require(actor, "consultations.manage", participation.consultation)
    link = _new_link(participation=participation, days=days)
    audit.record(actor=actor, action="access_link.issue", obj=participation, consultation=participation.consultation)
    return _token(link)


def _new_link(*, participation: Participation, days: int | None = None) -> AccessLink:
    if participation.status != RegistrationStatus.APPROVED:
        raise ServiceError(_("Only approved participants receive an access link."))
    expires = timezone.now() + dt.timedelta(days=days or settings.ACCESS_LINK_DAYS)
    return AccessLink.objects.create(participation=participation, nonce=secrets.token_urlsafe(12), expires_at=expires)


def _token(link: AccessLink) -> str:
    return signing.dumps([link.pk, link.nonce], salt=ACCESS_SALT, compress=True)


def access_link_token(*, link_id: int) -> str:
    """The token of a link this browser already holds a pass for (to show its calendar address again)."""
    return _token(AccessLink.objects.get(pk=link_id))


def access_link_current(*, actor, participation: Participation) -> str:
    """The participant's working link (a new one only when none is active), e.g. for a printed badge."""
    require(actor, "consultations.manage", participation.consultation)
    link = (
        participation.access_links.filter(revoked_at=None, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )
    return _token(link or _new_link(participation=participation))


def access_link_resolve(*, token: str) -> AccessLink:
    """The link a token opens (with its participation), if it opens one now; else a
    :class:`~target87.people.refusals.Refusal` saying why. The one place a link's token is resolved; whether the
    link still lets its participant take part is judged by the participant rules (:mod:`target87.people.rules`),
    as for every participant."""
    try:
        link_id, nonce = signing.loads(token, salt=ACCESS_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise Refusal(Reason.LINK_BROKEN) from None
    link = (
        AccessLink.objects.select_related("participation__consultation", "participation__person__organisation")
        .filter(pk=link_id)
        .first()
    )
    if link is None or not hmac.compare_digest(link.nonce, str(nonce)):
        raise Refusal(Reason.LINK_UNKNOWN)
    participation = link.participation
    participant_require(participant_of(participation, link), "take_part", participation.consultation)
    AccessLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return link


@transaction.atomic
def access_link_revoke_all(*, actor, participation: Participation) -> int:
    require(actor, "consultations.manage", participation.consultation)
    count = participation.access_links.filter(revoked_at=None).update(revoked_at=timezone.now())
    audit.record(actor=actor, action="access_link.revoke", obj=participation, consultation=participation.consultation)
    return count
