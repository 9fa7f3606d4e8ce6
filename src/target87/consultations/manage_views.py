"""The convener's back office: the consultation, its key questions, rooms and timetable."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from target87.core.errors import ServiceError
from target87.core.forms import apply_service_error
from target87.people.selectors import participation_counts

from . import selectors, services
from .attention import attention_list
from .forms import ConsultationForm, KeyQuestionForm, RoomForm, SessionForm
from .models import Consultation, KeyQuestion, Room, Session


def _managed(request, slug) -> Consultation:
    return selectors.consultation_get_managed(slug=slug, user=request.user)


@login_required
def dashboard(request):
    return render(
        request,
        "consultations/dashboard.html",
        {
            "consultations": selectors.consultation_list_for(user=request.user),
            "can_create": request.user.has_perm("consultations.add_consultation"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    if not request.user.has_perm("consultations.add_consultation"):
        raise PermissionDenied
    form = ConsultationForm(request.POST or None, initial={"status": "draft", "time_zone": "UTC"})
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(
                actor=request.user, **form.untranslated_data(), translations=form.translations()
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Consultation created."))
            return redirect("consultations:manage", slug=consultation.slug)
    return render(request, "consultations/consultation_form.html", {"form": form})


@login_required
def overview(request, slug):
    consultation = _managed(request, slug)
    return render(
        request,
        "consultations/manage_overview.html",
        {
            "consultation": consultation,
            "counts": participation_counts(consultation=consultation),
            "sessions": consultation.sessions.count(),
            "rooms": consultation.rooms.count(),
            "attention": attention_list(consultation=consultation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request, slug):
    consultation = _managed(request, slug)
    initial = {name: getattr(consultation, name) for name in ConsultationForm.base_fields}
    form = ConsultationForm(request.POST or None, initial=initial, translations=consultation.translations)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_update(
                actor=request.user,
                consultation=consultation,
                **form.untranslated_data(),
                translations=form.translations(),
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("consultations:manage", slug=consultation.slug)
    return render(request, "consultations/consultation_edit.html", {"form": form, "consultation": consultation})


def _list_and_form(request, consultation, *, model, form_class, save, delete=None, pk=None, template, items, url_name):
    """A page listing a consultation's objects of one kind, with a form to add one or change one."""
    instance = get_object_or_404(model, consultation=consultation, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and request.POST.get("action") == "delete" and instance and delete:
        try:
            delete(actor=request.user, obj=instance)
        except ServiceError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(url_name, slug=consultation.slug)
    if request.method == "POST" and form.is_valid():
        try:
            save(
                actor=request.user,
                consultation=consultation,
                instance=instance,
                **{name: form.cleaned_data[name] for name in form_class.Meta.fields},
                **({"translations": form.translations()} if hasattr(form, "translations") else {}),
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(url_name, slug=consultation.slug)
    return render(request, template, {"consultation": consultation, "form": form, "editing": instance, "items": items})


@login_required
@require_http_methods(["GET", "POST"])
def key_questions(request, slug, pk=None):
    consultation = _managed(request, slug)
    return _list_and_form(
        request,
        consultation,
        model=KeyQuestion,
        form_class=KeyQuestionForm,
        pk=pk,
        save=lambda instance, **kw: services.key_question_save(key_question=instance, **kw),
        template="consultations/key_questions.html",
        items=consultation.key_questions.all(),
        url_name="consultations:key_questions",
    )


@login_required
@require_http_methods(["GET", "POST"])
def rooms(request, slug, pk=None):
    consultation = _managed(request, slug)
    return _list_and_form(
        request,
        consultation,
        model=Room,
        form_class=RoomForm,
        pk=pk,
        save=lambda instance, **kw: services.room_save(room=instance, **kw),
        delete=lambda actor, obj: services.room_delete(actor=actor, room=obj),
        template="consultations/rooms.html",
        items=consultation.rooms.all(),
        url_name="consultations:rooms",
    )


# --- the timetable ---------------------------------------------------------------------------------------


def _grid_step(items: list[dict], first: dt.datetime) -> int:
    """The rows' length in minutes: half an hour when every session starts and ends on the half hour, else the
    largest of 15, 10 and 5 minutes that all of them fit (a time between is drawn to the nearest row around it)."""
    offsets = [int((i[edge] - first).total_seconds() // 60) for i in items for edge in ("start", "end")]
    for step in (30, 15, 10):
        if all(offset % step == 0 for offset in offsets):
            return step
    return 5


def _grid_lines(minutes: int) -> int:
    """How many lines of a title fit in a block of this length (the stylesheet gives half an hour 3.2rem, a line
    1.1rem, the time and the padding 1.6rem): the title is cut to them, so that a block is no taller than its
    time; 0 for a block long enough for any title."""
    lines = int((minutes / 30 * 3.2 - 1.6) // 1.105)
    return max(1, lines) if lines < 9 else 0


def _grid_column(items: list[dict], first: dt.datetime, step: int) -> dict[int, dict]:
    """One room's sessions as blocks by their first row; each block spans the rows of its sessions' full length,
    and sessions that overlap in the room (a clash) share one block."""
    blocks: dict[int, dict] = {}
    current = None
    for item in sorted(items, key=lambda i: (i["start"], i["end"])):
        top = int((item["start"] - first).total_seconds() // 60) // step
        bottom = max(top + 1, -(-int((item["end"] - first).total_seconds() // 60) // step))
        if current is not None and top < current["bottom"]:
            current["items"].append(item)
            current["bottom"] = max(current["bottom"], bottom)
        else:
            current = {"items": [item], "top": top, "bottom": bottom}
            blocks[top] = current
    for block in blocks.values():
        block["span"] = block["bottom"] - block["top"]
    return blocks


def _grid(
    consultation: Consultation, day: dt.date, draft: dict | None = None, clashes: set[int] | frozenset = frozenset()
):
    """Rows of equal time slots × room columns for one day, each session drawn over its full length (its block
    spans its rows); a draft session is shown where it would go."""
    tz = consultation.tz
    rooms = list(consultation.rooms.all())
    sessions = [s for s in selectors.session_queryset(consultation) if timezone.localtime(s.start, tz).date() == day]
    items = [
        {
            "session": s,
            "start": timezone.localtime(s.start, tz),
            "end": timezone.localtime(s.end, tz),
            "room_id": s.room_id,
            "clash": s.pk in clashes,
            "draft": False,
        }
        for s in sessions
    ]
    if draft is not None and draft["start"].astimezone(tz).date() == day:
        items = [i for i in items if i["session"].pk != draft.get("pk")]
        items.append(
            {
                "session": None,
                "title": draft["title"],
                "kind": draft["kind"],
                "start": draft["start"].astimezone(tz),
                "end": draft["end"].astimezone(tz),
                "room_id": draft["room"].pk if draft["room"] else None,
                "clash": bool(clashes),
                "draft": True,
            }
        )
    if not items:
        return {"rooms": rooms, "rows": []}
    first = min(i["start"] for i in items).replace(minute=0, second=0, microsecond=0)
    step = _grid_step(items, first)
    columns = [r.pk for r in rooms] + [None]
    blocks = [_grid_column([i for i in items if i["room_id"] == c], first, step) for c in columns]
    count = max(block["bottom"] for column in blocks for block in column.values())
    covered = [set() for _column in columns]
    for k, column in enumerate(blocks):
        for block in column.values():
            covered[k].update(range(block["top"] + 1, block["bottom"]))
    rows = []
    for r in range(count):
        time = first + dt.timedelta(minutes=r * step)
        cells = []
        for k, column in enumerate(blocks):
            if r in column:
                block = column[r]
                cells.append(
                    {
                        "items": block["items"],
                        "span": block["span"],
                        "single": len(block["items"]) == 1,
                        "lines": _grid_lines(block["span"] * step),
                        "brief": block["span"] * step < 30,
                    }
                )
            elif r not in covered[k]:
                cells.append({"items": [], "span": 1})
            else:
                cells.append(None)
        rows.append({"time": time, "label": time.minute % 30 == 0, "cells": cells})
    show_unassigned = bool(blocks[-1])
    if not show_unassigned:
        for row in rows:
            row["cells"] = row["cells"][:-1]
    return {"rooms": rooms, "rows": rows, "unassigned": show_unassigned, "step": step}


@login_required
def timetable(request, slug):
    consultation = _managed(request, slug)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = consultation.start_date
    return render(
        request,
        "consultations/timetable.html",
        {
            "consultation": consultation,
            "day": day,
            "days": consultation.days,
            "grid": _grid(consultation, day),
        },
    )


def _session_check(consultation, fields: dict, session) -> services.TimetableCheck:
    draft = services.SessionDraft(
        title=fields["title"],
        start=fields["start"],
        end=fields["end"],
        room_id=fields["room"].pk if fields["room"] else None,
        deliberation_minutes=fields["deliberation_minutes"] or 0,
        speaker_ids=tuple(p.pk for p in fields["speakers"]),
        pk=session.pk if session else None,
    )
    return services.timetable_problems(consultation=consultation, draft=draft)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, slug, pk=None):
    consultation = _managed(request, slug)
    session = get_object_or_404(Session, consultation=consultation, pk=pk) if pk else None
    initial = (
        SessionForm.initial_for(session) if session else {"day": request.GET.get("day") or consultation.start_date}
    )
    form = SessionForm(
        request.POST or None,
        initial=initial,
        consultation=consultation,
        translations=session.translations if session else None,
    )
    problems: dict = {}
    grid = None
    checking = request.method == "POST" and (request.POST.get("action") == "check" or request.htmx)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        check = _session_check(consultation, fields, session)
        problems = check.messages
        grid = _grid(
            consultation,
            fields["start"].astimezone(consultation.tz).date(),
            draft={**fields, "pk": session.pk if session else None},
            clashes={s.pk for s in check.clashes},
        )
        if not checking and not problems:
            try:
                saved = services.session_save(actor=request.user, consultation=consultation, session=session, **fields)
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("“%(title)s” saved.") % {"title": saved.title})
                day = timezone.localtime(saved.start, consultation.tz).date().isoformat()
                return redirect(f"{reverse('consultations:timetable', kwargs={'slug': slug})}?day={day}")
    elif request.method == "GET" and session:
        grid = _grid(consultation, timezone.localtime(session.start, consultation.tz).date())
    context = {
        "consultation": consultation,
        "form": form,
        "session": session,
        "problems": problems,
        "grid": grid,
        "checked": request.method == "POST" and form.is_valid(),
    }
    if request.htmx:
        return render(request, "consultations/_session_check.html", context)
    return render(request, "consultations/session_form.html", context)


@login_required
@require_POST
def session_delete(request, slug, pk):
    consultation = _managed(request, slug)
    session = get_object_or_404(Session, consultation=consultation, pk=pk)
    day = timezone.localtime(session.start, consultation.tz).date().isoformat()
    try:
        services.session_delete(actor=request.user, session=session)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Session deleted."))
    return redirect(f"{reverse('consultations:timetable', kwargs={'slug': slug})}?day={day}")
