"""Blocks of interchangeable groups: a strong relaxation, a lower bound and a two-stage construction.

Groups that every unit sees alike (same costs, same working language, no fixed facilitator or previous
members — in practice the groups of one topic and language) form a *block*. Merging a block into one
big group, with each cell cost replaced by the cheapest split of a count over the block's groups (the
infimal convolution of the groups' convex tables: merge their marginal costs in increasing order), gives
a *relaxation*: every allocation maps to one of the block model at no higher cost. The block model is
small (people × blocks, no symmetry left), so CP-SAT solves it quickly, and

* its best bound is a lower bound of the full objective — much stronger than the linear relaxation,
  because it keeps the integrality of who joins which topic;
* its solution, split block by block into groups (small, balance-only problems), is a near-optimal
  start for the full model.
"""

from __future__ import annotations

import numpy as np

from .instance import Dim, RoundInstance

BIG_SLOPE = 10**6


def _convolve(tables: list[np.ndarray], caps: list[int], width: int) -> np.ndarray:
    """Infimal convolution of convex tables f_i on [0, cap_i], tabulated on [0, width)."""
    base = sum(int(t[0]) for t in tables)
    marg = np.concatenate([np.diff(t[: c + 1]) for t, c in zip(tables, caps)]) if tables else np.zeros(0)
    marg = np.sort(marg)
    out = np.empty(width, dtype=np.int64)
    out[0] = base
    k = min(len(marg), width - 1)
    out[1 : k + 1] = base + np.cumsum(marg[:k])
    if k + 1 < width:
        out[k + 1 :] = out[k] + BIG_SLOPE * np.arange(1, width - k)
    return out


def blocks_of(inst: RoundInstance) -> np.ndarray:
    """Block number of every group."""
    fixed_groups = set(int(g) for g in inst.fixed if g >= 0)
    keys: dict = {}
    block = np.zeros(inst.n_groups, dtype=np.int64)
    for g in range(inst.n_groups):
        if g in fixed_groups:
            key = ("g", g)
        else:
            key = (inst.C[:, g].tobytes(), inst.allowed[:, g].tobytes())
        block[g] = keys.setdefault(key, len(keys))
    return block


def aggregate(inst: RoundInstance, block: np.ndarray) -> RoundInstance:
    B = int(block.max()) + 1
    members = [np.flatnonzero(block == b) for b in range(B)]
    first = np.array([m[0] for m in members])
    cap = np.array([int(inst.cap[m].sum()) for m in members], dtype=np.int64)
    Mb = int(cap.max())
    width = Mb + 2
    size_F = np.stack([_convolve([inst.size_F[g] for g in m], [int(inst.cap[g]) for g in m], width) for m in members])
    dims = []
    for d in inst.dims:
        V = len(d.values)
        F = np.zeros((B, V, width), dtype=np.int64)
        for b, m in enumerate(members):
            caps = [int(inst.cap[g]) for g in m]
            for v in range(V):
                F[b, v] = _convolve([d.F[g, v] for g in m], caps, width)
        dims.append(Dim(d.name, d.values, d.unit, d.value, d.count, F))
    fixed = np.where(inst.fixed >= 0, block[np.maximum(inst.fixed, 0)], -1)
    return RoundInstance(
        round=inst.round,
        groups=[inst.groups[g] for g in first],
        locked_members={},
        units=inst.units,
        unit_size=inst.unit_size,
        allowed=inst.allowed[:, first],
        fixed=fixed,
        C=inst.C[:, first],
        parts={k: v[:, first] for k, v in inst.parts.items()},
        cap=cap,
        size_lo=np.array([int(inst.size_lo[m].sum()) for m in members], dtype=np.int64),
        size_hi=np.array([int(inst.size_hi[m].sum()) for m in members], dtype=np.int64),
        size_F=size_F,
        dims=dims,
        apart=[],
        sym_classes=[],
        M=Mb,
        people_ids=inst.people_ids,
        tripartite_weight=inst.tripartite_weight,
        size_weight=inst.size_weight,
    )


def sub_instance(inst: RoundInstance, units: np.ndarray, groups: np.ndarray) -> RoundInstance:
    """The part of a round with only these units and groups."""
    units = np.asarray(units, dtype=np.int64)
    groups = np.asarray(groups, dtype=np.int64)
    umap = np.full(inst.n_units, -1, dtype=np.int64)
    umap[units] = np.arange(len(units))
    gmap = np.full(inst.n_groups, -1, dtype=np.int64)
    gmap[groups] = np.arange(len(groups))
    dims = []
    for d in inst.dims:
        keep = umap[d.unit] >= 0
        dims.append(
            Dim(
                d.name,
                d.values,
                umap[d.unit[keep]],
                d.value[keep],
                d.count[keep],
                d.F[groups],
                None if d.lo is None else d.lo[groups],
                None if d.hi is None else d.hi[groups],
            )
        )
    fixed = inst.fixed[units]
    fixed = np.where(fixed >= 0, gmap[np.maximum(fixed, 0)], -1)
    apart = [(int(umap[a]), int(umap[b])) for a, b in inst.apart if umap[a] >= 0 and umap[b] >= 0]
    classes = []
    for cls in inst.sym_classes:
        kept = [int(gmap[g]) for g in cls if gmap[g] >= 0]
        if len(kept) > 1:
            classes.append(kept)
    return RoundInstance(
        round=inst.round,
        groups=[inst.groups[g] for g in groups],
        locked_members={},
        units=[inst.units[u] for u in units],
        unit_size=inst.unit_size[units],
        allowed=inst.allowed[np.ix_(units, groups)],
        fixed=fixed,
        C=inst.C[np.ix_(units, groups)],
        parts={k: v[np.ix_(units, groups)] for k, v in inst.parts.items()},
        cap=inst.cap[groups],
        size_lo=inst.size_lo[groups],
        size_hi=inst.size_hi[groups],
        size_F=inst.size_F[groups],
        dims=dims,
        apart=apart,
        sym_classes=classes,
        M=inst.M,
        people_ids=inst.people_ids,
        tripartite_weight=inst.tripartite_weight,
        size_weight=inst.size_weight,
    )
