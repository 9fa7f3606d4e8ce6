"""Times in the event's time zone everywhere: a session early in the morning east of UTC, or late in the evening
west of it, keeps its own day and clock time on every page (Django's ``date`` filter must not convert it back)."""

import datetime as dt
import re
import zoneinfo

import pytest

from factories import ConsultationFactory, SessionFactory, convener_of
from factories_deliberation import RecommendationFactory, participant
from target87.deliberation import services as deliberation
from target87.people import services as people

CASES = [
    # the zone, a local start (day and time) whose UTC day is another, the day it must show
    ("Asia/Bangkok", dt.datetime(2016, 9, 15, 6, 30), "Thursday 15 September 2016, 06:30–07:15"),
    ("America/Lima", dt.datetime(2016, 9, 14, 21, 0), "Wednesday 14 September 2016, 21:00–21:45"),
]


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize(("zone", "local_start", "shown"), CASES)
def test_a_session_shows_its_own_day_and_time(client, db, zone, local_start, shown):
    consultation = ConsultationFactory(time_zone=zone)
    start = local_start.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    assert start.astimezone(dt.UTC).date() != start.date()  # the case that went wrong
    session = SessionFactory(consultation=consultation, start=start, end=start + dt.timedelta(minutes=45))
    page = client.get(session.get_absolute_url())
    assert shown in _text(page)
    assert f"?day={local_start.date().isoformat()}" in page.content.decode()


@pytest.mark.parametrize(("zone", "local_start", "_shown"), CASES)
def test_a_participants_agenda_and_the_timetable_use_the_event_time(client, db, zone, local_start, _shown):
    consultation = ConsultationFactory(time_zone=zone)
    convener = convener_of(consultation)
    start = local_start.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    SessionFactory(consultation=consultation, title="Early", start=start, end=start + dt.timedelta(minutes=45))
    token = people.access_link_issue(actor=convener, participation=participant(consultation))
    agenda = client.get(f"/a/{token}/").content.decode()
    assert f'datetime="{start.isoformat()}"' in agenda
    client.force_login(convener)
    grid = _text(client.get(f"/manage/{consultation.slug}/timetable/?day={local_start.date().isoformat()}"))
    assert f"{local_start:%H:%M}–" in grid


@pytest.mark.parametrize(("zone", "local_start", "_shown"), CASES)
def test_comments_and_versions_of_a_recommendation_show_the_event_time(
    client, db, zone, local_start, _shown, monkeypatch
):
    from django.utils import timezone

    consultation = ConsultationFactory(time_zone=zone)
    moment = local_start.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))
    rec = RecommendationFactory(consultation=consultation)
    deliberation.feedback_create(
        participation=participant(consultation, "workers"), recommendation=rec, kind="comment", text="Agreed."
    )
    page = _text(client.get(rec.get_absolute_url()))
    assert f"{local_start:%-d %b %H:%M}" in page
    assert "Workers' organisation" in page or "Workers&#x27; organisation" in page
