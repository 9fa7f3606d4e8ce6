import datetime as dt
import json
import re
import uuid

import icalendar
import pytest

from factories import PersonFactory, RoomFactory, SessionFactory, at
from target87.consultations.models import SessionSpeaker


@pytest.fixture
def two_days(consultation):
    room = RoomFactory(consultation=consultation, name="Plenary Hall")
    first = SessionFactory(
        consultation=consultation, room=room, title="Opening", start=at(1, "09:00"), end=at(1, "10:30")
    )
    SessionSpeaker.objects.create(session=first, person=PersonFactory(name="Aung Win"), role="speaker")
    SessionFactory(
        consultation=consultation, room=None, kind="break", title="Coffee", start=at(1, "10:30"), end=at(1, "10:45")
    )
    SessionFactory(consultation=consultation, room=room, title="Closing", start=at(2, "15:45"), end=at(2, "17:00"))
    return consultation


def test_ics_parses_and_holds_every_session_in_the_event_time_zone(client, two_days):
    response = client.get("/consultations/bangkok-test/schedule.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Opening", "Coffee", "Closing"}
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Bangkok"]
    opening = events["Opening"]
    assert opening["DTSTART"].params["TZID"] == "Asia/Bangkok"
    assert opening.decoded("DTSTART") == at(1, "09:00")
    assert opening.decoded("DTSTART").utcoffset() == dt.timedelta(hours=7)
    assert "Plenary Hall" in str(opening["LOCATION"]) and "Aung Win" in str(opening["DESCRIPTION"])
    assert events["Closing"].decoded("DTSTART").date() == dt.date(2016, 9, 15)


def test_ics_uids_are_stable_across_exports(client, two_days):
    def uids():
        return sorted(
            str(e["UID"])
            for e in icalendar.Calendar.from_ical(client.get("/consultations/bangkok-test/schedule.ics").content).walk(
                "VEVENT"
            )
        )

    first = uids()
    assert first == uids() and len(set(first)) == 3


# The fields and types that the c3voc schedule schema (schedule.json) requires.
CONFERENCE_REQUIRED = {
    "title": str,
    "acronym": str,
    "days": list,
    "daysCount": int,
    "start": str,
    "end": str,
    "timeslot_duration": str,
}
DAY_REQUIRED = {"index": int, "date": str, "day_start": str, "day_end": str, "rooms": dict}
EVENT_REQUIRED = {
    "abstract": (str, type(None)),
    "date": str,
    "duration": str,
    "guid": str,
    "id": int,
    "language": str,
    "links": list,
    "persons": list,
    "room": str,
    "slug": str,
    "start": str,
    "subtitle": (str, type(None)),
    "title": str,
    "track": (str, type(None)),
    "type": str,
    "url": str,
}
EVENT_ALLOWED = set(EVENT_REQUIRED) | {
    "logo",
    "description",
    "recording_license",
    "do_not_record",
    "do_not_stream",
    "attachments",
    "answers",
}
CONFERENCE_ALLOWED = set(CONFERENCE_REQUIRED) | {
    "description",
    "time_zone_name",
    "logo",
    "colors",
    "keywords",
    "url",
    "tracks",
    "rooms",
    "meta",
}


def _check_fields(obj: dict, required: dict, allowed: set, where: str) -> list[str]:
    problems = [f"{where}: missing {k}" for k in required if k not in obj]
    problems += [
        f"{where}: {k} is {type(obj[k]).__name__}"
        for k, t in required.items()
        if k in obj and not isinstance(obj[k], t)
    ]
    problems += [f"{where}: unexpected {k}" for k in obj if k not in allowed]
    return problems


def schedule_problems(document: dict) -> list[str]:
    problems = []
    schedule = document.get("schedule")
    if not isinstance(schedule, dict):
        return ["schedule missing"]
    if not isinstance(schedule.get("version"), str):
        problems.append("schedule.version must be a string")
    conference = schedule.get("conference", {})
    problems += _check_fields(conference, CONFERENCE_REQUIRED, CONFERENCE_ALLOWED, "conference")
    if not re.fullmatch(r"[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?", conference.get("acronym", "")):
        problems.append("conference.acronym does not match the schema's pattern")
    if not re.fullmatch(r"([A-Z][a-z]+/[A-Z][a-z]+)|UTC", conference.get("time_zone_name", "UTC")):
        problems.append("time_zone_name does not match the schema's pattern")
    for room in conference.get("rooms", []):
        problems += [f"room: missing {k}" for k in ("name", "guid") if k not in room]
        uuid.UUID(room["guid"])
    for day in conference.get("days", []):
        problems += _check_fields(day, DAY_REQUIRED, set(DAY_REQUIRED), "day")
        for room_name, events in day["rooms"].items():
            for event in events:
                where = f"event {event.get('id')}"
                problems += _check_fields(event, EVENT_REQUIRED, EVENT_ALLOWED, where)
                uuid.UUID(event["guid"])
                if event.get("id", 0) < 1 or event.get("room") != room_name:
                    problems.append(f"{where}: id or room")
                if not re.fullmatch(r"[0-9]+:[0-9]{2}", event.get("duration", "")):
                    problems.append(f"{where}: duration")
                if not re.fullmatch(r"[a-z0-9_-]+[a-z0-9]", event.get("slug", "")):
                    problems.append(f"{where}: slug")
                for person in event.get("persons", []):
                    frab = "public_name" in person and "id" in person
                    pretalx = "name" in person
                    if frab == pretalx:  # oneOf: exactly one of the two person shapes
                        problems.append(f"{where}: person must be either frab or pretalx shaped")
    return problems


def test_frab_schedule_json_has_what_the_c3voc_schema_requires(client, two_days):
    response = client.get("/consultations/bangkok-test/schedule.json")
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert schedule_problems(document) == []
    conference = document["schedule"]["conference"]
    assert conference["acronym"] == "bangkok_test" and conference["daysCount"] == 2
    assert conference["time_zone_name"] == "Asia/Bangkok"
    day1, day2 = conference["days"]
    opening = day1["rooms"]["Plenary Hall"][0]
    assert (opening["title"], opening["start"], opening["duration"]) == ("Opening", "09:00", "01:30")
    assert opening["date"] == "2016-09-14T09:00:00+07:00"
    assert opening["persons"] == [{"name": "Aung Win", "guid": opening["persons"][0]["guid"]}]
    # a session without a room is listed under the venue
    assert [e["title"] for e in day1["rooms"]["United Nations Conference Centre"]] == ["Coffee"]
    assert [e["title"] for e in day2["rooms"]["Plenary Hall"]] == ["Closing"]


def test_the_schema_check_catches_a_broken_document():
    broken = {
        "schedule": {
            "version": "1",
            "conference": {
                "title": "x",
                "acronym": "Bad Acronym",
                "days": [
                    {
                        "index": 1,
                        "date": "2016-09-14",
                        "day_start": "",
                        "day_end": "",
                        "rooms": {"Hall": [{"id": 0, "title": "t"}]},
                    }
                ],
            },
        }
    }
    with pytest.raises(KeyError):  # the event lacks its guid
        schedule_problems(broken)
    broken["schedule"]["conference"]["days"][0]["rooms"]["Hall"][0]["guid"] = str(uuid.uuid4())
    problems = schedule_problems(broken)
    assert (
        "conference: missing daysCount" in problems
        and "conference.acronym does not match the schema's pattern" in problems
    )
    assert "event 0: missing duration" in problems and "event 0: id or room" in problems
