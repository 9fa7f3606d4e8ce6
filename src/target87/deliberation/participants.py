"""Participants on their phones: the personal link that tells this browser who they are, and who that is.

The pages where participants contribute (this app) and vote (``priorities``) share these: a link opened here
keeps its participation in the browser's session; a page then acts for that participant if they may act in the
consultation, or says to open the link first.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from target87.consultations.models import Consultation
from target87.people import services as people_services

from . import selectors, services


def open_access_link(request, token):
    """The participation a personal link opens (kept in this browser's session), or the page saying why not."""
    try:
        participation = people_services.access_link_resolve(token=token)
    except people_services.AccessLinkInvalid as invalid:
        return render(request, "people/link_invalid.html", {"message": invalid.message}, status=403)
    request.session["participation_id"] = participation.pk
    # which link, for the voter pass (target87.priorities.voters): the token was checked just above
    request.session["access_link_id"] = signing.loads(token, salt=people_services.ACCESS_SALT)[0]
    return participation


def participant_here(request, consultation: Consultation):
    """The participant on this browser if they may act in the consultation, else None."""
    participation = selectors.participation_from_session(session=request.session)
    try:
        return services.participant_check(participation=participation, consultation=consultation)
    except PermissionDenied:
        return None


def needs_link(request, consultation, status=403):
    """The page that asks to open the personal link first."""
    return render(request, "deliberation/needs_link.html", {"consultation": consultation}, status=status)
