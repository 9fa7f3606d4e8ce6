"""Whose breakout group a contribution comes from.

A participant contributes from their own group only: once a breakout slot's groups are published, a contribution
filed under one of its sessions must be from the session of the participant's group. A facilitator or rapporteur,
signed in, records their own group's contributions: the capture page starts on the group they lead (or sit in)
in the slot that runs now or next, with its session and key question.
"""

from __future__ import annotations

import dataclasses

from django.db.models import F, Q
from django.utils import timezone

from target87.breakouts.models import Allocation, BreakoutGroup, GroupAssignment
from target87.consultations.models import KeyQuestion, Session
from target87.people.models import Participation


@dataclasses.dataclass(frozen=True)
class OwnGroup:
    group: BreakoutGroup
    session: Session
    key_question: KeyQuestion | None

    @property
    def room(self) -> str:
        return self.group.place


def _own(group: BreakoutGroup) -> OwnGroup:
    session = group.session or group.allocation.session
    question = group.key_question or session.key_questions.order_by("position").first()
    return OwnGroup(group=group, session=session, key_question=question)


def _published(queryset):
    return queryset.filter(run__allocation__published_run=F("run"))


def groups_of(participation: Participation) -> list[OwnGroup]:
    """The participation's groups in the published slots (that they lead or sit in), in time order."""
    sits = GroupAssignment.objects.filter(participation=participation).values("group_id")
    groups = (
        _published(BreakoutGroup.objects.filter(Q(facilitator=participation) | Q(pk__in=sits)))
        .select_related("session", "allocation__session", "room", "key_question", "facilitator__person")
        .order_by("allocation__session__start", "number")
    )
    return [_own(group) for group in groups]


def group_now(groups: list[OwnGroup], now=None) -> OwnGroup | None:
    """The group of the slot that runs now or next, else of the last one."""
    now = now or timezone.now()
    for own in groups:
        if own.session.end >= now:
            return own
    return groups[-1] if groups else None


def own_group_of_user(*, user, consultation) -> OwnGroup | None:
    """The group a signed-in facilitator or rapporteur works in now (None for a convener with no group)."""
    participation = Participation.objects.filter(
        consultation=consultation, person__user=user, status="approved"
    ).first()
    if participation is None:
        return None
    return group_now(groups_of(participation))


def session_refused(*, participation: Participation, session: Session | None) -> bool:
    """Whether filing a contribution under ``session`` is refused to the participation: a breakout session of a
    published slot in which their group is another session (or in which they have no group)."""
    if session is None:
        return False
    for allocation_id, slot in published_slots(consultation_id=session.consultation_id, keyed=True):
        if session.pk in slot:
            mine = {own.session.pk for own in groups_of(participation) if own.group.allocation_id == allocation_id}
            return session.pk not in mine
    return False


def published_slots(*, consultation_id: int, keyed: bool = False) -> list:
    """The sessions of each published breakout slot (as sets of ids; with the allocation's id when ``keyed``)."""
    allocations = Allocation.objects.filter(
        consultation_id=consultation_id, published_run__isnull=False
    ).select_related("published_run")
    slots = []
    for allocation in allocations:
        run = allocation.published_run
        slot = set(run.groups.exclude(session=None).values_list("session_id", flat=True)) | {allocation.session_id}
        slots.append((allocation.pk, slot) if keyed else slot)
    return slots
