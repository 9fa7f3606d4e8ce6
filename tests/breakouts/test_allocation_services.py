"""Allocating, moving, locking and publishing through the services, on real rows."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F

from factories import ParticipationFactory, RoomFactory, SessionFactory, UserFactory, at
from factories_breakouts import breakout_slot, participants
from target87.breakouts import services
from target87.breakouts.models import Allocation, AllocationRun, BreakoutGroup, GroupAssignment
from target87.breakouts.services import runs
from target87.core.errors import ServiceError
from target87.core.models import AuditEntry
from target87.jobs.models import Job


@pytest.fixture
def slot(consultation):
    return breakout_slot(consultation, rooms=2, capacity=10)


@pytest.fixture
def people(consultation):
    return participants(consultation, 18)


def _groups_of(run):
    return dict(GroupAssignment.objects.filter(run=run).values_list("participation_id", "group__number"))


def test_allocation_run_places_every_approved_person_once_in_balanced_groups(consultation, convener, slot, people):
    ParticipationFactory(consultation=consultation, role="observer")
    ParticipationFactory(consultation=consultation, status="requested")
    outcome = services.allocation_run(actor=convener, session=slot[1], time_limit=2)
    run = outcome.run
    assert outcome.job is None
    assert run.solver_status == "optimal"
    assert (run.gap, run.number, run.seed) == (0.0, 1, 0)
    assert run.objective == run.bound
    placed = _groups_of(run)
    assert sorted(placed) == sorted(p.pk for p in people)  # conveners, observers and requests are not placed
    assert sorted(list(placed.values()).count(n) for n in (1, 2)) == [9, 9]
    assert run.metrics["tripartite"] == {
        "groups_complete": 2,
        "groups": 2,
        "coverage": 1.0,
        "missing": {"government": 0, "workers": 0, "employers": 0},
    }
    assert run.metrics["balance"]["total"] == 0
    allocation = Allocation.objects.get()
    assert (allocation.session, allocation.current_run, allocation.status) == (slot[0], run, "draft")
    groups = list(allocation.groups.order_by("number"))
    assert [(g.session, g.room.name, g.capacity, g.topic) for g in groups] == [
        (slot[0], "Meeting Room A", 10, "q1"),
        (slot[1], "Meeting Room B", 10, "q2"),
    ]
    assert AuditEntry.objects.filter(action="breakouts.run").count() == 1


def test_allocation_run_reports_preference_satisfaction_within_balance(consultation, convener, slot, people):
    run = services.allocation_run(actor=convener, session=slot[0], time_limit=2).run
    shares = run.metrics["preferences"]
    # everyone wished both key questions; balance comes first, then as many first choices as it allows
    assert shares["first"] + shares["second"] == 1.0
    assert shares["first"] > 0.5


def test_allocation_run_refuses_more_people_than_seats_and_saves_nothing(consultation, convener, slot):
    participants(consultation, 21)
    with pytest.raises(ServiceError) as refused:
        services.allocation_run(actor=convener, session=slot[0], time_limit=1)
    message = " ".join(refused.value.messages)
    assert "21" in message and "20" in message and "seat" in message
    assert AllocationRun.objects.count() == 0
    assert BreakoutGroup.objects.count() == 0


def test_allocation_run_refuses_a_language_nobody_shares_and_keeps_the_last_run(consultation, convener, slot, people):
    first = services.allocation_run(actor=convener, session=slot[0], time_limit=1).run
    BreakoutGroup.objects.update(language="fr")
    with pytest.raises(ServiceError) as refused:
        services.allocation_run(actor=convener, session=slot[0], time_limit=1)
    assert "fr" in " ".join(refused.value.messages)
    allocation = Allocation.objects.get()
    assert allocation.current_run == first
    assert AllocationRun.objects.count() == 1


def test_allocation_run_needs_a_convener(consultation, slot, people):
    with pytest.raises(PermissionDenied):
        services.allocation_run(actor=UserFactory(), session=slot[0], time_limit=1)


def test_allocation_run_names_people_without_an_organisation(consultation, convener, slot, people):
    people[0].person.organisation = None
    people[0].person.save()
    with pytest.raises(ServiceError) as refused:
        services.allocation_run(actor=convener, session=slot[0], time_limit=1)
    assert people[0].person.name in " ".join(refused.value.messages)


def test_a_run_that_overlaps_another_change_is_not_saved(consultation, convener, slot, people):
    services.allocation_run(actor=convener, session=slot[0], time_limit=1)
    allocation = Allocation.objects.get()

    def someone_else_changes_the_groups(event):
        if event.phase == "check":
            Allocation.objects.filter(pk=allocation.pk).update(version=F("version") + 1)

    with pytest.raises(ServiceError) as refused:
        runs._run(
            actor=convener,
            allocation=allocation,
            seed=0,
            time_limit=1,
            group_count=None,
            on_progress=someone_else_changes_the_groups,
        )
    assert "Nothing of this run was saved" in " ".join(refused.value.messages)
    assert AllocationRun.objects.count() == 1


def test_assignment_move_moves_one_person_and_recomputes_the_figures(consultation, convener, slot, people):
    run = services.allocation_run(actor=convener, session=slot[0], time_limit=1).run
    allocation = Allocation.objects.get()
    before = _groups_of(run)
    person = next(p for p in people if before[p.pk] == 1 and p.person.organisation.stakeholder_group == "civil_society")
    target = allocation.groups.get(number=2)
    cso_before = {g["group_id"]: g["stakeholders"]["civil_society"] for g in run.metrics["groups"]}
    run = services.assignment_move(actor=convener, allocation=allocation, participation=person, group=target)
    after = _groups_of(run)
    assert after[person.pk] == 2
    assert {k: v for k, v in after.items() if k != person.pk} == {k: v for k, v in before.items() if k != person.pk}
    assert run.hand_moves == 1
    sizes = sorted(g["size"] for g in run.metrics["groups"])
    assert sizes == [8, 10]
    cso_after = {g["group_id"]: g["stakeholders"]["civil_society"] for g in run.metrics["groups"]}
    one, two = f"g{allocation.groups.get(number=1).pk}", f"g{target.pk}"
    assert (cso_after[one], cso_after[two]) == (cso_before[one] - 1, cso_before[two] + 1)
    assert AuditEntry.objects.filter(action="breakouts.move", object_id=str(person.pk)).count() == 1


def test_assignment_move_keeps_the_hard_rules(consultation, convener, slot, people):
    services.allocation_run(actor=convener, session=slot[0], time_limit=1)
    allocation = Allocation.objects.get()
    run = allocation.current_run
    placed = _groups_of(run)
    in_one = [p for p in people if placed[p.pk] == 1]
    group_one, group_two = allocation.groups.get(number=1), allocation.groups.get(number=2)
    services.assignment_move(actor=convener, allocation=allocation, participation=in_one[0], group=group_two)
    # group 2 now seats 10 of 10
    with pytest.raises(ServiceError, match="Group 2 is full: Meeting Room B seats 10"):
        services.assignment_move(actor=convener, allocation=allocation, participation=in_one[1], group=group_two)
    services.group_lock(actor=convener, group=group_one, locked=True)
    with pytest.raises(ServiceError, match="group 1, which is locked"):
        services.assignment_move(actor=convener, allocation=allocation, participation=in_one[1], group=group_two)
    services.group_lock(actor=convener, group=group_one, locked=False)
    group_one.language = "fr"
    group_one.save()
    with pytest.raises(ServiceError, match="works in fr"):
        services.assignment_move(actor=convener, allocation=allocation, participation=in_one[0], group=group_one)


def test_a_rerun_keeps_locked_groups_and_places_newcomers_with_few_moves(consultation, convener, slot, people):
    first = services.allocation_run(actor=convener, session=slot[0], time_limit=1).run
    allocation = Allocation.objects.get()
    group_one = allocation.groups.get(number=1)
    services.group_lock(actor=convener, group=group_one, locked=True)
    newcomer = participants(consultation, 1, start=18)[0]
    second = services.allocation_run(actor=convener, session=slot[0], time_limit=2).run
    before, after = _groups_of(first), _groups_of(second)
    assert {k for k, v in after.items() if v == 1} == {k for k, v in before.items() if v == 1}
    assert after[newcomer.pk] == 2
    assert second.number == 2
    assert second.moves == 0
    assert second.locked_groups == [1]


def test_publish_shows_the_current_run_until_the_next_is_published(consultation, convener, slot, people):
    services.allocation_run(actor=convener, session=slot[0], time_limit=1)
    allocation = services.allocation_publish(actor=convener, allocation=Allocation.objects.get())
    first = allocation.current_run
    assert (allocation.status, allocation.published_run) == ("published", first)
    services.allocation_run(actor=convener, session=slot[0], time_limit=1, seed=3)
    allocation.refresh_from_db()
    assert allocation.status == "draft"
    assert allocation.published_run == first
    assert allocation.current_run != first


def test_publish_refuses_before_any_run(consultation, convener, slot):
    allocation = services.allocation_get_or_create(actor=convener, session=slot[0])
    with pytest.raises(ServiceError, match="allocate the groups first"):
        services.allocation_publish(actor=convener, allocation=allocation)


def test_a_single_session_is_split_into_groups_sharing_its_room(consultation, convener, people):
    room = RoomFactory(consultation=consultation, name="Plenary Hall", capacity=20)
    session = SessionFactory(
        consultation=consultation, kind="breakout", room=room, start=at(2, "14:00"), end=at(2, "15:00")
    )
    run = services.allocation_run(actor=convener, session=session, time_limit=1, group_count=3).run
    groups = list(Allocation.objects.get().groups.order_by("number"))
    assert [(g.number, g.capacity, g.room) for g in groups] == [(1, 7, room), (2, 7, room), (3, 6, room)]
    assert sorted(list(_groups_of(run).values()).count(n) for n in (1, 2, 3)) == [6, 6, 6]
    with pytest.raises(ServiceError, match="cannot hold 30 groups"):
        services.allocation_run(actor=convener, session=session, time_limit=1, group_count=30)


def test_large_or_requested_runs_go_to_the_background_with_progress(
    consultation, convener, slot, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.allocation_run(actor=convener, session=slot[0], time_limit=1, background=True)
    job = Job.objects.get(pk=outcome.job.pk)
    assert outcome.run is None
    assert (job.status, job.percent, job.result["run"]) == ("done", 100, 1)
    assert job.result_url == f"/manage/{consultation.slug}/sessions/{slot[0].pk}/groups/"
    assert Allocation.objects.get().current_run.number == 1


def test_a_background_run_that_cannot_be_met_fails_with_the_engine_message(
    consultation, convener, slot, django_capture_on_commit_callbacks
):
    participants(consultation, 25)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.allocation_run(actor=convener, session=slot[0], time_limit=1, background=True)
    job = Job.objects.get(pk=outcome.job.pk)
    assert job.status == "failed"
    assert "25" in job.error
    assert AllocationRun.objects.count() == 0


def test_the_database_allows_one_group_per_person_per_run(consultation, convener, slot, people):
    run = services.allocation_run(actor=convener, session=slot[0], time_limit=1).run
    assignment = run.assignments.first()
    other = BreakoutGroup.objects.exclude(pk=assignment.group_id).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupAssignment.objects.create(run=run, participation=assignment.participation, group=other)
