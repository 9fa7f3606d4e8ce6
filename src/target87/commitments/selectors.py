"""Reading the follow-through: actions with their filters, the tree recommendations → actions, what has
happened since a recommendation, alignment with the priorities, and partnerships.

A recommendation is a *priority* (high priority) when it came in the top :data:`PRIORITY_TOP` places of a closed
ballot of the consultation (its consensus ranking when the method has one, its plain ranking otherwise), or in
its top third when the ballot had fewer items; items tied at the last of those places all count.
:func:`orphan_priorities` is the selector the outcome report's follow-up edition reads.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When

from target87.deliberation.models import Recommendation
from target87.deliberation.selectors import contribution_list_public
from target87.people.enums import StakeholderGroup

from .enums import ActionStatus, MoneyKind, PartnerRole
from .finance import Rates
from .models import Action, Evidence, GoodPractice, MoneyLine, Partner, Update

PRIORITY_TOP = 5


#: partners in the order people read them: who leads, who takes part, who pays
ROLE_ORDER = Case(
    When(role=PartnerRole.LEAD, then=Value(0)), When(role=PartnerRole.PARTNER, then=Value(1)), default=Value(2)
)


def action_queryset() -> QuerySet[Action]:
    return Action.objects.select_related("consultation").prefetch_related(
        Prefetch(
            "partners",
            queryset=Partner.objects.select_related("organisation").order_by(ROLE_ORDER, "organisation__name"),
        ),
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("number")),
        "indicators",
    )


def action_list(
    *, consultation, country: str = "", organisation: int | None = None, area: str = "", status: str = ""
) -> QuerySet[Action]:
    rows = action_queryset().filter(consultation=consultation)
    if country:
        rows = rows.filter(country=country)
    if organisation:
        rows = rows.filter(partners__organisation_id=organisation)
    if area:
        # a JSON list: filtered in Python-free SQL on both databases by its text form
        rows = rows.filter(thematic_areas__icontains=f'"{area}"')
    if status:
        rows = rows.filter(status=status)
    return rows.distinct()


def action_get(*, consultation, pk) -> Action:
    from django.http import Http404

    action = action_queryset().filter(consultation=consultation, pk=pk).first()
    if action is None:
        raise Http404
    return action


def filter_options(*, consultation) -> dict:
    actions = Action.objects.filter(consultation=consultation)
    organisations = (
        Partner.objects.filter(action__consultation=consultation)
        .values_list("organisation_id", "organisation__name")
        .distinct()
        .order_by("organisation__name")
    )
    return {
        "countries": sorted(c for c in set(actions.values_list("country", flat=True)) if c),
        "organisations": list(organisations),
        "statuses": ActionStatus.choices,
    }


def updates_of(*, actions) -> QuerySet[Update]:
    return (
        Update.objects.filter(action__in=actions)
        .select_related("action", "action__consultation")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("-at", "-id")
    )


def update_list(*, consultation) -> QuerySet[Update]:
    return updates_of(actions=Action.objects.filter(consultation=consultation))


@dataclass
class Branch:
    recommendation: Recommendation
    actions: list[Action] = field(default_factory=list)
    priority: bool = False

    @property
    def progress(self) -> int:
        """The mean progress of the branch's actions still under way or done (dropped ones left out)."""
        kept = [a.progress for a in self.actions if a.status != ActionStatus.DROPPED]
        return round(sum(kept) / len(kept)) if kept else 0


def action_tree(*, consultation, actions) -> list[Branch]:
    """Every recommendation of the consultation with the (filtered) actions that answer it."""
    priorities = high_priority_ids(consultation=consultation)
    branches = {
        r.pk: Branch(r, priority=r.pk in priorities)
        for r in Recommendation.objects.filter(consultation=consultation).order_by("number")
    }
    for action in actions:
        for rec in action.recommendations.all():
            if rec.pk in branches:
                branches[rec.pk].actions.append(action)
    return list(branches.values())


def recommendation_since(*, recommendation) -> dict:
    """What has happened since the consultation on one recommendation: its actions and their history."""
    actions = list(action_queryset().filter(recommendations=recommendation))
    return {"actions": actions, "updates": list(updates_of(actions=actions)[:200])}


# --- alignment ---------------------------------------------------------------------------------------------


def _ranked(result: dict) -> list[tuple[str, int]]:
    """The items of a ballot's result with their places, best first (tied items share a place)."""
    primary = result.get("consensus") or result.get("overall") or []
    return [(entry["item"], entry["rank"]) for entry in sorted(primary, key=lambda e: e["rank"])]


def priority_places(*, consultation, top: int = PRIORITY_TOP) -> dict[int, list[tuple[str, int]]]:
    """For each high-priority recommendation: the closed ballots (titles) where it came high, and its place."""
    from target87.priorities.enums import BallotStatus
    from target87.priorities.models import Ballot

    places: dict[int, list[tuple[str, int]]] = defaultdict(list)
    ballots = Ballot.objects.filter(consultation=consultation, status=BallotStatus.CLOSED, result__isnull=False)
    for ballot in ballots.prefetch_related("items"):
        codes = {item.code: item.recommendation_id for item in ballot.items.all() if item.recommendation_id}
        ranked = [(code, place) for code, place in _ranked(ballot.result) if code in codes]
        if not ranked:
            continue
        limit = min(top, max(1, -(-len(ranked) // 3)))
        # the ballot's place of the last recommendation taken (statements may rank among them); every one tied
        # with it is taken too, none being lower than the other
        cutoff = ranked[limit - 1][1]
        for code, place in ranked:
            if place <= cutoff:
                places[codes[code]].append((ballot.title, place))
    return dict(places)


def high_priority_ids(*, consultation, top: int = PRIORITY_TOP) -> set[int]:
    return set(priority_places(consultation=consultation, top=top))


def orphan_priorities(*, consultation, top: int = PRIORITY_TOP) -> list[Recommendation]:
    """High-priority recommendations that no action answers yet (dropped actions do not count)."""
    ids = high_priority_ids(consultation=consultation, top=top)
    answered = set(
        Action.objects.filter(consultation=consultation)
        .exclude(status=ActionStatus.DROPPED)
        .values_list("recommendations", flat=True)
    )
    return list(Recommendation.objects.filter(pk__in=ids - answered).order_by("number"))


def alignment(*, consultation) -> dict:
    """For each action the recommendations and priorities it serves; actions that serve none; orphan priorities."""
    places = priority_places(consultation=consultation)
    rows, unaligned, no_priority = [], [], []
    for action in action_queryset().filter(consultation=consultation):
        recs = list(action.recommendations.all())
        serves = [(r, places.get(r.pk, [])) for r in recs]
        rows.append({"action": action, "serves": serves, "priorities": sum(1 for _, p in serves if p)})
        if not recs:
            unaligned.append(action)
        elif not any(p for _, p in serves):
            no_priority.append(action)
    return {
        "rows": rows,
        "unaligned": unaligned,
        "no_priority": no_priority,
        "orphans": orphan_priorities(consultation=consultation),
        "places": places,
    }


# --- partnerships ------------------------------------------------------------------------------------------


def partnerships(*, consultation) -> dict:
    """Who works with whom: how many actions bring together each pair of stakeholder groups (the diagonal: two
    organisations of the same group), and the pairs of organisations that share most actions."""
    groups = dict(StakeholderGroup.choices)
    pairs, org_pairs, per_group = Counter(), Counter(), Counter()
    parts = Partner.objects.filter(action__consultation=consultation).select_related("organisation")
    by_action: dict[int, list] = defaultdict(list)
    for part in parts:
        by_action[part.action_id].append(part.organisation)
    for organisations in by_action.values():
        for group in {o.stakeholder_group for o in organisations}:
            per_group[group] += 1
        for a, b in combinations(sorted(organisations, key=lambda o: o.name), 2):
            org_pairs[(a, b)] += 1
        seen = set()
        for a, b in combinations(organisations, 2):
            key = tuple(sorted((a.stakeholder_group, b.stakeholder_group)))
            if key not in seen:
                seen.add(key)
                pairs[key] += 1
    present = [g for g in groups if per_group[g]]
    matrix = [
        {"group": g, "label": groups[g], "cells": [pairs.get(tuple(sorted((g, h))), 0) for h in present]}
        for g in present
    ]
    return {
        "groups": [(g, groups[g], per_group[g]) for g in present],
        "matrix": matrix,
        "pairs": sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])),
        "organisations": org_pairs.most_common(20),
        "actions": len(by_action),
    }


def good_practice_list(*, consultation, country: str = "", area: str = "") -> QuerySet[GoodPractice]:
    # the contributions that cited it, as the public may read them (held ones stay out until reviewed)
    cited = Prefetch("contributions", queryset=contribution_list_public(consultation=consultation))
    rows = GoodPractice.objects.filter(consultation=consultation).prefetch_related("organisations", cited)
    if country:
        rows = rows.filter(country=country)
    if area:
        rows = rows.filter(thematic_area=area)
    return rows


def actions_for_user(*, consultation, user) -> QuerySet[Action]:
    """The actions the user keeps up to date (all of them for a convener)."""
    if user.has_perm("commitments.manage", consultation):
        return action_list(consultation=consultation)
    from .models import FocalPoint

    rows = FocalPoint.objects.filter(consultation=consultation, user=user)
    countries = [r.country for r in rows if r.country]
    organisations = [r.organisation_id for r in rows if r.organisation_id]
    return action_list(consultation=consultation).filter(
        Q(country__in=countries) | Q(partners__organisation_id__in=organisations, partners__role=PartnerRole.LEAD)
    )


def action_list_for_country(*, country: str, user=None) -> QuerySet[Action]:
    """A country's actions in every consultation the user may see (the public's when no user is given): what
    the country dashboard shows next to the country's indicators, with the series each action aims to move."""
    from target87.consultations.selectors import consultation_list_for, consultation_list_public

    visible = Q(consultation__in=consultation_list_public().values("pk"))
    if user is not None and getattr(user, "is_authenticated", False):
        visible |= Q(consultation__in=consultation_list_for(user=user).values("pk"))
    return action_queryset().filter(visible, country=country)


def followup_summary(*, consultation) -> dict:
    """What the outcome report's follow-up edition says of the follow-through: actions by status, how many are
    overdue, the orphan priorities and the actions that serve no priority."""
    actions = list(action_queryset().filter(consultation=consultation))
    data = alignment(consultation=consultation)
    by_status = {value: 0 for value in ActionStatus.values}
    for action in actions:
        by_status[action.status] += 1
    return {
        "actions": len(actions),
        "by_status": by_status,
        "overdue": [a for a in actions if a.is_overdue],
        "orphan_priorities": data["orphans"],
        "serving_no_priority": data["no_priority"] + data["unaligned"],
    }


def indicator_movement(*, action, user=None) -> list[dict]:
    """For each series the action aims to move, in its country: the latest value and the one before it (both
    sexes, all areas; ages 5–17 where the series has them), as the indicators' dashboards show them to ``user``
    (published data only to the public), so that a reader sees whether the indicator moved."""
    from target87.indicators.data import current
    from target87.indicators.enums import TOTAL

    rows = []
    for series in action.indicators.all():
        found = []
        if action.country:
            found = [
                o
                for o in sorted(
                    current(user=user, series=series, ref_area=action.country),
                    key=lambda o: o.time_period,
                    reverse=True,
                )
                if o.sex == TOTAL and o.urbanisation == TOTAL and o.value is not None
            ]
        ages = {o.age for o in found}
        age = "Y5T17" if "Y5T17" in ages else (sorted(ages)[0] if ages else "")
        by_year = {}
        for o in found:
            if o.age == age:
                by_year.setdefault(o.time_period, o)  # one value a year: the first source found
        years = sorted(by_year, reverse=True)[:2]
        points = [by_year[y] for y in years]
        rows.append(
            {
                "series": series,
                "latest": points[0] if points else None,
                "previous": points[1] if len(points) > 1 else None,
                "change": points[0].value - points[1].value if len(points) > 1 else None,
            }
        )
    return rows


def action_money(*, consultation, currency: str = "USD") -> dict:
    """Per action of the consultation: the amounts committed and spent, in ``currency`` (converted as the finance
    view converts them), and the currencies that have no rate and were left out. Read by the outcome report's
    follow-up edition; ``currencies`` lists the currencies there are rates for."""
    rates = Rates()
    per_action: dict[int, dict] = defaultdict(lambda: {"committed": 0, "spent": 0, "missing": set()})
    for line in MoneyLine.objects.filter(action__consultation=consultation).order_by("id"):
        row = per_action[line.action_id]
        value = rates.convert(line.amount, line.currency, currency, line.year)
        if value is None:
            row["missing"].add(line.currency)
        else:
            row["committed" if line.kind == MoneyKind.COMMITTED else "spent"] += value
    return {"currency": currency, "currencies": rates.currencies(), "actions": dict(per_action)}
