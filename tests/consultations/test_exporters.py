import datetime as dt
import functools
import json
from pathlib import Path
from xml.etree import ElementTree

import icalendar
import jsonschema
import pytest
import xmlschema

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


# The c3voc schedule schemas, as published (tests/data/schedule/README.md says where from).
SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schedule"


def schedule_problems(document: dict) -> list[str]:
    """Where a schedule.json breaks the c3voc JSON schema (empty when it is valid)."""
    schema = json.loads((SCHEMAS / "schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft6Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


@functools.cache
def xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "schedule.xml.xsd"))


def xml_problems(content: bytes) -> list[str]:
    """Where a schedule.xml breaks the c3voc XSD (empty when it is valid)."""
    schema = xsd()
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(content.decode("utf-8"))]


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


def test_the_json_schema_catches_a_broken_document(client, two_days):
    document = json.loads(client.get("/consultations/bangkok-test/schedule.json").content)
    conference = document["schedule"]["conference"]
    conference["acronym"] = "Bad Acronym"
    del conference["daysCount"]
    event = conference["days"][0]["rooms"]["Plenary Hall"][0]
    event["start"] = "9 o'clock"
    problems = " | ".join(schedule_problems(document))
    assert "'daysCount' is a required property" in problems
    assert "'Bad Acronym' does not match" in problems and '"9 o\'clock" does not match' in problems


def test_frab_schedule_xml_is_valid_against_the_c3voc_xsd(client, two_days):
    response = client.get("/consultations/bangkok-test/schedule.xml")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml; charset=utf-8"
    assert xml_problems(response.content) == []
    root = ElementTree.fromstring(response.content)
    assert root.findtext("conference/acronym") == "bangkok_test" and root.findtext("conference/days") == "2"
    assert root.findtext("conference/time_zone_name") == "Asia/Bangkok"
    assert root.findtext("url") == "http://testserver/consultations/bangkok-test/schedule.xml"
    day1, day2 = root.findall("day")
    assert (day1.get("date"), day1.get("start")) == ("2016-09-14", "2016-09-14T06:00:00+07:00")
    opening = day1.find("room[@name='Plenary Hall']/event")
    assert (opening.findtext("title"), opening.findtext("start"), opening.findtext("duration")) == (
        "Opening",
        "09:00",
        "01:30",
    )
    assert opening.findtext("date") == "2016-09-14T09:00:00+07:00"
    assert [p.text for p in opening.findall("persons/person")] == ["Aung Win"]
    # a session without a room is listed under the venue, as in the JSON
    coffee = day1.findall("room[@name='United Nations Conference Centre']/event")
    assert [e.findtext("title") for e in coffee] == ["Coffee"]
    assert [e.findtext("title") for e in day2.findall("room[@name='Plenary Hall']/event")] == ["Closing"]


def test_xml_and_json_give_the_same_events(client, two_days):
    document = json.loads(client.get("/consultations/bangkok-test/schedule.json").content)
    root = ElementTree.fromstring(client.get("/consultations/bangkok-test/schedule.xml").content)
    from_json = sorted(
        (e["guid"], e["slug"], e["room"], e["date"], e["duration"])
        for d in document["schedule"]["conference"]["days"]
        for events in d["rooms"].values()
        for e in events
    )
    from_xml = sorted(
        (e.get("guid"), e.findtext("slug"), e.findtext("room"), e.findtext("date"), e.findtext("duration"))
        for e in root.iter("event")
    )
    assert from_xml == from_json and len(from_xml) == 3


def test_xml_stays_valid_with_control_characters_short_slugs_and_titles_without_latin_letters(client, consultation):
    consultation.slug = "bk"
    consultation.title = "Bangkok \x0bconsultation"
    consultation.save()
    SessionFactory(consultation=consultation, title="การเปิด\x01", start=at(1, "09:00"), end=at(1, "10:00"))
    response = client.get("/consultations/bk/schedule.xml")
    assert xml_problems(response.content) == []
    root = ElementTree.fromstring(response.content)
    assert root.findtext("conference/title") == "Bangkok consultation"
    event = next(root.iter("event"))
    assert event.findtext("title") == "การเปิด" and event.findtext("slug").endswith("-session")
    document = json.loads(client.get("/consultations/bk/schedule.json").content)
    assert schedule_problems(document) == []


def test_the_xsd_catches_a_broken_document(client, two_days):
    content = client.get("/consultations/bangkok-test/schedule.xml").content
    broken = content.replace(b"<duration>01:30</duration>", b"<duration>ninety minutes</duration>", 1)
    broken = broken.replace(b"<title>Opening</title>", b"", 1)
    problems = " | ".join(xml_problems(broken))
    assert "event/duration: value doesn't match" in problems and "Tag 'title' expected" in problems
