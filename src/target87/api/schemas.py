from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema

from target87.consultations.enums import ConsultationStatus, Lens, SessionKind, ThematicArea
from target87.deliberation.enums import ContributionKind, FeedbackKind, FeedbackStatus
from target87.people.enums import StakeholderGroup
from target87.priorities.enums import BallotStatus, Method

from .inputs import Count, Id, In, Minutes, Patch, Position


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


LongText = Annotated[str, Field(max_length=20_000)]


class ConsultationIn(In):
    slug: str = Field(..., min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str = Field(..., min_length=1, max_length=300)
    description: LongText = ""
    convened_by: str = Field(..., min_length=1, max_length=200)
    subregion: str = Field("", max_length=200)
    countries: list[str] = Field([], max_length=100)
    venue: str = Field("", max_length=200)
    city: str = Field("", max_length=120)
    country: str = Field("", max_length=3)
    start_date: dt.date
    end_date: dt.date
    time_zone: str = Field("UTC", max_length=64)
    languages: list[str] = Field([], max_length=20)
    status: ConsultationStatus = ConsultationStatus.DRAFT


class ConsultationPatch(Patch):
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    convened_by: str | None = Field(None, min_length=1, max_length=200)
    subregion: str | None = Field(None, max_length=200)
    countries: list[str] | None = Field(None, max_length=100)
    venue: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=120)
    country: str | None = Field(None, max_length=3)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    time_zone: str | None = Field(None, max_length=64)
    languages: list[str] | None = Field(None, max_length=20)
    status: ConsultationStatus | None = None


class SessionIn(In):
    kind: SessionKind
    title: str = Field(..., min_length=1, max_length=300)
    focus: LongText = ""
    description: LongText = ""
    start: dt.datetime = Field(
        ..., description="ISO 8601; without an offset it is read in the consultation's time zone"
    )
    end: dt.datetime
    deliberation_minutes: Minutes = 0
    room_id: Id | None = None
    key_question_ids: list[Id] = Field([], max_length=50)
    thematic_areas: list[ThematicArea] = Field([], max_length=50)
    speaker_ids: list[Id] = Field([], max_length=200)


class SessionPatch(Patch):
    NULLABLE = frozenset({"room_id"})  # null: the session has no room

    kind: SessionKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    focus: str | None = Field(None, max_length=20_000)
    description: str | None = Field(None, max_length=20_000)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    deliberation_minutes: Minutes | None = None
    room_id: Id | None = None
    key_question_ids: list[Id] | None = Field(None, max_length=50)
    thematic_areas: list[ThematicArea] | None = Field(None, max_length=50)
    speaker_ids: list[Id] | None = Field(None, max_length=200)


class RoomIn(In):
    name: str = Field(..., min_length=1, max_length=120)
    capacity: Count
    accessibility: LongText = ""
    position: Position = 0


class KeyQuestionIn(In):
    position: Annotated[int, Field(ge=1, le=99)]
    short_title: str = Field(..., min_length=1, max_length=120)
    text: str = Field(..., min_length=1, max_length=20_000)
    lens: Lens


class Problem(Schema):
    """An error as RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict] | None = None


ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}


# --- deliberation: contributions and recommendations -------------------------------------------------


def _choices(enum) -> str:
    return ", ".join(enum.values)


class ContributionFilters(Schema):
    key_question: int | None = Field(None, ge=1, le=99, description="The key question's position (1 for Q1).")
    session_id: Id | None = Field(None, description="The breakout group: its session's id.")
    kind: ContributionKind | None = None
    thematic_area: ThematicArea | None = None


class ContributionOut(Schema):
    id: int
    key_question: int = Field(..., description="The key question's position (1 for Q1).")
    session_id: int | None = Field(None, description="The breakout group it was said in (a session's id).")
    breakout_group: str | None = None
    kind: str
    thematic_area: str
    countries: list[str] = Field(..., description="ISO 3166-1 alpha-3 codes.")
    stakeholder_group: str
    author: str | None = Field(None, description="The contributor's name; empty when they chose to stay anonymous.")
    text: str
    created_at: dt.datetime

    @staticmethod
    def resolve_key_question(obj) -> int:
        return obj.key_question.position

    @staticmethod
    def resolve_breakout_group(obj) -> str | None:
        return obj.session.title if obj.session_id else None

    @staticmethod
    def resolve_author(obj) -> str | None:
        return obj.public_author() or None


class ContributionIn(In):
    key_question_id: Id = Field(..., description="The key question's id (see /consultations/{slug}/key-questions).")
    session_id: Id | None = Field(None, description="The breakout group: a breakout session's id.")
    # the choices are declared for clients and checked by the service, which says what to choose in plain words
    kind: str = Field(..., max_length=32, json_schema_extra={"enum": ContributionKind.values})
    text: str = Field(..., max_length=20_000)
    thematic_area: str = Field(
        "", max_length=32, json_schema_extra={"enum": ["", *ThematicArea.values]}, description="Empty, or an area."
    )
    countries: list[str] = Field(
        [], max_length=100, description="Countries concerned, ISO 3166 codes such as KHM, LAO."
    )
    stakeholder_group: str = Field(
        "",
        max_length=32,
        json_schema_extra={"enum": ["", *StakeholderGroup.values]},
        description="The stakeholder group it comes from, or empty.",
    )
    client_key: uuid.UUID | None = Field(
        None, description="Chosen by the sender: sending again with the same key stores the contribution once."
    )


class SourceOut(Schema):
    """A contribution a recommendation comes from, as the recommendation's page shows it."""

    id: int
    key_question: int
    kind: str
    thematic_area: str
    stakeholder_group: str
    text: str

    @staticmethod
    def resolve_key_question(obj) -> int:
        return obj.key_question.position


class RecommendationVersionOut(Schema):
    number: int
    title: str
    text: str
    note: str
    created_at: dt.datetime


class RecommendationOut(Schema):
    id: int
    number: int
    code: str
    key_question: int = Field(..., description="The key question's position (1 for Q1).")
    session_id: int | None = Field(None, description="The breakout group it was drafted in.")
    title: str
    text: str
    thematic_area: str
    actors: list[str]
    level: str
    timeframe: str
    version: int
    comments: int = Field(..., description="Comments and proposed amendments received.")
    open_amendments: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_key_question(obj) -> int:
        return obj.key_question.position

    @staticmethod
    def resolve_comments(obj) -> int:
        if hasattr(obj, "comments"):
            return obj.comments
        return len(obj.feedback.all())

    @staticmethod
    def resolve_open_amendments(obj) -> int:
        if hasattr(obj, "open_amendments"):
            return obj.open_amendments
        return sum(
            1 for f in obj.feedback.all() if f.kind == FeedbackKind.AMENDMENT and f.status == FeedbackStatus.OPEN
        )


class RecommendationDetailOut(RecommendationOut):
    consultation: str
    versions: list[RecommendationVersionOut] = Field(..., description="Every version, the latest first.")
    contributions: list[SourceOut] = Field(..., description="The contributions it comes from.")

    @staticmethod
    def resolve_consultation(obj) -> str:
        return obj.consultation.slug

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.all())

    @staticmethod
    def resolve_contributions(obj) -> list:
        return list(obj.contributions.all())


# --- priorities: ballots and their results -------------------------------------------------------------


class BallotOut(Schema):
    id: int
    title: str
    question: str
    method: str = Field(..., description=f"One of: {_choices(Method)}.")
    dots: int | None = Field(None, description="Dots each participant spreads (dots ballots only).")
    status: str = Field(..., description=f"One of: {_choices(BallotStatus)}.")
    session_id: int | None = Field(None, description="The session it is voted in.")
    participants: int = Field(..., description="Participants who voted.")
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_dots(obj) -> int | None:
        return obj.dots if obj.method == Method.DOTS else None


class BallotItemOut(Schema):
    code: str = Field(..., description="R7 for recommendation 7, S3 for the third statement.")
    label: str
    text: str
    position: int
    recommendation_id: int | None = Field(None, description="See /recommendations/{id}.")


class BallotDetailOut(BallotOut):
    consultation: str
    items: list[BallotItemOut]

    @staticmethod
    def resolve_consultation(obj) -> str:
        return obj.consultation.slug

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())


class RankedItemOut(Schema):
    item: str = Field(..., description="The item's code.")
    label: str
    rank: int = Field(..., description='Competition rank: tied items share it ("1, 2, 2, 4").')
    score: float
    ci_lower: float | None = Field(None, description="95 % interval of the score (pairwise ballots only).")
    ci_upper: float | None = None


class GroupOut(Schema):
    group: str = Field(..., description='A stakeholder group, or "none" for voters without one.')
    voters: int
    ranking: list[RankedItemOut]


class CrossGroupOut(Schema):
    """An item's places across the stakeholder groups: one that no group puts near the bottom holds across them."""

    item: str
    rank: int | None = Field(None, description="Its place in the plain ranking.")
    worst_rank: int = Field(..., description="Its lowest place in any stakeholder group.")
    best_rank: int
    spread: int = Field(..., description="Between its best and worst group places: the items that divide.")


class StatementOut(Schema):
    """How everyone and each stakeholder group voted on one statement (agree / disagree / pass ballots)."""

    item: str
    seen: int
    agree: int
    disagree: int
    passed: int
    agree_share: float
    consensus: float = Field(..., description="Product over the groups of (agree + 1) / (seen + 2).")
    group_agreement: dict[str, float]
    group_seen: dict[str, int]
    divisiveness: float
    most_agreeing_group: str | None
    least_agreeing_group: str | None


class OpinionPointOut(Schema):
    group: str
    x: float
    y: float
    cluster: int


class OpinionMapOut(Schema):
    """Participants (not named) placed by the first two principal components of their votes."""

    participants: list[OpinionPointOut]
    clusters: int
    silhouette: float | None
    explained_variance: list[float]


class BallotResultsOut(Schema):
    ballot: int
    method: str
    status: str
    kept_at_closing: bool = Field(..., description="False while the ballot is open: the votes so far, counted now.")
    participants: int
    votes: int
    overall: list[RankedItemOut] = Field(..., description="The plain ranking: all voters counted together.")
    consensus: list[RankedItemOut] | None = Field(
        None, description="For agree / disagree ballots, the ranking by consensus across stakeholder groups."
    )
    groups: list[GroupOut] = Field(..., description="The ranking within each stakeholder group.")
    cross_group: list[CrossGroupOut]
    statements: list[StatementOut]
    divisive: list[str] = Field(..., description="Statements by how much they divide the groups, most first.")
    opinion_map: OpinionMapOut | None = None
