"""Allocating breakout groups: run the engine, move people by hand, lock groups, publish.

Every write checks permission on the consultation, runs in one transaction on the allocation's row
(locked with ``SELECT … FOR UPDATE``), raises its version and records who did what. A run solves outside
the transaction (it can take seconds) and saves only if the allocation's version is still the one it
started from, so two runs, or a run and a hand move, never interleave: the later one is refused and
nothing of it is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from target87.consultations.models import Session
from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.engines import allocation as engine
from target87.engines.allocation.instance import speaks
from target87.jobs.models import Job
from target87.jobs.registry import job_kind
from target87.jobs.services import job_start
from target87.people.models import Participation

from . import problem as build
from .enums import BACKGROUND_PEOPLE, LEAD_ROLES, PLACED_ROLES, AllocationStatus, PairKind
from .models import Allocation, AllocationRun, BreakoutGroup, BreakoutPair, GroupAssignment

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


def _locked_allocation(allocation: Allocation) -> Allocation:
    return (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("consultation", "current_run")
        .get(pk=allocation.pk)
    )


def _current_group(allocation: Allocation, group: BreakoutGroup) -> BreakoutGroup:
    """``group`` as it is now, if it is a group of the allocation's current run (older runs stay as they were)."""
    found = BreakoutGroup.objects.filter(pk=group.pk, allocation=allocation, run_id=allocation.current_run_id).first()
    if found is None:
        raise ServiceError(_("Group %(number)d is not a group of the current run.") % {"number": group.number})
    return found


def _group_name(group: BreakoutGroup) -> str:
    return _("group %(number)d") % {"number": group.number}


@transaction.atomic
def assignment_move(
    *, actor, allocation: Allocation, participation: Participation, group: BreakoutGroup
) -> AllocationRun:
    """Move one person to another group of the current run, by hand.

    The hard rules still hold: the group's seats, its working language, locked groups stay as they are,
    and a group's facilitator stays in it. The run's figures are computed again.
    """
    require(actor, "breakouts.manage", allocation.consultation)
    allocation = _locked_allocation(allocation)
    run = allocation.current_run
    if run is None:
        raise ServiceError(_("Allocate the groups first; then people can be moved by hand."))
    if group.allocation_id != allocation.pk or group.run_id != run.pk:
        raise ServiceError({"group": _("That group belongs to another breakout slot or an older run.")})
    group = BreakoutGroup.objects.get(pk=group.pk)
    if participation.consultation_id != allocation.consultation_id:
        raise ServiceError(_("%(name)s does not take part in this consultation.") % {"name": participation.person.name})
    current = GroupAssignment.objects.filter(run=run, participation=participation).select_related("group").first()
    name = participation.person.name
    if current is not None and current.group_id == group.pk:
        return run
    if current is None and not (participation.status == "approved" and participation.role in PLACED_ROLES):
        raise ServiceError(_("%(name)s is not an approved participant of this consultation.") % {"name": name})
    if group.locked:
        raise ServiceError(
            {"group": _("Group %(number)d is locked; unlock it to change who sits in it.") % {"number": group.number}}
        )
    if current is not None and current.group.locked:
        raise ServiceError(
            {
                "group": _("%(name)s is in group %(number)d, which is locked; unlock it to move them.")
                % {"name": name, "number": current.group.number}
            }
        )
    if current is not None and current.group.facilitator_id == participation.pk:
        raise ServiceError(
            {
                "group": _(
                    "%(name)s facilitates group %(number)d; give the group another facilitator before moving them."
                )
                % {"name": name, "number": current.group.number}
            }
        )
    size = GroupAssignment.objects.filter(run=run, group=group).count()
    if size >= group.capacity:
        raise ServiceError(
            {
                "group": _("Group %(number)d is full: %(place)s seats %(capacity)d.")
                % {"number": group.number, "place": group.place or _("the group"), "capacity": group.capacity}
            }
        )
    languages = frozenset(str(x) for x in (participation.person.languages or []) if x)
    if not speaks(languages, engine.Group(id=build.gkey(group.pk), capacity=group.capacity, language=group.language)):
        raise ServiceError(
            {
                "group": _("Group %(number)d works in %(language)s, which %(name)s does not speak.")
                % {"number": group.number, "language": group.language, "name": name}
            }
        )
    before = current.group.number if current is not None else None
    if current is None:
        GroupAssignment.objects.create(run=run, participation=participation, group=group, moved_by_hand=True)
    else:
        GroupAssignment.objects.filter(pk=current.pk).update(group=group, moved_by_hand=True)
    run.hand_moves += 1
    run.metrics = build.evaluate(run)
    run.save(update_fields=["hand_moves", "metrics"])
    allocation.version += 1
    allocation.save(update_fields=["version", "updated_at"])
    audit.record(
        actor=actor,
        action="breakouts.move",
        obj=participation,
        consultation=allocation.consultation,
        changes={"run": run.number, "group": [before, group.number]},
    )
    return run


@transaction.atomic
def group_lock(*, actor, group: BreakoutGroup, locked: bool) -> BreakoutGroup:
    """Lock a group (the next run keeps exactly its members) or unlock it."""
    allocation = _locked_allocation(group.allocation)
    require(actor, "breakouts.manage", allocation.consultation)
    group = _current_group(allocation, group)
    if locked and allocation.current_run_id is None:
        raise ServiceError(_("Allocate the groups first; a group is locked with the people in it."))
    if group.locked != locked:
        group.locked = locked
        group.save(update_fields=["locked"])
        allocation.version += 1
        allocation.save(update_fields=["version", "updated_at"])
        audit.record(
            actor=actor,
            action="breakouts.lock" if locked else "breakouts.unlock",
            obj=group,
            consultation=allocation.consultation,
            changes={"group": group.number},
        )
    return group


@transaction.atomic
def allocation_publish(*, actor, allocation: Allocation) -> Allocation:
    """Show the current groups to participants (their agenda) and facilitators (their lists)."""
    allocation = _locked_allocation(allocation)
    require(actor, "breakouts.manage", allocation.consultation)
    if allocation.current_run_id is None:
        raise ServiceError(_("There is nothing to publish yet: allocate the groups first."))
    allocation.status = AllocationStatus.PUBLISHED
    allocation.published_run_id = allocation.current_run_id
    allocation.published_at = timezone.now()
    allocation.published_by = actor if getattr(actor, "is_authenticated", False) else None
    allocation.version += 1
    allocation.save()
    audit.record(
        actor=actor,
        action="breakouts.publish",
        obj=allocation,
        consultation=allocation.consultation,
        changes={"run": allocation.current_run.number},
    )
    return allocation


@transaction.atomic
def group_facilitator_set(*, actor, group: BreakoutGroup, participation: Participation | None) -> BreakoutGroup:
    """Name the facilitator of a group among its members (None: nobody); later runs keep them in it."""
    allocation = _locked_allocation(group.allocation)
    require(actor, "breakouts.manage", allocation.consultation)
    group = _current_group(allocation, group)
    if (
        participation is not None
        and not GroupAssignment.objects.filter(
            run_id=allocation.current_run_id, group=group, participation=participation
        ).exists()
    ):
        raise ServiceError(
            {
                "facilitator": _("%(name)s is not in group %(number)d; move them there first.")
                % {"name": participation.person.name, "number": group.number}
            }
        )
    if group.facilitator_id != (participation.pk if participation else None):
        group.facilitator = participation
        group.save(update_fields=["facilitator"])
        allocation.version += 1
        allocation.save(update_fields=["version", "updated_at"])
        audit.record(
            actor=actor,
            action="breakouts.facilitator",
            obj=group,
            consultation=allocation.consultation,
            changes={"group": group.number, "facilitator": participation.pk if participation else None},
        )
    return group


@transaction.atomic
def group_language_set(*, actor, group: BreakoutGroup, language: str) -> list[Participation]:
    """Set the working language of a group of the current run ("" for any); later runs place in it only
    people who speak it (people who stated no language may sit anywhere). Returns the members who do not
    speak it: they stay until the next run moves them, or a move by hand."""
    allocation = _locked_allocation(group.allocation)
    require(actor, "breakouts.manage", allocation.consultation)
    group = _current_group(allocation, group)
    language = (language or "").strip()
    if len(language) > 16:
        raise ServiceError({"language": _("Give a language code of at most 16 characters, such as “en” or “th”.")})
    if group.locked:
        raise ServiceError(
            {"language": _("Group %(number)d is locked; unlock it to change its language.") % {"number": group.number}}
        )
    if group.facilitator_id and language:
        facilitator = group.facilitator
        spoken = frozenset(str(x) for x in (facilitator.person.languages or []) if x)
        if not speaks(spoken, engine.Group(id=build.gkey(group.pk), capacity=group.capacity, language=language)):
            raise ServiceError(
                {
                    "language": _(
                        "%(name)s facilitates group %(number)d and does not speak %(language)s; give the group "
                        "another facilitator first."
                    )
                    % {"name": facilitator.person.name, "number": group.number, "language": language}
                }
            )
    if group.language != language:
        before = group.language
        group.language = language
        group.save(update_fields=["language"])
        allocation.version += 1
        allocation.save(update_fields=["version", "updated_at"])
        audit.record(
            actor=actor,
            action="breakouts.language",
            obj=group,
            consultation=allocation.consultation,
            changes={"group": group.number, "language": [before, language]},
        )
    return non_speakers(group)


def non_speakers(group: BreakoutGroup) -> list[Participation]:
    """The members of a group (in its run) who do not speak its working language."""
    if not group.language:
        return []
    probe = engine.Group(id=build.gkey(group.pk), capacity=group.capacity, language=group.language)
    rows = GroupAssignment.objects.filter(run_id=group.run_id, group=group).select_related("participation__person")
    return [
        a.participation
        for a in rows
        if not speaks(frozenset(str(x) for x in (a.participation.person.languages or []) if x), probe)
    ]


@transaction.atomic
def pair_add(*, actor, consultation, first: Participation, second: Participation, kind: str) -> BreakoutPair:
    """Keep two participants apart, or together, in every breakout slot of the consultation from the next
    run on. A pair already set is changed to the new rule."""
    require(actor, "breakouts.manage", consultation)
    if kind not in PairKind.values:
        raise ServiceError({"kind": _("Choose “keep apart” or “keep together”.")})
    for p in (first, second):
        if p.consultation_id != consultation.pk:
            raise ServiceError(_("%(name)s does not take part in this consultation.") % {"name": p.person.name})
    if first.pk == second.pk:
        raise ServiceError({"second": _("Choose two different people.")})
    first, second = sorted((first, second), key=lambda p: p.pk)
    names = {"a": first.person.name, "b": second.person.name}
    if kind == PairKind.TOGETHER:
        # keep-together pairs chain into larger units: refuse the contradiction here, with names
        apart = set(
            BreakoutPair.objects.filter(consultation=consultation, kind=PairKind.APART).values_list("first", "second")
        )
        unit = _together_unit(consultation, extra=(first.pk, second.pk))
        clash = next(((a, b) for a, b in apart if a in unit and b in unit), None)
        if clash:
            who = dict(Participation.objects.filter(pk__in=clash).values_list("pk", "person__name"))
            raise ServiceError(
                _("%(a)s and %(b)s are to be kept apart; keeping these two together would put them in one group.")
                % {"a": who[clash[0]], "b": who[clash[1]]}
            )
    elif second.pk in _together_unit(consultation, start=first.pk):
        raise ServiceError(
            _("%(a)s and %(b)s are kept together (directly or through others); remove that pair first.") % names
        )
    pair, created = BreakoutPair.objects.update_or_create(
        consultation=consultation,
        first=first,
        second=second,
        defaults={"kind": kind, "created_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    audit.record(
        actor=actor,
        action="breakouts.pair",
        obj=pair,
        consultation=consultation,
        changes={"first": first.pk, "second": second.pk, "kind": kind, "created": created},
    )
    return pair


def _together_unit(consultation, *, extra: tuple[int, int] | None = None, start: int | None = None) -> set[int]:
    """The people chained to ``start`` (or to the ``extra`` pair) by keep-together pairs."""
    links: dict[int, set[int]] = {}
    edges = list(
        BreakoutPair.objects.filter(consultation=consultation, kind=PairKind.TOGETHER).values_list("first", "second")
    )
    if extra:
        edges.append(extra)
    for a, b in edges:
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    seen = {start if start is not None else extra[0]}
    todo = list(seen)
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


@transaction.atomic
def pair_remove(*, actor, pair: BreakoutPair) -> None:
    require(actor, "breakouts.manage", pair.consultation)
    audit.record(
        actor=actor,
        action="breakouts.pair_remove",
        obj=pair,
        consultation=pair.consultation,
        changes={"first": pair.first_id, "second": pair.second_id, "kind": pair.kind},
    )
    pair.delete()
