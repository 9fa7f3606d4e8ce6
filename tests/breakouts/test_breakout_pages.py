"""The convener's breakout page, the facilitators' lists and the participant's agenda, as people see them."""

import csv
import io
import re

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from factories import ParticipationFactory, UserFactory
from factories_breakouts import breakout_slot, participants
from target87.breakouts import services
from target87.breakouts.models import Allocation, AllocationRun, GroupAssignment
from target87.people import services as people_services


@pytest.fixture
def slot(consultation):
    return breakout_slot(consultation, rooms=2, capacity=10)


@pytest.fixture
def people(consultation):
    return participants(consultation, 17) + participants(consultation, 1, role="facilitator", start=17)


def _page(consultation, session):
    return reverse("breakouts:manage", kwargs={"slug": consultation.slug, "pk": session.pk})


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _allocate(client, consultation, session, **data):
    url = reverse("breakouts:allocate", kwargs={"slug": consultation.slug, "pk": session.pk})
    return client.post(url, {"seed": 0, "time_limit": 1, **data})


def test_the_page_offers_to_allocate_before_anything_is_allocated(convener_client, consultation, slot, people):
    response = convener_client.get(_page(consultation, slot[0]))
    text = _text(response)
    assert "Not allocated yet." in text
    assert "2 parallel sessions: each is one group, in its room." in text
    assert '<button type="submit">Allocate</button>' in response.content.decode()


def test_allocating_shows_groups_with_their_balance_and_the_solver_figures(convener_client, consultation, slot, people):
    response = _allocate(convener_client, consultation, slot[1])
    assert response.status_code == 302
    response = convener_client.get(response["Location"])
    text = _text(response)
    assert "Allocated 18 people (run 1): optimal, gap 0 %." in text
    assert "Group 1 — Meeting Room A" in text and "Group 2 — Meeting Room B" in text
    assert text.count("Tripartite ✓") == 2
    assert "9 / 10 seats" in text
    assert "2 / 2 groups with government, workers and employers" in text
    assert "Optimal gap 0 %" in text
    assert "Draft" in text and "Participants do not see these groups until you publish them." in text
    # every person has a form to move them (the facilitator of a group stays with it)
    assert response.content.decode().count('class="move-form"') == 17


def test_the_engine_message_is_shown_when_the_request_cannot_be_met(convener_client, consultation, slot):
    participants(consultation, 23)
    response = _allocate(convener_client, consultation, slot[0])
    assert response.status_code == 200
    problems = _text(response)
    assert "23" in problems and "20" in problems
    assert "Not allocated yet." in problems
    assert AllocationRun.objects.count() == 0


def test_moving_with_htmx_answers_the_board_with_the_new_counts(convener_client, consultation, slot, people):
    _allocate(convener_client, consultation, slot[0])
    allocation = Allocation.objects.get()
    assignment = (
        GroupAssignment.objects.filter(group__number=1).exclude(group__facilitator_id=F("participation_id")).first()
    )
    response = convener_client.post(
        reverse("breakouts:move", kwargs={"slug": consultation.slug, "pk": slot[0].pk}),
        {"participation": assignment.participation_id, "group": 2},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.startswith('<div id="board"')
    text = _text(response)
    assert "8 / 10 seats" in text and "10 / 10 seats" in text
    assert "1 moved by hand" in text
    assert allocation.current_run.assignments.get(participation_id=assignment.participation_id).group.number == 2


def test_moving_without_javascript_redirects_with_a_message_and_a_refusal_is_shown(
    convener_client, consultation, slot, people
):
    _allocate(convener_client, consultation, slot[0])
    url = reverse("breakouts:move", kwargs={"slug": consultation.slug, "pk": slot[0].pk})
    in_one = list(
        GroupAssignment.objects.filter(group__number=1).exclude(group__facilitator_id=F("participation_id"))[:2]
    )
    response = convener_client.post(url, {"participation": in_one[0].participation_id, "group": 2}, follow=True)
    assert f"{in_one[0].participation.person.name} moved to group 2." in _text(response)
    response = convener_client.post(url, {"participation": in_one[1].participation_id, "group": 2}, follow=True)
    assert "Group 2 is full: Meeting Room B seats 10." in _text(response)


def test_locking_a_group_with_htmx_removes_its_move_forms(convener_client, consultation, slot, people):
    _allocate(convener_client, consultation, slot[0])
    response = convener_client.post(
        reverse("breakouts:lock", kwargs={"slug": consultation.slug, "pk": slot[0].pk, "number": 1}),
        {"locked": "1"},
        headers={"HX-Request": "true"},
    )
    text = _text(response)
    assert "Unlock group 1" in text and "Lock group 2" in text
    movable = GroupAssignment.objects.filter(group__number=2).exclude(group__facilitator_id=F("participation_id"))
    assert response.content.decode().count('class="move-form"') == movable.count()  # only group 2's people
    assert Allocation.objects.get().groups.get(number=1).locked


def test_publishing_puts_the_group_and_room_in_the_participant_agenda(
    convener, convener_client, consultation, slot, people
):
    client = Client()  # the participant's phone, not the convener's browser
    _allocate(convener_client, consultation, slot[0])
    person = people[0]
    group = Allocation.objects.get().current_run.assignments.get(participation=person).group
    token = people_services.access_link_issue(actor=convener, participation=person)
    agenda = reverse("people:agenda", kwargs={"token": token})
    assert "Your group" not in _text(client.get(agenda))
    response = convener_client.post(
        reverse("breakouts:publish", kwargs={"slug": consultation.slug, "pk": slot[0].pk}), follow=True
    )
    assert "Published: participants see their group and room in their agenda." in _text(response)
    text = _text(client.get(agenda))
    assert f"Your group: {group.number} — {group.room.name}" in text
    assert text.count("Your group") == 1  # under their own session only


def test_a_facilitator_gets_their_group_list_to_print_and_as_csv(convener, convener_client, consultation, slot, people):
    client = Client()
    _allocate(convener_client, consultation, slot[0])
    allocation = Allocation.objects.get()
    facilitator = people[-1]
    group = allocation.groups.get(facilitator=facilitator)
    lists = reverse("breakouts:groups", kwargs={"slug": consultation.slug, "pk": slot[0].pk})
    token = people_services.access_link_issue(actor=convener, participation=facilitator)
    client.get(reverse("people:agenda", kwargs={"token": token}))
    assert client.get(lists).status_code == 404  # nothing published yet
    services.allocation_publish(actor=convener, allocation=allocation)
    agenda = _text(client.get(reverse("people:agenda", kwargs={"token": token})))
    assert "The list of your group (printable, CSV)" in agenda
    text = _text(client.get(lists))
    members = list(allocation.current_run.assignments.filter(group=group).select_related("participation__person"))
    assert f"Group {group.number} — {group.room.name}" in text
    assert all(a.participation.person.name in text for a in members)
    assert f"Facilitator: {facilitator.person.name}" in text
    assert "Print" in text
    response = client.get(reverse("breakouts:groups_csv", kwargs={"slug": consultation.slug, "pk": slot[0].pk}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["name"] for r in rows) == sorted(a.participation.person.name for a in members)
    assert {r["room"] for r in rows} == {group.room.name}


def test_group_lists_are_not_for_other_participants(convener, client, consultation, slot, people):
    services.allocation_run(actor=convener, session=slot[0], time_limit=1)
    services.allocation_publish(actor=convener, allocation=Allocation.objects.get())
    token = people_services.access_link_issue(actor=convener, participation=people[0])
    client.get(reverse("people:agenda", kwargs={"token": token}))
    response = client.get(reverse("breakouts:groups", kwargs={"slug": consultation.slug, "pk": slot[0].pk}))
    assert response.status_code == 403


def test_the_convener_page_is_only_for_conveners(client, consultation, slot):
    user = UserFactory()
    ParticipationFactory(consultation=consultation, person__user=user, role="facilitator")
    client.force_login(user)
    assert client.get(_page(consultation, slot[0])).status_code == 403


def test_the_slots_page_lists_breakout_times_and_their_state(convener_client, consultation, slot, people):
    _allocate(convener_client, consultation, slot[0])
    text = _text(convener_client.get(reverse("breakouts:slots", kwargs={"slug": consultation.slug})))
    assert "Wednesday 14 September, 11:00–12:30" in text
    assert "Breakout A (Meeting Room A) · Breakout B (Meeting Room B)" in text
    assert "Draft" in text


def test_the_page_reads_the_same_number_of_queries_however_many_people(
    convener_client, consultation, slot, people, django_assert_max_num_queries
):
    _allocate(convener_client, consultation, slot[0])
    with django_assert_max_num_queries(24) as few:
        convener_client.get(_page(consultation, slot[0]))
    count = len(few.captured_queries)
    for session in slot:
        session.room.capacity = 20
        session.room.save()
    participants(consultation, 18, start=18)
    _allocate(convener_client, consultation, slot[0])
    with django_assert_max_num_queries(count):
        response = convener_client.get(_page(consultation, slot[0]))
    assert "18 / 20 seats" in _text(response)


def test_allocating_in_the_background_leads_to_the_progress_page_and_back(
    convener_client, consultation, slot, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _allocate(convener_client, consultation, slot[0], background="on")
    assert response["Location"].startswith("/jobs/")
    text = _text(convener_client.get(response["Location"]))
    assert "Breakout groups for “Breakout A”" in text
    assert "Done · 100 %" in text and "See the result" in text
    assert "Run 1" in _text(convener_client.get(_page(consultation, slot[0])))


def test_the_convener_names_a_group_facilitator_among_its_members(convener_client, consultation, slot, people):
    _allocate(convener_client, consultation, slot[0])
    allocation = Allocation.objects.get()
    group = allocation.groups.get(number=1)
    member = allocation.current_run.assignments.filter(group=group).exclude(participation=group.facilitator).first()
    url = reverse("breakouts:facilitator", kwargs={"slug": consultation.slug, "pk": slot[0].pk, "number": 1})
    response = convener_client.post(url, {"facilitator": member.participation_id}, headers={"HX-Request": "true"})
    assert f'<option value="{member.participation_id}" selected>' in response.content.decode()
    group.refresh_from_db()
    assert group.facilitator_id == member.participation_id
    outsider = allocation.current_run.assignments.filter(group__number=2).first().participation
    response = convener_client.post(url, {"facilitator": outsider.pk}, headers={"HX-Request": "true"})
    assert f"{outsider.person.name} is not in group 1; move them there first." in _text(response)
