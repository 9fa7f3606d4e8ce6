"""Public pages: the list of published consultations, and a consultation's programme, sessions and schedule
exports."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from target87.core import exporters as core_exporters

from . import exporters, selectors
from .enums import SessionKind, ThematicArea


def home(request):
    """The site's home page: the published consultations."""
    return render(request, "consultations/home.html", {"consultations": selectors.consultation_list_public()})


@require_GET
def programme(request, slug):
    consultation = selectors.consultation_get(slug=slug, user=request.user)
    kind = request.GET.get("kind", "") if request.GET.get("kind") in SessionKind.values else ""
    area = request.GET.get("area", "") if request.GET.get("area") in ThematicArea.values else ""
    days = selectors.programme(consultation=consultation, kind=kind, area=area)
    chosen = request.GET.get("day", "")
    current = next((d for d in days if d.date.isoformat() == chosen), None)
    if current is None:
        today = timezone.localdate(timezone=consultation.tz)
        current = next((d for d in days if d.date == today), days[0] if days else None)
    return render(
        request,
        "consultations/programme.html",
        {
            "consultation": consultation,
            "days": days,
            "current": current,
            "kind": kind,
            "area": area,
            "kinds": SessionKind.choices,
            "areas": ThematicArea.choices,
            "key_questions": consultation.key_questions.all(),
        },
    )


@require_GET
def session_detail(request, slug, pk):
    consultation = selectors.consultation_get(slug=slug, user=request.user)
    session = selectors.session_get(consultation=consultation, pk=pk)
    return render(request, "consultations/session.html", {"consultation": consultation, "session": session})


@require_GET
def schedule_export(request, slug, exporter):
    consultation = selectors.consultation_get(slug=slug, user=request.user)
    sessions = selectors.session_queryset(consultation)
    return core_exporters.response(
        exporters.get(exporter)(consultation, sessions=sessions, base_url=request.build_absolute_uri("/"))
    )
