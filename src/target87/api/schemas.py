from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class KeyQuestionOut(Schema):
    id: int
    position: int
    short_title: str
    text: str
    lens: str


class RoomOut(Schema):
    id: int
    name: str
    capacity: int
    accessibility: str


class SpeakerOut(Schema):
    name: str
    role: str


class SessionOut(Schema):
    id: int
    kind: str
    title: str
    focus: str
    description: str
    start: dt.datetime
    end: dt.datetime
    deliberation_minutes: int
    room: str | None
    key_questions: list[int]
    thematic_areas: list[str]
    speakers: list[SpeakerOut]


class ConsultationOut(Schema):
    slug: str
    title: str
    description: str
    convened_by: str
    subregion: str
    countries: list[str]
    venue: str
    city: str
    country: str
    start_date: dt.date
    end_date: dt.date
    time_zone: str
    languages: list[str]
    status: str


class ConsultationIn(Schema):
    slug: str = Field(..., min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str = Field(..., min_length=1, max_length=300)
    description: str = ""
    convened_by: str = Field(..., min_length=1, max_length=200)
    subregion: str = ""
    countries: list[str] = []
    venue: str = ""
    city: str = ""
    country: str = ""
    start_date: dt.date
    end_date: dt.date
    time_zone: str = "UTC"
    languages: list[str] = []
    status: str = "draft"


class ConsultationPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None
    convened_by: str | None = None
    subregion: str | None = None
    countries: list[str] | None = None
    venue: str | None = None
    city: str | None = None
    country: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    time_zone: str | None = None
    languages: list[str] | None = None
    status: str | None = None


class SessionIn(Schema):
    kind: str
    title: str = Field(..., min_length=1, max_length=300)
    focus: str = ""
    description: str = ""
    start: dt.datetime = Field(
        ..., description="ISO 8601; without an offset it is read in the consultation's time zone"
    )
    end: dt.datetime
    deliberation_minutes: int = Field(0, ge=0)
    room_id: int | None = None
    key_question_ids: list[int] = []
    thematic_areas: list[str] = []
    speaker_ids: list[int] = []


class SessionPatch(Schema):
    kind: str | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    focus: str | None = None
    description: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    deliberation_minutes: int | None = Field(None, ge=0)
    room_id: int | None = None
    key_question_ids: list[int] | None = None
    thematic_areas: list[str] | None = None
    speaker_ids: list[int] | None = None


class RoomIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    capacity: int = Field(..., ge=1)
    accessibility: str = ""
    position: int = Field(0, ge=0)


class KeyQuestionIn(Schema):
    position: int = Field(..., ge=1)
    short_title: str = Field(..., min_length=1, max_length=120)
    text: str = Field(..., min_length=1)
    lens: str


class Problem(Schema):
    """An error as RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict] | None = None
