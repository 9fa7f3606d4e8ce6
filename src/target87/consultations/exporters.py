"""Schedule exporters: iCalendar and the frab/pretalx schedule JSON, on the core export mechanism.

An exporter renders a consultation's sessions (all of them, or a participant's agenda) to bytes; views look it
up in :data:`schedule_exporters` by identifier.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable

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

    def __init__(self, consultation: Consultation, *, calendar_name: str | None = None, **kwargs) -> None:
        super().__init__(consultation, **kwargs)
        self.calendar_name = calendar_name

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
            lines = [session.tr("focus")] if session.focus else []
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


@schedule_exporters.register
class FrabJsonExporter(ScheduleExporter):
    """The frab/pretalx schedule JSON that schedule apps (Giggity, Fahrplan, ConfClerk…) read."""

    identifier = "frab-json"
    name = _("Schedule JSON (frab)")
    content_type = "application/json"
    extension = "json"

    def render(self) -> bytes:
        consultation = self.consultation
        tz = consultation.tz
        sessions = list(self.sessions)
        fallback_room = consultation.venue or str(_("Venue"))
        rooms = [r for r in consultation.rooms.all()]
        room_names = [r.name for r in rooms]
        if any(s.room_id is None for s in sessions) and fallback_room not in room_names:
            room_names.append(fallback_room)
        room_rows = [
            {
                "name": r.name,
                "guid": str(uuid.uuid5(UID_NAMESPACE, f"{consultation.slug}/room/{r.pk}")),
                "description": r.accessibility or None,
                "capacity": r.capacity,
            }
            for r in rooms
        ]
        if fallback_room not in [r.name for r in rooms] and fallback_room in room_names:
            room_rows.append(
                {
                    "name": fallback_room,
                    "guid": str(uuid.uuid5(UID_NAMESPACE, f"{consultation.slug}/room/venue")),
                    "description": None,
                    "capacity": None,
                }
            )
        days = []
        for index, day in enumerate(consultation.days, start=1):
            day_start = dt.datetime.combine(day, dt.time(6, 0), tzinfo=tz)
            day_end = day_start + dt.timedelta(hours=18)
            per_room: dict[str, list[dict]] = {name: [] for name in room_names}
            for session in sessions:
                start = timezone.localtime(session.start, tz)
                if start.date() != day:
                    continue
                room = session.room.name if session.room else fallback_room
                per_room.setdefault(room, []).append(self._event(session, start, room))
            days.append(
                {
                    "index": index,
                    "date": day.isoformat(),
                    "day_start": day_start.isoformat(),
                    "day_end": day_end.isoformat(),
                    "rooms": per_room,
                }
            )
        document = {
            "$schema": "https://c3voc.de/schedule/schema.json",
            "generator": {"name": "Target 8.7", "version": target87.__version__},
            "schedule": {
                "version": consultation.updated_at.strftime("%Y-%m-%d %H:%M"),
                "base_url": f"{self.base_url}/" if self.base_url else "/",
                "conference": {
                    "acronym": slugify(consultation.slug).replace("-", "_"),
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

    def _event(self, session: Session, start: dt.datetime, room: str) -> dict:
        language = (self.consultation.languages or [settings.LANGUAGE_CODE])[0]
        areas = session.thematic_area_labels()
        return {
            "id": session.pk,
            "guid": str(self.session_guid(session)),
            "date": start.isoformat(),
            "start": start.strftime("%H:%M"),
            "duration": _hhmm(session.duration),
            "room": room,
            "slug": f"{slugify(self.consultation.slug)}-{session.pk}-{slugify(session.title)[:40]}".strip("-"),
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
