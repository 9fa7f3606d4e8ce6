"""Reading breakout allocations: the convener's board, the facilitators' lists, the participants' notes."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from target87.consultations.models import Session
from target87.engines.allocation import TRIPARTITE
from target87.people.enums import Gender, StakeholderGroup
from target87.people.models import Participation

from . import problem as build
from .enums import LEAD_ROLES
from .models import Allocation, AllocationRun, BreakoutGroup, BreakoutPair, GroupAssignment

#: short names for the badges of a group card (the full name is the badge's title)
STAKEHOLDER_SHORT = {
    "government": _("Gov"),
    "workers": _("Workers"),
    "employers": _("Employers"),
    "civil_society": _("CSO"),
    "survivor_led": _("Survivors"),
    "un_international": _("UN/IO"),
    "development_partner": _("Donors"),
    "academia": _("Research"),
    "private_sector": _("Business"),
}
GENDER_SHORT = {"woman": _("Women"), "man": _("Men"), "other": _("Other genders")}


def slot_sessions(*, session: Session) -> list[Session]:
    return build.slot_sessions(session)


def people_to_place(*, consultation) -> list[Participation]:
    """The participations an allocation places (approved, in a placed role), with their person and organisation."""
    return build.pool(consultation)


def allocation_for_session(*, session: Session) -> Allocation | None:
    """The allocation of the slot of ``session``, if there is one yet."""
    slot = build.slot_sessions(session)
    return (
        Allocation.objects.filter(session__in=slot)
        .select_related("consultation", "session", "current_run", "published_run")
        .order_by("session__start", "pk")
        .first()
    )


def breakout_slots(*, consultation) -> list[dict]:
    """The consultation's breakout slots in time order, each with its sessions and allocation."""
    sessions = list(
        consultation.sessions.filter(kind="breakout").select_related("room").order_by("start", "room__position", "pk")
    )
    allocations = {
        a.session_id: a
        for a in Allocation.objects.filter(consultation=consultation).select_related("current_run", "published_run")
    }
    slots: list[dict] = []
    for s in sessions:
        if slots and s.start < slots[-1]["end"]:
            slots[-1]["sessions"].append(s)
            slots[-1]["end"] = max(slots[-1]["end"], s.end)
        else:
            slots.append({"start": s.start, "end": s.end, "sessions": [s]})
    for slot in slots:
        slot["allocation"] = next((allocations[s.pk] for s in slot["sessions"] if s.pk in allocations), None)
    return slots


@dataclass
class Badge:
    label: str
    title: str
    count: int
    low: int
    high: int

    @property
    def state(self) -> str:
        if self.count < self.low:
            return "low"
        if self.count > self.high:
            return "high"
        return "ok"


@dataclass
class Member:
    assignment: GroupAssignment
    participation: Participation
    stakeholder: str
    country: str
    gender: str
    lead: bool
    facilitates: bool
    #: 1, 2 or 3 when the group's topic is the person's first, second or third wish
    choice: int | None
    #: the person does not speak the group's working language (set after the run)
    off_language: bool = False


@dataclass
class Card:
    group: BreakoutGroup
    members: list[Member] = field(default_factory=list)
    stakeholders: list[Badge] = field(default_factory=list)
    countries: list[Badge] = field(default_factory=list)
    genders: list[Badge] = field(default_factory=list)
    tripartite_missing: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def tripartite(self) -> bool:
        return not self.tripartite_missing

    @property
    def off_balance(self) -> int:
        return sum(
            max(0, b.low - b.count) + max(0, b.count - b.high)
            for b in (*self.stakeholders, *self.countries, *self.genders)
        )


@dataclass
class Board:
    allocation: Allocation
    run: AllocationRun | None
    cards: list[Card]
    #: approved people not in any group of the run (approved since it ran)
    unplaced: list[Participation]
    people: int

    @property
    def metrics(self) -> dict:
        return self.run.metrics if self.run else {}

    @property
    def history(self) -> dict:
        return self.metrics.get("history", {})

    @property
    def objective_stale(self) -> bool:
        """The solver's objective is that of the run as it finished; hand moves changed the groups since."""
        return bool(self.run and self.run.hand_moves)

    @property
    def has_topics(self) -> bool:
        return any(v for v in self.metrics.get("preferences", {}).values())

    @property
    def preference_percent(self) -> dict[str, int]:
        shares = self.metrics.get("preferences", {})
        return {k: round(100 * v) for k, v in shares.items()}


def _badges(counts: Counter, totals: Counter, size: int, n: int, labels: dict, titles: dict) -> list[Badge]:
    badges = []
    for value in sorted(totals, key=lambda v: (-totals[v], str(v))):
        if not value:
            continue
        share = totals[value] * size / max(n, 1)
        low, high = math.floor(share + 1e-9), math.ceil(share - 1e-9)
        count = counts.get(value, 0)
        if count == 0 and low == 0:
            continue
        badges.append(Badge(str(labels.get(value, value)), str(titles.get(value, value)), count, low, high))
    return badges


def board(*, allocation: Allocation, run: AllocationRun | None = None) -> Board:
    """Everything the convener's page shows: the groups as cards with their balance, and the figures."""
    run = run or allocation.current_run
    groups = (
        list(
            BreakoutGroup.objects.filter(run=run)
            .select_related("room", "key_question", "session", "facilitator__person")
            .order_by("number")
        )
        if run
        else []
    )
    rows = (
        list(
            GroupAssignment.objects.filter(run=run)
            .select_related("participation__person__organisation")
            .order_by("participation__person__name", "pk")
        )
        if run
        else []
    )
    topics = build.topics_in_play(groups)
    stake_titles = dict(StakeholderGroup.choices)
    gender_titles = dict(Gender.choices)
    people = []
    for a in rows:
        person = a.participation.person
        people.append(
            (
                a,
                person.stakeholder_group,
                person.country or (person.organisation.country if person.organisation_id else ""),
                "" if person.gender in ("", "undisclosed") else person.gender,
            )
        )
    totals = {
        "s": Counter(p[1] for p in people),
        "c": Counter(p[2] for p in people),
        "g": Counter(p[3] for p in people),
    }
    n = len(people)
    cards = {g.pk: Card(group=g) for g in groups}
    for a, stakeholder, country, gender in people:
        card = cards.get(a.group_id)
        if card is None:
            continue
        wishes = [str(t) for t in (a.participation.topic_preferences or []) if str(t) in topics][:3]
        topic = card.group.topic
        language = card.group.language
        spoken = {str(x).casefold() for x in (a.participation.person.languages or []) if x}
        card.members.append(
            Member(
                assignment=a,
                participation=a.participation,
                stakeholder=stakeholder,
                country=country,
                gender=gender,
                lead=a.participation.role in LEAD_ROLES,
                facilitates=card.group.facilitator_id == a.participation_id,
                choice=wishes.index(topic) + 1 if topic and topic in wishes else None,
                off_language=bool(language and spoken and language.casefold() not in spoken),
            )
        )
    for card in cards.values():
        size = card.size
        counts = {
            "s": Counter(m.stakeholder for m in card.members),
            "c": Counter(m.country for m in card.members),
            "g": Counter(m.gender for m in card.members),
        }
        card.stakeholders = _badges(counts["s"], totals["s"], size, n, STAKEHOLDER_SHORT, stake_titles)
        card.countries = _badges(counts["c"], totals["c"], size, n, {}, {})
        card.genders = _badges(counts["g"], totals["g"], size, n, GENDER_SHORT, gender_titles)
        card.tripartite_missing = [str(stake_titles[c]) for c in TRIPARTITE if counts["s"].get(c, 0) == 0]
    placed = {a.participation_id for a in rows}
    unplaced = [p for p in build.pool(allocation.consultation) if p.pk not in placed] if run else []
    return Board(allocation=allocation, run=run, cards=list(cards.values()), unplaced=unplaced, people=n)


def viewer_participation(*, consultation, user, link_participation_id: int | None) -> Participation | None:
    """The participation of whoever looks: the signed-in person's, or the one whose access link this browser holds."""
    if getattr(user, "is_authenticated", False):
        found = Participation.objects.filter(consultation=consultation, person__user=user, status="approved").first()
        if found is not None:
            return found
    if link_participation_id:
        return Participation.objects.filter(
            consultation=consultation, pk=link_participation_id, status="approved"
        ).first()
    return None


def groups_for_viewer(
    *, allocation: Allocation, user, link_participation_id: int | None
) -> tuple[AllocationRun | None, list[BreakoutGroup]]:
    """The run and the groups whose member lists the viewer may read.

    Conveners read every group of the published run (of the current one before publishing). A facilitator
    or rapporteur reads, once the groups are published, the group they lead or sit in.
    """
    if user.has_perm("breakouts.manage", allocation.consultation):
        run = allocation.published_run or allocation.current_run
        if run is None:
            return None, []
        return run, list(run.groups.select_related("room", "key_question", "facilitator__person"))
    run = allocation.published_run
    if run is None:
        return None, []
    viewer = viewer_participation(
        consultation=allocation.consultation, user=user, link_participation_id=link_participation_id
    )
    if viewer is None or viewer.role not in LEAD_ROLES:
        return run, []
    mine = set(GroupAssignment.objects.filter(run=run, participation=viewer).values_list("group_id", flat=True)) | set(
        run.groups.filter(facilitator=viewer).values_list("pk", flat=True)
    )
    return run, list(run.groups.filter(pk__in=mine).select_related("room", "key_question", "facilitator__person"))


def group_members(*, run: AllocationRun, groups: list[BreakoutGroup]) -> dict[int, list[Participation]]:
    members: dict[int, list[Participation]] = {g.pk: [] for g in groups}
    rows = (
        GroupAssignment.objects.filter(run=run, group__in=groups)
        .select_related("participation__person__organisation")
        .order_by("participation__person__name")
    )
    for a in rows:
        members[a.group_id].append(a.participation)
    return members


def published_groups_of(*, participation: Participation) -> list[tuple[Allocation, BreakoutGroup]]:
    """The groups a participant sits in, in the published allocations of their consultation."""
    rows = (
        GroupAssignment.objects.filter(
            participation=participation,
            run__allocation__consultation_id=participation.consultation_id,
            run__allocation__published_run=F("run"),
        )
        .select_related("group__room", "group__session", "run__allocation")
        .order_by("run__allocation__session__start")
    )
    return [(a.run.allocation, a.group) for a in rows]


def runs_of(*, allocation: Allocation) -> list[AllocationRun]:
    """Every run of the allocation, the latest first, each whole as it was (its own groups and people)."""
    return list(
        allocation.runs.annotate(
            group_count=Count("groups", distinct=True), people=Count("assignments", distinct=True)
        ).order_by("-number")
    )


def pairs_of(*, consultation) -> list[BreakoutPair]:
    return list(
        BreakoutPair.objects.filter(consultation=consultation)
        .select_related("first__person", "second__person")
        .order_by("kind", "first__person__name", "second__person__name")
    )


def languages_spoken(*, consultation) -> list[str]:
    """The languages stated by the people placed in groups, most spoken first."""
    counts: Counter = Counter()
    for languages in Participation.objects.filter(
        consultation=consultation, status="approved", role__in=build.PLACED_ROLES
    ).values_list("person__languages", flat=True):
        counts.update({str(x) for x in (languages or []) if x})
    return [lang for lang, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def published_placements(*, consultation) -> list[dict]:
    """Each published slot of the consultation, in time order: its allocation, the group of each participation
    placed in its published run (``groups``, by participation id) and the people to place who sit in none of
    its groups (``unplaced``: approved after publishing, or given a placed role since)."""
    allocations = list(
        Allocation.objects.filter(consultation=consultation, published_run__isnull=False)
        .select_related("session", "published_run")
        .order_by("session__start", "pk")
    )
    if not allocations:
        return []
    pool = build.pool(consultation)
    slots = []
    for allocation in allocations:
        groups = {
            a.participation_id: a.group
            for a in GroupAssignment.objects.filter(run=allocation.published_run).select_related("group__room")
        }
        slots.append(
            {
                "allocation": allocation,
                "session": allocation.session,
                "groups": groups,
                "unplaced": [p for p in pool if p.pk not in groups],
            }
        )
    return slots
