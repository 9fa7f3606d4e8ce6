"""What a participant may do in a consultation, declared once (django-rules) for every app and the API.

Participants act through their personal access link, not as signed-in users, so their permissions are a rule set
of their own (:data:`participant_rules`), tested on a participant's
:class:`~target87.people.participants.Standing` (None for nobody) and the consultation's id; signed-in users' permissions stay in Django's (``user.has_perm``). Each predicate is one
condition with one refusal (:data:`REFUSALS`), so a participant refused is told the first condition they fail.
Services check with :func:`target87.people.participants.participant_require`.

Signed-in users' roles in a consultation are answered here too (:func:`is_convener`, :func:`is_facilitator`, :func:`is_rapporteur`,
:data:`can_manage`, :data:`can_view`); the apps build their permissions from them.
"""

from __future__ import annotations

import functools
import operator
import time

import rules

from target87.core.rules import is_published, is_superuser

from .refusals import Reason
from .selectors import roles_of_user


@rules.predicate
def holds_link(standing, consultation_id) -> bool:
    return standing is not None


@rules.predicate
def of_consultation(standing, consultation_id) -> bool:
    return standing.consultation_id == consultation_id


@rules.predicate
def is_approved(standing, consultation_id) -> bool:
    return standing.approved


@rules.predicate
def link_kept(standing, consultation_id) -> bool:
    return not standing.withdrawn


@rules.predicate
def link_current(standing, consultation_id) -> bool:
    return standing.expires > time.time()


@rules.predicate
def has_a_vote(standing, consultation_id) -> bool:
    return not standing.observer


#: what taking part at all needs, in the order a refusal is told
TAKES_PART = (holds_link, of_consultation, is_approved, link_kept, link_current)

#: each thing a participant may do, and what it needs
ACTIONS = {
    "take_part": TAKES_PART,
    "contribute": TAKES_PART,
    "vote": (*TAKES_PART, has_a_vote),
    "propose": (*TAKES_PART, has_a_vote),
    "ask": (*TAKES_PART, has_a_vote),
}

REFUSALS = {
    holds_link: Reason.NO_LINK,
    of_consultation: Reason.OTHER_CONSULTATION,
    is_approved: Reason.NOT_APPROVED,
    link_kept: Reason.LINK_WITHDRAWN,
    link_current: Reason.LINK_EXPIRED,
    has_a_vote: Reason.OBSERVER,
}

participant_rules = rules.RuleSet()
for _action, _needs in ACTIONS.items():
    participant_rules.add_rule(_action, functools.reduce(operator.and_, _needs))


def refusal_reason(participant, action: str, consultation_id: int) -> Reason | None:
    """Why ``participant`` may not do ``action`` in the consultation, or None if they may: the first of the
    action's predicates that fails, each called with the participant's standing, worked out once. (The rule set's
    combined rules answer only yes or no, through rules' general machinery, at about 3 µs a predicate; a vote
    asks this once, on the path every vote takes.)"""
    standing = None if participant is None else participant.standing()
    for need in ACTIONS[action]:
        if not need.fn(standing, consultation_id):
            return REFUSALS[need]
    return None


# --- signed-in users: their roles in a consultation -------------------------------------------------------
# Predicates on ``(user, consultation)`` for Django's permissions (``user.has_perm``); the apps build theirs
# from these (``consultations.manage``, ``breakouts.manage``, ``deliberation.capture`` …).


def _roles(user, consultation) -> set[str]:
    """The approved roles of a signed-in user in the consultation, read once per user object."""
    if not getattr(user, "is_authenticated", False) or consultation is None:
        return set()
    cache = user.__dict__.setdefault("_t87_roles", {})
    if consultation.pk not in cache:
        cache[consultation.pk] = roles_of_user(user=user, consultation=consultation)
    return cache[consultation.pk]


@rules.predicate
def is_convener(user, consultation) -> bool:
    return "convener" in _roles(user, consultation)


@rules.predicate
def is_facilitator(user, consultation) -> bool:
    return bool({"facilitator", "rapporteur"} & _roles(user, consultation))


@rules.predicate
def is_rapporteur(user, consultation) -> bool:
    return "rapporteur" in _roles(user, consultation)


can_manage = is_superuser | is_convener
can_view = is_published | can_manage | is_facilitator

rules.add_perm("people.view_private", can_manage)
