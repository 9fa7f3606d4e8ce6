"""Up-front checks and the per-round model shared by the local search, the solver and the lower bound.

A round is turned into *units* (people who must sit together, found by union–find over the keep-together
pairs) and *free groups* (locked groups and their members are set aside). The objective of a round is

* a linear part ``C[u, g]`` (preference loss, topic repeats, moves), and
* separable convex *cells*: for each dimension (stakeholder group, country, gender, facilitator, "sat in
  group X of round r") and each (group, value), a convex cost of the count ``n`` of that value in that
  group, tabulated as ``F[g, v, n]``; plus a convex cost of each group's size.

Every engine part evaluates exactly this objective, so the solver's objective, the local search's and the
lower bound agree by construction.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from target87.engines.i18n import gettext as _

from .types import STAKEHOLDER_GROUPS, TRIPARTITE, AllocationError, Group, Problem, stakeholder_label


def norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _names(items, limit: int = 8) -> str:
    items = [str(i) for i in items]
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += _(" … and {count} more").format(count=len(items) - limit)
    return shown


class UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def groups_of_round(problem: Problem, r: int) -> list[Group]:
    return [g for g in problem.groups if g.round is None or g.round == r]


def speaks(languages: frozenset[str], group: Group) -> bool:
    if not group.language or not languages:
        return True
    return norm(group.language) in {norm(lang) for lang in languages}


def pref_rank(preferences: tuple[str, ...], group: Group) -> int | None:
    keys = {norm(group.id)}
    if group.topic:
        keys.add(norm(group.topic))
    for rank, pref in enumerate(preferences[:3]):
        if norm(pref) in keys:
            return rank
    return None


def check_problem(problem: Problem) -> list[str]:
    """Reject requests that cannot be met, before any solving; return notes for the report."""
    notes: list[str] = []
    people = list(problem.participants)
    if not people:
        raise AllocationError(_("There are no participants to allocate."), rule="empty")
    if problem.rounds < 1:
        raise AllocationError(
            _("The number of rounds must be at least 1, not {rounds}.").format(rounds=problem.rounds),
            rule="rounds",
        )
    if not problem.groups:
        raise AllocationError(_("There are no groups to allocate people to."), rule="empty")

    seen: dict[str, int] = {}
    dupes = []
    for p in people:
        if not str(p.id).strip():
            raise AllocationError(_("A participant has an empty id."), rule="id")
        if p.id in seen:
            dupes.append(p.id)
        seen[p.id] = 1
    if dupes:
        raise AllocationError(
            _("Duplicate participant ids: {ids}.").format(ids=_names(sorted(set(dupes)))),
            rule="duplicate",
            involved=sorted(set(dupes)),
        )
    unknown = sorted({p.stakeholder_group for p in people if p.stakeholder_group not in STAKEHOLDER_GROUPS})
    if unknown:
        raise AllocationError(
            _("Unknown stakeholder group {value!r}; the accepted names are: {accepted}.").format(
                value=unknown[0], accepted=", ".join(STAKEHOLDER_GROUPS)
            ),
            rule="stakeholder",
            involved=[p.id for p in people if p.stakeholder_group in unknown],
        )
    ids = {p.id for p in people}
    by_id = {p.id: p for p in people}

    for g in problem.groups:
        if g.capacity < 1:
            raise AllocationError(
                _("Group {group!r} has capacity {capacity}; a room seats at least one person.").format(
                    group=g.id, capacity=g.capacity
                ),
                rule="capacity",
                involved=[g.id],
            )
        if g.round is not None and not 1 <= g.round <= problem.rounds:
            raise AllocationError(
                _("Group {group!r} is set to meet in round {round}, but there are {rounds} rounds.").format(
                    group=g.id, round=g.round, rounds=problem.rounds
                ),
                rule="rounds",
                involved=[g.id],
            )
        if g.facilitator_id and g.facilitator_id not in ids:
            raise AllocationError(
                _("Group {group!r} names facilitator {person!r}, who is not among the participants.").format(
                    group=g.id, person=g.facilitator_id
                ),
                rule="facilitator",
                involved=[g.id, g.facilitator_id],
            )
        if g.facilitator_id and not speaks(by_id[g.facilitator_id].languages, g):
            raise AllocationError(
                _("Facilitator {person!r} of group {group!r} does not speak its working language {language!r}.").format(
                    person=g.facilitator_id, group=g.id, language=g.language
                ),
                rule="language",
                involved=[g.id, g.facilitator_id],
            )

    # pairs
    for _kind, pairs in (("apart", problem.keep_apart), ("together", problem.keep_together)):
        for a, b in pairs:
            missing = [x for x in (a, b) if x not in ids]
            if missing:
                raise AllocationError(
                    _("The pair ({a}, {b}) names {missing}, not among the participants.").format(
                        a=a, b=b, missing=_names(missing)
                    ),
                    rule="pairs",
                    involved=missing,
                )
            if a == b:
                raise AllocationError(
                    _("The pair ({a}, {b}) names the same person twice.").format(a=a, b=b),
                    rule="pairs",
                    involved=[a],
                )
    index = {p.id: i for i, p in enumerate(people)}
    uf = UnionFind(len(people))
    for a, b in problem.keep_together:
        uf.union(index[a], index[b])
    for a, b in problem.keep_apart:
        if uf.find(index[a]) == uf.find(index[b]):
            chain = [p.id for i, p in enumerate(people) if uf.find(i) == uf.find(index[a])]
            raise AllocationError(
                _(
                    "Contradictory pairs: {a} and {b} are to be kept apart, but the keep-together pairs put "
                    "them in one group ({chain})."
                ).format(a=a, b=b, chain=_names(chain)),
                rule="pairs",
                involved=[a, b],
            )

    # locks and the previous allocation
    group_ids = {g.id for g in problem.groups}
    for gid in sorted(problem.locked):
        if gid not in group_ids:
            raise AllocationError(
                _("Cannot lock group {group!r}: there is no such group.").format(group=gid),
                rule="lock",
                involved=[gid],
            )
    if problem.locked and not problem.previous:
        raise AllocationError(
            _("Groups {groups} are locked, but no previous allocation says who is in them.").format(
                groups=_names(sorted(problem.locked))
            ),
            rule="lock",
            involved=sorted(problem.locked),
        )
    left = sorted({pid for (pid, _r) in problem.previous if pid not in ids})
    if left:
        notes.append(
            _("{count} people of the previous allocation are no longer participants: {ids}.").format(
                count=len(left), ids=_names(left)
            )
        )

    # preferences
    has_topics = any(g.topic for g in problem.groups)
    keys = {norm(g.id) for g in problem.groups} | {norm(g.topic) for g in problem.groups if g.topic}
    bad = [(p.id, pref) for p in people for pref in p.preferences if norm(pref) not in keys]
    if bad and has_topics:
        raise AllocationError(
            _("Unknown topics in the preferences: {pairs}. The topics are: {topics}.").format(
                pairs=_names([f"{pid}: {pref!r}" for pid, pref in bad]),
                topics=_names(sorted({g.topic for g in problem.groups if g.topic}), limit=20),
            ),
            rule="preferences",
            involved=sorted({pid for pid, _p in bad}),
        )
    if bad and not has_topics:
        notes.append(_("The groups have no topics, so the participants' topic preferences were not used."))

    for r in range(1, problem.rounds + 1):
        _check_round(problem, r, uf, index, notes)
    return notes


def _check_round(problem: Problem, r: int, uf: UnionFind, index: dict[str, int], notes: list[str]) -> None:
    people = list(problem.participants)
    groups = groups_of_round(problem, r)
    if not groups:
        raise AllocationError(_("No group meets in round {round}.").format(round=r), rule="empty")
    seen: set[str] = set()
    for g in groups:
        if g.id in seen:
            raise AllocationError(
                _("Duplicate group id {group!r} in round {round}.").format(group=g.id, round=r),
                rule="duplicate",
                involved=[g.id],
            )
        seen.add(g.id)
    fixed: dict[str, str] = {}
    for g in groups:
        if g.facilitator_id:
            if g.facilitator_id in fixed:
                raise AllocationError(
                    _("{person} is the facilitator of both {a!r} and {b!r} in round {round}.").format(
                        person=g.facilitator_id, a=fixed[g.facilitator_id], b=g.id, round=r
                    ),
                    rule="facilitator",
                    involved=[g.facilitator_id, fixed[g.facilitator_id], g.id],
                )
            fixed[g.facilitator_id] = g.id
    locked_of: dict[str, str] = {}
    for pid, gid in ((pid, gid) for (pid, rr), gid in problem.previous.items() if rr == r):
        if gid in problem.locked and pid in index and gid in seen:
            locked_of[pid] = gid
    for pid, gid in fixed.items():
        if pid in locked_of and locked_of[pid] != gid:
            raise AllocationError(
                _("{person} is the facilitator of {group!r} but locked in group {locked!r} in round {round}.").format(
                    person=pid, group=gid, locked=locked_of[pid], round=r
                ),
                rule="lock",
                involved=[pid, gid, locked_of[pid]],
            )
    # components: members must agree on fixed groups and locks
    comps: dict[int, list[int]] = defaultdict(list)
    for i in range(len(people)):
        comps[uf.find(i)].append(i)
    for members in comps.values():
        ids = [people[i].id for i in members]
        fixed_groups = {fixed[pid] for pid in ids if pid in fixed}
        if len(fixed_groups) > 1:
            raise AllocationError(
                _("{people} are to be kept together but facilitate different groups ({groups}).").format(
                    people=_names(ids), groups=_names(sorted(fixed_groups))
                ),
                rule="pairs",
                involved=ids,
            )
        locks = {locked_of.get(pid) for pid in ids}
        if len(members) > 1 and len(locks) > 1:
            raise AllocationError(
                _(
                    "{people} are to be kept together, but the locked groups of round {round} do not hold "
                    "them all ({groups})."
                ).format(people=_names(ids), round=r, groups=_names(sorted(g for g in locks if g))),
                rule="lock",
                involved=ids,
            )
    for a, b in problem.keep_apart:
        if fixed.get(a) and fixed.get(a) == fixed.get(b):
            raise AllocationError(
                _("{a} and {b} are to be kept apart but both facilitate {group!r}.").format(a=a, b=b, group=fixed[a]),
                rule="pairs",
                involved=[a, b],
            )
        if locked_of.get(a) and locked_of.get(a) == locked_of.get(b):
            raise AllocationError(
                _("{a} and {b} are to be kept apart but are both in locked group {group!r}.").format(
                    a=a, b=b, group=locked_of[a]
                ),
                rule="pairs",
                involved=[a, b],
            )

    free_groups = [g for g in groups if g.id not in problem.locked]
    free = [i for i, p in enumerate(people) if p.id not in locked_of]
    for pid, gid in fixed.items():
        if gid in problem.locked and locked_of.get(pid) != gid:
            raise AllocationError(
                _("{person} facilitates {group!r}, which is locked without them.").format(person=pid, group=gid),
                rule="lock",
                involved=[pid, gid],
            )
    locked_count = defaultdict(int)
    for gid in locked_of.values():
        locked_count[gid] += 1
    for g in groups:
        if g.id in problem.locked and locked_count[g.id] > g.capacity:
            raise AllocationError(
                _("Locked group {group!r} holds {count} people but seats {capacity}.").format(
                    group=g.id, count=locked_count[g.id], capacity=g.capacity
                ),
                rule="capacity",
                involved=[g.id],
            )
    seats = sum(g.capacity for g in free_groups)
    if len(free) > seats:
        raise AllocationError(
            _(
                "More people than seats in round {round}: {people} people to place, but the groups "
                "({groups}) seat {seats}."
            ).format(round=r, people=len(free), groups=_names([g.id for g in free_groups]), seats=seats),
            rule="seats",
            involved=[g.id for g in free_groups],
        )
    # language: every person, every unit, and Hall's condition over the working languages
    no_group = [people[i].id for i in free if not any(speaks(people[i].languages, g) for g in free_groups)]
    if no_group:
        spoken = sorted({g.language for g in free_groups if g.language})
        raise AllocationError(
            _(
                "No group in round {round} works in a language spoken by {people} (the groups work in {languages})."
            ).format(round=r, people=_names(no_group), languages=_names(spoken)),
            rule="language",
            involved=no_group,
        )
    free_set = set(free)
    for members in comps.values():
        members = [i for i in members if i in free_set]
        if len(members) < 2:
            continue
        ok = [g for g in free_groups if all(speaks(people[i].languages, g) for i in members)]
        ids = [people[i].id for i in members]
        if not ok:
            raise AllocationError(
                _(
                    "{people} are to be kept together, but no group in round {round} works in a language they all speak."
                ).format(people=_names(ids), round=r),
                rule="language",
                involved=ids,
            )
        if len(members) > max(g.capacity for g in ok):
            raise AllocationError(
                _("{people} are to be kept together, but no suitable room in round {round} seats {count}.").format(
                    people=_names(ids), round=r, count=len(members)
                ),
                rule="capacity",
                involved=ids,
            )
    languages = sorted({norm(g.language) for g in free_groups if g.language})
    open_seats = sum(g.capacity for g in free_groups if not g.language)
    if languages and len(languages) <= 12:
        need: dict[frozenset[str], list[str]] = defaultdict(list)
        for i in free:
            spoken = {norm(x) for x in people[i].languages}
            if spoken:  # people who state no language may join any group
                need[frozenset(spoken & set(languages))].append(people[i].id)
        for size in range(1, len(languages) + 1):
            for subset in itertools.combinations(languages, size):
                s = set(subset)
                who = [pid for key, pids in need.items() if key <= s for pid in pids]
                room = open_seats + sum(g.capacity for g in free_groups if g.language and norm(g.language) in s)
                if len(who) > room:
                    raise AllocationError(
                        _(
                            "Not enough seats in round {round} for the people who speak only {languages}: "
                            "{count} people ({people}) but {seats} seats in groups they can join."
                        ).format(round=r, languages=_names(sorted(s)), count=len(who), people=_names(who), seats=room),
                        rule="language",
                        involved=who,
                    )


def water_fill(n: int, caps: list[int]) -> tuple[list[int], list[int], list[float]]:
    """The most equal group sizes the capacities allow: (lowest, highest, expected) size per group."""
    if not caps:
        return [], [], []
    lo_t, hi_t = 0, max(caps)
    while lo_t < hi_t:  # largest t with sum(min(c, t)) <= n
        mid = (lo_t + hi_t + 1) // 2
        if sum(min(c, mid) for c in caps) <= n:
            lo_t = mid
        else:
            hi_t = mid - 1
    t = lo_t
    rem = n - sum(min(c, t) for c in caps)
    open_groups = [i for i, c in enumerate(caps) if c > t]
    lo, hi, expected = [], [], []
    for _i, c in enumerate(caps):
        if c <= t:
            lo.append(c)
            hi.append(c)
            expected.append(float(c))
        else:
            lo.append(t)
            hi.append(t + 1 if rem > 0 else t)
            expected.append(t + rem / len(open_groups))
    return lo, hi, expected


@dataclass
class Dim:
    """One dimension of cells: the count of each value in each group costs ``F[g, v, n]``."""

    name: str  # "stakeholder", "country", "gender", "facilitator", "meeting"
    values: list[str]
    #: (unit, value, count) triples, as three arrays
    unit: np.ndarray
    value: np.ndarray
    count: np.ndarray
    F: np.ndarray  # (G, V, M + 2)
    lo: np.ndarray | None = None  # (G, V) balance ranges, for the report
    hi: np.ndarray | None = None


@dataclass
class RoundInstance:
    round: int
    groups: list[Group]
    locked_members: dict[str, list[int]]
    units: list[list[int]]
    unit_size: np.ndarray
    allowed: np.ndarray  # (U, G) bool
    fixed: np.ndarray  # (U,) group index or -1
    C: np.ndarray  # (U, G) int64 linear cost
    parts: dict[str, np.ndarray]  # the linear cost by term
    cap: np.ndarray
    size_lo: np.ndarray
    size_hi: np.ndarray
    size_F: np.ndarray  # (G, M + 2)
    dims: list[Dim]
    apart: list[tuple[int, int]]
    sym_classes: list[list[int]]
    M: int
    people_ids: list[str] = field(default_factory=list)
    tripartite_weight: int = 0
    size_weight: int = 0

    @property
    def n_units(self) -> int:
        return len(self.units)

    @property
    def n_groups(self) -> int:
        return len(self.groups)

    def counts(self, d: Dim, assign: np.ndarray) -> np.ndarray:
        n = np.zeros((self.n_groups, len(d.values)), dtype=np.int64)
        np.add.at(n, (assign[d.unit], d.value), d.count)
        return n

    def evaluate(self, assign: np.ndarray) -> dict[str, int]:
        """The objective of a unit → group assignment, by term."""
        U, G = self.C.shape
        rows = np.arange(U)
        terms = {name: int(part[rows, assign].sum()) for name, part in self.parts.items()}
        sizes = np.bincount(assign, weights=self.unit_size, minlength=G).astype(np.int64)
        terms["size"] = int(self.size_F[np.arange(G), sizes].sum())
        for d in self.dims:
            n = self.counts(d, assign)
            cost = d.F[np.arange(G)[:, None], np.arange(len(d.values))[None, :], n]
            key = "repeat_pairs" if d.name.startswith("meeting") else d.name
            if d.name == "stakeholder":
                tri = [k for k, v in enumerate(d.values) if v in TRIPARTITE]
                missing = int((n[:, tri] == 0).sum())
                terms["tripartite"] = terms.get("tripartite", 0) + self.tripartite_weight * missing
                terms[key] = terms.get(key, 0) + int(cost.sum()) - self.tripartite_weight * missing
                continue
            terms[key] = terms.get(key, 0) + int(cost.sum())
        return terms


def balance_cost(lo: np.ndarray, hi: np.ndarray, weight: int, n: np.ndarray) -> np.ndarray:
    return weight * (np.maximum(0, lo[..., None] - n) + np.maximum(0, n - hi[..., None]))


def build_round(
    problem: Problem,
    r: int,
    earlier: dict[int, dict[str, str]],
    topics_had: dict[str, list[str]],
) -> RoundInstance:
    """The model of round ``r`` given the allocation of the earlier rounds."""
    w = problem.weights
    people = list(problem.participants)
    index = {p.id: i for i, p in enumerate(people)}
    groups_all = groups_of_round(problem, r)
    group_ids = {g.id for g in groups_all}
    locked_members: dict[str, list[int]] = {g.id: [] for g in groups_all if g.id in problem.locked}
    locked_people: set[int] = set()
    for (pid, rr), gid in problem.previous.items():
        if rr == r and gid in locked_members and pid in index:
            locked_members[gid].append(index[pid])
            locked_people.add(index[pid])
    for members in locked_members.values():
        members.sort()
    groups = [g for g in groups_all if g.id not in problem.locked]
    G = len(groups)
    gidx = {g.id: k for k, g in enumerate(groups)}

    uf = UnionFind(len(people))
    for a, b in problem.keep_together:
        uf.union(index[a], index[b])
    comp: dict[int, list[int]] = {}
    for i in range(len(people)):
        if i in locked_people:
            continue
        comp.setdefault(uf.find(i), []).append(i)
    units = list(comp.values())
    U = len(units)
    unit_of = {i: u for u, members in enumerate(units) for i in members}
    unit_size = np.array([len(m) for m in units], dtype=np.int64)

    allowed = np.ones((U, G), dtype=bool)
    for u, members in enumerate(units):
        for k, g in enumerate(groups):
            allowed[u, k] = all(speaks(people[i].languages, g) for i in members)
    fixed = np.full(U, -1, dtype=np.int64)
    fixed_people: set[int] = set()
    for k, g in enumerate(groups):
        if g.facilitator_id:
            u = unit_of[index[g.facilitator_id]]
            fixed[u] = k
            fixed_people.update(units[u])
            allowed[u, :] = False
            allowed[u, k] = True
    cap = np.array([g.capacity for g in groups], dtype=np.int64)
    M = int(cap.max()) if G else 0

    # linear costs
    pref = np.zeros((U, G), dtype=np.int64)
    topic = np.zeros((U, G), dtype=np.int64)
    moves = np.zeros((U, G), dtype=np.int64)
    any_topic = any(g.topic for g in groups_all)
    for u, members in enumerate(units):
        for i in members:
            p = people[i]
            if p.preferences and any_topic:
                pref[u] += [w.preference_loss(pref_rank(p.preferences, g)) for g in groups]
            had = topics_had.get(p.id, [])
            if had:
                only = norm(p.preferences[0]) if len(p.preferences) == 1 else None
                for k, g in enumerate(groups):
                    t = norm(g.topic) if g.topic else ""
                    if t and t in had and not (only and only in (t, norm(g.id))):
                        topic[u, k] += w.topic_repeat
            prev = problem.previous.get((p.id, r))
            if prev is not None and prev in group_ids:
                moves[u] += w.moves
                if prev in gidx:
                    moves[u, gidx[prev]] -= w.moves
    C = pref + topic + moves

    # sizes
    n_free = int(unit_size.sum())
    lo_s, hi_s, expected = water_fill(n_free, list(cap))
    size_lo = np.array(lo_s, dtype=np.int64)
    size_hi = np.array(hi_s, dtype=np.int64)
    ns = np.arange(M + 2)
    size_F = balance_cost(size_lo, size_hi, w.size, ns[None, :]) if G else np.zeros((0, M + 2), np.int64)
    share = np.array(expected) / max(n_free, 1)

    dims: list[Dim] = []

    def category_dim(name: str, weight: int, key, tripartite: bool = False) -> None:
        totals: dict[str, int] = defaultdict(int)
        for members in units:
            for i in members:
                v = key(people[i])
                if v:
                    totals[v] += 1
        values = sorted(v for v, t in totals.items() if t >= 2 or (tripartite and v in TRIPARTITE))
        if not values or G == 0:
            return
        vidx = {v: k for k, v in enumerate(values)}
        triples = defaultdict(int)
        for u, members in enumerate(units):
            for i in members:
                v = key(people[i])
                if v in vidx:
                    triples[(u, vidx[v])] += 1
        total = np.array([totals[v] for v in values], dtype=float)
        exact = share[:, None] * total[None, :]
        lo = np.floor(exact + 1e-9).astype(np.int64)
        hi = np.ceil(exact - 1e-9).astype(np.int64)
        F = balance_cost(lo, hi, weight, ns[None, None, :])
        if tripartite:
            for v, k in vidx.items():
                if v in TRIPARTITE:
                    F[:, k, 0] += w.tripartite
        keys = sorted(triples)
        dims.append(
            Dim(
                name,
                values,
                np.array([a for a, _b in keys], dtype=np.int64),
                np.array([b for _a, b in keys], dtype=np.int64),
                np.array([triples[k] for k in keys], dtype=np.int64),
                F,
                lo,
                hi,
            )
        )

    category_dim("stakeholder", w.stakeholder, lambda p: p.stakeholder_group, tripartite=True)
    category_dim("country", w.country, lambda p: norm(p.country))
    category_dim("gender", w.gender, lambda p: norm(p.gender))
    category_dim("facilitator", w.facilitator, lambda p: "facilitator" if p.facilitator else "")

    # meeting again: for every earlier round, the count of people from each of its groups
    for rr in sorted(earlier):
        prior = earlier[rr]
        triples = defaultdict(int)
        values: list[str] = sorted({prior[people[i].id] for m in units for i in m if people[i].id in prior})
        vidx = {v: k for k, v in enumerate(values)}
        for u, members in enumerate(units):
            for i in members:
                if i in fixed_people or people[i].id not in prior:
                    continue
                triples[(u, vidx[prior[people[i].id]])] += 1
        if not triples or w.repeat_pair == 0:
            continue
        keys = sorted(triples)
        F = np.broadcast_to(w.repeat_pair * ns * (ns - 1) // 2, (G, len(values), M + 2)).copy()
        dims.append(
            Dim(
                f"meeting:{rr}",
                values,
                np.array([a for a, _b in keys], dtype=np.int64),
                np.array([b for _a, b in keys], dtype=np.int64),
                np.array([triples[k] for k in keys], dtype=np.int64),
                F.astype(np.int64),
            )
        )

    apart = sorted(
        {
            (min(unit_of[index[a]], unit_of[index[b]]), max(unit_of[index[a]], unit_of[index[b]]))
            for a, b in problem.keep_apart
            if index[a] in unit_of and index[b] in unit_of
        }
    )

    # interchangeable groups: same topic, capacity, language, size range, no facilitator, no previous members
    has_prev = {gid for (pid, rr), gid in problem.previous.items() if rr == r}
    classes: dict[tuple, list[int]] = defaultdict(list)
    for k, g in enumerate(groups):
        if g.facilitator_id or g.id in has_prev:
            continue
        classes[(norm(g.topic), g.capacity, norm(g.language), lo_s[k], hi_s[k])].append(k)
    sym_classes = [ks for ks in classes.values() if len(ks) > 1]
    # a class is only interchangeable if every unit sees its groups alike (true unless fixed elsewhere)
    return RoundInstance(
        round=r,
        groups=groups,
        locked_members=locked_members,
        units=units,
        unit_size=unit_size,
        allowed=allowed,
        fixed=fixed,
        C=C,
        parts={"preferences": pref, "topic_repeat": topic, "moves": moves},
        cap=cap,
        size_lo=size_lo,
        size_hi=size_hi,
        size_F=size_F,
        dims=dims,
        apart=apart,
        sym_classes=sym_classes,
        M=M,
        people_ids=[p.id for p in people],
        tripartite_weight=w.tripartite,
        size_weight=w.size,
    )


def round_up_bound(value: float) -> int:
    return int(math.ceil(value - 1e-6))


__all__ = ["Dim", "RoundInstance", "build_round", "check_problem", "stakeholder_label", "water_fill"]
