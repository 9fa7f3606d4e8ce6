"""The CP-SAT model of one round.

Variables: a Boolean ``x[u, g]`` per unit and group it may join (working language, fixed facilitator).
Every count the objective needs is an *aggregate* integer ``n = Σ count·x`` per (group, category value),
never a pairwise term: the people of each earlier group are one category, so "pairs meeting again" is
the convex cost m(m-1)/2 of such a count. Each convex cell cost is a variable above the tangent lines
of its table (exact at integers, and the tightest linear relaxation), so the solver's LP bound — and so
the reported gap — is meaningful; balance deviations are integer slacks with lower bound zero.

Symmetry: groups with the same topic, capacity, language and size range and no facilitator or previous
members are interchangeable. Within such a class the groups are ordered by their first member: a unit
may join the j-th group only if an earlier unit is in group j-1 (prefix literals ``f[i, j]`` = "some unit
up to i is in group j"), which removes all k! relabelings of a class.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from ortools.sat.python import cp_model

from .instance import RoundInstance

#: prefix literals allowed per symmetry class before the chain is cut short (still valid, weaker)
SYMMETRY_BUDGET = 60_000


def lines(f: np.ndarray) -> list[tuple[int, int]]:
    """Tangent lines (slope, intercept) of a convex integer table f[0..m], one per distinct slope."""
    out: list[tuple[int, int]] = []
    last = None
    for k in range(len(f) - 1):
        slope = int(f[k + 1] - f[k])
        if slope != last:
            out.append((slope, int(f[k]) - slope * k))
            last = slope
    return out


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[float, float], bool | None]):
        super().__init__()
        self.report = report

    def on_solution_callback(self) -> None:
        if self.report(self.objective_value, self.best_objective_bound):
            self.stop_search()


class RoundModel:
    def __init__(self, inst: RoundInstance):
        self.inst = inst
        m = self.model = cp_model.CpModel()
        U, G = inst.C.shape
        allowed = inst.allowed
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        for u in range(U):
            for g in np.flatnonzero(allowed[u]).tolist():
                self.x[u, g] = m.new_bool_var(f"x{u}_{g}")
        x = self.x
        by_group: list[list[int]] = [[] for _ in range(G)]
        for u, g in x:
            by_group[g].append(u)
        for u in range(U):
            m.add_exactly_one([x[u, g] for g in np.flatnonzero(allowed[u]).tolist()])
        self.hint_vars: list[tuple[cp_model.IntVar, Callable[[np.ndarray], int]]] = []
        offset = 0
        objective_vars: list = []
        objective_coefs: list[int] = []
        for (u, g), var in x.items():
            c = int(inst.C[u, g])
            if c:
                objective_vars.append(var)
                objective_coefs.append(c)

        def convex_cell(terms_vars, terms_coefs, table: np.ndarray, maxn: int, name: str, units, g) -> int:
            """Add cost >= table(n) for n = Σ coef·var; return a constant to add when the cost is fixed."""
            f = table[: maxn + 1]
            if not terms_vars or (f == f[0]).all():
                return int(f[0])
            n = m.new_int_var(0, maxn, f"n_{name}")
            m.add(n == cp_model.LinearExpr.weighted_sum(terms_vars, terms_coefs))
            lo, hi = int(f.min()), int(f.max())
            y = m.new_int_var(lo, hi, f"c_{name}")
            for slope, intercept in lines(f):
                if slope == 0 and intercept <= lo:
                    continue
                m.add(y - slope * n >= intercept)
            objective_vars.append(y)
            objective_coefs.append(1)
            self.cells.append((n, y, units, terms_coefs, g, f))
            return 0

        self.cells: list = []
        # sizes
        for g in range(G):
            us = by_group[g]
            vs = [x[u, g] for u in us]
            cs = [int(inst.unit_size[u]) for u in us]
            m.add(cp_model.LinearExpr.weighted_sum(vs, cs) <= int(inst.cap[g]))
            offset += convex_cell(vs, cs, inst.size_F[g], int(inst.cap[g]), f"s{g}", us, g)
        # category cells
        for di, d in enumerate(inst.dims):
            members: list[list[tuple[int, int]]] = [[] for _ in d.values]
            for u, v, c in zip(d.unit.tolist(), d.value.tolist(), d.count.tolist()):
                members[v].append((u, c))
            for v, mem in enumerate(members):
                total = sum(c for _u, c in mem)
                for g in range(G):
                    vs, cs, us = [], [], []
                    for u, c in mem:
                        if allowed[u, g]:
                            vs.append(x[u, g])
                            cs.append(c)
                            us.append(u)
                    maxn = min(int(inst.cap[g]), total)
                    offset += convex_cell(vs, cs, d.F[g, v], maxn, f"{di}_{v}_{g}", us, g)
        # keep apart
        for a, b in inst.apart:
            for g in np.flatnonzero(allowed[a] & allowed[b]).tolist():
                m.add_at_most_one([x[a, g], x[b, g]])
        # symmetry
        self.sym_chains: list = []
        for cls in inst.sym_classes:
            self._break_symmetry(cls)
        self.offset = offset
        m.minimize(cp_model.LinearExpr.weighted_sum(objective_vars, objective_coefs) + offset)

    def _break_symmetry(self, cls: list[int]) -> None:
        m, x, inst = self.model, self.x, self.inst
        k = len(cls)
        units = [u for u in range(inst.n_units) if all(inst.allowed[u, g] for g in cls)]
        limit = max(2, min(len(units), SYMMETRY_BUDGET // max(k - 1, 1)))
        units = units[:limit]
        prev: list | None = None  # f[i-1, j] for j in 0..k-2
        chain: list[tuple[int, int, cp_model.IntVar]] = []
        for i, u in enumerate(units):
            if i == 0:
                for j in range(1, k):
                    m.add(x[u, cls[j]] == 0)
            else:
                for j in range(1, k):
                    m.add_implication(x[u, cls[j]], prev[j - 1])
            if i == len(units) - 1:
                break
            cur = []
            for j in range(k - 1):
                f = m.new_bool_var("")
                if prev is None:
                    m.add_implication(f, x[u, cls[j]])
                else:
                    m.add_bool_or([f.Not(), prev[j], x[u, cls[j]]])
                cur.append(f)
                chain.append((i, cls[j], f))
            prev = cur
        self.sym_chains.append((units, chain))

    def hint(self, assign: np.ndarray) -> None:
        m, _inst = self.model, self.inst
        for (u, g), var in self.x.items():
            m.add_hint(var, int(assign[u] == g))
        # the aggregate counts, their costs and the symmetry literals follow from x
        for n, y, us, cs, g, f in self.cells:
            count = int(sum(c for u, c in zip(us, cs) if assign[u] == g))
            count = min(count, len(f) - 1)
            m.add_hint(n, count)
            m.add_hint(y, int(f[count]))
        for units, chain in self.sym_chains:
            first: dict[int, int] = {}
            for i, u in enumerate(units):
                first.setdefault(int(assign[u]), i)
            for i, g, f in chain:
                m.add_hint(f, int(first.get(g, len(units)) <= i))

    def solve(
        self,
        time_limit: float,
        seed: int,
        workers: int,
        reproducible: bool,
        report: Callable[[float, float], bool | None] | None = None,
    ) -> tuple[str, np.ndarray | None, int | None, float]:
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.random_seed = int(seed)
        p.num_workers = max(1, int(workers))
        p.max_time_in_seconds = max(0.05, float(time_limit))
        if reproducible:
            # one worker stopped on the deterministic clock: the same seed gives the same search
            p.num_workers = 1
            p.max_deterministic_time = max(0.05, float(time_limit))
            p.max_time_in_seconds = max(0.1, 1.5 * float(time_limit))
        started = time.perf_counter()
        callback = _Callback(report) if report else None
        status = solver.solve(self.model, callback)
        del started
        names = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible"}
        state = names.get(status, "unknown")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            bound = solver.best_objective_bound if status == cp_model.UNKNOWN else 0.0
            return state, None, None, float(bound)
        assign = np.full(self.inst.n_units, -1, dtype=np.int64)
        for (u, g), var in self.x.items():
            if solver.boolean_value(var):
                assign[u] = g
        return state, assign, int(round(solver.objective_value)), float(solver.best_objective_bound)
