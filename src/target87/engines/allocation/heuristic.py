"""A fast exchange heuristic for large events, and the starting point (hint) of the solver.

A greedy start places the least flexible units first, each in the group where it adds the least cost;
then a local search repeatedly takes a person and applies the best exchange with anyone in another group
(sizes unchanged) or the best move to a group with a free seat, until no exchange improves the objective
(the exchange method of anticlustering, with the full objective of :mod:`.instance`). Each step is one
vectorised numpy evaluation against every candidate. People kept together and fixed facilitators are
placed by the greedy start and not exchanged. Iterated kicks (a few random exchanges, then descent,
kept when better) use the rest of the work budget.

The search stops on its own counters (sweeps and kicks), not on the clock, so a seed reproduces a result;
the wall-clock limit only cuts it short as a safeguard.
"""

from __future__ import annotations

import time

import numpy as np

from .instance import RoundInstance

BIG = 10**9


class LocalSearch:
    def __init__(self, inst: RoundInstance, seed: int = 0):
        self.inst = inst
        self.rng = np.random.default_rng(seed)
        U, G = inst.C.shape
        self.U, self.G = U, G
        self.Cm = np.where(inst.allowed, inst.C, BIG).astype(np.int64)
        self.single = (inst.unit_size == 1) & (inst.fixed < 0)
        self.movable = np.flatnonzero(self.single)
        # per dimension: value of each single unit (dummy V for none), F padded with a zero dummy value
        self.vals: list[np.ndarray] = []
        self.F: list[np.ndarray] = []
        self.unit_vals: list[list[tuple[int, int, int]]] = [[] for _ in range(U)]
        for di, d in enumerate(inst.dims):
            V = len(d.values)
            val = np.full(U, V, dtype=np.int64)
            one = inst.unit_size[d.unit] == 1
            val[d.unit[one]] = d.value[one]
            self.vals.append(val)
            F = np.zeros((G, V + 1, d.F.shape[2]), dtype=np.int64)
            F[:, :V, :] = d.F
            self.F.append(F)
            for u, v, c in zip(d.unit.tolist(), d.value.tolist(), d.count.tolist()):
                self.unit_vals[u].append((di, v, c))
        self.partners: list[list[int]] = [[] for _ in range(U)]
        for a, b in inst.apart:
            self.partners[a].append(b)
            self.partners[b].append(a)
        self.has_apart = bool(inst.apart)
        self.feasible = True

    # state -------------------------------------------------------------------------------------------
    def _init_state(self, assign: np.ndarray) -> None:
        inst, G = self.inst, self.G
        self.assign = assign.copy()
        self.n = []
        for d in inst.dims:
            n = np.zeros((G, len(d.values) + 1), dtype=np.int64)
            np.add.at(n, (assign[d.unit], d.value), d.count)
            self.n.append(n)
        self.sizes = np.bincount(assign, weights=inst.unit_size, minlength=G).astype(np.int64)
        self.A = np.zeros((self.U, G), dtype=np.int64)
        if self.has_apart:
            for a, b in inst.apart:
                self.A[a, assign[b]] += 1
                self.A[b, assign[a]] += 1
        self.Dm = [np.zeros_like(n) for n in self.n]
        self.Dp = [np.zeros_like(n) for n in self.n]
        for di in range(len(self.n)):
            self._refresh(di, np.arange(G))
        self._refresh_sizes(np.arange(G))

    def _refresh(self, di: int, rows) -> None:
        F, n = self.F[di], self.n[di]
        r = np.asarray(rows)[:, None]
        cols = np.arange(n.shape[1])[None, :]
        nr = n[r, cols]
        here = F[r, cols, nr]
        self.Dm[di][r, cols] = F[r, cols, np.maximum(nr - 1, 0)] - here
        self.Dp[di][r, cols] = F[r, cols, np.minimum(nr + 1, F.shape[2] - 1)] - here

    def _refresh_sizes(self, rows) -> None:
        inst = self.inst
        if not hasattr(self, "Sm"):
            self.Sm = np.zeros(self.G, dtype=np.int64)
            self.Sp = np.zeros(self.G, dtype=np.int64)
        rows = np.asarray(rows)
        s = self.sizes[rows]
        top = inst.size_F.shape[1] - 1
        self.Sm[rows] = inst.size_F[rows, np.maximum(s - 1, 0)] - inst.size_F[rows, s]
        self.Sp[rows] = inst.size_F[rows, np.minimum(s + 1, top)] - inst.size_F[rows, np.minimum(s, top)]

    def _move(self, u: int, h: int) -> None:
        g = int(self.assign[u])
        if g == h:
            return
        for di, v, c in self.unit_vals[u]:
            self.n[di][g, v] -= c
            self.n[di][h, v] += c
            self._refresh(di, [g, h])
        size = int(self.inst.unit_size[u])
        self.sizes[g] -= size
        self.sizes[h] += size
        self._refresh_sizes([g, h])
        for w in self.partners[u]:
            self.A[w, g] -= 1
            self.A[w, h] += 1
        self.assign[u] = h

    # greedy start ------------------------------------------------------------------------------------
    def greedy(self) -> np.ndarray:
        inst, G = self.inst, self.G
        U = self.U
        assign = np.full(U, -1, dtype=np.int64)
        # state with nobody placed
        self.assign = assign
        self.n = [np.zeros((G, len(d.values) + 1), dtype=np.int64) for d in inst.dims]
        self.sizes = np.zeros(G, dtype=np.int64)
        self.A = np.zeros((U, G), dtype=np.int64)
        flexibility = inst.allowed.sum(axis=1)
        noise = self.rng.random(U)
        order = sorted(range(U), key=lambda u: (inst.fixed[u] < 0, flexibility[u], -inst.unit_size[u], noise[u]))
        rows = np.arange(G)
        for u in order:
            size = int(inst.unit_size[u])
            score = self.Cm[u].astype(np.float64)
            for di, v, c in self.unit_vals[u]:
                F, n = self.F[di], self.n[di]
                top = F.shape[2] - 1
                score += F[rows, v, np.minimum(n[:, v] + c, top)] - F[rows, v, n[:, v]]
            top = inst.size_F.shape[1] - 1
            score += inst.size_F[rows, np.minimum(self.sizes + size, top)] - inst.size_F[rows, self.sizes]
            score += self.rng.random(G) * 0.01
            ok = inst.allowed[u] & (self.sizes + size <= inst.cap)
            if self.has_apart:
                ok_apart = ok & (self.A[u] == 0)
                if ok_apart.any():
                    ok = ok_apart
            if not ok.any():
                ok = inst.allowed[u].copy()
                self.feasible = False
            h = int(np.argmin(np.where(ok, score, np.inf)))
            assign[u] = h
            for di, v, c in self.unit_vals[u]:
                self.n[di][h, v] += c
            self.sizes[h] += size
            for w in self.partners[u]:
                self.A[w, h] += 1
        return assign

    # local search ------------------------------------------------------------------------------------
    def _best_for(self, p: int) -> tuple[int, int, int]:
        """(delta, kind, target): kind 0 = move to group target, 1 = exchange with unit target."""
        inst = self.inst
        g = int(self.assign[p])
        Q = self.movable
        h = self.assign[Q]
        Cm = self.Cm
        # exchanges
        delta = Cm[p, h] + Cm[Q, g] - Cm[p, g] - Cm[Q, h]
        move = Cm[p] - Cm[p, g]
        for di in range(len(self.F)):
            val = self.vals[di]
            vp = int(val[p])
            vq = val[Q]
            Dm, Dp = self.Dm[di], self.Dp[di]
            term = Dm[g, vp] + Dp[g, vq] + Dp[h, vp] + Dm[h, vq]
            delta = delta + np.where(vq != vp, term, 0)
            move = move + Dm[g, vp] + Dp[:, vp]
        delta = np.where(h == g, BIG, delta)
        move = move + self.Sm[g] + self.Sp
        move[g] = BIG
        move = np.where(self.sizes + 1 <= inst.cap, move, BIG)
        if self.has_apart:
            delta = np.where((self.A[p, h] == 0) & (self.A[Q, g] == 0), delta, BIG)
            move = np.where(self.A[p] == 0, move, BIG)
        k = int(np.argmin(delta))
        hm = int(np.argmin(move))
        if move[hm] <= delta[k]:
            return int(move[hm]), 0, hm
        return int(delta[k]), 1, int(Q[k])

    def descend(self, deadline: float, max_sweeps: int = 60) -> int:
        """Best-improvement exchanges until a local optimum; returns the number of improving steps."""
        steps = 0
        for _sweep in range(max_sweeps):
            improved = 0
            for p in self.rng.permutation(self.movable):
                p = int(p)
                d, kind, target = self._best_for(p)
                if d < 0:
                    if kind == 0:
                        self._move(p, target)
                    else:
                        g = int(self.assign[p])
                        h = int(self.assign[target])
                        self._move(p, h)
                        self._move(target, g)
                    improved += 1
                if time.perf_counter() > deadline:
                    return steps + improved
            steps += improved
            if not improved:
                break
        return steps

    def cost(self) -> int:
        return int(sum(self.inst.evaluate(self.assign).values()))

    def run(
        self, time_limit: float, kicks: int = 0, start: np.ndarray | None = None, target: float = -np.inf
    ) -> np.ndarray:
        """Greedy start (or ``start``), descent, then up to ``kicks`` kicks; stops early at ``target``."""
        deadline = time.perf_counter() + time_limit
        if start is None:
            start = self.greedy()
        self._init_state(start)
        if len(self.movable) < 2:
            return self.assign.copy()
        self.descend(deadline)
        best, best_cost = self.assign.copy(), self.cost()
        for _ in range(kicks):
            if time.perf_counter() > deadline or best_cost <= target:
                break
            strength = int(self.rng.integers(2, 6))
            for _k in range(strength):
                p, q = self.rng.choice(self.movable, 2, replace=False)
                g, h = int(self.assign[p]), int(self.assign[q])
                if g != h and self.inst.allowed[p, h] and self.inst.allowed[q, g]:
                    self._move(int(p), h)
                    self._move(int(q), g)
            self.descend(deadline)
            c = self.cost()
            if c <= best_cost:
                best, best_cost = self.assign.copy(), c
            else:
                self._init_state(best)
        self._init_state(best)
        return best


def canonical(inst: RoundInstance, assign: np.ndarray) -> np.ndarray:
    """Relabel interchangeable groups by their first member, as the solver's symmetry breaking expects."""
    assign = assign.copy()
    for cls in inst.sym_classes:
        members = {k: np.flatnonzero(assign == k) for k in cls}
        first = {k: (int(m[0]) if len(m) else inst.n_units + k) for k, m in members.items()}
        order = sorted(cls, key=lambda k: first[k])
        for target, source in zip(cls, order):
            assign[members[source]] = target
    return assign
