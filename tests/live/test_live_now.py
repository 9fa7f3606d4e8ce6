"""Where a participant should be now, and the now page at another moment."""

import datetime as dt

from factories import BANGKOK, RoomFactory, SessionFactory, at
from target87.breakouts.models import Allocation, AllocationRun, BreakoutGroup, GroupAssignment
from target87.live import selectors


def _breakouts(consultation, delegate):
    """Two parallel breakout groups at 11:00 on day 1, published, the delegate in the second (Room B)."""
    rooms = [RoomFactory(consultation=consultation, name=name) for name in ("Room A", "Room B")]
    sessions = [
        SessionFactory(consultation=consultation, kind="breakout", room=room, start=at(1, "11:00"), end=at(1, "12:30"))
        for room in rooms
    ]
    allocation = Allocation.objects.create(consultation=consultation, session=sessions[0])
    run = AllocationRun.objects.create(
        allocation=allocation, number=1, solver_status="optimal", objective=0, bound=0, gap=0, time_limit=1
    )
    groups = [
        BreakoutGroup.objects.create(
            allocation=allocation, run=run, number=n, session=session, room=session.room, capacity=30
        )
        for n, session in enumerate(sessions, start=1)
    ]
    GroupAssignment.objects.create(run=run, participation=delegate, group=groups[1])
    Allocation.objects.filter(pk=allocation.pk).update(status="published", published_run=run, current_run=run)
    return sessions


def test_in_a_breakout_slot_the_participant_belongs_in_their_groups_room(consultation, delegate):
    sessions = _breakouts(consultation, delegate)
    SessionFactory(consultation=consultation, kind="plenary", start=at(1, "09:00"), end=at(1, "10:00"))
    where = selectors.where_now(delegate, now=at(1, "11:30"))
    assert (where.session, where.room_name, where.group_number) == (sessions[1], "Room B", 2)


def test_the_now_page_shows_another_moment_and_says_where_to_be(client, consultation, convener, delegate):
    from target87.people import services as people

    sessions = _breakouts(consultation, delegate)
    token = people.access_link_issue(actor=convener, participation=delegate)
    client.get(f"/a/{token}/live/{sessions[0].pk}/")
    moment = dt.datetime(2016, 9, 14, 11, 40, tzinfo=BANGKOK).strftime("%Y-%m-%dT%H:%M")
    page = client.get(f"/consultations/{consultation.slug}/now/?at={moment}").content.decode()
    where = page.split("data-where>", 1)[1].split("</p>", 1)[0]
    assert "Room B" in where and "your group 2" in where
    assert page.count('class="room card on"') == 2


def test_a_moment_that_is_not_one_says_how_to_write_it(client, consultation):
    for moment in ("lunchtime", "0001-01-01T00:00", "9999-12-31T23:59"):  # the last two overflowed in the database
        response = client.get(f"/consultations/{consultation.slug}/now/?at={moment}")
        assert response.status_code == 200, moment
        assert "Give the moment as a date and time, such as 2016-09-14T12:40." in response.content.decode()
