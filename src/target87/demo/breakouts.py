"""The Bangkok demonstration's breakout groups, allocated and published through the breakouts services.

Each breakout slot of the programme has four parallel sessions, one per meeting room (30 seats each): the
slot is one allocation whose groups are those sessions, each in its room, on its key question where it has
one; every approved participant, facilitator, rapporteur, panellist and speaker is placed in exactly one of
them (conveners and observers are not). A session's moderator facilitates its group. Slots are allocated
in time order, so each one mixes again the people who met in the slots before it and gives them other key
questions. Idempotent: a slot that already has groups is left as it is.
"""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model

from target87.breakouts import selectors, services

#: seconds the solver may take per slot: the first slots are proved optimal well within it, the later
#: ones (which also mix the people who met before) end within half a per cent of the best bound
TIME_LIMIT = 3.0


def load(*, consultation, stdout=None) -> None:
    from target87.demo.bangkok import CONVENER_USERNAME

    say = stdout.write if stdout else lambda *_: None
    convener = get_user_model().objects.get(username=CONVENER_USERNAME)
    for slot in selectors.breakout_slots(consultation=consultation):
        allocation = slot["allocation"]
        if allocation is not None and allocation.current_run_id:
            continue
        started = time.perf_counter()
        outcome = services.allocation_run(
            actor=convener, session=slot["sessions"][0], time_limit=TIME_LIMIT, background=False
        )
        services.allocation_publish(actor=convener, allocation=outcome.allocation)
        run = outcome.run
        local = slot["start"].astimezone(consultation.tz)
        tripartite = run.metrics["tripartite"]
        shares = run.metrics["preferences"]
        history = run.metrics["history"]
        wishes = f"{100 * shares['first']:.0f} % on their first choice" if any(shares.values()) else "no topic choice"
        say(
            f"Breakout groups on {local:%d %B at %H:%M}: {run.assignments.count()} people in "
            f"{len(slot['sessions'])} groups, {run.solver_status} (gap {100 * run.gap:.2f} %), "
            f"tripartite in {tripartite['groups_complete']} of {tripartite['groups']} groups, "
            f"{wishes}, "
            f"{history['repeated']} pairs meeting again (random groups: about {history['repeated_random']}), "
            f"{time.perf_counter() - started:.1f} s.\n"
        )
