"""From the database to the allocation engine's plain inputs, and back: no writes here.

Participants are the approved participations of the consultation in the roles that sit in groups
(:data:`.enums.PLACED_ROLES`). A person's stakeholder group is their organisation's; their topic wishes are
the key questions they ranked (``q1`` …), kept only where a group of the slot works on that question.
Conveners' group plan: one group per parallel session of the slot (its room, its one key question), or
``count`` groups splitting a single session (its room's seats shared out, its key questions in turn).

What the engine is also told:

* the earlier slots of the consultation (their published run, or their current one before publishing):
  who sat together there and which key question each person had, so that the next slot mixes people
  again and gives them another question (:func:`history`);
* people of the same organisation already know each other: to the engine they have "met before", so
  they are spread over the groups as far as balance allows (a soft rule, never a refusal);
* the convener's pairs (:class:`.models.BreakoutPair`): kept apart or kept together, hard rules.

Engine ids are ``p<participation id>`` for people and ``g<group id>`` (``new-…`` for groups still to be
created), so that the engine's messages can be told back with names (:func:`readable`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from target87.consultations.models import Session
from target87.core.errors import ServiceError
from target87.engines import allocation as engine
from target87.people.models import Participation

from .enums import LEAD_ROLES, PLACED_ROLES
from .models import Allocation, AllocationRun, BreakoutGroup, BreakoutPair

#: the usual size of a breakout group when a single session is split and the convener gave no number
DEFAULT_GROUP_SIZE = 10


def pid(pk: int) -> str:
    """The engine's id of a participation."""
    return f"p{pk}"


def pk_of(participant_id: str) -> int:
    return int(participant_id[1:])


def gkey(pk: int) -> str:
    """The engine's id of an existing group."""
    return f"g{pk}"


def slot_sessions(session: Session) -> list[Session]:
    """The breakout sessions of the consultation that overlap ``session`` (itself included), in order."""
    if session.kind != "breakout":
        return [session]
    return list(
        Session.objects.filter(
            consultation_id=session.consultation_id, kind="breakout", start__lt=session.end, end__gt=session.start
        )
        .select_related("room")
        .prefetch_related("key_questions", "speakers")
        .order_by("start", "room__position", "pk")
    )


def pool(consultation) -> list[Participation]:
    """The participations to place, with their person and organisation."""
    return list(
        Participation.objects.filter(consultation=consultation, status="approved", role__in=PLACED_ROLES)
        .select_related("person__organisation")
        .order_by("person__name", "pk")
    )


def check_pool(people: list[Participation]) -> None:
    if not people:
        raise ServiceError(
            _("There is nobody to place: no approved participants, facilitators, rapporteurs or speakers yet.")
        )
    missing = [p.person.name for p in people if not p.person.organisation_id]
    if missing:
        shown = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
        raise ServiceError(
            _(
                "%(count)d people have no organisation, so no stakeholder group to balance: %(names)s. "
                "Give them an organisation in the participant list, then allocate again."
            )
            % {"count": len(missing), "names": shown}
        )


def topics_in_play(groups) -> set[str]:
    """The topics participants can be matched on: none when the groups do not offer at least two."""
    topics = {g.topic for g in groups if g.topic}
    return topics if len(topics) >= 2 else set()


def participant_of(p: Participation, topics: set[str]) -> engine.Participant:
    person = p.person
    gender = "" if person.gender in ("", "undisclosed") else person.gender
    prefs = tuple(str(t) for t in (p.topic_preferences or []) if str(t) in topics)[:3]
    return engine.Participant(
        id=pid(p.pk),
        stakeholder_group=person.organisation.stakeholder_group,
        country=person.country or person.organisation.country,
        gender=gender,
        languages=frozenset(str(lang) for lang in (person.languages or []) if lang),
        preferences=prefs,
        facilitator=p.role in LEAD_ROLES,
    )


@dataclass
class GroupSpec:
    """A group as the next run will have it; ``pk`` is None for a group still to be created."""

    key: str
    number: int
    capacity: int
    session: Session | None = None
    room_id: int | None = None
    key_question_id: int | None = None
    topic: str = ""
    language: str = ""
    facilitator_id: int | None = None
    locked: bool = False
    pk: int | None = None

    def engine_group(self, topics: set[str] | frozenset[str] = frozenset()) -> engine.Group:
        return engine.Group(
            id=self.key,
            capacity=self.capacity,
            topic=self.topic if self.topic in topics else "",
            language=self.language,
            facilitator_id=pid(self.facilitator_id) if self.facilitator_id else "",
        )


@dataclass
class Plan:
    groups: list[GroupSpec]
    #: existing groups that the plan drops (their sessions left the slot, or the number of groups changed)
    dropped: list[int] = field(default_factory=list)
    #: the groups are those of the current run (same keys): the run before counts for moves and locks
    same_groups: bool = True


def _moderator(session: Session, placed: dict[int, Participation]) -> int | None:
    by_person = {p.person_id: p.pk for p in placed.values()}
    for speaker in session.speakers.all():
        if speaker.role in ("moderator", "chair") and speaker.person_id in by_person:
            return by_person[speaker.person_id]
    return None


def group_plan(
    allocation: Allocation, sessions: list[Session], people: list[Participation], count: int | None = None
) -> Plan:
    existing = (
        list(BreakoutGroup.objects.filter(run_id=allocation.current_run_id).select_related("key_question"))
        if allocation.current_run_id
        else []
    )
    placed = {p.pk: p for p in people}
    n = len(people)
    if len(sessions) > 1:
        by_session = {g.session_id: g for g in existing if g.session_id}
        specs = []
        for number, s in enumerate(sessions, start=1):
            g = by_session.get(s.pk)
            questions = list(s.key_questions.all())
            question = questions[0] if len(questions) == 1 else None
            facilitator = g.facilitator_id if g and g.facilitator_id in placed else None
            specs.append(
                GroupSpec(
                    key=gkey(g.pk) if g else f"new-{s.pk}",
                    number=number,
                    capacity=s.room.capacity if s.room_id else max(n, 1),
                    session=s,
                    room_id=s.room_id,
                    key_question_id=question.pk if question else None,
                    topic=f"q{question.position}" if question else "",
                    language=g.language if g else "",
                    facilitator_id=facilitator or _moderator(s, placed),
                    locked=bool(g and g.locked),
                    pk=g.pk if g else None,
                )
            )
        kept = {spec.pk for spec in specs if spec.pk}
        dropped = [g.pk for g in existing if g.pk not in kept]
        return Plan(specs, dropped, same_groups=not dropped and all(spec.pk for spec in specs))

    session = sessions[0]
    if count is None:
        count = len(existing) or max(1, math.ceil(n / DEFAULT_GROUP_SIZE))
    if count < 1:
        raise ServiceError({"group_count": _("Make at least one group.")})
    questions = list(session.key_questions.all())
    if count == len(existing) and all(g.session_id is None for g in existing):
        specs = [
            GroupSpec(
                key=gkey(g.pk),
                number=g.number,
                capacity=g.capacity,
                room_id=g.room_id,
                key_question_id=g.key_question_id,
                topic=g.topic,
                language=g.language,
                facilitator_id=g.facilitator_id if g.facilitator_id in placed else None,
                locked=g.locked,
                pk=g.pk,
            )
            for g in existing
        ]
        return Plan(specs)
    if any(g.locked for g in existing):
        raise ServiceError(
            {
                "group_count": _(
                    "Unlock every group before changing the number of groups: locked groups are kept as they are."
                )
            }
        )
    seats = session.room.capacity if session.room_id else None
    if seats is not None and count > seats:
        raise ServiceError(
            {
                "group_count": _("%(room)s seats %(seats)d: it cannot hold %(count)d groups.")
                % {"room": session.room.name, "seats": seats, "count": count}
            }
        )
    specs = []
    for k in range(count):
        capacity = seats // count + (1 if k < seats % count else 0) if seats is not None else max(n, 1)
        question = questions[k % len(questions)] if questions else None
        specs.append(
            GroupSpec(
                key=f"new-{k + 1}",
                number=k + 1,
                capacity=capacity,
                room_id=session.room_id,
                key_question_id=question.pk if question else None,
                topic=f"q{question.position}" if question else "",
            )
        )
    return Plan(specs, dropped=[g.pk for g in existing], same_groups=False)


@dataclass
class History:
    """What the earlier slots of a consultation leave to the next one."""

    #: one mapping per earlier slot: engine participant id → group number there
    sittings: list[dict[str, str]] = field(default_factory=list)
    #: engine participant id → the topics (``q1`` …) they had
    topics: dict[str, list[str]] = field(default_factory=dict)

    def pairs(self, ids: set[str]) -> set[tuple[str, str]]:
        """The pairs of ``ids`` who sat in one group of an earlier slot."""
        met: set[tuple[str, str]] = set()
        for sitting in self.sittings:
            groups: dict[str, list[str]] = {}
            for person, group in sitting.items():
                if person in ids:
                    groups.setdefault(group, []).append(person)
            for members in groups.values():
                members.sort()
                met.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
        return met


def history(allocation: Allocation) -> History:
    """Who sat together in the consultation's breakout slots before this one, and on which topics: each
    earlier slot's published run, or its current run before publishing."""
    from .models import GroupAssignment

    earlier = list(
        Allocation.objects.filter(
            consultation_id=allocation.consultation_id, session__start__lt=allocation.session.start
        )
        .exclude(pk=allocation.pk)
        .order_by("session__start", "pk")
    )
    found = History()
    for other in earlier:
        run_id = other.published_run_id or other.current_run_id
        if run_id is None:
            continue
        sitting: dict[str, str] = {}
        rows = GroupAssignment.objects.filter(run_id=run_id).values_list(
            "participation_id", "group__number", "group__key_question__position"
        )
        for participation_id, number, position in rows:
            sitting[pid(participation_id)] = str(number)
            if position is not None:
                found.topics.setdefault(pid(participation_id), []).append(f"q{position}")
        if sitting:
            found.sittings.append(sitting)
    return found


def colleagues(people: list[Participation]) -> dict[str, str]:
    """People of organisations with more than one person placed: engine id → organisation."""
    counts = Counter(p.person.organisation_id for p in people if p.person.organisation_id)
    return {
        pid(p.pk): f"org-{p.person.organisation_id}"
        for p in people
        if p.person.organisation_id and counts[p.person.organisation_id] > 1
    }


def pairs(consultation, people: list[Participation]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The convener's pairs among the people placed: (keep apart, keep together)."""
    placed = {p.pk for p in people}
    apart: list[tuple[str, str]] = []
    together: list[tuple[str, str]] = []
    for first, second, kind in BreakoutPair.objects.filter(consultation=consultation).values_list(
        "first_id", "second_id", "kind"
    ):
        if first in placed and second in placed:
            (apart if kind == "apart" else together).append((pid(first), pid(second)))
    return apart, together


def build_problem(
    plan_groups: list[GroupSpec],
    people: list[Participation],
    previous_run: AllocationRun | None = None,
    *,
    use_previous: bool = True,
    past: History | None = None,
    consultation=None,
) -> engine.Problem:
    topics = topics_in_play(plan_groups)
    participants = [participant_of(p, topics) for p in people]
    previous: dict[tuple[str, int], str] = {}
    locked: frozenset[str] = frozenset()
    if previous_run is not None and use_previous:
        keys = {g.pk: g.key for g in plan_groups if g.pk}
        ids = {p.pk for p in people}
        for participation_id, group_id in previous_run.assignments.values_list("participation_id", "group_id"):
            if group_id in keys and participation_id in ids:
                previous[(pid(participation_id), 1)] = keys[group_id]
        locked = frozenset(g.key for g in plan_groups if g.locked)
    past = past or History()
    met_before = [*past.sittings]
    same_organisation = colleagues(people)
    if same_organisation:
        met_before.append(same_organisation)
    apart, together = pairs(consultation, people) if consultation is not None else ([], [])
    return engine.Problem(
        participants=participants,
        groups=[g.engine_group(topics) for g in plan_groups],
        previous=previous,
        locked=locked if previous else frozenset(),
        keep_apart=apart,
        keep_together=together,
        met_before=met_before,
        topics_had={k: v for k, v in past.topics.items() if any(t in topics for t in v)},
    )


_ID = re.compile(r"'?\b(p\d+|g\d+|new-\d+)\b'?")


def readable(message: str, people: list[Participation], groups: list[GroupSpec]) -> str:
    """An engine message with people's names and group numbers in place of the engine's ids."""
    names = {pid(p.pk): p.person.name for p in people}
    numbers = {g.key: _("group %(number)d") % {"number": g.number} for g in groups}

    def name(match: re.Match) -> str:
        key = match.group(1)
        return names.get(key) or numbers.get(key) or match.group(0)

    return _ID.sub(name, message)


def current_problem(run: AllocationRun) -> tuple[engine.Problem, dict[tuple[str, int], str]]:
    """The problem of a run's assignment as it stands (its people, its groups), and that assignment, for
    :func:`target87.engines.allocation.metrics`."""
    groups = list(BreakoutGroup.objects.filter(run=run).select_related("key_question"))
    rows = list(run.assignments.select_related("participation__person__organisation"))
    topics = topics_in_play(groups)
    specs = [
        GroupSpec(
            key=gkey(g.pk),
            number=g.number,
            capacity=g.capacity,
            topic=g.topic,
            language=g.language,
            facilitator_id=g.facilitator_id,
        )
        for g in groups
    ]
    people = [participant_of(a.participation, topics) for a in rows if a.participation.person.organisation_id]
    assignment = {(pid(a.participation_id), 1): gkey(a.group_id) for a in rows}
    past = history(run.allocation)
    problem = engine.Problem(
        participants=people,
        groups=[s.engine_group(topics) for s in specs],
        met_before=past.sittings,
        topics_had=past.topics,
    )
    return problem, assignment


def evaluate(run: AllocationRun) -> dict:
    """The engine's quality figures of a run's assignment as it stands, JSON-ready, with the pairs who
    meet again from earlier slots and the colleagues who share a group, each against what random groups
    of the same sizes would give on average."""
    from dataclasses import asdict

    problem, assignment = current_problem(run)
    # a fixed facilitator who has since left the run must not make the figures fail
    ids = {p.id for p in problem.participants}
    problem.groups = [
        g
        if not g.facilitator_id or g.facilitator_id in ids
        else engine.Group(id=g.id, capacity=g.capacity, topic=g.topic, language=g.language)
        for g in problem.groups
    ]
    figures = engine.metrics(problem, assignment)
    figures["groups"] = [asdict(g) for g in figures["groups"]]
    figures["history"] = _pair_figures(run, problem, assignment)
    return figures


def _pair_figures(run: AllocationRun, problem: engine.Problem, assignment: dict) -> dict:
    ids = {p.id for p in problem.participants}
    group_of = {person: group for (person, _r), group in assignment.items() if person in ids}
    sizes = Counter(group_of.values())
    n = len(group_of)
    # two given people share a group of random groups of these sizes with this probability
    chance = sum(s * (s - 1) for s in sizes.values()) / (n * (n - 1)) if n > 1 else 0.0
    met = History(sittings=list(problem.met_before)).pairs(ids)
    people = list(Participation.objects.filter(pk__in=[pk_of(i) for i in ids]).select_related("person").order_by("pk"))
    org = colleagues(people)
    same_org = History(sittings=[org]).pairs(ids)
    return {
        "earlier_slots": len(problem.met_before),
        "pairs_met": len(met),
        "repeated": sum(1 for a, b in met if group_of.get(a) == group_of.get(b)),
        "repeated_random": round(len(met) * chance, 1),
        "colleague_pairs": len(same_org),
        "colleagues_together": sum(1 for a, b in same_org if group_of.get(a) == group_of.get(b)),
        "colleagues_random": round(len(same_org) * chance, 1),
    }
