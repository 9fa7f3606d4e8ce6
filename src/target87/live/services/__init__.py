"""Every change to live sessions goes through here: asking and upvoting (participants, through their access link),
moderating (conveners and facilitators), the session's settings and its clock.

Participants are checked with :func:`~target87.people.participants.participant_require` ("ask", "vote"); signed-in
users with :func:`~target87.core.permissions.require` ("live.moderate", "live.run_clock"). Bad input raises
:class:`~target87.core.errors.ServiceError` with a message that says what to do, and nothing is stored.
"""

from .asking import RATE_LIMIT, RATE_WINDOW, UpvoteOutcome, question_ask, upvote
from .clock import clock_act, session_live_update
from .moderation import (
    question_answer,
    question_approve,
    question_contribute,
    question_hide,
    question_merge,
    question_pin,
    question_unpin,
)

__all__ = [
    "RATE_LIMIT",
    "RATE_WINDOW",
    "UpvoteOutcome",
    "clock_act",
    "question_answer",
    "question_approve",
    "question_ask",
    "question_contribute",
    "question_hide",
    "question_merge",
    "question_pin",
    "question_unpin",
    "session_live_update",
    "upvote",
]
