"""A session's live state as it is now, and why it takes no questions (read by the services and the pages)."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from .enums import ASKING_KINDS, ON_DEMAND_KINDS, ClockState
from .models import SessionLive


def live_state(session) -> SessionLive:
    """The session's live state: its row, or (before any change) what it would be, unsaved."""
    try:
        return session.live
    except SessionLive.DoesNotExist:
        state = SessionLive(session=session, questions_open=session.kind in ASKING_KINDS)
        session.live = state
        return state


def may_take_questions(session) -> bool:
    """Whether the session is of a kind whose questions may be opened at all."""
    return session.kind in ASKING_KINDS or session.kind in ON_DEMAND_KINDS


def closed_reason(session, state: SessionLive | None = None) -> str | None:
    """Why the session takes no new questions now, in words for the participant; None if it does."""
    state = state or live_state(session)
    if state.clock == ClockState.ENDED:
        return _("This session has ended: it takes no more questions.")
    if state.questions_open:
        return None
    if session.kind in ASKING_KINDS:
        return _("The moderator has closed the questions of this session.")
    if session.kind in ON_DEMAND_KINDS:
        return _("This breakout group takes questions only when its facilitator opens them.")
    return _("This session takes no questions.")


_NOT_A_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fingerprint(text: str) -> str:
    """The text folded so that the same question typed again (other case, accents, punctuation or spaces) is
    recognised."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_A_WORD.sub(" ", plain).strip()
