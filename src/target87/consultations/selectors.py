"""Reading consultations and their programme."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from .enums import ConsultationStatus
from .models import Consultation, Session, SessionSpeaker


def consultation_list_public() -> QuerySet[Consultation]:
    return Consultation.objects.exclude(status=ConsultationStatus.DRAFT)


def consultation_list_for(*, user) -> QuerySet[Consultation]:
    """The consultations a signed-in person can manage or facilitate."""
    if user.is_superuser:
        return Consultation.objects.all()
    return Consultation.objects.filter(
        participations__person__user=user,
        participations__role__in=["convener", "facilitator", "rapporteur"],
        participations__status="approved",
    ).distinct()


def consultation_get(*, slug: str, user=None) -> Consultation:
    """A consultation the user may see; 404 otherwise (a draft is not revealed to strangers)."""
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None or not (user or _anonymous()).has_perm("consultations.view", consultation):
        raise Http404
    return consultation


def consultation_get_managed(*, slug: str, user, perm: str = "consultations.manage") -> Consultation:
    """A consultation on which the signed-in user has ``perm`` (by default: they manage it): 404 when it does not
    exist, 403 when the permission is not theirs. The back office's views load their consultation through it."""
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None:
        raise Http404
    if not user.has_perm(perm, consultation):
        raise PermissionDenied
    return consultation


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def session_queryset(consultation: Consultation) -> QuerySet[Session]:
    return (
        consultation.sessions.select_related("room")
        .prefetch_related(
            "key_questions",
            Prefetch("speakers", queryset=SessionSpeaker.objects.select_related("person__organisation")),
        )
        .order_by("start", "room__position", "title")
    )


@dataclass
class ProgrammeDay:
    date: dt.date
    sessions: list[Session] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"day-{self.date.isoformat()}"


def programme(*, consultation: Consultation, kind: str = "", area: str = "") -> list[ProgrammeDay]:
    """The sessions by day of the event (in its time zone), optionally of one kind or thematic area."""
    days = {day: ProgrammeDay(day) for day in consultation.days}
    sessions = session_queryset(consultation)
    if kind:
        sessions = sessions.filter(kind=kind)
    for session in sessions:
        if area and area not in session.thematic_areas:
            continue
        local_day = timezone.localtime(session.start, consultation.tz).date()
        days.setdefault(local_day, ProgrammeDay(local_day)).sessions.append(session)
    return [days[d] for d in sorted(days)]


def session_get(*, consultation: Consultation, pk: int) -> Session:
    session = session_queryset(consultation).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session
