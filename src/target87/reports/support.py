"""How much support each recommendation has: its place on the ballot that ranked it, overall and in each
stakeholder group, and the consensus level that follows.

A recommendation's support is read from the most recently closed ballot that carries it (the result kept at
closing); a recommendation that no closed ballot carries is read from the latest open ballot that does (its
count so far), and one that no ballot carries is "not yet prioritised". Agree / disagree statements that are
not recommendations are left to the priorities pages.

The consensus level counts the stakeholder groups that *give the recommendation priority*: on a ranking
ballot, a group gives priority when it places the item in the top half of its own ranking; on an agree /
disagree ballot, when more than half of the group's voters who saw it agree (smoothed agreement above 0.5).
Every group that voted gives priority: strong; at least half of them: partial; fewer: divided.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from target87.people.enums import group_label
from target87.priorities import selectors as priorities
from target87.priorities.enums import BallotStatus, Method
from target87.priorities.models import Ballot, BallotItem

from .enums import ConsensusLevel


@dataclass
class BallotReading:
    """One ballot's result, indexed for the recommendations it carries."""

    ballot: Ballot
    data: dict
    codes: dict[int, str] = field(default_factory=dict)  # recommendation id → item code

    @property
    def primary(self) -> list[dict]:
        return self.data["consensus"] if self.data.get("consensus") is not None else self.data["overall"]

    def describe(self) -> dict:
        return {
            "id": self.ballot.pk,
            "title": self.ballot.title,
            "method": self.ballot.method,
            "method_label": str(Method(self.ballot.method).label),
            "status": str(BallotStatus(self.ballot.status).label),
            "closed": self.ballot.closed_at.date().isoformat() if self.ballot.closed_at else "",
            "participants": self.data.get("participants", 0),
            "votes": self.data.get("votes", 0),
            "groups": [
                {"group": g, "label": group_label(g), "voters": self.data.get("group_voters", {}).get(g, 0)}
                for g in self.data.get("group_names", [])
            ],
        }


def ballot_readings(*, consultation) -> list[BallotReading]:
    """The consultation's ballots that carry recommendations, closed ones first (latest closing first), then
    open ones (latest opened first); drafts are left out."""
    ballots = list(
        Ballot.objects.filter(consultation=consultation, status__in=[BallotStatus.CLOSED, BallotStatus.OPEN])
        .filter(items__recommendation__isnull=False)
        .distinct()
    )
    ballots.sort(
        key=lambda b: (
            b.status != BallotStatus.CLOSED,
            -(b.closed_at or b.opened_at or b.created_at).timestamp(),
            -b.pk,
        )
    )
    codes: dict[int, dict[int, str]] = {}
    for ballot_id, rec_id, code in BallotItem.objects.filter(
        ballot__in=ballots, recommendation__isnull=False
    ).values_list("ballot_id", "recommendation_id", "code"):
        codes.setdefault(ballot_id, {})[rec_id] = code
    readings = []
    for ballot in ballots:
        data = priorities.ballot_results(ballot=ballot)
        if data.get("overall"):
            readings.append(BallotReading(ballot=ballot, data=data, codes=codes.get(ballot.pk, {})))
    return readings


def _gives_priority(reading: BallotReading, code: str, group: str) -> tuple[bool, dict] | None:
    """Whether the group gives the item priority, with what it gave (its rank or its agreement)."""
    data = reading.data
    if data["method"] == Method.CONSENSUS:
        statement = next((s for s in data["statements"] if s["item"] == code), None)
        if statement is None or not statement["group_seen"].get(group):
            return None
        agreement = statement["group_agreement"][group]
        return agreement > 0.5, {"agreement": round(100 * agreement)}
    entries = {e["item"]: e for e in data["groups"].get(group, [])}
    entry = entries.get(code)
    if entry is None:
        return None
    return entry["rank"] <= len(entries) / 2, {
        "rank": entry["rank"],
        "score": round(entry["score"], 2),
        "of": len(entries),
    }


def _common_of(groups: list[dict]) -> int | None:
    counts = {g.get("of") for g in groups}
    return counts.pop() if len(counts) == 1 and None not in counts else None


def support_of(reading: BallotReading | None, recommendation_id: int) -> dict:
    """The recommendation's support: overall place, place in each group, consensus level and the groups that
    do not give it priority (its minority positions)."""
    empty = {
        "ballot": None,
        "rank": None,
        "score": None,
        "of": None,
        "groups": [],
        "groups_of": None,
        "consensus": ConsensusLevel.UNRANKED.value,
        "consensus_label": str(ConsensusLevel.UNRANKED.label),
        "minority": [],
    }
    if reading is None or recommendation_id not in reading.codes:
        return empty
    code = reading.codes[recommendation_id]
    entry = next((e for e in reading.primary if e["item"] == code), None)
    if entry is None:
        return empty
    groups, giving, minority = [], 0, []
    for group in reading.data.get("group_names", []):
        found = _gives_priority(reading, code, group)
        if found is None:
            continue
        priority, figures = found
        row = {"group": group, "label": group_label(group), "priority": priority, **figures}
        groups.append(row)
        giving += priority
        if not priority:
            minority.append(row)
    if not groups:
        level = ConsensusLevel.UNRANKED
    elif giving == len(groups):
        level = ConsensusLevel.STRONG
    elif 2 * giving >= len(groups):
        level = ConsensusLevel.PARTIAL
    else:
        level = ConsensusLevel.DIVIDED
    score = entry["score"]
    return {
        "ballot": reading.ballot.pk,
        "rank": entry["rank"],
        "score": round(100 * score) if reading.data["method"] == Method.CONSENSUS else round(score, 2),
        "of": len(reading.primary),
        "groups": groups,
        # the number of items every group ranked, when it is the same for all (the places then read "66 of 150")
        "groups_of": _common_of(groups),
        "consensus": level.value,
        "consensus_label": str(level.label),
        "minority": minority if giving else [],
    }


def reading_for(readings: list[BallotReading], recommendation_id: int) -> BallotReading | None:
    return next((r for r in readings if recommendation_id in r.codes), None)
