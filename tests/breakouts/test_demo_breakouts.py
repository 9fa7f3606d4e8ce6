"""The Bangkok demonstration's breakout slots are allocated and published through the services."""

import io

import pytest
from django.core.management import call_command

from target87.breakouts.models import Allocation, AllocationRun, GroupAssignment
from target87.consultations.models import Consultation
from target87.people.models import Participation


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return Consultation.objects.get(slug="bangkok-2016")


def test_every_breakout_slot_of_the_demo_is_published_with_balanced_groups(demo):
    allocations = list(Allocation.objects.filter(consultation=demo).select_related("published_run"))
    assert len(allocations) == 4
    placed = Participation.objects.filter(
        consultation=demo,
        status="approved",
        role__in=["participant", "facilitator", "rapporteur", "panellist", "speaker"],
    ).count()
    for allocation in allocations:
        run = allocation.published_run
        assert allocation.status == "published"
        # later slots also spread the people who met in earlier ones: optimal, or within 1 % of the bound
        assert run.solver_status == "optimal" or run.gap <= 0.01
        assert run.assignments.count() == placed
        assert run.metrics["tripartite"]["coverage"] == 1.0
        assert sorted(g.room.name for g in allocation.groups.all()) == [f"Meeting Room {x}" for x in "ABCD"]
        assert all(g.facilitator is not None for g in allocation.groups.all())
    # each slot after the first mixes people who met before more than random groups would
    history = [a.published_run.metrics["history"] for a in sorted(allocations, key=lambda a: a.session.start)]
    assert [h["earlier_slots"] for h in history] == [0, 1, 2, 3]
    for h in history[1:]:
        assert 0 < h["repeated"] < h["repeated_random"]
    # colleagues of one organisation are spread over the groups
    assert all(h["colleagues_together"] < h["colleagues_random"] for h in history)
    # nobody sits in two groups of one slot
    assert GroupAssignment.objects.count() == 4 * placed


def test_loading_the_demo_again_keeps_its_groups(demo):
    before = list(GroupAssignment.objects.values_list("pk", "group_id").order_by("pk"))
    call_command("load_demo", stdout=io.StringIO())
    assert AllocationRun.objects.count() == 4
    assert list(GroupAssignment.objects.values_list("pk", "group_id").order_by("pk")) == before
