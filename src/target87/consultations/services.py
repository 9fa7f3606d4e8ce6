"""Every change to a consultation, its key questions, rooms and sessions goes through here.

Each service checks permission on the object, validates, writes in one transaction and records who did
what. Bad input raises :class:`~target87.core.errors.ServiceError` with a message per field.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from target87.core import audit, countries
from target87.core.errors import Conflict, ServiceError
from target87.core.permissions import require
from target87.people.selectors import people_for_consultation

from .enums import ConsultationStatus, SessionKind, SpeakerRole, ThematicArea
from .models import Consultation, KeyQuestion, Room, Session, SessionSpeaker

CONSULTATION_FIELDS = (
    "slug",
    "title",
    "description",
    "convened_by",
    "subregion",
    "countries",
    "venue",
    "city",
    "country",
    "start_date",
    "end_date",
    "time_zone",
    "languages",
    "status",
    "hold_contributions",
    "translations",
)


# --- consultation ------------------------------------------------------------------------------------


#: how far the product plans: a consultation's days lie in these years and it lasts at most this many days
YEARS = (1990, 2100)
MAX_DAYS = 31


def _dates_errors(start: dt.date | None, end: dt.date | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, day in (("start_date", start), ("end_date", end)):
        if day is not None and not YEARS[0] <= day.year <= YEARS[1]:
            errors[name] = [_("Choose a day between %(first)s and %(last)s.") % {"first": YEARS[0], "last": YEARS[1]}]
    if not errors and start and end:
        if end < start:
            errors["end_date"] = [_("The last day cannot come before the first day.")]
        elif (end - start).days + 1 > MAX_DAYS:
            errors["end_date"] = [_("A consultation lasts at most %(days)s days.") % {"days": MAX_DAYS}]
    return errors


def _clean_consultation(data: dict) -> dict:
    errors: dict[str, list[str]] = {
        name: [_("This field cannot be empty.")] for name, value in data.items() if value is None
    }
    data = {name: value for name, value in data.items() if value is not None}
    cleaned = dict(data)
    if "time_zone" in data:
        try:
            zoneinfo.ZoneInfo(data["time_zone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors["time_zone"] = [
                _("“%(value)s” is not a time zone. Use an IANA name such as Asia/Bangkok.")
                % {"value": data["time_zone"]}
            ]
    if data.get("country"):
        code = countries.lookup(data["country"])
        if code is None:
            errors["country"] = [
                _("“%(value)s” is not a country. Use an ISO 3166 code such as THA.") % {"value": data["country"]}
            ]
        cleaned["country"] = code or data["country"]
    if "countries" in data:
        codes, unknown = [], []
        for value in data["countries"] or []:
            code = countries.lookup(value)
            (codes if code else unknown).append(code or value)
        if unknown:
            errors["countries"] = [
                _("Unknown countries: %(values)s. Use ISO 3166 codes such as KHM, LAO.")
                % {"values": ", ".join(unknown)}
            ]
        cleaned["countries"] = sorted(set(codes))
    errors.update(_dates_errors(data.get("start_date"), data.get("end_date")))
    if "status" in data and data["status"] not in ConsultationStatus.values:
        errors["status"] = [_("Unknown status.")]
    if errors:
        raise ServiceError(errors)
    return cleaned


@transaction.atomic
def consultation_create(*, actor, **fields) -> Consultation:
    require(actor, "consultations.add_consultation")
    data = _clean_consultation({k: v for k, v in fields.items() if k in CONSULTATION_FIELDS})
    if Consultation.objects.filter(slug=data.get("slug")).exists():
        raise ServiceError({"slug": [_("Another consultation already uses this short name.")]})
    consultation = Consultation.objects.create(**data)
    from target87.people.services import participation_set_role, person_for_user

    person = person_for_user(user=actor)
    if person is not None:
        participation_set_role(consultation=consultation, person=person, role="convener", approved=True)
    audit.record(actor=actor, action="consultation.create", obj=consultation, consultation=consultation)
    return consultation


@transaction.atomic
def consultation_update(*, actor, consultation: Consultation, **fields) -> Consultation:
    require(actor, "consultations.manage", consultation)
    data = _clean_consultation({k: v for k, v in fields.items() if k in CONSULTATION_FIELDS})
    if "slug" in data and Consultation.objects.exclude(pk=consultation.pk).filter(slug=data["slug"]).exists():
        raise ServiceError({"slug": [_("Another consultation already uses this short name.")]})
    merged = {"start_date": consultation.start_date, "end_date": consultation.end_date, **data}
    if errors := _dates_errors(merged["start_date"], merged["end_date"]):
        raise ServiceError(errors)
    changes = audit.model_changes(consultation, data)
    for name, value in data.items():
        setattr(consultation, name, value)
    consultation.save()
    if {"start_date", "end_date", "time_zone"} & changes.keys():
        outside = [s for s in consultation.sessions.all() if _outside_days(consultation, s.start, s.end)]
        if outside:
            raise ServiceError(
                {
                    "end_date": [
                        _("These sessions would fall outside the consultation's days: %(titles)s.")
                        % {"titles": ", ".join(f"“{s.title}”" for s in outside)}
                    ]
                }
            )
    audit.record(
        actor=actor, action="consultation.update", obj=consultation, consultation=consultation, changes=changes
    )
    return consultation


# --- key questions and rooms ----------------------------------------------------------------------------


@transaction.atomic
def key_question_save(
    *, actor, consultation: Consultation, key_question: KeyQuestion | None = None, **fields
) -> KeyQuestion:
    require(actor, "consultations.manage", consultation)
    clash = KeyQuestion.objects.filter(consultation=consultation, position=fields.get("position"))
    if key_question is not None:
        clash = clash.exclude(pk=key_question.pk)
    if clash.exists():
        raise ServiceError({"position": [_("Another key question already has this number.")]})
    if key_question is None:
        key_question = KeyQuestion(consultation=consultation)
    changes = audit.model_changes(key_question, fields) if key_question.pk else fields
    for name, value in fields.items():
        setattr(key_question, name, value)
    key_question.full_clean(exclude=["consultation"])
    key_question.save()
    audit.record(actor=actor, action="key_question.save", obj=key_question, consultation=consultation, changes=changes)
    return key_question


@transaction.atomic
def room_save(*, actor, consultation: Consultation, room: Room | None = None, **fields) -> Room:
    require(actor, "consultations.manage", consultation)
    clash = Room.objects.filter(consultation=consultation, name__iexact=fields.get("name", ""))
    if room is not None:
        clash = clash.exclude(pk=room.pk)
    if clash.exists():
        raise ServiceError({"name": [_("Another room already has this name.")]})
    if fields.get("capacity") is not None and fields["capacity"] < 1:
        raise ServiceError({"capacity": [_("A room holds at least one person.")]})
    if room is None:
        room = Room(consultation=consultation)
    changes = audit.model_changes(room, fields) if room.pk else fields
    for name, value in fields.items():
        setattr(room, name, value)
    room.save()
    audit.record(actor=actor, action="room.save", obj=room, consultation=consultation, changes=changes)
    return room


@transaction.atomic
def room_delete(*, actor, room: Room) -> None:
    require(actor, "consultations.manage", room.consultation)
    if room.sessions.exists():
        raise ServiceError(_("“%(room)s” still has sessions. Move them to another room first.") % {"room": room.name})
    audit.record(actor=actor, action="room.delete", obj=room, consultation=room.consultation)
    room.delete()


# --- sessions and the timetable rules --------------------------------------------------------------


@dataclass(frozen=True)
class SessionDraft:
    """A session as it would be after a change, for checking the timetable rules before saving."""

    title: str
    start: dt.datetime
    end: dt.datetime
    room_id: int | None
    deliberation_minutes: int
    speaker_ids: tuple[int, ...]
    pk: int | None = None


def _outside_days(consultation: Consultation, start: dt.datetime, end: dt.datetime) -> bool:
    first, last = consultation.local_bounds()
    return start < first or end > last


def _when(consultation: Consultation, moment: dt.datetime) -> str:
    local = timezone.localtime(moment, consultation.tz)
    return formats.date_format(local, "D j M, H:i")


@dataclass
class TimetableCheck:
    """What :func:`timetable_problems` found: the messages per field (none: the session fits) and the sessions
    the draft would clash with, in a room or through a speaker."""

    messages: dict[str, list[str]] = field(default_factory=dict)
    clashes: list[Session] = field(default_factory=list)


def timetable_problems(*, consultation: Consultation, draft: SessionDraft) -> TimetableCheck:
    """The timetable rules a session would break, each message naming what clashes with what, and the sessions
    it would clash with."""
    check = TimetableCheck()

    def add(name: str, message: str, other: Session | None = None) -> None:
        check.messages.setdefault(name, []).append(message)
        if other is not None and other not in check.clashes:
            check.clashes.append(other)

    if draft.end <= draft.start:
        add("end", _("The session must end after it starts."))
        return check
    if _outside_days(consultation, draft.start, draft.end):
        add(
            "start",
            _("“%(title)s” must lie within the consultation's days, %(first)s to %(last)s (%(tz)s).")
            % {
                "title": draft.title,
                "first": formats.date_format(consultation.start_date, "j M Y"),
                "last": formats.date_format(consultation.end_date, "j M Y"),
                "tz": consultation.time_zone,
            },
        )
    minutes = int((draft.end - draft.start).total_seconds() // 60)
    if draft.deliberation_minutes > minutes:
        add(
            "deliberation_minutes",
            _("The deliberation time (%(deliberation)d min) does not fit in the session (%(minutes)d min).")
            % {"deliberation": draft.deliberation_minutes, "minutes": minutes},
        )

    overlapping = Session.objects.filter(consultation=consultation, start__lt=draft.end, end__gt=draft.start)
    if draft.pk:
        overlapping = overlapping.exclude(pk=draft.pk)
    if draft.room_id:
        for other in overlapping.filter(room_id=draft.room_id).select_related("room"):
            add(
                "room",
                _(
                    "“%(title)s” and “%(other)s” would both be in %(room)s at the same time "
                    "(“%(other)s” runs %(start)s–%(end)s)."
                )
                % {
                    "title": draft.title,
                    "other": other.title,
                    "room": other.room.name,
                    "start": _when(consultation, other.start),
                    "end": formats.time_format(timezone.localtime(other.end, consultation.tz), "H:i"),
                },
                other,
            )
    if draft.speaker_ids:
        busy = (
            SessionSpeaker.objects.filter(session__in=overlapping, person_id__in=draft.speaker_ids)
            .select_related("person", "session")
            .order_by("person__name", "session__start")
        )
        for speaker in busy:
            add(
                "speakers",
                _("%(person)s cannot be in “%(title)s” and “%(other)s” at the same time.")
                % {
                    "person": speaker.person.name,
                    "title": draft.title,
                    "other": speaker.session.title,
                },
                speaker.session,
            )
    return check


SESSION_FIELDS = (
    "kind",
    "title",
    "focus",
    "description",
    "start",
    "end",
    "deliberation_minutes",
    "room",
    "translations",
)


def _clean_session(consultation: Consultation, fields: dict) -> dict:
    errors: dict[str, list[str]] = {}
    if fields.get("kind") not in SessionKind.values:
        errors["kind"] = [_("Choose the kind of session.")]
    if not (fields.get("title") or "").strip():
        errors["title"] = [_("Give the session a title.")]
    room = fields.get("room")
    if room is not None and room.consultation_id != consultation.pk:
        errors["room"] = [_("This room belongs to another consultation.")]
    areas = fields.get("thematic_areas") or []
    unknown = [a for a in areas if a not in ThematicArea.values]
    if unknown:
        errors["thematic_areas"] = [_("Unknown thematic areas: %(values)s.") % {"values": ", ".join(unknown)}]
    for question in fields.get("key_questions") or []:
        if question.consultation_id != consultation.pk:
            errors["key_questions"] = [_("A key question belongs to another consultation.")]
    for name in ("start", "end"):
        if fields.get(name) is None:
            errors[name] = [_("This field is required.")]
        elif timezone.is_naive(fields[name]):
            fields[name] = timezone.make_aware(fields[name], consultation.tz)
    if errors:
        raise ServiceError(errors)
    return fields


def _speaker(item) -> tuple[int, object]:
    """The id and the person of a speaker given as a person, as an id, or as a ``(person, role)`` pair."""
    person = item[0] if isinstance(item, tuple) else item
    return (person.pk if hasattr(person, "pk") else int(person)), person


def _speaker_rows(speakers: Iterable) -> list[tuple[int, str]]:
    """Speakers given as persons or ids (role: speaker) or as ``(person, role)`` pairs; a person given twice
    keeps their first place."""
    rows: dict[int, str] = {}
    for item in speakers:
        rows.setdefault(_speaker(item)[0], item[1] if isinstance(item, tuple) else SpeakerRole.SPEAKER)
    return list(rows.items())


def _check_speakers(consultation: Consultation, speakers: list) -> None:
    """Refuse speakers who do not take part in the consultation, naming them (by their id when only that is known)."""
    given = dict(_speaker(item) for item in speakers)
    taking_part = set(
        people_for_consultation(consultation=consultation).filter(pk__in=given).values_list("pk", flat=True)
    )
    names = [
        getattr(person, "name", None) or _("person %(id)d") % {"id": pk}
        for pk, person in given.items()
        if pk not in taking_part
    ]
    if names:
        message = ngettext(
            "%(names)s does not take part in this consultation; add them as a participant first.",
            "%(names)s do not take part in this consultation; add them as participants first.",
            len(names),
        ) % {"names": ", ".join(names)}
        raise ServiceError({"speakers": [message]})


@transaction.atomic
def session_save(
    *,
    actor,
    consultation: Consultation,
    session: Session | None = None,
    key_questions=None,
    thematic_areas=None,
    speakers=None,
    **fields,
) -> Session:
    """Create or change a session; refuse it, naming the clash, when it breaks a timetable rule, and naming the
    people, when a speaker does not take part in the consultation."""
    require(actor, "consultations.manage", consultation)
    fields = {k: v for k, v in fields.items() if k in SESSION_FIELDS}
    if session is not None:
        current = {name: getattr(session, name) for name in SESSION_FIELDS}
        fields = {**current, **fields}
    fields["thematic_areas"] = list(
        thematic_areas if thematic_areas is not None else (session.thematic_areas if session else [])
    )
    fields["key_questions"] = list(
        key_questions if key_questions is not None else (session.key_questions.all() if session else [])
    )
    fields = _clean_session(consultation, fields)
    if speakers is not None:
        speakers = list(speakers)
        _check_speakers(consultation, speakers)
    speaker_rows = (
        _speaker_rows(speakers)
        if speakers is not None
        else [(s.person_id, s.role) for s in session.speakers.all()]
        if session
        else []
    )
    # Lock the consultation's row so two conveners saving at once cannot both pass the clash check.
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    draft = SessionDraft(
        title=fields["title"],
        start=fields["start"],
        end=fields["end"],
        room_id=fields["room"].pk if fields.get("room") else None,
        deliberation_minutes=fields.get("deliberation_minutes") or 0,
        speaker_ids=tuple(pk for pk, _role in speaker_rows),
        pk=session.pk if session else None,
    )
    problems = timetable_problems(consultation=consultation, draft=draft).messages
    if problems:
        raise ServiceError(problems)
    questions = fields.pop("key_questions")
    before = {} if session is None else {name: getattr(session, name) for name in fields}
    if session is None:
        session = Session(consultation=consultation)
    for name, value in fields.items():
        setattr(session, name, value)
    session.save()
    session.key_questions.set(questions)
    if speakers is not None:
        session.speakers.all().delete()
        SessionSpeaker.objects.bulk_create(
            SessionSpeaker(session=session, person_id=pk, role=role, position=i)
            for i, (pk, role) in enumerate(speaker_rows)
        )
    changes = {k: [audit._jsonable(before.get(k)), audit._jsonable(v)] for k, v in fields.items() if before.get(k) != v}
    audit.record(actor=actor, action="session.save", obj=session, consultation=consultation, changes=changes)
    return session


@transaction.atomic
def session_delete(*, actor, session: Session) -> None:
    """Delete a session. One whose breakout groups are published is refused: participants have been told
    their groups, so the convener unpublishes them first (and tells people), then deletes."""
    require(actor, "consultations.manage", session.consultation)
    allocation = getattr(session, "breakout_allocation", None)
    if allocation is not None and allocation.published_run_id is not None:
        raise Conflict(
            _(
                "The breakout groups of “%(title)s” are published: participants have been told their groups. "
                "Unpublish the groups on the breakout page first, then delete the session."
            )
            % {"title": session.title}
        )
    audit.record(actor=actor, action="session.delete", obj=session, consultation=session.consultation)
    session.delete()
