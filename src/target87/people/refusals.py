"""Why a participant may not do something: one family of refusals, one set of messages, for every app.

A :class:`Refusal` is a :class:`~django.core.exceptions.PermissionDenied`, so a service that raises it stops
whatever asked (a page, the API, a command) the same way; :mod:`target87.people.access` answers it on a page with
the page that says why, or with the one that asks to open the personal link first.
"""

from __future__ import annotations

import enum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class Reason(enum.Enum):
    NO_LINK = "no_link"
    LINK_BROKEN = "link_broken"
    LINK_UNKNOWN = "link_unknown"
    LINK_WITHDRAWN = "link_withdrawn"
    LINK_EXPIRED = "link_expired"
    NOT_APPROVED = "not_approved"
    OTHER_CONSULTATION = "other_consultation"
    OBSERVER = "observer"


MESSAGES = {
    Reason.NO_LINK: _("Open your personal access link first: it tells us who you are."),
    Reason.LINK_BROKEN: _(
        "This access link is not valid. Check that you copied the whole link, or ask the organisers for a new one."
    ),
    Reason.LINK_UNKNOWN: _("This access link is not valid. Ask the organisers for a new one."),
    Reason.LINK_WITHDRAWN: _("This access link has been withdrawn. Ask the organisers for a new one."),
    Reason.LINK_EXPIRED: _("This access link has expired. Ask the organisers for a new one."),
    Reason.NOT_APPROVED: _("Your registration is not approved, so you cannot take part here."),
    Reason.OTHER_CONSULTATION: _("Your access link is for another consultation."),
    Reason.OBSERVER: _("Observers follow the consultation but do not vote."),
}

#: the refusals that mean "this browser does not hold a link for here": the page asks to open one
ASK_FOR_LINK = frozenset({Reason.NO_LINK, Reason.OTHER_CONSULTATION})


class Refusal(PermissionDenied):
    """A participant may not act: ``reason`` says why, ``str()`` says it to them in their language."""

    def __init__(self, reason: Reason, *, consultation=None) -> None:
        super().__init__(str(MESSAGES[reason]))
        self.reason = reason
        #: the consultation (or its id) the participant tried to act in, for the page that answers
        self.consultation = consultation

    @property
    def message(self) -> str:
        return self.args[0]
