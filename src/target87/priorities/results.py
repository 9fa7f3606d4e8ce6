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


# --- what people read: percentages, bars, a heat map per stakeholder group ---------------------------------------

#: the heat map's bands, by percentage: 0–19, 20–39, 40–59, 60–79, 80–100 (CSS classes ``heat-0`` … ``heat-4``)
BANDS = 5


def percent(part: float, whole: float) -> int | None:
    """``part`` as a whole percentage of ``whole`` (None when there is no whole)."""
    return round(100 * part / whole) if whole else None


def band(value: int | None) -> str:
    """The heat-map class of a percentage (``heat-none`` when there is none)."""
    return "heat-none" if value is None else f"heat-{min(BANDS - 1, max(0, value) * BANDS // 100)}"


def place_band(rank: int, count: int) -> str:
    """The heat-map class of a place in a group's ranking: the group's top fifth darkest."""
    return f"heat-{BANDS - 1 - min(BANDS - 1, (rank - 1) * BANDS // max(count, 1))}"


def group_agree(statement: dict, group: str) -> int:
    """How many of the group agreed with the statement, read back from its smoothed agreement
    ``(agree + 1) / (seen + 2)`` (the engine keeps that and ``seen`` per group)."""
    seen = statement["group_seen"].get(group, 0)
    return round(statement["group_agreement"][group] * (seen + 2) - 1) if seen else 0


def _statement_cells(statement: dict, groups: list[str]) -> list[dict]:
    cells = []
    for group in groups:
        seen = statement["group_seen"].get(group, 0)
        agree = group_agree(statement, group)
        share = percent(agree, seen)
        cells.append({"group": group, "agree": agree, "seen": seen, "percent": share, "band": band(share)})
    return cells


def lowest_group(cells: list[dict]) -> dict | None:
    """The stakeholder group that agrees least with a statement, among those that voted on it: the consensus
    figure people read ("lowest group's agreement: 64 %"), whatever the number of groups."""
    voted = [cell for cell in cells if cell["seen"]]
    return min(voted, key=lambda c: (c["agree"] / c["seen"], c["group"])) if voted else None


def stacked_bar(agree: int, disagree: int, passed: int) -> dict:
    """Agree, disagree and pass as shares of 100 (the bar's widths) and as whole percentages (its labels)."""
    seen = agree + disagree + passed
    if not seen:
        return {"agree": 0, "disagree": 0, "pass": 0, "agree_end": 0, "disagree_end": 0, "labels": None}
    widths = [round(100 * n / seen, 2) for n in (agree, disagree, passed)]
    return {
        "agree": widths[0],
        "disagree": widths[1],
        "pass": widths[2],
        "agree_end": widths[0],
        "disagree_end": round(100 * (agree + disagree) / seen, 2),
        "labels": {"agree": percent(agree, seen), "disagree": percent(disagree, seen), "pass": percent(passed, seen)},
    }


def item_share(method: str, score: float, *, voters: int, total: float, items: int) -> float:
    """An item's score as a share from 0 to 1 that the method makes meaningful: of all dots or Borda points
    placed, of the voters who approve, of the top mark (score 0–5), of the other items beaten (Schulze), or the
    chance of being chosen over another item (Bradley–Terry, in percent already)."""
    if method in ("dots", "borda"):
        return score / total if total else 0.0
    if method == "approval":
        return score / voters if voters else 0.0
    if method == "score":
        return score / 5
    if method == "schulze":
        return score / (items - 1) if items > 1 else 0.0
    return score / 100


def _share_of(method: str, ranking: list[dict], voters: int) -> dict[str, int]:
    total = sum(entry["score"] for entry in ranking)
    return {
        entry["item"]: round(100 * item_share(method, entry["score"], voters=voters, total=total, items=len(ranking)))
        for entry in ranking
    }


def _consensus_rows(data: dict) -> list[dict]:
    groups = data["group_names"]
    statements = {s["item"]: s for s in data["statements"]}
    rows = []
    for entry in data["consensus"] or []:
        statement = statements[entry["item"]]
        cells = _statement_cells(statement, groups)
        rows.append(
            {
                "code": entry["item"],
                "rank": entry["rank"],
                "statement": statement,
                "bar": stacked_bar(statement["agree"], statement["disagree"], statement["passed"]),
                "percent": percent(statement["agree"], statement["seen"]),
                "lowest": lowest_group(cells),
                "cells": cells,
            }
        )
    return rows


def _ranked_rows(data: dict) -> list[dict]:
    method, groups = data["method"], data["group_names"]
    shares = _share_of(method, data["overall"], data["participants"])
    in_group = {g: {e["item"]: e for e in data["groups"].get(g, [])} for g in groups}
    rows = []
    for entry in data["overall"]:
        code = entry["item"]
        cells = []
        for g in groups:
            found = in_group[g].get(code)
            count = len(in_group[g])
            cells.append(
                {
                    "group": g,
                    "rank": found["rank"] if found else None,
                    "count": count,
                    "band": place_band(found["rank"], count) if found else "heat-none",
                }
            )
        placed = [c for c in cells if c["rank"] is not None]
        rows.append(
            {
                "code": code,
                "rank": entry["rank"],
                "entry": entry,
                "percent": shares[code],
                "lowest": max(placed, key=lambda c: (c["rank"], c["group"])) if placed else None,
                "cells": cells,
            }
        )
    return rows


def readable_table(data: dict) -> dict:
    """The results page's rows: each item's place, its bar and percentage, the consensus figure people read
    (the lowest group's agreement, or the lowest place in a group) and one heat-map cell per stakeholder group."""
    rows = _consensus_rows(data) if data["method"] == "consensus" else _ranked_rows(data)
    voters = data.get("group_voters", {})
    return {"rows": rows, "groups": [{"code": g, "voters": voters.get(g, 0)} for g in data["group_names"]]}


# --- the plenary screen: three columns, each item in one of them when there are few --------------------------


def column_sizes(items: int, *, top: int = 5) -> tuple[int, int, int]:
    """How many items each column of the screen lists. With fewer than three columns' worth of items, each item
    is listed once, shared out between the columns, the leading column first."""
    if items >= 3 * top:
        return top, top, top
    lead = -(-items // 3)
    wide = -(-(items - lead) // 2)
    return lead, wide, items - lead - wide


def _take(candidates: list[dict], size: int, used: set[str], *, distinct: bool) -> list[dict]:
    chosen = [c for c in candidates if not (distinct and c["item"] in used)][:size]
    used.update(c["item"] for c in chosen)
    return chosen


def screen_columns(data: dict, *, top: int = 5) -> dict:
    """What the projector lists: the leading items (with the share that puts them there), those with the widest
    consensus across groups, and the most divisive; no item twice when there are few (see :func:`column_sizes`)."""
    count = len(data["overall"])
    lead, wide, split = column_sizes(count, top=top)
    distinct = count < 3 * top
    used: set[str] = set()
    if data["method"] == "consensus":
        leading, widest, divisive = _consensus_columns(data)
    else:
        leading, widest, divisive = _ranked_columns(data)
    return {
        "leading": _take(leading, lead, used, distinct=distinct),
        "widest": _take(widest, wide, used, distinct=distinct),
        "divisive": _take(divisive, split, used, distinct=distinct),
        "no_division": not divisive,
    }


def _consensus_columns(data: dict) -> tuple[list, list, list]:
    groups = data["group_names"]
    statements = {s["item"]: s for s in data["statements"]}
    leading = []
    for entry in data["overall"]:
        s = statements[entry["item"]]
        leading.append({"item": entry["item"], "percent": percent(s["agree"], s["seen"]), "agree": s["agree"]})
    widest = []
    for entry in data["consensus"] or []:
        low = lowest_group(_statement_cells(statements[entry["item"]], groups))
        widest.append({"item": entry["item"], "percent": low["percent"] if low else None, "group": low})
    # the column shows the lowest group's agreement: listed by it (the consensus ranking among equals)
    widest.sort(key=lambda e: -(e["group"]["agree"] / e["group"]["seen"]) if e["group"] else 1.0)
    divisive = []
    for code in data["divisive"]:
        s = statements[code]
        cells = [c for c in _statement_cells(s, groups) if c["seen"]]
        if s["divisiveness"] <= 0 or len(cells) < 2:
            continue
        low = lowest_group(cells)
        high = max(cells, key=lambda c: (c["agree"] / c["seen"], c["group"]))
        if high["percent"] <= low["percent"]:
            continue
        divisive.append({"item": code, "most": high, "least": low, "width": high["percent"] - low["percent"]})
    return leading, widest, divisive


def _ranked_columns(data: dict) -> tuple[list, list, list]:
    shares = _share_of(data["method"], data["overall"], data["participants"])
    leading = [{"item": e["item"], "percent": shares[e["item"]]} for e in data["overall"]]
    count = len(data["overall"])
    widest = [{"item": r["item"], "worst": r["worst_rank"], "count": count} for r in data["cross_group"]]
    spread = sorted(data["cross_group"], key=lambda r: (-r["spread"], r["rank"] or 0, r["item"]))
    divisive = [
        {"item": r["item"], "best": r["best_rank"], "worst": r["worst_rank"], "count": count}
        for r in spread
        if r["spread"] > 0
    ]
    return leading, widest, divisive


# --- the opinion map: its groups, and the statements that set each apart ----------------------------------------

#: a statement sets an opinion group apart when most of the group voted one way on it (agree or disagree), and
#: the group's smoothed share voting so, (n + 1) / (seen + 2), exceeds everyone else's by at least this much
APART_GAP = 0.1
#: and at least this many of the group voted on it
APART_SEEN = 2


def _cluster_counts(votes, cluster_of: dict[str, int]) -> dict[str, dict[int, list[int]]]:
    """Per statement and opinion group: [agree, disagree, seen]."""
    counts: dict[str, dict[int, list[int]]] = {}
    for vote in votes:
        cluster = cluster_of.get(vote.voter)
        if cluster is None:  # voted after the map was drawn
            continue
        tally = counts.setdefault(vote.item, {}).setdefault(cluster, [0, 0, 0])
        tally[2] += 1
        if vote.value == 1:
            tally[0] += 1
        elif vote.value == -1:
            tally[1] += 1
    return counts


def _apart(cluster: int, counts: dict[str, dict[int, list[int]]], top: int) -> list[dict]:
    found = []
    for item, per in counts.items():
        inside = per.get(cluster, [0, 0, 0])
        outside = [sum(t[i] for c, t in per.items() if c != cluster) for i in range(3)]
        if inside[2] < APART_SEEN or not outside[2]:
            continue
        for index, side in ((0, "agree"), (1, "disagree")):
            if 2 * inside[index] <= inside[2]:  # not most of the group
                continue
            gap = (inside[index] + 1) / (inside[2] + 2) - (outside[index] + 1) / (outside[2] + 2)
            if gap >= APART_GAP:
                found.append(
                    {
                        "item": item,
                        "side": side,
                        "gap": gap,
                        "inside": percent(inside[index], inside[2]),
                        "inside_n": inside[index],
                        "inside_seen": inside[2],
                        "outside": percent(outside[index], outside[2]),
                    }
                )
    return sorted(found, key=lambda f: (-round(f["gap"], 9), f["item"]))[:top]


def opinion_groups(data: dict, votes, *, top: int = 3) -> list[dict]:
    """The opinion map's groups (the clusters the ranking engine found), each with its size, the stakeholder
    groups its members come from, and the statements that set it apart from everyone else (see
    :data:`APART_GAP`). Empty when the map has a single group."""
    found = data.get("opinion_map")
    if not found or found["clusters"] < 2:
        return []
    cluster_of = {p["voter"]: p["cluster"] for p in found["participants"]}
    counts = _cluster_counts(votes, cluster_of)
    groups = []
    for cluster in range(found["clusters"]):
        members = [p["group"] for p in found["participants"] if p["cluster"] == cluster]
        mix: dict[str, int] = {}
        for group in members:
            mix[group] = mix.get(group, 0) + 1
        groups.append(
            {
                "cluster": cluster,
                "letter": chr(ord("A") + cluster),
                "size": len(members),
                "mix": sorted(mix.items(), key=lambda kv: (-kv[1], kv[0])),
                "apart": _apart(cluster, counts, top),
            }
        )
    return groups
