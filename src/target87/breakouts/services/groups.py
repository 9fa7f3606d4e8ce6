"""The groups of the current run changed by hand, and their publication: move a person, lock a group, name its
facilitator, set its working language, publish.

Every change runs in one transaction on the allocation's row (locked with ``SELECT … FOR UPDATE``) and raises
its version, so a run computed meanwhile is refused rather than saved over it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.engines import allocation as engine
from target87.engines.allocation.instance import speaks
from target87.people.models import Participation

from .. import problem as build
from ..enums import PLACED_ROLES, AllocationStatus
from ..models import Allocation, AllocationRun, BreakoutGroup, GroupAssignment


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
