"""The moderator's pages (conveners and facilitators, signed in): the sessions with their time planned and used,
a session's queue of questions with its settings and its clock, and the export of the questions.

Pages for a tablet that work without JavaScript: every action is a form that posts, then the queue comes back
with a message saying what was done, or why not (another moderator was quicker, a reason is missing…).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from target87.consultations.models import Session
from target87.consultations.selectors import consultation_get_managed
from target87.core import exporters as core_exporters
from target87.core.errors import ServiceError
from target87.core.http import see_other
from target87.deliberation.enums import ContributionKind

from . import selectors, services
from .enums import QuestionStatus
from .exporters import QuestionsCsv
from .models import Question
from .state import closed_reason, live_state, may_take_questions


def _managed(request, slug):
    return consultation_get_managed(slug=slug, user=request.user, perm="live.moderate")


def _session(consultation, pk) -> Session:
    session = Session.objects.filter(consultation=consultation, pk=pk).select_related("room").first()
    if session is None:
        raise Http404
    return session


@require_GET
def overview(request, slug):
    consultation = _managed(request, slug)
    rows = [selectors.session_clock_row(s) for s in selectors.live_sessions(consultation)]
    return render(request, "live/manage_overview.html", {"consultation": consultation, "rows": rows})


@require_GET
def moderate(request, slug, pk):
    consultation = _managed(request, slug)
    session = _session(consultation, pk)
    state = live_state(session)
    queue = selectors.queue(session)
    total = sum(len(rows) for rows in queue.values())
    return render(
        request,
        "live/moderate.html",
        {
            "waiting": len(queue["pending"]),
            "total": total,
            "shown": total,
            "consultation": consultation,
            "session": session,
            "state": state,
            "clock": selectors.session_clock_row(session),
            "closed": closed_reason(session, state),
            "may_take_questions": may_take_questions(session),
            "queue": queue,
            "key_questions": consultation.key_questions.order_by("position"),
            "kinds": ContributionKind.choices,
        },
    )


@require_GET
def waiting(request, slug, pk):
    """How many questions wait, polled by the moderator's page, with a link when new ones came in."""
    consultation = _managed(request, slug)
    session = _session(consultation, pk)
    shown = request.GET.get("shown", "")
    total = Question.objects.filter(session=session).count()
    context = {
        "consultation": consultation,
        "session": session,
        "waiting": Question.objects.filter(session=session, status=QuestionStatus.PENDING).count(),
        "total": total,
        "shown": int(shown) if shown.isdecimal() else total,
    }
    return render(request, "live/_waiting.html", context)


def _back(session) -> str:
    return reverse("live:moderate", kwargs={"slug": session.consultation.slug, "pk": session.pk})


def _say(request, error: ServiceError) -> None:
    messages.error(request, " ".join(error.messages))


@require_POST
def settings(request, slug, pk):
    consultation = _managed(request, slug)
    session = _session(consultation, pk)
    try:
        services.session_live_update(
            actor=request.user,
            session=session,
            questions_open=request.POST.get("questions_open") == "on",
            premoderated=request.POST.get("premoderated") == "on",
            allotted_minutes=request.POST.get("allotted_minutes", ""),
        )
    except ServiceError as error:
        _say(request, error)
    else:
        messages.success(request, _("The session's settings are saved."))
    return see_other(_back(session))


@require_POST
def clock(request, slug, pk):
    consultation = _managed(request, slug)
    session = _session(consultation, pk)
    try:
        state = services.clock_act(actor=request.user, session=session, action=request.POST.get("action", ""))
    except ServiceError as error:
        _say(request, error)
    else:
        messages.success(request, _("Clock: %(state)s.") % {"state": state.get_clock_display()})
    if request.POST.get("next") == "overview":
        return see_other(reverse("live:overview", kwargs={"slug": consultation.slug}))
    return see_other(_back(session))


def _act(request, question: Question, action: str) -> str:
    """Do the moderator's action on the question; the message that says what was done."""
    post, user, version = request.POST, request.user, request.POST.get("version")
    common = {"actor": user, "question": question, "version": version}
    if action == "approve":
        services.question_approve(**common)
        return _("Approved: it is shown to the room.")
    if action == "hide":
        services.question_hide(**common, reason=post.get("reason", ""))
        return _("Hidden; its author sees the reason.")
    if action == "pin":
        services.question_pin(**common)
        return _("Pinned: the projector shows it now.")
    if action == "unpin":
        services.question_unpin(**common)
        return _("Unpinned.")
    if action == "answer":
        services.question_answer(**common, note=post.get("note", ""))
        return _("Marked answered.")
    if action == "merge":
        services.question_merge(**common, into=post.get("into", ""))
        return _("Merged: its votes went to the other question.")
    if action == "contribute":
        wanted = post.get("key_question", "")
        key_question = question.consultation.key_questions.filter(pk=wanted).first() if wanted.isdecimal() else None
        services.question_contribute(**common, key_question=key_question, kind=post.get("kind", ""))
        return _("It is now a contribution to the key question.")
    raise ServiceError(_("Choose what to do with the question."))


@require_POST
def question_action(request, slug, pk):
    consultation = _managed(request, slug)
    question = Question.objects.filter(consultation=consultation, pk=pk).select_related("session").first()
    if question is None:
        raise Http404
    try:
        done = _act(request, question, request.POST.get("action", ""))
    except ServiceError as error:
        _say(request, error)
    else:
        messages.success(request, done)
    return see_other(f"{_back(question.session)}#q{question.pk}")


@require_GET
def export(request, slug):
    consultation = _managed(request, slug)
    return core_exporters.response(QuestionsCsv(consultation))
