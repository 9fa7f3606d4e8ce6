"""Every run gets its own groups: the groups that all runs of an allocation shared go to its current run,
and every older run gets copies of them (same number, room, key question, seats, language, facilitator,
lock), with its assignments moved onto the copies. No assignment is lost."""

from django.db import migrations

FIELDS = ("number", "session_id", "room_id", "key_question_id", "capacity", "language", "facilitator_id", "locked")


def forwards(apps, schema_editor):
    Allocation = apps.get_model("breakouts", "Allocation")
    AllocationRun = apps.get_model("breakouts", "AllocationRun")
    BreakoutGroup = apps.get_model("breakouts", "BreakoutGroup")
    GroupAssignment = apps.get_model("breakouts", "GroupAssignment")
    for allocation in Allocation.objects.order_by("pk"):
        groups = list(BreakoutGroup.objects.filter(allocation=allocation, run__isnull=True).order_by("number"))
        if not groups:
            continue
        runs = list(AllocationRun.objects.filter(allocation=allocation).order_by("number"))
        if not runs:
            # groups planned but never filled: nothing refers to them
            BreakoutGroup.objects.filter(pk__in=[g.pk for g in groups]).delete()
            continue
        owner = next((r for r in runs if r.pk == allocation.current_run_id), runs[-1])
        for run in runs:
            if run.pk == owner.pk:
                continue
            for group in groups:
                copy = BreakoutGroup.objects.create(
                    allocation_id=allocation.pk, run_id=run.pk, **{f: getattr(group, f) for f in FIELDS}
                )
                GroupAssignment.objects.filter(run_id=run.pk, group_id=group.pk).update(group_id=copy.pk)
        BreakoutGroup.objects.filter(pk__in=[g.pk for g in groups]).update(run_id=owner.pk)


def backwards(apps, schema_editor):
    """Back to groups shared by the runs: the current run's groups stay, older runs' assignments move onto
    them by group number (assignments to numbers the current run does not have are lost)."""
    Allocation = apps.get_model("breakouts", "Allocation")
    BreakoutGroup = apps.get_model("breakouts", "BreakoutGroup")
    GroupAssignment = apps.get_model("breakouts", "GroupAssignment")
    for allocation in Allocation.objects.order_by("pk"):
        keep = {g.number: g.pk for g in BreakoutGroup.objects.filter(run_id=allocation.current_run_id)}
        for group in BreakoutGroup.objects.filter(allocation=allocation).exclude(run_id=allocation.current_run_id):
            if group.number in keep:
                GroupAssignment.objects.filter(group_id=group.pk).update(group_id=keep[group.number])
            group.delete()


class Migration(migrations.Migration):
    dependencies = [("breakouts", "0002_pairs_groups_per_run")]

    operations = [migrations.RunPython(forwards, backwards)]
