"""A participant's browser: opening the personal link, being known on every page, and the page that says why not.

Every view that acts for a participant asks one function, :func:`participant_required`, naming what the
participant is about to do and in which consultation (a vote, judged by its service, names only who votes:
:func:`participant_held`); it returns the :class:`~target87.people.participants.Participant`
or raises a :class:`~target87.people.refusals.Refusal`, which :class:`ParticipantMiddleware` answers with the page
that asks to open the personal link first or that says why the link no longer works (with htmx, the page is loaded
again to say it). The middleware also gives this browser its participant pass. A pass is never taken back: it
expires with its link, and a page loaded with a pass that no longer works says why.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.shortcuts import render

from target87.consultations.models import Consultation

from . import services
from .models import Participation
from .participants import Participant, participant_of, participant_read, participant_require
from .refusals import ASK_FOR_LINK, Reason, Refusal

COOKIE = "target87_pass"


def link_open(request, token: str) -> Participation:
    """The participation a personal link opens, which this browser then holds a pass for; else a Refusal."""
    link = services.access_link_resolve(token=token)
    _give(request, participant_of(link.participation, link))
    return link.participation


def participant_held(request) -> Participant | None:
    """The participant this browser's pass names, unchecked (for showing, not for acting)."""
    return Participant.from_pass(request.COOKIES.get(COOKIE))


def participant_required(request, action: str, consultation) -> Participant:
    """The participant on this browser, read again from the database with their link, if they may do ``action``
    in the consultation (an object or its id); their pass is renewed with what was read.

    A write whose service judges the participant itself may take :func:`participant_held` instead: a vote, which
    is judged on the pass alone and what this process knows (see :mod:`target87.people.participants`), so that a
    plenary's votes need no query to know who votes."""
    held = participant_held(request)
    if held is not None:
        held = participant_read(held)
        if held is None:  # the link itself is gone
            raise Refusal(Reason.LINK_UNKNOWN, consultation=consultation)
    participant = participant_require(held, action, consultation)
    _give(request, participant)
    return participant


def participant_allowed(request, action: str, consultation) -> Participant | None:
    """The participant on this browser if they may do ``action`` in the consultation, else None: for a page that
    everyone may read and a participant may also act on."""
    try:
        return participant_required(request, action, consultation)
    except Refusal:
        return None


def _give(request, participant: Participant | None) -> None:
    request._participant_pass = participant


def refusal_page(request, refusal: Refusal):
    if refusal.reason in ASK_FOR_LINK and refusal.consultation is not None:
        consultation = refusal.consultation
        if not isinstance(consultation, Consultation):
            consultation = Consultation.objects.get(pk=consultation)
        response = render(request, "people/needs_link.html", {"consultation": consultation}, status=403)
    else:
        response = render(
            request,
            "people/link_invalid.html",
            {"message": refusal.message, "observer": refusal.reason == Reason.OBSERVER},
            status=403,
        )
    if getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"  # the page, loaded again, says why
    return response


class ParticipantMiddleware:
    """Gives a browser the participant pass of the link it opened (or renews it on a page load); answers a
    participant's :class:`~target87.people.refusals.Refusal` with the page that says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        given = request.__dict__.get("_participant_pass")
        if given is not None:
            response.set_cookie(
                COOKIE,
                given.to_pass(),
                max_age=max(0, int(given.expires - time.time())),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, Refusal):
            return None
        request._participant_pass = None  # a pass refused is kept: the page, loaded again, says why again
        return refusal_page(request, exception)
