"""The room's pages: a session's questions on a phone (asking and upvoting through the access link), the
projector, the speaker's tablet, and what is on in every room now.

Every page reads without JavaScript (the forms post and the page comes back; the projector and the "now" page
reload themselves every few seconds); with htmx, the question list, the projector and the "now" page follow
live, a question is asked in place and an upvote changes only its button.
"""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import Context, loader
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from target87.consultations import selectors as consultation_selectors
from target87.consultations.models import Session
from target87.core.errors import ServiceError
from target87.core.http import see_other
from target87.people.access import link_open, participant_allowed, participant_held, participant_required
from target87.people.participants import participant_require
from target87.people.refusals import Refusal

from . import selectors, services
from .enums import QuestionLanguage
from .models import QUESTION_LENGTH
from .state import closed_reason, live_state


def _session(request, pk) -> Session:
    session = Session.objects.select_related("consultation", "room").filter(pk=pk).first()
    if session is None:
        raise Http404
    # a draft consultation's sessions are not revealed to strangers
    consultation_selectors.consultation_get(slug=session.consultation.slug, user=request.user)
    return session


def _sort(request) -> str:
    sort = request.GET.get("sort", "votes")
    return sort if sort in selectors.SORTS else "votes"


@require_GET
def session_link(request, token, pk):
    """The personal link to a session's questions (the QR code in the room leads to the page itself)."""
    link_open(request, token)
    return redirect("live:session", pk=pk)


def _room_context(request, session, *, errors=None, posted=None) -> dict:
    participant = participant_allowed(request, "take_part", session.consultation)
    asker = None
    if participant is not None:
        try:
            asker = participant_require(participant, "ask", session.consultation)
        except Refusal:
            asker = None
    pid = participant.pk if participant else None
    sort = _sort(request)
    language = (get_language() or "en")[:2]
    return {
        "session": session,
        "consultation": session.consultation,
        "state": live_state(session),
        "closed": closed_reason(session),
        "participant": participant,
        "participation": participant.participation if participant else None,
        "may_ask": asker is not None,
        "questions": selectors.room_questions(session, participant_id=pid, sort=sort),
        "mine": selectors.my_upvotes(session, pid),
        "speakers": selectors.speakers(session),
        "sort": sort,
        "question_languages": QuestionLanguage.choices,
        "errors": errors or {},
        "posted": posted or {"language": language if language in QuestionLanguage.values else "en"},
        "limit": QUESTION_LENGTH,
        "asked": request.GET.get("asked") == "1",
    }


@require_GET
def session_page(request, pk):
    session = _session(request, pk)
    context = _room_context(request, session)
    if request.htmx and request.GET.get("part") == "list":
        return render(request, "live/_questions.html", context)
    return render(request, "live/session.html", context)


@require_POST
def ask(request, pk):
    session = _session(request, pk)
    participant = participant_required(request, "ask", session.consultation)
    posted = {key: request.POST.get(key, "") for key in ("text", "language", "speaker", "anonymous")}
    try:
        services.question_ask(
            participant=participant,
            session=session,
            text=posted["text"],
            language=posted["language"],
            anonymous=bool(posted["anonymous"]),
            speaker=posted["speaker"],
        )
    except ServiceError as error:
        errors = getattr(error, "message_dict", None) or {"__all__": error.messages}
        context = _room_context(request, session, errors=errors, posted=posted)
        template = "live/_room.html" if request.htmx else "live/session.html"
        return render(request, template, context, status=200 if request.htmx else 400)
    if request.htmx:
        context = _room_context(request, session)
        context["asked"] = True
        return render(request, "live/_room.html", context)
    return see_other(reverse("live:session", kwargs={"pk": session.pk}) + "?asked=1")


def _vote_fragment(context: dict) -> HttpResponse:
    """The upvote button alone (the answer to an upvote sent with htmx), rendered without the context processors;
    htmx sends the CSRF token the page put in its ``hx-headers``."""
    template = loader.get_template("live/_vote.html").template
    return HttpResponse(template.render(Context({**context, "csrf_token": ""})))


@require_POST
def upvote(request, pk):
    """An upvote (or its withdrawal): judged on the participant's pass alone, one statement (see the service)."""
    voter = participant_held(request)
    withdraw = request.POST.get("withdraw") == "1"
    try:
        outcome = services.upvote(participant=voter, question_id=pk, withdraw=withdraw)
    except ServiceError as error:
        if request.htmx:
            return _vote_fragment({"qid": pk, "votes": None, "voted": False, "message": " ".join(error.messages)})
        messages.error(request, " ".join(error.messages))
        session_id = request.POST.get("session", "")
        return see_other(reverse("live:session", kwargs={"pk": session_id}) if session_id.isdecimal() else "/")
    if request.htmx:
        return _vote_fragment(
            {"qid": pk, "votes": outcome.votes, "voted": outcome.mine, "moved": outcome.moved, "target": outcome}
        )
    if outcome.moved:
        messages.info(request, _moved_message())
    session_id = request.POST.get("session", "")
    url = reverse("live:session", kwargs={"pk": session_id}) if session_id.isdecimal() else "/"
    return see_other(f"{url}#q{outcome.question_id}")


def _moved_message() -> str:
    return _("This question was merged with another one: your vote went to that one.")


# --- the projector and the speaker's tablet ------------------------------------------------------------------


def _screen_context(request, session, *, speaker_id=None) -> dict:
    data = selectors.screen(session, speaker_id=speaker_id)
    return {
        "session": session,
        "consultation": session.consultation,
        "screen": data,
        "closed": closed_reason(session, data.state),
        "url": request.build_absolute_uri(reverse("live:session", kwargs={"pk": session.pk})),
        "speaker_id": speaker_id,
    }


@require_GET
def screen(request, pk):
    session = _session(request, pk)
    context = _screen_context(request, session)
    context["qr"] = segno.make(context["url"], error="m").svg_inline(scale=6, border=2)
    return render(request, "live/screen.html", context)


@require_GET
def screen_live(request, pk):
    session = _session(request, pk)
    return render(request, "live/_screen_live.html", _screen_context(request, session))


@require_GET
def speaker(request, pk):
    session = _session(request, pk)
    wanted = request.GET.get("speaker", "")
    chosen = next((s for s in selectors.speakers(session) if str(s.pk) == wanted), None)
    context = _screen_context(request, session, speaker_id=chosen.pk if chosen else None)
    context.update(speakers=selectors.speakers(session), chosen=chosen)
    template = "live/_speaker_live.html" if request.htmx else "live/speaker.html"
    return render(request, template, context)


# --- now ---------------------------------------------------------------------------------------------------


def _moment(request, consultation):
    """The moment the "now" page shows: now, or the local time it is asked for (``?at=2016-09-14T12:40``, to
    rehearse a programme or look back at it); with the message when that time is not one."""
    wanted = request.GET.get("at", "").strip()
    if not wanted:
        return timezone.now(), wanted, ""
    try:
        moment = dt.datetime.fromisoformat(wanted)
    except ValueError:
        moment = None
    if moment is None or not 1990 <= moment.year <= 2100:  # the years a programme may lie in
        return timezone.now(), "", _("Give the moment as a date and time, such as 2016-09-14T12:40.")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=consultation.tz)
    return moment, wanted, ""


@require_GET
def now(request, slug):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    moment, at, problem = _moment(request, consultation)
    context = {
        "consultation": consultation,
        "rooms": selectors.now_in_rooms(consultation, now=moment),
        "at": at,
        "moment": moment,
        "problem": problem,
    }
    participant = participant_allowed(request, "take_part", consultation)
    if participant is not None:
        context["where"] = selectors.where_now(participant.participation, now=moment)
    template = "live/_now_live.html" if request.htmx else "live/now.html"
    return render(request, template, context)
