"""A session's settings for questions and the clock of its deliberation: a facilitator starts, pauses, resumes
and ends it; the time really used is kept (and shown beside the time planned)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require

from ..enums import ClockState
from ..models import SessionLive
from ..state import live_state, may_take_questions

#: what each action does to the clock: the states it may start from, and the state it leaves
ACTIONS = {
    "start": ((ClockState.READY,), ClockState.RUNNING),
    "pause": ((ClockState.RUNNING,), ClockState.PAUSED),
    "resume": ((ClockState.PAUSED,), ClockState.RUNNING),
    "end": ((ClockState.RUNNING, ClockState.PAUSED), ClockState.ENDED),
}
_ACTION_WORDS = {
    "start": gettext_lazy("started"),
    "pause": gettext_lazy("paused"),
    "resume": gettext_lazy("resumed"),
    "end": gettext_lazy("ended"),
}
MAX_MINUTES = 24 * 60


def _locked(session) -> SessionLive:
    state = live_state(session)
    if state._state.adding:
        state.save()
    state = SessionLive.objects.select_for_update().select_related("session").get(pk=state.pk)
    session.live = state
    return state


@transaction.atomic
def clock_act(*, actor, session, action: str, now=None) -> SessionLive:
    """Start, pause, resume or end the session's deliberation."""
    require(actor, "live.run_clock", session.consultation)
    if action not in ACTIONS:
        raise ServiceError(_("Choose start, pause, resume or end."))
    now = now or timezone.now()
    state = _locked(session)
    sources, target = ACTIONS[action]
    if state.clock not in sources:
        raise ServiceError(
            _("The clock is %(state)s: it cannot be %(action)s now.")
            % {"state": str(state.get_clock_display()).lower(), "action": _ACTION_WORDS[action]}
        )
    if state.clock == ClockState.RUNNING:
        state.used_seconds = state.used(now)
    state.running_since = now if target == ClockState.RUNNING else None
    if action == "start":
        state.started_at = now
    if action == "end":
        state.ended_at = now
    state.clock = target
    state.version = F("version") + 1
    state.save()
    state.refresh_from_db()
    audit.record(
        actor=actor,
        action=f"live.clock_{action}",
        obj=state,
        consultation=session.consultation,
        changes={"used_seconds": state.used_seconds},
    )
    return state


@transaction.atomic
def session_live_update(
    *, actor, session, questions_open: bool, premoderated: bool, allotted_minutes=None
) -> SessionLive:
    """Open or close a session's questions, turn pre-moderation on or off, set the minutes of its deliberation
    (empty: the session's own)."""
    require(actor, "live.moderate", session.consultation)
    errors: dict[str, list[str]] = {}
    if questions_open and not may_take_questions(session):
        errors["questions_open"] = [
            _("A session of this kind (%(kind)s) takes no questions.") % {"kind": session.get_kind_display()}
        ]
    minutes = None
    if allotted_minutes not in (None, ""):
        text = str(allotted_minutes).strip()
        if not text.isdecimal() or not 0 < int(text) <= MAX_MINUTES:
            errors["allotted_minutes"] = [_("Give the minutes as a whole number from 1 to 1440, or leave it empty.")]
        else:
            minutes = int(text)
    if errors:
        raise ServiceError(errors)
    state = _locked(session)
    state.questions_open = bool(questions_open)
    state.premoderated = bool(premoderated)
    state.allotted_minutes = minutes
    state.version = F("version") + 1
    state.save()
    state.refresh_from_db()
    audit.record(
        actor=actor,
        action="live.session_update",
        obj=state,
        consultation=session.consultation,
        changes={"questions_open": state.questions_open, "premoderated": state.premoderated, "minutes": minutes},
    )
    return state
