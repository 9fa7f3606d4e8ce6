"""Allocating breakout groups: run the engine, move people by hand, lock groups, publish.

Every write checks permission on the consultation, runs in one transaction on the allocation's row
(locked with ``SELECT … FOR UPDATE``), raises its version and records who did what. A run solves outside
the transaction (it can take seconds) and saves only if the allocation's version is still the one it
started from, so two runs, or a run and a hand move, never interleave: the later one is refused and
nothing of it is kept.

The runs are in :mod:`.runs`, the changes by hand to the current run's groups and their publication in
:mod:`.groups`, the pairs kept apart or together in :mod:`.pairs`; callers use this package's names.
"""

from __future__ import annotations

from .groups import (  # noqa: F401 (the package's interface)
    allocation_publish,
    assignment_move,
    group_facilitator_set,
    group_language_set,
    group_lock,
    non_speakers,
)
from .pairs import pair_add, pair_remove  # noqa: F401
from .runs import (  # noqa: F401
    MAX_TIME_LIMIT,
    TIME_LIMIT_BACKGROUND,
    TIME_LIMIT_WAITING,
    RunOutcome,
    allocation_get_or_create,
    allocation_run,
)
