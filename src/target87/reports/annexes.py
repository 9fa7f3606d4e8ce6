"""The report's annexes: the programme, who took part (counts; names only of speakers) and the methods."""

from __future__ import annotations

from collections import Counter

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from target87.breakouts.models import Allocation
from target87.consultations import selectors as consultation_selectors
from target87.consultations.enums import SessionKind, SpeakerRole
from target87.core import countries
from target87.people.enums import Gender, RegistrationStatus, group_label
from target87.people.models import Participation
from target87.priorities.enums import Method

from .support import BallotReading


def programme(consultation) -> list[dict]:
    """Every session in time order, in the consultation's time zone, with its speakers by name."""
    kinds, roles = dict(SessionKind.choices), dict(SpeakerRole.choices)
    rows = []
    for session in consultation_selectors.session_queryset(consultation):
        start, end = session.start.astimezone(consultation.tz), session.end.astimezone(consultation.tz)
        rows.append(
            {
                "day": formats.date_format(start.date(), "DATE_FORMAT"),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
                "kind": str(kinds.get(session.kind, session.kind)),
                "title": session.tr("title"),
                "room": session.room.name if session.room else "",
                "speakers": [
                    {
                        "name": s.person.name,
                        "role": str(roles.get(s.role, s.role)),
                        "organisation": s.person.organisation.name if s.person.organisation else "",
                    }
                    for s in session.speakers.all()
                ],
            }
        )
    return rows


def _counted(counter: Counter, label) -> list[dict]:
    return [
        {"code": code, "label": label(code), "count": count}
        for code, count in sorted(counter.items(), key=lambda kv: (-kv[1], label(kv[0])))
    ]


def participation(consultation) -> dict:
    """Approved participants counted by stakeholder group, country and gender (no names)."""
    people = list(
        Participation.objects.filter(consultation=consultation, status=RegistrationStatus.APPROVED).values_list(
            "person__organisation__stakeholder_group", "person__country", "person__gender"
        )
    )
    genders = dict(Gender.choices)
    return {
        "total": len(people),
        "by_group": _counted(Counter(g or "" for g, _c, _s in people), group_label),
        "by_country": _counted(
            Counter(c or "" for _g, c, _s in people), lambda c: countries.name(c) if c else _("Not given")
        ),
        "by_gender": _counted(
            Counter(s or "" for _g, _c, s in people), lambda s: str(genders.get(s, "")) or _("Not given")
        ),
    }


def balancing(consultation) -> list[dict]:
    """How each breakout slot's groups were balanced: the published (or latest) run's method and figures."""
    rows = []
    allocations = Allocation.objects.filter(consultation=consultation).select_related(
        "session", "published_run", "current_run"
    )
    for allocation in allocations.order_by("session__start"):
        run = allocation.published_run or allocation.current_run
        if run is None:
            continue
        metrics = run.metrics or {}
        tripartite = metrics.get("tripartite", {})
        preferences = metrics.get("preferences", {})
        rows.append(
            {
                "session": allocation.session.tr("title"),
                "groups": len(metrics.get("groups", [])),
                "method": run.method,
                "published": allocation.published_run_id is not None,
                "balance_total": (metrics.get("balance") or {}).get("total"),
                "tripartite_complete": tripartite.get("groups_complete"),
                "tripartite_groups": tripartite.get("groups"),
                "first_choice": round(100 * preferences.get("first", 0)),
                "hand_moves": run.hand_moves,
            }
        )
    return rows


METHOD_NOTES = {
    Method.DOTS: gettext_lazy(
        "Each participant spread a fixed number of dots; an item's score is the dots it received."
    ),
    Method.APPROVAL: gettext_lazy("Each participant approved any number of items; an item's score is its approvals."),
    Method.SCORE: gettext_lazy("Each participant scored items from 0 to 5; an item's score is its mean score."),
    Method.BORDA: gettext_lazy("Each participant ranked the items; Borda points give the order."),
    Method.SCHULZE: gettext_lazy("Each participant ranked the items; the Schulze method gives the order."),
    Method.PAIRWISE: gettext_lazy(
        "Participants chose between pairs of items; a Bradley–Terry model gives each item's chance of being "
        "preferred to a random other."
    ),
    Method.CONSENSUS: gettext_lazy(
        "Participants agreed, disagreed or passed on statements; the order is the product over stakeholder "
        "groups of each group's smoothed agreement, so that no single group carries an item."
    ),
}


def voting(readings: list[BallotReading]) -> list[dict]:
    """How the votes on each ballot used in the report were counted."""
    return [{**reading.describe(), "note": str(METHOD_NOTES[Method(reading.ballot.method)])} for reading in readings]


def methods(consultation, readings: list[BallotReading]) -> dict:
    return {
        "balancing": balancing(consultation),
        "balancing_note": _(
            "Participants were placed in breakout groups by an optimisation that balances stakeholder groups, "
            "countries and genders in every group, seats workers', employers' and government representatives "
            "together where it can, and follows participants' topic preferences."
        ),
        "voting": voting(readings),
        "consensus_note": _(
            "A stakeholder group gives a recommendation priority when it places it in the top half of its own "
            "ranking (on an agree / disagree ballot: when more than half of the group agrees). Consensus is "
            "strong when every group that voted gives it priority, partial when at least half of them do, and "
            "divided otherwise. The groups that do not give it priority are listed as minority positions."
        ),
    }
