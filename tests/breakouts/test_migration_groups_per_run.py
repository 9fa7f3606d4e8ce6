"""The migration to groups per run keeps every run's assignments: older runs get copies of the groups."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("breakouts", "0001_initial")]
AFTER = [("breakouts", "0004_group_run_required")]


@pytest.mark.django_db(transaction=True)
def test_runs_that_shared_their_groups_each_get_their_own_with_every_assignment_kept():
    from factories import ConsultationFactory, ParticipationFactory, RoomFactory, SessionFactory, at

    consultation = ConsultationFactory()
    room = RoomFactory(consultation=consultation, capacity=10)
    session = SessionFactory(
        consultation=consultation, kind="breakout", start=at(1, "11:00"), end=at(1, "12:00"), room=room
    )
    people = [ParticipationFactory(consultation=consultation, status="approved").pk for _ in range(4)]

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Allocation = old.get_model("breakouts", "Allocation")
    Run = old.get_model("breakouts", "AllocationRun")
    Group = old.get_model("breakouts", "BreakoutGroup")
    Assignment = old.get_model("breakouts", "GroupAssignment")
    allocation = Allocation.objects.create(consultation_id=consultation.pk, session_id=session.pk)
    run = dict(solver_status="optimal", objective=0, bound=0, gap=0.0, time_limit=1.0)
    one = Run.objects.create(allocation=allocation, number=1, **run)
    two = Run.objects.create(allocation=allocation, number=2, **run)
    g1 = Group.objects.create(allocation=allocation, number=1, capacity=5, language="en", locked=True)
    g2 = Group.objects.create(allocation=allocation, number=2, capacity=5)
    for k, pk in enumerate(people):
        Assignment.objects.create(run=one, participation_id=pk, group=(g1, g2)[k % 2])
        Assignment.objects.create(run=two, participation_id=pk, group=(g1, g2)[k // 2])
    allocation.current_run = two
    allocation.published_run = one
    allocation.status = "published"
    allocation.save()

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Group = new.get_model("breakouts", "BreakoutGroup")
    Assignment = new.get_model("breakouts", "GroupAssignment")
    assert set(Group.objects.filter(run_id=two.pk).values_list("pk", flat=True)) == {g1.pk, g2.pk}
    copies = list(Group.objects.filter(run_id=one.pk).order_by("number"))
    assert [(g.number, g.capacity, g.language, g.locked) for g in copies] == [(1, 5, "en", True), (2, 5, "", False)]
    for run_id, rule in ((one.pk, lambda k: 1 + k % 2), (two.pk, lambda k: 1 + k // 2)):
        rows = dict(Assignment.objects.filter(run_id=run_id).values_list("participation_id", "group__number"))
        assert rows == {pk: rule(k) for k, pk in enumerate(people)}
        assert set(Assignment.objects.filter(run_id=run_id).values_list("group__run_id", flat=True)) == {run_id}
