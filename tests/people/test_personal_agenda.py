"""Personal means personal: the agenda and its calendar show the participant's own breakout (group, room,
facilitator), "Now / Next" on top, one Agenda · Contribute · Vote bar on every participant page, contributions only
from one's own group, observers told up front, and "voted ✓" in the list of ballots."""

import datetime as dt
import re

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from factories import ParticipationFactory, PersonFactory, SessionFactory
from factories_breakouts import breakout_slot, participants
from factories_deliberation import ballot
from target87.breakouts import services as breakouts
from target87.breakouts.models import Allocation, GroupAssignment
from target87.core.errors import ServiceError
from target87.deliberation import services as deliberation
from target87.deliberation.models import Contribution
from target87.people import services


@pytest.fixture
def placed(consultation, convener):
    """Breakout A and B in parallel (rooms A and B, Q1 and Q2), 12 people and a facilitator, published; one
    participant of group A and the other session."""
    slot = breakout_slot(consultation, rooms=2, capacity=10)
    participants(consultation, 12)
    ParticipationFactory(consultation=consultation, role="facilitator", person=PersonFactory(name="Nalin Lead"))
    breakouts.allocation_run(actor=convener, session=slot[0], time_limit=1)
    allocation = breakouts.allocation_publish(actor=convener, allocation=Allocation.objects.get())
    assignment = (
        GroupAssignment.objects.filter(run=allocation.published_run)
        .exclude(participation__role="facilitator")
        .select_related("group")
        .first()
    )
    own = assignment.group.session
    other = next(s for s in slot if s != own)
    return assignment.participation, assignment.group, own, other


def _open(client, convener, participation) -> str:
    token = services.access_link_issue(actor=convener, participation=participation)
    client.get(f"/a/{token}/")
    return token


def _sessions_shown(page: str) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', page)


def test_the_agenda_shows_only_the_participants_own_breakout_with_room_and_facilitator(
    client, consultation, convener, placed
):
    participation, group, own, other = placed
    token = _open(client, convener, participation)
    page = client.get(f"/a/{token}/").content.decode()
    shown = _sessions_shown(page)
    assert own.title in shown and other.title not in shown
    assert f"Your group: {group.number} — {group.room.name}" in page
    if group.facilitator_id and group.facilitator_id != participation.pk:
        assert f"Facilitator: {group.facilitator.person.name}" in page
    assert page.count("Contribute from this group") == 1


def test_the_calendar_has_only_the_own_breakout_with_its_group_in_the_description(
    client, consultation, convener, placed
):
    participation, group, own, other = placed
    token = services.access_link_issue(actor=convener, participation=participation)
    calendar = icalendar.Calendar.from_ical(client.get(f"/a/{token}/agenda.ics").content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert own.title in events and other.title not in events
    assert f"Your group: {group.number} — {group.room.name}" in str(events[own.title]["DESCRIPTION"])


def test_before_the_groups_are_published_every_parallel_breakout_is_listed(client, consultation, convener):
    slot = breakout_slot(consultation, rooms=2, capacity=10)
    delegate = ParticipationFactory(consultation=consultation)
    token = _open(client, convener, delegate)
    shown = _sessions_shown(client.get(f"/a/{token}/").content.decode())
    assert all(s.title in shown for s in slot)


def test_now_and_next_come_first(client, consultation, convener):
    now = timezone.now()
    consultation.start_date = timezone.localtime(now, consultation.tz).date() - dt.timedelta(days=1)
    consultation.end_date = consultation.start_date + dt.timedelta(days=3)
    consultation.save()
    SessionFactory(
        consultation=consultation,
        title="Running",
        start=now - dt.timedelta(minutes=10),
        end=now + dt.timedelta(minutes=20),
    )
    SessionFactory(
        consultation=consultation, title="Coming", start=now + dt.timedelta(hours=1), end=now + dt.timedelta(hours=2)
    )
    SessionFactory(
        consultation=consultation, title="Later", start=now + dt.timedelta(hours=3), end=now + dt.timedelta(hours=4)
    )
    token = _open(client, convener, ParticipationFactory(consultation=consultation))
    page = client.get(f"/a/{token}/").content.decode()
    top = page[page.index('class="now-next"') : page.index("Add to my calendar")]
    assert "<h2>Now</h2>" in top and "<h2>Next</h2>" in top
    assert _sessions_shown(top) == ["Running", "Coming"]


def test_every_participant_page_has_the_agenda_contribute_vote_bar(client, consultation, convener):
    opened = ballot(consultation, convener, "approval")
    _open(client, convener, ParticipationFactory(consultation=consultation))
    pages = {
        "Agenda": reverse("people:my_agenda", kwargs={"slug": consultation.slug}),
        "Contribute": reverse("deliberation:contribute", kwargs={"slug": consultation.slug}),
        "Vote": reverse("priorities:participant_ballots", kwargs={"slug": consultation.slug}),
        None: reverse("priorities:vote", kwargs={"pk": opened.pk}),
    }
    for current, url in pages.items():
        page = client.get(url).content.decode()
        bar = re.search(r'<nav class="participant-bar[^"]*"[^>]*>(.*?)</nav>', page, re.S).group(1)
        links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', bar)
        assert [text for _url, text in links] == ["Agenda", "Contribute", "Vote"]
        assert [u for u, _text in links] == [u for k, u in pages.items() if k]
        if current:
            assert f'aria-current="page">{current}</a>' in bar


def test_a_participant_contributes_only_from_their_own_group(client, consultation, convener, placed):
    participation, _group, own, other = placed
    _open(client, convener, participation)
    url = reverse("deliberation:contribute", kwargs={"slug": consultation.slug})
    form = client.get(url).content.decode()
    assert re.search(rf'<option value="{own.pk}" selected>', form) or own.end < timezone.now()
    fields = {"text": "Interpreters.", "kind": "proposal", "key_question": other.key_questions.get().pk}
    response = client.post(url, {**fields, "session": other.pk})
    assert response.status_code == 400
    assert "You are not in this breakout group" in response.content.decode()
    assert not Contribution.objects.exists()
    assert client.post(url, {**fields, "session": own.pk}).status_code == 303
    assert Contribution.objects.get().session == own


def test_the_service_refuses_another_groups_session(consultation, placed):
    participation, _group, _own, other = placed
    with pytest.raises(ServiceError) as refused:
        deliberation.contribution_create(
            consultation=consultation,
            participation=participation,
            key_question=other.key_questions.get(),
            kind="proposal",
            text="Interpreters.",
            session=other,
        )
    assert "session" in refused.value.message_dict


def test_observers_are_told_up_front_that_they_follow_but_do_not_vote(client, consultation, convener):
    opened = ballot(consultation, convener, "approval")
    token = _open(client, convener, ParticipationFactory(consultation=consultation, role="observer"))
    agenda = client.get(f"/a/{token}/").content.decode()
    assert "You follow this consultation as an observer" in agenda
    ballots = client.get(reverse("priorities:participant_ballots", kwargs={"slug": consultation.slug}))
    page = ballots.content.decode()
    assert "you do not vote" in page
    assert reverse("priorities:vote", kwargs={"pk": opened.pk}) not in page
    assert reverse("priorities:results", kwargs={"pk": opened.pk}) in page
    refused = client.get(reverse("priorities:vote", kwargs={"pk": opened.pk})).content.decode()
    assert "<h1>Observers do not vote</h1>" in refused


def test_the_list_of_ballots_says_voted(client, consultation, convener):
    opened = ballot(consultation, convener, "approval")
    other = ballot(consultation, convener, "approval")
    _open(client, convener, ParticipationFactory(consultation=consultation))
    url = reverse("priorities:participant_ballots", kwargs={"slug": consultation.slug})
    assert "voted ✓" not in client.get(url).content.decode()
    client.post(reverse("priorities:vote", kwargs={"pk": opened.pk}), {"approve": [opened.items.first().pk]})
    page = client.get(url).content.decode()
    assert page.count("voted ✓") == 1
    row = re.search(rf'<li class="card"><a [^>]*href="/ballots/{opened.pk}/vote/".*?</li>', page).group(0)
    assert "voted ✓" in row and f"/ballots/{other.pk}/vote/" in page
