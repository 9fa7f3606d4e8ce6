"""The engine's own lower bound on a round's objective, valid whoever found the allocation.

The objective is a sum of parts, so the sum of a lower bound for each part is a lower bound:

* the linear part and the size part together: the linear-programming relaxation of assigning people
  to groups (a transportation problem, exact for single people), computed with people and groups of
  identical costs merged, so that it stays small for thousands of people;
* each (dimension, value) of the convex cells: the cheapest way to spread that value's total count over
  the groups — convex costs make the greedy choice of the smallest marginal costs optimal.

The solver's best bound is taken when it is higher. Neither relaxation needs the other's solution, so
the bound is cheap enough to compute at every scale.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from .instance import RoundInstance


def cells_bound(inst: RoundInstance) -> float:
    total = 0.0
    G = inst.n_groups
    if G == 0:
        return 0.0
    for d in inst.dims:
        M = d.F.shape[2] - 1
        k = np.arange(M)
        for v in range(len(d.values)):
            n_v = int(d.count[d.value == v].sum())
            f = d.F[:, v, :].astype(np.float64)  # (G, M + 1)
            marg = np.diff(f, axis=1)  # (G, M)
            marg = np.where(k[None, :] < inst.cap[:, None], marg, np.inf).ravel()
            base = f[:, 0].sum()
            if n_v > 0:
                n_v = min(n_v, int(np.isfinite(marg).sum()))
                smallest = np.partition(marg, n_v - 1)[:n_v] if n_v < marg.size else marg
                base += smallest[np.isfinite(smallest)].sum()
            total += base
    return total


def linear_size_bound(inst: RoundInstance) -> float:
    U, G = inst.C.shape
    if U == 0 or G == 0:
        return 0.0
    rows = np.concatenate([inst.C, inst.allowed.astype(np.int64), inst.unit_size[:, None]], axis=1)
    types, _unit_type, counts = np.unique(rows, axis=0, return_inverse=True, return_counts=True)
    T = len(types)
    Ct = types[:, :G]
    At = types[:, G : 2 * G].astype(bool)
    St = types[:, 2 * G]
    cols = np.concatenate(
        [Ct.T, At.T.astype(np.int64), np.stack([inst.size_lo, inst.size_hi, inst.cap], axis=1)], axis=1
    )
    gtypes, _group_type, gcounts = np.unique(cols, axis=0, return_inverse=True, return_counts=True)
    K = len(gtypes)
    lo = gtypes[:, 2 * T] * gcounts
    hi = gtypes[:, 2 * T + 1] * gcounts
    cap = gtypes[:, 2 * T + 2] * gcounts
    pairs = [(t, k) for t in range(T) for k in range(K) if gtypes[k, T + t]]
    P = len(pairs)
    nvar = P + 2 * K  # y, over, under
    c = np.zeros(nvar)
    for j, (t, k) in enumerate(pairs):
        c[j] = gtypes[k, t]
    c[P:] = inst.size_weight
    # equalities: every unit type placed
    eq_rows, eq_cols, eq_vals = [], [], []
    for j, (t, _k) in enumerate(pairs):
        eq_rows.append(t)
        eq_cols.append(j)
        eq_vals.append(1.0)
    A_eq = sparse.csr_matrix((eq_vals, (eq_rows, eq_cols)), shape=(T, nvar))
    b_eq = counts.astype(np.float64)
    # inequalities per group type: n <= cap; n - over <= hi; -n - under <= -lo
    r, cc, vv = [], [], []
    for j, (t, k) in enumerate(pairs):
        s = float(St[t])
        r += [k, K + k, 2 * K + k]
        cc += [j, j, j]
        vv += [s, s, -s]
    for k in range(K):
        r += [K + k, 2 * K + k]
        cc += [P + k, P + K + k]
        vv += [-1.0, -1.0]
    A_ub = sparse.csr_matrix((vv, (r, cc)), shape=(3 * K, nvar))
    b_ub = np.concatenate([cap, hi, -lo]).astype(np.float64)
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if res.status != 0:
        return 0.0
    return float(res.fun)


def lower_bound(inst: RoundInstance) -> float:
    return linear_size_bound(inst) + cells_bound(inst)
