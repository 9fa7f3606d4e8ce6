"""Facilitators and rapporteurs, invited by the convener: an account tied to their person, and an e-mail with a
one-time link to choose a password, which signs them in and takes them to their group's capture page.

The link is Django's password-reset token for the account: it works once (choosing a password ends it) and
expires after ``PASSWORD_RESET_TIMEOUT``.
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.jobs.registry import job_kind
from target87.jobs.services import job_start

from . import mail
from .enums import RegistrationStatus, Role
from .models import Participation, Person

#: the roles that are invited to sign in (and capture contributions, draft recommendations)
INVITED_ROLES = (Role.FACILITATOR, Role.RAPPORTEUR)


def _person(*, name: str, email: str) -> Person:
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ServiceError({"email": [_("Enter a valid e-mail address, such as name@example.org.")]}) from None
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        if not name.strip():
            raise ServiceError({"name": [_("Give the person's name: nobody has this e-mail address yet.")]})
        person = Person.objects.create(name=name.strip(), email=email)
    return person


def _account(person: Person):
    """The person's account, made (with no password yet) if they have none."""
    if person.user_id:
        return person.user
    User = get_user_model()
    base = person.email.lower()
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    user = User(username=username[:150], email=person.email, first_name=person.name[:150])
    user.set_unusable_password()
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    return user


@transaction.atomic
def invitation_send(
    *, actor, consultation, base_url: str, participation=None, name: str = "", email: str = "", role: str = ""
):
    """Invite a facilitator or rapporteur (an existing participation, or a person named by e-mail) to sign in."""
    require(actor, "consultations.manage", consultation)
    if participation is None:
        if role not in INVITED_ROLES:
            raise ServiceError({"role": [_("Choose facilitator or rapporteur.")]})
        person = _person(name=name, email=email)
        participation, _created = Participation.objects.get_or_create(consultation=consultation, person=person)
    elif participation.consultation_id != consultation.pk:
        raise ServiceError(_("This person is not part of this consultation."))
    if role:
        participation.role = role
    if participation.role not in INVITED_ROLES:
        raise ServiceError(_("Only facilitators and rapporteurs are invited to sign in."))
    if not participation.person.email:
        raise ServiceError(_("%(name)s has no e-mail address.") % {"name": participation.person.name})
    participation.status = RegistrationStatus.APPROVED
    participation.decided_at = participation.decided_at or timezone.now()
    participation.decided_by = participation.decided_by or actor
    participation.save()
    _account(participation.person)
    audit.record(actor=actor, action="invitation.send", obj=participation, consultation=consultation)
    return job_start(
        kind="people.mail_invitation",
        title=_("Invite %(name)s to sign in") % {"name": participation.person.name},
        params={"base_url": base_url, "participation": participation.pk},
        actor=actor,
        consultation=consultation,
    )


def invitation_url(base_url: str, participation: Participation) -> str:
    user = participation.person.user
    path = reverse(
        "people:invitation",
        kwargs={
            "slug": participation.consultation.slug,
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return urljoin(base_url, path)


@job_kind("people.mail_invitation")
def mail_invitation_job(job, progress):
    participation = Participation.objects.select_related("person__user", "consultation").get(
        pk=job.params["participation"]
    )

    def message_for(row):
        return mail.compose(
            row,
            "invitation",
            url=invitation_url(job.params["base_url"], row),
            username=row.person.user.get_username(),
        )

    result = mail.send_each(job, progress, [participation], message_for)
    return result, reverse("people:manage_participants", kwargs={"slug": participation.consultation.slug})
