"""From the ranking engine's result to the plain data the pages, the projector and the stored result use.

The engine (:mod:`target87.engines.ranking`) does the counting; this module only reshapes its answer into
JSON-able dictionaries, keyed by the items' codes, and adds the cross-group reading of methods that have no
consensus score of their own: an item's *lowest place in any stakeholder group* (an item the plenary can
rally behind is one that no group puts near the bottom) and the *spread* between its best and worst group
places (the items that divide the groups).
"""

from __future__ import annotations

from dataclasses import asdict

from target87.engines.ranking import RankingResult


def _ranking(ranking) -> list[dict]:
    return [asdict(entry) for entry in ranking.items] if ranking is not None else []


def to_dict(result: RankingResult, *, participants: int, votes: int) -> dict:
    """The engine's result as a dictionary that can be stored as JSON and read back by the templates."""
    data = {
        "method": result.method,
        "participants": participants,
        "votes": votes,
        "group_names": list(result.group_names),
        "overall": _ranking(result.overall),
        "consensus": _ranking(result.consensus) if result.consensus is not None else None,
        "groups": {group: _ranking(ranking) for group, ranking in result.groups.items()},
        "group_voters": {group: ranking.voters for group, ranking in result.groups.items()},
        "statements": [
            {**asdict(s), "group_agreement": dict(s.group_agreement), "group_seen": dict(s.group_seen)}
            for s in result.statements
        ],
        "divisive": [s.item for s in result.divisive],
        "opinion_map": None,
    }
    if result.opinion_map is not None:
        m = result.opinion_map
        data["opinion_map"] = {
            "participants": [asdict(p) for p in m.participants],
            "clusters": m.clusters,
            "silhouette": m.silhouette,
            "explained_variance": list(m.explained_variance),
        }
    data["cross_group"] = cross_group(data)
    return data


def empty(method: str) -> dict:
    return {
        "method": method,
        "participants": 0,
        "votes": 0,
        "group_names": [],
        "overall": [],
        "consensus": None,
        "groups": {},
        "group_voters": {},
        "statements": [],
        "divisive": [],
        "opinion_map": None,
        "cross_group": [],
    }


def cross_group(data: dict) -> list[dict]:
    """Each item's lowest place (worst rank) in any stakeholder group and the spread of its group ranks,
    best-supported first; for agree/disagree ballots the engine's consensus and divisiveness are used instead."""
    if data["method"] == "consensus":
        return []
    ranks: dict[str, list[int]] = {entry["item"]: [] for entry in data["overall"]}
    for ranking in data["groups"].values():
        for entry in ranking:
            ranks.setdefault(entry["item"], []).append(entry["rank"])
    overall = {entry["item"]: entry["rank"] for entry in data["overall"]}
    rows = [
        {
            "item": item,
            "worst_rank": max(found),
            "best_rank": min(found),
            "spread": max(found) - min(found),
            "rank": overall.get(item),
        }
        for item, found in ranks.items()
        if found
    ]
    return sorted(rows, key=lambda r: (r["worst_rank"], r["rank"] or 0, r["item"]))


def highlights(data: dict, *, top: int = 5) -> dict:
    """What the projector shows: the leading items, those with the widest consensus, the most divisive."""
    leading = data["overall"][:top]
    if data["method"] == "consensus":
        by_item = {s["item"]: s for s in data["statements"]}
        widest = [{"item": e["item"], "score": e["score"], "rank": e["rank"]} for e in (data["consensus"] or [])[:top]]
        divisive = [
            {
                "item": code,
                "score": by_item[code]["divisiveness"],
                "most": by_item[code]["most_agreeing_group"],
                "least": by_item[code]["least_agreeing_group"],
            }
            for code in data["divisive"][:top]
            if by_item[code]["divisiveness"] > 0
        ]
    else:
        widest = [{"item": r["item"], "score": r["worst_rank"], "rank": r["rank"]} for r in data["cross_group"][:top]]
        spread = sorted(data["cross_group"], key=lambda r: (-r["spread"], r["rank"] or 0, r["item"]))
        divisive = [
            {"item": r["item"], "score": r["spread"], "best": r["best_rank"], "worst": r["worst_rank"]}
            for r in spread[:top]
            if r["spread"] > 0
        ]
    return {"leading": leading, "widest": widest, "divisive": divisive}
