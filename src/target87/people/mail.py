"""E-mail to the people of a consultation: the approval of a registration with the personal link, the link itself
(sent again, or to everyone at once), a facilitator's invitation and the opening of a ballot.

Mail goes through Django's e-mail backend as the settings configure it (SMTP in production, the console in
development), always from a background job (:mod:`target87.jobs`), one message per person, in that person's
language. A message the server refuses is named in the job's result and the others still go; a server that
cannot be reached fails the job with a message that says so.
"""

from __future__ import annotations

import smtplib
from email.utils import formataddr
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.jobs.registry import job_kind
from target87.jobs.services import job_start

from . import services
from .enums import RegistrationStatus, Role
from .models import Participation

#: what a message says, by name: its templates are ``people/mail/<name>.txt`` and ``<name>_subject.txt``
TEMPLATES = ("approved", "link", "ballot_open", "invitation", "registered_again")


def language_of(participation: Participation) -> str:
    """The language to write to a person in: the first of theirs the site speaks, else the consultation's."""
    available = {code for code, _name in settings.LANGUAGES}
    wanted = [*(participation.person.languages or []), *(participation.consultation.languages or [])]
    for code in wanted:
        code = str(code or "").split("-")[0].lower()
        if code in available:
            return code
    return settings.LANGUAGE_CODE


def compose(participation: Participation, template: str, **context) -> EmailMessage:
    """One message to the participation's person, written in their language."""
    person = participation.person
    language = language_of(participation)
    with translation.override(language):
        context = {
            "person": person,
            "participation": participation,
            "consultation": participation.consultation,
            "SITE_NAME": settings.SITE_NAME,
            **context,
        }
        subject = " ".join(render_to_string(f"people/mail/{template}_subject.txt", context).split())
        body = render_to_string(f"people/mail/{template}.txt", context)
    return EmailMessage(
        subject, body, to=[formataddr((person.name, person.email))], headers={"Content-Language": language}
    )


def personal_url(base_url: str, token: str, *, ballot=None) -> str:
    if ballot is not None:
        return urljoin(base_url, reverse("priorities:ballot_link", kwargs={"token": token, "pk": ballot.pk}))
    return urljoin(base_url, reverse("people:agenda", kwargs={"token": token}))


# --- starting the jobs --------------------------------------------------------------------------------------


def recipients(*, consultation, ids=None, voters_only: bool = False):
    """The approved participations with an e-mail address (of ``ids`` when given)."""
    rows = (
        Participation.objects.filter(consultation=consultation, status=RegistrationStatus.APPROVED)
        .exclude(person__email="")
        .select_related("person", "consultation")
        .order_by("person__name")
    )
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    if voters_only:
        rows = rows.exclude(role=Role.OBSERVER)
    return rows


@transaction.atomic
def links_send(*, actor, consultation, base_url: str, ids=None, template: str = "link"):
    """Send their personal link to approved participants (to those of ``ids``, or to all) in the background."""
    require(actor, "consultations.manage", consultation)
    if template not in ("approved", "link"):
        raise ServiceError(_("Unknown message."))
    count = recipients(consultation=consultation, ids=ids).count()
    if not count:
        raise ServiceError(_("Nobody to write to: no approved participant with an e-mail address."))
    title = _("E-mail the personal link to %(count)d participants") % {"count": count}
    if count == 1:
        title = _("E-mail the personal link to 1 participant")
    return job_start(
        kind="people.mail_links",
        title=title,
        params={"base_url": base_url, "ids": ids, "template": template},
        actor=actor,
        consultation=consultation,
    )


@transaction.atomic
def ballot_open_send(*, actor, ballot, base_url: str):
    """Tell every approved participant who votes that the ballot is open, each with their own link to it."""
    consultation = ballot.consultation
    require(actor, "consultations.manage", consultation)
    if ballot.status != "open":
        raise ServiceError(_("Open the ballot first: voters are told once they can vote."))
    return job_start(
        kind="people.mail_ballot_open",
        title=_("E-mail the voters: %(ballot)s is open") % {"ballot": ballot.title},
        params={"base_url": base_url, "ballot": ballot.pk},
        actor=actor,
        consultation=consultation,
    )


def registered_again_send(*, participation, base_url: str):
    """Someone registered again with an address already registered: its owner is told (the page says nothing)."""
    return job_start(
        kind="people.mail_registered_again",
        title=_("Tell %(email)s they are already registered") % {"email": participation.person.email},
        params={"base_url": base_url, "participation": participation.pk},
        consultation=participation.consultation,
    )


# --- the jobs -------------------------------------------------------------------------------------------------


def send_each(job, progress, rows, message_for) -> dict:
    """Send one message per participation; a refused address is noted and the others still go."""
    rows = list(rows)
    sent, failed = 0, []
    try:
        connection = get_connection()
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        raise ServiceError(
            _("The mail server could not be reached (%(error)s); nothing was sent. Check EMAIL_HOST and EMAIL_PORT.")
            % {"error": error}
        ) from None
    try:
        for done, participation in enumerate(rows, start=1):
            message = message_for(participation)
            message.connection = connection
            try:
                message.send()
            except (OSError, smtplib.SMTPException):
                failed.append(participation.person.email)
            else:
                sent += 1
                audit.record(
                    actor=job.created_by,
                    action="mail.sent",
                    obj=participation,
                    consultation=participation.consultation,
                    changes={"message": job.kind},
                )
            progress(done, len(rows), _("%(sent)d of %(total)d sent") % {"sent": sent, "total": len(rows)})
    finally:
        connection.close()
    return {"sent": sent, "failed": failed}


@job_kind("people.mail_links")
def mail_links_job(job, progress):
    params = job.params
    rows = recipients(consultation=job.consultation, ids=params.get("ids"))

    def message_for(participation):
        token = services.access_link_current(actor=job.created_by, participation=participation)
        return compose(participation, params.get("template", "link"), url=personal_url(params["base_url"], token))

    result = send_each(job, progress, rows, message_for)
    return result, reverse("people:manage_participants", kwargs={"slug": job.consultation.slug})


@job_kind("people.mail_ballot_open")
def mail_ballot_open_job(job, progress):
    from target87.priorities.models import Ballot

    ballot = Ballot.objects.get(pk=job.params["ballot"])
    rows = recipients(consultation=job.consultation, voters_only=True)

    def message_for(participation):
        token = services.access_link_current(actor=job.created_by, participation=participation)
        return compose(
            participation,
            "ballot_open",
            ballot=ballot,
            url=personal_url(job.params["base_url"], token, ballot=ballot),
        )

    result = send_each(job, progress, rows, message_for)
    return result, reverse("priorities:manage_ballot", kwargs={"slug": job.consultation.slug, "pk": ballot.pk})


@job_kind("people.mail_registered_again")
def mail_registered_again_job(job, progress):
    rows = Participation.objects.filter(pk=job.params["participation"]).select_related("person", "consultation")
    result = send_each(job, progress, rows, lambda participation: compose(participation, "registered_again"))
    return result, ""
