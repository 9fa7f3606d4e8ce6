"""Balanced multi-stakeholder breakout groups.

Plain dataclasses in (:class:`Problem`, :class:`Options`), an :class:`Allocation` out; a progress
callback, a seed, locks and a previous allocation, so that a command, a web view or a background job can
call :func:`allocate` alike. No Django.

How it works, per round (rounds are solved in turn, each given the earlier ones):

1. :func:`check_problem` rejects impossible requests up front with a message naming the rule and the
   people or groups involved (more people than seats, a language nobody's group speaks, contradictory
   pairs, unknown stakeholder groups …).
2. :mod:`.instance` builds the round's model: units of people kept together, a linear cost per (unit,
   group) and convex costs of aggregate counts per (group, category value) — see :class:`Weights` for
   the terms and their weights.
3. :mod:`.heuristic` finds a good allocation fast (greedy start, exchange local search).
4. :mod:`.cpsat` proves or improves it with CP-SAT, started from that allocation (hint), when the model
   is small enough (``Options.exact_max_variables``); :mod:`.bounds` gives a lower bound at any scale, so
   the gap is known even when only the local search ran.
"""

from .types import (
    STAKEHOLDER_GROUPS,
    TRIPARTITE,
    Allocation,
    AllocationError,
    Assignment,
    Group,
    GroupReport,
    Options,
    Participant,
    Problem,
    Progress,
    RoundReport,
    Weights,
    stakeholder_label,
)

__all__ = [
    "STAKEHOLDER_GROUPS",
    "TRIPARTITE",
    "Allocation",
    "AllocationError",
    "Assignment",
    "Group",
    "GroupReport",
    "Options",
    "Participant",
    "Problem",
    "Progress",
    "RoundReport",
    "Weights",
    "allocate",
    "check_problem",
    "metrics",
    "stakeholder_label",
]

# The solver (OR-Tools, SciPy, NumPy: most of a second to import) loads when first used, not when the web site,
# a command or the worker starts and merely reads the names above.
_SOLVER = {"allocate": "engine", "metrics": "engine", "check_problem": "instance"}


def __getattr__(name: str):
    if name in _SOLVER:
        import importlib

        value = getattr(importlib.import_module(f".{_SOLVER[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
