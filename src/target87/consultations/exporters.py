"""Schedule exporters: iCalendar, and the frab/pretalx schedule as JSON and as XML, on the core export mechanism.

The frab schedule is what conference apps read (Giggity and EventFahrplan read the XML, others the JSON);
both follow the c3voc schedule schemas (the XSD and the JSON schema), against which the tests validate them.

An exporter renders a consultation's sessions (all of them, or a participant's agenda) to bytes; views look it
up in :data:`schedule_exporters` by identifier.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable
from xml.etree import ElementTree

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

import target87
from target87.core.exporters import BaseExporter, Registry

from .models import Consultation, Session

#: A fixed namespace, so that a session's UID stays the same in every export, for ever.
UID_NAMESPACE = uuid.UUID("5f0e8b1e-8a7d-4b57-9a58-7a3c2d870087")

schedule_exporters = Registry("schedule")
get = schedule_exporters.get


class ScheduleExporter(BaseExporter):
    inline = True  # calendar programs and schedule apps open it where it is

    def __init__(
        self, consultation: Consultation, *, sessions: Iterable[Session], base_url: str = "", suffix: str = ""
    ) -> None:
        self.consultation = consultation
        self.sessions = sessions
        self.base_url = base_url.rstrip("/")
        self.suffix = suffix

    def filename(self) -> str:
        return f"{self.consultation.slug}{self.suffix}.{self.extension}"

    # shared helpers
    def session_guid(self, session: Session) -> uuid.UUID:
        return uuid.uuid5(UID_NAMESPACE, f"{self.consultation.slug}/session/{session.pk}")

    def session_url(self, session: Session) -> str:
        return f"{self.base_url}{session.get_absolute_url()}"


@schedule_exporters.register
class ICalExporter(ScheduleExporter):
    """iCalendar (RFC 5545) with the event's time zone, one VEVENT per session, stable UIDs."""

    identifier = "ical"
    name = _("iCalendar")
    content_type = "text/calendar; charset=utf-8"
    extension = "ics"

    def __init__(
        self, consultation: Consultation, *, calendar_name: str | None = None, notes: dict | None = None, **kwargs
    ) -> None:
        super().__init__(consultation, **kwargs)
        self.calendar_name = calendar_name
        #: lines added to a session's description in a personal calendar (its group, room, facilitator)
        self.notes = notes or {}

    def render(self) -> bytes:
        consultation = self.consultation
        calendar = icalendar.Calendar()
        calendar.add("prodid", f"-//Target 8.7//{target87.__version__}//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", self.calendar_name or consultation.title)
        calendar.add("x-wr-timezone", consultation.time_zone)
        sessions = list(self.sessions)
        calendar.add_missing_timezones()
        stamp = timezone.now()
        for session in sessions:
            event = icalendar.Event()
            event.add("uid", f"{self.session_guid(session)}@target87")
            event.add("dtstamp", stamp)
            event.add("dtstart", timezone.localtime(session.start, consultation.tz))
            event.add("dtend", timezone.localtime(session.end, consultation.tz))
            event.add("summary", session.tr("title"))
            lines = [*self.notes.get(session.pk, [])]
            if session.focus:
                lines.append(session.tr("focus"))
            speakers = ", ".join(s.person.name for s in session.speakers.all())
            if speakers:
                lines.append(f"{_('Speakers')}: {speakers}")
            if lines:
                event.add("description", "\n\n".join(lines))
            location = ", ".join(
                x for x in [session.room.name if session.room else "", consultation.venue, consultation.city] if x
            )
            if location:
                event.add("location", location)
            event.add("categories", [session.get_kind_display()])
            if self.base_url:
                event.add("url", self.session_url(session))
            calendar.add_component(event)
        calendar.add_missing_timezones()
        return calendar.to_ical()


def _hhmm(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class FrabExporter(ScheduleExporter):
    """What the frab schedule's two forms share: its rooms, its days, and each session as an event."""

    def acronym(self) -> str:
        """The conference's short name as the schemas want it (at least 4 of a-z, 0-9 and _)."""
        return slugify(self.consultation.slug).replace("-", "_").ljust(4, "_")

    def room_rows(self, sessions: list[Session]) -> list[dict]:
        """The rooms, then the venue for sessions without a room (when some have none)."""
        consultation = self.consultation
        rows = [
            {
                "name": r.name,
                "guid": str(uuid.uuid5(UID_NAMESPACE, f"{consultation.slug}/room/{r.pk}")),
                "description": r.accessibility or None,
                "capacity": r.capacity,
            }
            for r in consultation.rooms.all()
        ]
        fallback = self.fallback_room()
        if any(s.room_id is None for s in sessions) and fallback not in [r["name"] for r in rows]:
            rows.append(
                {
                    "name": fallback,
                    "guid": str(uuid.uuid5(UID_NAMESPACE, f"{consultation.slug}/room/venue")),
                    "description": None,
                    "capacity": None,
                }
            )
        return rows

    def fallback_room(self) -> str:
        return self.consultation.venue or str(_("Venue"))

    def days(self, sessions: list[Session], room_names: list[str]) -> list[dict]:
        """Each day of the consultation (from 06:00 for 18 hours) with its events by room."""
        tz = self.consultation.tz
        days = []
        for index, day in enumerate(self.consultation.days, start=1):
            day_start = dt.datetime.combine(day, dt.time(6, 0), tzinfo=tz)
            per_room: dict[str, list[dict]] = {name: [] for name in room_names}
            for session in sessions:
                start = timezone.localtime(session.start, tz)
                if start.date() != day:
                    continue
                room = session.room.name if session.room else self.fallback_room()
                per_room.setdefault(room, []).append(self.event(session, start, room))
            days.append(
                {
                    "index": index,
                    "date": day.isoformat(),
                    "day_start": day_start.isoformat(),
                    "day_end": (day_start + dt.timedelta(hours=18)).isoformat(),
                    "rooms": per_room,
                }
            )
        return days

    def event(self, session: Session, start: dt.datetime, room: str) -> dict:
        language = (self.consultation.languages or [settings.LANGUAGE_CODE])[0]
        areas = session.thematic_area_labels()
        return {
            "id": session.pk,
            "guid": str(self.session_guid(session)),
            "date": start.isoformat(),
            "start": start.strftime("%H:%M"),
            "duration": _hhmm(session.duration),
            "room": room,
            "slug": f"{self.acronym()}-{session.pk}-{slugify(session.title)[:40].strip('-_') or 'session'}",
            "url": self.session_url(session),
            "title": session.title,
            "subtitle": session.focus[:200] if session.focus else None,
            "track": str(areas[0]) if areas else None,
            "type": session.kind,
            "language": language,
            "abstract": session.focus or None,
            "description": session.description or None,
            "persons": [
                {"name": s.person.name, "guid": str(uuid.uuid5(UID_NAMESPACE, f"person/{s.person_id}"))}
                for s in session.speakers.all()
            ],
            "links": [],
            "attachments": [],
        }


@schedule_exporters.register
class FrabJsonExporter(FrabExporter):
    """The frab/pretalx schedule JSON that schedule apps (Fahrplan, ConfClerk…) read."""

    identifier = "frab-json"
    name = _("Schedule JSON (frab)")
    content_type = "application/json"
    extension = "json"

    def render(self) -> bytes:
        consultation = self.consultation
        sessions = list(self.sessions)
        room_rows = self.room_rows(sessions)
        days = self.days(sessions, [r["name"] for r in room_rows])
        document = {
            "$schema": "https://c3voc.de/schedule/schema.json",
            "generator": {"name": "Target 8.7", "version": target87.__version__},
            "schedule": {
                "version": consultation.updated_at.strftime("%Y-%m-%d %H:%M"),
                "base_url": f"{self.base_url}/" if self.base_url else "/",
                "conference": {
                    "acronym": self.acronym(),
                    "title": consultation.title,
                    "description": consultation.description,
                    "start": consultation.start_date.isoformat(),
                    "end": consultation.end_date.isoformat(),
                    "daysCount": len(consultation.days),
                    "timeslot_duration": "00:15",
                    "time_zone_name": consultation.time_zone,
                    "url": f"{self.base_url}{consultation.get_absolute_url()}",
                    "rooms": room_rows,
                    "days": days,
                },
            },
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode()


#: characters XML 1.0 cannot hold (control characters other than tab and line breaks)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    return _NOT_XML.sub("", "" if value is None else str(value))


def _sub(parent: ElementTree.Element, tag: str, text=None, **attributes) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag, {k: _text(v) for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = _text(text)
    return element


@schedule_exporters.register
class FrabXmlExporter(FrabExporter):
    """The frab schedule XML (the c3voc schema.xsd) that Giggity, EventFahrplan and other schedule apps read."""

    identifier = "frab-xml"
    name = _("Schedule XML (frab)")
    content_type = "application/xml; charset=utf-8"
    extension = "xml"

    def render(self) -> bytes:
        consultation = self.consultation
        sessions = list(self.sessions)
        room_rows = self.room_rows(sessions)
        days = self.days(sessions, [r["name"] for r in room_rows])
        root = ElementTree.Element("schedule")
        _sub(root, "generator", name="Target 8.7", version=target87.__version__)
        if self.base_url:
            _sub(root, "url", self.url("schedule_xml"))
        _sub(root, "version", consultation.updated_at.strftime("%Y-%m-%d %H:%M"))
        conference = _sub(root, "conference")
        _sub(conference, "title", consultation.title)
        _sub(conference, "acronym", self.acronym())
        _sub(conference, "start", consultation.start_date.isoformat())
        _sub(conference, "end", consultation.end_date.isoformat())
        _sub(conference, "days", len(days))
        _sub(conference, "timeslot_duration", "00:15")
        if self.base_url:
            _sub(conference, "base_url", f"{self.base_url}/")
            _sub(conference, "url", f"{self.base_url}{consultation.get_absolute_url()}")
        _sub(conference, "time_zone_name", consultation.time_zone)
        tracks = dict.fromkeys(e["track"] for d in days for evs in d["rooms"].values() for e in evs if e["track"])
        for track in tracks:
            _sub(conference, "track", name=track)
        guids = {r["name"]: r["guid"] for r in room_rows}
        for day in days:
            day_element = _sub(
                root, "day", index=day["index"], date=day["date"], start=day["day_start"], end=day["day_end"]
            )
            for room, events in day["rooms"].items():
                room_element = _sub(day_element, "room", name=room, guid=guids.get(room))
                for event in events:
                    self._event_element(room_element, event)
        ElementTree.indent(root, space=" ")
        return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"

    def url(self, name: str) -> str:
        from django.urls import reverse

        return f"{self.base_url}{reverse(f'consultations:{name}', kwargs={'slug': self.consultation.slug})}"

    def _event_element(self, parent: ElementTree.Element, event: dict) -> None:
        element = _sub(parent, "event", id=event["id"], guid=event["guid"])
        for tag in ("date", "start", "duration", "room", "slug", "title", "subtitle", "track", "type", "language"):
            if event[tag] is not None or tag in ("track",):
                _sub(element, tag, event[tag] or "")
        _sub(element, "abstract", event["abstract"] or "")
        if event["description"]:
            _sub(element, "description", event["description"])
        persons = _sub(element, "persons")
        for person in event["persons"]:
            _sub(persons, "person", person["name"], guid=person["guid"])
        _sub(element, "links")
        _sub(element, "attachments")
        if self.base_url:
            _sub(element, "url", event["url"])
