"""Allocation of participants to breakout groups: the entry point and the report."""

from __future__ import annotations

import itertools
import math
import time
from collections import Counter, defaultdict
from collections.abc import Mapping

import numpy as np

from target87.engines.i18n import gettext as _
from target87.engines.i18n import ngettext

from . import cpsat
from .bounds import cells_bound, lower_bound
from .decompose import aggregate, blocks_of, sub_instance
from .heuristic import LocalSearch, canonical
from .instance import RoundInstance, UnionFind, build_round, check_problem, groups_of_round, norm, pref_rank
from .types import (
    TRIPARTITE,
    Allocation,
    AllocationError,
    Assignment,
    GroupReport,
    Options,
    Problem,
    Progress,
    ProgressCallback,
    RoundReport,
    stakeholder_label,
)


def is_valid(inst: RoundInstance, assign: np.ndarray) -> bool:
    if assign is None or len(assign) != inst.n_units or (assign < 0).any():
        return False
    if not inst.allowed[np.arange(inst.n_units), assign].all():
        return False
    sizes = np.bincount(assign, weights=inst.unit_size, minlength=inst.n_groups)
    if (sizes > inst.cap).any():
        return False
    return all(assign[a] != assign[b] for a, b in inst.apart)


def solver_settings(options: Options) -> str:
    import ortools

    if options.heuristic_only:
        return _("local search only, seed {seed}").format(seed=options.seed)
    if options.reproducible:
        return _(
            "CP-SAT {version}, random_seed {seed}, 1 worker stopped on deterministic time (reproducible); "
            "local search stopped on its own counters"
        ).format(version=ortools.__version__, seed=options.seed)
    return _("CP-SAT {version}, random_seed {seed}, {workers} parallel workers, stopped on wall time").format(
        version=ortools.__version__, seed=options.seed, workers=options.workers
    )


class _Stop(Exception):
    pass


def _cp_solve(model: cpsat.RoundModel, budget: float, options: Options, seed: int, report=None):
    return model.solve(budget, seed, options.workers, options.reproducible, report)


def _stage_blocks(inst: RoundInstance, budget: float, options: Options, seed: int, emit):
    """Solve the block relaxation, then split each block into its groups; (start, bound) or (None, 0)."""
    block = blocks_of(inst)
    B = int(block.max()) + 1
    if inst.n_groups == B:
        return None, 0.0
    started = time.perf_counter()
    binst = aggregate(inst, block)
    bls = LocalSearch(binst, seed=seed)
    bstart = bls.run(max(0.05, 0.2 * budget), kicks=0)
    bmodel = cpsat.RoundModel(binst)
    if is_valid(binst, bstart):
        bmodel.hint(bstart)
    _state, ba, _bobj, bbound = _cp_solve(
        bmodel, max(0.05, 0.75 * budget - (time.perf_counter() - started)), options, seed
    )
    if ba is None:
        ba = bstart if is_valid(binst, bstart) else None
    if ba is None:
        return None, bbound
    assign = np.full(inst.n_units, -1, dtype=np.int64)
    for b in range(B):
        units = np.flatnonzero(ba == b)
        groups = np.flatnonzero(block == b)
        if len(units) == 0:
            continue
        if len(groups) == 1:
            assign[units] = groups[0]
            continue
        sub = sub_instance(inst, units, groups)
        ls = LocalSearch(sub, seed=seed + b)
        sub_target = cells_bound(sub) + int(sub.C.min(axis=1).sum())
        sa = ls.run(max(0.05, 0.1 * budget), kicks=20, target=sub_target)
        if sub.allowed.sum() <= 4000 and not options.heuristic_only:
            smodel = cpsat.RoundModel(sub)
            if is_valid(sub, sa):
                smodel.hint(canonical(sub, sa))
            _st, sb, sobj, _sbnd = _cp_solve(smodel, max(0.05, 0.2 * budget / B), options, seed)
            if sb is not None and (not is_valid(sub, sa) or sobj <= sum(sub.evaluate(sa).values())):
                sa = sb
        assign[units] = groups[sa]
    emit("heuristic", inst.round, None, bbound)
    return assign, bbound


def _solve_round(
    inst: RoundInstance,
    budget: float,
    options: Options,
    seed: int,
    emit,
) -> tuple[np.ndarray, RoundReport]:
    started = time.perf_counter()
    deadline = started + budget
    if inst.n_units == 0:
        return np.zeros(0, dtype=np.int64), RoundReport(inst.round, "optimal", _("local search"), 0, 0, 0.0)
    bound = float(lower_bound(inst))
    n_vars = int(inst.allowed.sum())
    use_solver = not options.heuristic_only and n_vars <= options.exact_max_variables
    best: np.ndarray | None = None
    best_obj: int | None = None
    method = _("local search")
    status = "feasible"

    start, block_bound = (None, 0.0)
    if not options.heuristic_only:
        # when the full model is too large for the solver, the block stage gets most of the time
        start, block_bound = _stage_blocks(inst, (0.5 if use_solver else 0.85) * budget, options, seed, emit)
        bound = max(bound, block_bound)
        if start is not None:
            method = _("block solver and local search")
    ls = LocalSearch(inst, seed=seed)
    remaining = max(0.05, deadline - time.perf_counter())
    kicks = 0 if use_solver else max(10, int(40 * remaining))
    if start is not None and not is_valid(inst, start):
        start = None
    assign = ls.run(remaining * (0.3 if use_solver else 0.9), kicks=kicks, start=start, target=math.ceil(bound - 1e-6))
    if is_valid(inst, assign):
        best, best_obj = assign, int(sum(inst.evaluate(assign).values()))
        if emit("heuristic", inst.round, best_obj, bound):
            use_solver = False
    if best_obj is not None and best_obj <= math.ceil(bound - 1e-6):
        status = "optimal"
    elif use_solver:
        model = cpsat.RoundModel(inst)
        hinted = best is not None
        if hinted:
            model.hint(canonical(inst, best))
        remaining = max(0.1, deadline - time.perf_counter())

        def report(obj: float, bnd: float) -> bool | None:
            return emit("solver", inst.round, obj, max(bnd, bound))

        state, a, obj, bnd = _cp_solve(model, remaining, options, seed, report)
        if state == "infeasible":
            raise AllocationError(
                _(
                    "The rules of round {round} cannot all be met together: the keep-apart and keep-together "
                    "pairs, the working languages, the room capacities and the fixed facilitators conflict."
                ).format(round=inst.round),
                rule="infeasible",
                involved=[g.id for g in inst.groups],
            )
        bound = max(bound, bnd)
        if a is not None and is_valid(inst, a) and (best_obj is None or obj <= best_obj):
            obj_check = int(sum(inst.evaluate(a).values()))
            best, best_obj = a, obj_check
            method = _("solver from local search") if hinted else _("solver")
            if state == "optimal":
                status = "optimal"
                bound = max(bound, float(obj_check))
    if best is None:
        raise AllocationError(
            _("No allocation for round {round} was found within the time limit; allow more time.").format(
                round=inst.round
            ),
            rule="time",
        )
    bound_int = min(int(math.ceil(bound - 1e-6)), best_obj)
    if bound_int >= best_obj:
        status = "optimal"
    return best, RoundReport(inst.round, status, method, best_obj, bound_int, round(time.perf_counter() - started, 3))


def allocate(problem: Problem, options: Options | None = None, progress: ProgressCallback | None = None) -> Allocation:
    """Allocate the participants to groups for every round.

    Raises :class:`AllocationError` (with a message naming the rule and who is involved) when the request
    cannot be met. ``progress`` receives :class:`Progress` events; returning True stops early with the
    best allocation so far.
    """
    options = options or Options()
    started = time.perf_counter()
    deadline = started + max(0.1, options.time_limit)
    stop = {"requested": False}

    def emit(phase: str, r: int, obj, bnd) -> bool:
        if progress is not None:
            answer = progress(Progress(phase, r, problem.rounds, obj, bnd, round(time.perf_counter() - started, 3)))
            if answer:
                stop["requested"] = True
        return stop["requested"]

    notes = check_problem(problem)
    emit("check", 0, None, None)
    people = list(problem.participants)
    earlier: dict[int, dict[str, str]] = {}
    # sittings before the problem take the rounds before the first: 0, -1, -2 … (the latest is 0)
    history = {
        1 - len(problem.met_before) + k: {str(pid): f"before:{k}:{gid}" for pid, gid in sitting.items()}
        for k, sitting in enumerate(problem.met_before)
    }
    topics_had: dict[str, list[str]] = defaultdict(list)
    for pid, topics in problem.topics_had.items():
        topics_had[str(pid)].extend(norm(t) for t in topics if t)
    topic_of = {}
    reports: list[RoundReport] = []
    terms: Counter = Counter()
    instances: dict[int, RoundInstance] = {}
    for r in range(1, problem.rounds + 1):
        inst = build_round(problem, r, {**history, **earlier}, topics_had)
        instances[r] = inst
        budget = max(0.05, (deadline - time.perf_counter()) / (problem.rounds - r + 1))
        if stop["requested"]:
            budget = 0.05
        assign, rep = _solve_round(inst, budget, options, options.seed + r - 1, emit)
        reports.append(rep)
        terms.update(inst.evaluate(assign))
        result: dict[str, str] = {}
        for u, members in enumerate(inst.units):
            for i in members:
                result[people[i].id] = inst.groups[int(assign[u])].id
        for gid, members in inst.locked_members.items():
            for i in members:
                result[people[i].id] = gid
        earlier[r] = result
        for g in groups_of_round(problem, r):
            topic_of[(g.id, r)] = norm(g.topic) if g.topic else ""
        for pid, gid in result.items():
            t = topic_of[(gid, r)]
            if t:
                topics_had[pid].append(t)

    assignments = [Assignment(p.id, r, earlier[r][p.id]) for r in range(1, problem.rounds + 1) for p in people]
    objective = sum(rep.objective for rep in reports)
    bound = sum(rep.bound for rep in reports)
    status = "optimal" if all(rep.status == "optimal" for rep in reports) else "feasible"
    m = metrics(problem, {(a.participant_id, a.round): a.group_id for a in assignments}, instances)
    notes += m.pop("notes")
    emit("done", problem.rounds, objective, bound)
    return Allocation(
        assignments=assignments,
        status=status,
        objective=objective,
        best_bound=bound,
        gap=round((objective - bound) / max(objective, 1), 6),
        terms={k: int(v) for k, v in sorted(terms.items())},
        rounds=reports,
        groups=m["groups"],
        tripartite=m["tripartite"],
        preferences=m["preferences"],
        balance=m["balance"],
        repeated_pairs=m["repeated_pairs"],
        topic_repeats=m["topic_repeats"],
        moves=m["moves"],
        notes=notes,
        seed=options.seed,
        seconds=round(time.perf_counter() - started, 3),
        solver_settings=solver_settings(options),
    )


def metrics(
    problem: Problem,
    assignment: Mapping[tuple[str, int], str],
    instances: Mapping[int, RoundInstance] | None = None,
) -> dict:
    """Quality figures of any allocation (ours or a baseline): balance, tripartite coverage, preferences,
    repeated pairs, topic repeats and moves. ``assignment`` maps (participant id, round) to a group id."""
    people = list(problem.participants)
    by_id = {p.id: p for p in people}
    group_reports: list[GroupReport] = []
    balance = Counter({"stakeholder": 0, "country": 0, "gender": 0})
    squared = 0.0
    tri_complete = tri_total = 0
    tri_missing: Counter = Counter()
    pref_counts: Counter = Counter()
    pref_people = 0
    notes: list[str] = []
    has_topics = any(g.topic for g in problem.groups)
    topics_seen: dict[str, set[str]] = defaultdict(set)
    for pid, topics in problem.topics_had.items():
        topics_seen[str(pid)].update(norm(t) for t in topics if t)
    topic_repeats = 0
    moves = 0
    members_by_round: dict[int, dict[str, list[str]]] = {}
    for r in range(1, problem.rounds + 1):
        groups = groups_of_round(problem, r)
        members: dict[str, list[str]] = {g.id: [] for g in groups}
        for p in people:
            gid = assignment.get((p.id, r))
            if gid is not None:
                members.setdefault(gid, []).append(p.id)
        members_by_round[r] = members
        n_round = sum(len(v) for v in members.values())
        totals = {
            "stakeholder": Counter(by_id[pid].stakeholder_group for v in members.values() for pid in v),
            "country": Counter(norm(by_id[pid].country) for v in members.values() for pid in v),
            "gender": Counter(norm(by_id[pid].gender) for v in members.values() for pid in v),
        }
        inst = instances.get(r) if instances else None
        ranges = {}
        if inst is not None:
            ranges = {g.id: (int(inst.size_lo[k]), int(inst.size_hi[k])) for k, g in enumerate(inst.groups)}
        for g in groups:
            ids = members.get(g.id, [])
            size = len(ids)
            counts = {
                "stakeholder": Counter(by_id[pid].stakeholder_group for pid in ids),
                "country": Counter(norm(by_id[pid].country) for pid in ids),
                "gender": Counter(norm(by_id[pid].gender) for pid in ids),
            }
            shortfall = 0
            for cat, total in totals.items():
                for value, n_v in total.items():
                    if not value:
                        continue
                    share = n_v * size / max(n_round, 1)
                    n = counts[cat].get(value, 0)
                    dev = max(0, math.floor(share + 1e-9) - n) + max(0, n - math.ceil(share - 1e-9))
                    balance[cat] += dev
                    shortfall += dev
                    squared += (n - share) ** 2
            missing = [c for c in TRIPARTITE if counts["stakeholder"].get(c, 0) == 0]
            tri_total += 1
            tri_complete += not missing
            tri_missing.update(missing)
            group_reports.append(
                GroupReport(
                    round=r,
                    group_id=g.id,
                    topic=g.topic,
                    language=g.language,
                    capacity=g.capacity,
                    size=size,
                    size_range=ranges.get(g.id, (size, size)),
                    stakeholders=dict(sorted(counts["stakeholder"].items())),
                    countries=dict(sorted((k, v) for k, v in counts["country"].items() if k)),
                    genders=dict(sorted((k, v) for k, v in counts["gender"].items() if k)),
                    tripartite_missing=missing,
                    balance_shortfall=shortfall,
                    facilitators=[pid for pid in ids if by_id[pid].facilitator or pid == g.facilitator_id],
                    locked=g.id in problem.locked,
                )
            )
            for pid in ids:
                p = by_id[pid]
                if has_topics and p.preferences:
                    pref_people += 1
                    rank = pref_rank(p.preferences, g)
                    pref_counts[("first", "second", "third")[rank] if rank is not None else "none"] += 1
                t = norm(g.topic) if g.topic else ""
                if t:
                    only = len(p.preferences) == 1 and norm(p.preferences[0]) in (t, norm(g.id))
                    if t in topics_seen[pid] and not only:
                        topic_repeats += 1
                    topics_seen[pid].add(t)
                prev = problem.previous.get((pid, r))
                if prev is not None and prev != g.id:
                    moves += 1
        for c in TRIPARTITE:
            have = totals["stakeholder"].get(c, 0)
            if have < len(groups):
                missing = len(groups) - have
                notes.append(
                    ngettext(
                        "Round {round}: only {count} of {label} for {groups} groups; {missing} group has none.",
                        "Round {round}: only {count} of {label} for {groups} groups; {missing} groups have none.",
                        missing,
                    ).format(round=r, count=have, label=stakeholder_label(c), groups=len(groups), missing=missing)
                )
    # pairs meeting in more than one round (keep-together pairs excepted)
    index = {p.id: i for i, p in enumerate(people)}
    uf = UnionFind(len(people))
    for a, b in problem.keep_together:
        if a in index and b in index:
            uf.union(index[a], index[b])
    met: Counter = Counter()
    for members in members_by_round.values():
        for ids in members.values():
            for a, b in itertools.combinations(sorted(ids, key=index.get), 2):
                if uf.find(index[a]) != uf.find(index[b]):
                    met[(a, b)] += 1
    # pairs who sat together before the problem and meet in one of its rounds
    met_earlier: set[tuple[str, str]] = set()
    for sitting in problem.met_before:
        together: dict[str, list[str]] = defaultdict(list)
        for pid, gid in sitting.items():
            if str(pid) in index:
                together[gid].append(str(pid))
        for ids in together.values():
            met_earlier.update(itertools.combinations(sorted(ids, key=index.get), 2))
    repeated = sum(1 for pair, c in met.items() if c > 1 or pair in met_earlier)
    prefs = {
        k: round(pref_counts[k] / pref_people, 4) if pref_people else 0.0 for k in ("first", "second", "third", "none")
    }
    balance_dict = dict(balance)
    balance_dict["total"] = sum(balance.values())
    return {
        "groups": group_reports,
        "balance": balance_dict,
        "balance_squared": round(squared, 3),
        "tripartite": {
            "groups_complete": tri_complete,
            "groups": tri_total,
            "coverage": round(tri_complete / max(tri_total, 1), 4),
            "missing": {c: tri_missing.get(c, 0) for c in TRIPARTITE},
        },
        "preferences": prefs,
        "repeated_pairs": repeated,
        "topic_repeats": topic_repeats,
        "moves": moves,
        "notes": notes,
    }
