"""Allocation runs: the engine places a breakout slot's participants in its groups, at once or in the background.

A run solves outside the transaction (it can take seconds) and saves only if the allocation's version is still
the one it started from, so two runs, or a run and a change by hand, never interleave: the later one is refused
and nothing of it is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from target87.consultations.models import Session
from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.engines import allocation as engine
from target87.jobs.models import Job
from target87.jobs.registry import job_kind
from target87.jobs.services import job_start
from target87.people.models import Participation

from .. import problem as build
from ..enums import BACKGROUND_PEOPLE, LEAD_ROLES, AllocationStatus
from ..models import Allocation, AllocationRun, BreakoutGroup, GroupAssignment

#: seconds the solver may take when the convener waits for the page, and in the background
TIME_LIMIT_WAITING = 5.0
TIME_LIMIT_BACKGROUND = 30.0
MAX_TIME_LIMIT = 600.0


@dataclass
class RunOutcome:
    """What :func:`allocation_run` did: saved a run at once, or started a background job."""

    allocation: Allocation
    run: AllocationRun | None = None
    job: Job | None = None


def allocation_get_or_create(*, actor, session: Session) -> Allocation:
    """The allocation of the breakout slot that ``session`` belongs to."""
    require(actor, "breakouts.manage", session.consultation)
    if session.kind != "breakout":
        raise ServiceError(_("Only breakout sessions are split into groups."))
    slot = build.slot_sessions(session)
    existing = Allocation.objects.filter(session__in=slot).order_by("session__start", "pk").first()
    if existing is not None:
        return existing
    allocation, _created = Allocation.objects.get_or_create(consultation=session.consultation, session=slot[0])
    return allocation


def allocation_run(
    *,
    actor,
    session: Session,
    seed: int = 0,
    time_limit: float | None = None,
    group_count: int | None = None,
    background: bool | None = None,
) -> RunOutcome:
    """Allocate the slot's participants to its groups, around the locked groups.

    Small allocations are solved at once; more than :data:`.enums.BACKGROUND_PEOPLE` people, or
    ``background=True``, start a job with progress instead. Refusals of the engine (more people than
    seats, a language nobody's group speaks …) come back as a :class:`ServiceError` with its message;
    nothing is saved then.
    """
    allocation = allocation_get_or_create(actor=actor, session=session)
    if time_limit is not None and not 0 < time_limit <= MAX_TIME_LIMIT:
        raise ServiceError({"time_limit": _("Give the solver between 1 and 600 seconds.")})
    people_count = len(build.pool(allocation.consultation))
    if background is None:
        background = people_count > BACKGROUND_PEOPLE
    if background:
        job = job_start(
            kind="breakouts.allocate",
            title=_("Breakout groups for “%(session)s”") % {"session": allocation.session.title},
            params={
                "allocation_id": allocation.pk,
                "seed": seed,
                "time_limit": time_limit or TIME_LIMIT_BACKGROUND,
                "group_count": group_count,
            },
            actor=actor,
            consultation=allocation.consultation,
        )
        return RunOutcome(allocation=allocation, job=job)
    run = _run(
        actor=actor,
        allocation=allocation,
        seed=seed,
        time_limit=time_limit or TIME_LIMIT_WAITING,
        group_count=group_count,
    )
    return RunOutcome(allocation=allocation, run=run)


@job_kind("breakouts.allocate")
def _allocate_job(job, progress):
    """A large allocation in the background: the same run, with the solver's progress on the job page."""
    allocation = Allocation.objects.select_related("consultation", "session").get(pk=job.params["allocation_id"])
    actor = job.created_by
    time_limit = float(job.params["time_limit"])
    steps = max(1, int(time_limit * 10))

    def report(event: engine.Progress) -> None:
        if event.phase == "done":
            return
        message = (
            _("Checking the request")
            if event.phase == "check"
            else _("Best so far: %(objective)s, bound %(bound)s")
            % {
                "objective": event.objective if event.objective is not None else "…",
                "bound": round(event.bound) if event.bound is not None else "…",
            }
        )
        progress(min(steps - 1, int(event.elapsed * 10)), steps, message)

    run = _run(
        actor=actor,
        allocation=allocation,
        seed=int(job.params.get("seed") or 0),
        time_limit=time_limit,
        group_count=job.params.get("group_count"),
        on_progress=report,
    )
    progress(steps, steps, _("Saved"))
    url = reverse("breakouts:manage", kwargs={"slug": allocation.consultation.slug, "pk": allocation.session_id})
    return {"run": run.number, "status": run.solver_status, "gap": run.gap}, url


def _run(
    *, actor, allocation: Allocation, seed: int, time_limit: float, group_count: int | None, on_progress=None
) -> AllocationRun:
    require(actor, "breakouts.manage", allocation.consultation)
    allocation.refresh_from_db()
    started_version = allocation.version
    sessions = build.slot_sessions(allocation.session)
    people = build.pool(allocation.consultation)
    build.check_pool(people)
    plan = build.group_plan(allocation, sessions, people, group_count)
    previous = allocation.current_run
    past = build.history(allocation)
    problem = build.build_problem(
        plan.groups,
        people,
        previous,
        use_previous=plan.same_groups,
        past=past,
        consultation=allocation.consultation,
    )
    options = engine.Options(time_limit=time_limit, seed=seed)
    try:
        result = engine.allocate(problem, options, on_progress)
    except engine.AllocationError as error:
        raise ServiceError(build.readable(error.message, people, plan.groups)) from None

    with transaction.atomic():
        locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
        if locked.version != started_version:
            raise ServiceError(
                _(
                    "The groups changed while this allocation was being computed (another run, a move or a "
                    "lock). Nothing of this run was saved: look at the groups as they are now and allocate again."
                )
            )
        number = (locked.runs.aggregate(m=Max("number"))["m"] or 0) + 1
        run = AllocationRun.objects.create(
            allocation=locked,
            number=number,
            solver_status=result.status,
            method=result.rounds[0].method if result.rounds else "",
            objective=result.objective,
            bound=result.best_bound,
            gap=result.gap,
            seed=seed,
            time_limit=time_limit,
            options={
                "time_limit": time_limit,
                "seed": seed,
                "workers": options.workers,
                "reproducible": options.reproducible,
                "settings": result.solver_settings,
            },
            seconds=result.seconds,
            terms=result.terms,
            notes=[build.readable(str(n), people, plan.groups) for n in result.notes],
            moves=result.moves if problem.previous else 0,
            locked_groups=sorted(spec.number for spec in plan.groups if spec.key in problem.locked),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        groups = _create_groups(locked, run, plan)
        by_id = {build.pid(p.pk): p for p in people}
        GroupAssignment.objects.bulk_create(
            [
                GroupAssignment(run=run, participation=by_id[a.participant_id], group=groups[a.group_id])
                for a in result.assignments
            ]
        )
        _name_facilitators(groups, result, by_id)
        run.metrics = build.evaluate(run)
        run.save(update_fields=["metrics"])
        locked.current_run = run
        locked.status = AllocationStatus.DRAFT
        locked.version += 1
        locked.save(update_fields=["current_run", "status", "version", "updated_at"])
        audit.record(
            actor=actor,
            action="breakouts.run",
            obj=locked,
            consultation=locked.consultation,
            changes={
                "run": number,
                "status": run.solver_status,
                "objective": run.objective,
                "bound": run.bound,
                "moves": run.moves,
                "locked": run.locked_groups,
            },
        )
    allocation.refresh_from_db()
    return run


def _create_groups(allocation: Allocation, run: AllocationRun, plan: build.Plan) -> dict[str, BreakoutGroup]:
    """The new run's groups as planned (the run before keeps its own); the groups by their key in the plan."""
    groups: dict[str, BreakoutGroup] = {}
    for spec in plan.groups:
        groups[spec.key] = BreakoutGroup.objects.create(
            allocation=allocation,
            run=run,
            number=spec.number,
            session=spec.session,
            room_id=spec.room_id,
            key_question_id=spec.key_question_id,
            capacity=spec.capacity,
            language=spec.language,
            facilitator_id=spec.facilitator_id,
            locked=spec.locked,
        )
    return groups


def _name_facilitators(
    groups: dict[str, BreakoutGroup], result: engine.Allocation, by_id: dict[str, Participation]
) -> None:
    """A group without a facilitator gets the first facilitator (or else rapporteur) the run placed in it."""
    members: dict[str, list[Participation]] = {}
    for a in result.assignments:
        members.setdefault(a.group_id, []).append(by_id[a.participant_id])
    for key, group in groups.items():
        leads = sorted(
            (p for p in members.get(key, []) if p.role in LEAD_ROLES),
            key=lambda p: (p.role != "facilitator", p.person.name),
        )
        if group.facilitator_id is None and leads:
            group.facilitator = leads[0]
            group.save(update_fields=["facilitator"])
