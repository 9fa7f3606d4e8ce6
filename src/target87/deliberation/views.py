"""Contributing from a phone, reading contributions and recommendations, and the facilitators' pages.

Participants act through their access link: ``/a/<token>/contribute/`` opens the link (so this browser
knows who they are) and leads to the consultation's contribution page. Facilitators, rapporteurs and
conveners capture contributions, draft recommendations and decide on amendments when signed in.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from target87.consultations import selectors as consultation_selectors
from target87.consultations.models import Consultation
from target87.core import exporters as core_exporters
from target87.core.errors import ServiceError
from target87.core.forms import apply_service_error
from target87.core.http import see_other
from target87.people.access import link_open, participant_allowed, participant_required

from . import exporters, selectors, services
from .enums import ContributionKind
from .forms import ContributionForm, FeedbackForm, RecommendationForm
from .groups import group_now, groups_of, own_group_of_user
from .models import Feedback

# --- participants ------------------------------------------------------------------------------------------


@require_GET
def contribute_link(request, token):
    participation = link_open(request, token)
    url = reverse("deliberation:contribute", kwargs={"slug": participation.consultation.slug})
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


@require_http_methods(["GET", "POST"])
def contribute(request, slug):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    participation = participant_required(request, "contribute", consultation).participation
    initial = {}
    if request.GET.get("session", "").isdecimal():
        initial["session"] = request.GET["session"]
        session = consultation.sessions.filter(pk=request.GET["session"]).first()
        questions = list(session.key_questions.all()) if session else []
        if questions:
            initial["key_question"] = questions[0].pk
    elif (own := group_now(groups_of(participation))) is not None:  # their own group of now or next
        initial["session"] = own.session.pk
        if own.key_question is not None:
            initial["key_question"] = own.key_question.pk
    form = ContributionForm(request.POST or None, consultation=consultation, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                data = dict(form.cleaned_data)
                anonymous = not data.pop("show_name", False)  # published without the name unless the author asks
                made = services.contribution_create(
                    consultation=consultation, participation=participation, anonymous=anonymous, **data
                )
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                url = reverse("deliberation:contribute", kwargs={"slug": slug})
                session_id = made.session_id or ""
                return see_other(f"{url}?sent={made.pk}" + (f"&session={session_id}" if session_id else ""))
        status = 400
    return render(
        request,
        "deliberation/contribute.html",
        {
            "consultation": consultation,
            "participation": participation,
            "form": form,
            "sent": request.GET.get("sent", "").isdecimal(),
            "mine": selectors.contributions_of(participation=participation)[:20],
        },
        status=status,
    )


@require_GET
def contribution_list(request, slug):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    question = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    rows = selectors.contribution_list_public(
        consultation=consultation,
        key_question=int(question) if question.isdecimal() else None,
        kind=kind if kind in ContributionKind.values else "",
    )
    return render(
        request,
        "deliberation/contributions.html",
        {
            "consultation": consultation,
            "rows": rows,
            "questions": consultation.key_questions.all(),
            "kinds": ContributionKind.choices,
            "q": question,
            "kind": kind,
        },
    )


@require_GET
def recommendation_list(request, slug):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    return render(
        request,
        "deliberation/recommendations.html",
        {
            "consultation": consultation,
            "rows": selectors.recommendation_list(consultation=consultation),
        },
    )


@require_http_methods(["GET", "POST"])
def recommendation_detail(request, slug, number):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    rec = selectors.recommendation_get(consultation=consultation, number=number)
    if request.method == "POST":
        participant = participant_required(request, "contribute", consultation)
    else:
        participant = participant_allowed(request, "contribute", consultation)
    participation = participant and participant.participation
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.feedback_create(participation=participation, recommendation=rec, **form.cleaned_data)
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Thank you: your comment was recorded."))
                return see_other(rec.get_absolute_url())
        status = 400
    return render(
        request,
        "deliberation/recommendation.html",
        {
            "consultation": consultation,
            "rec": rec,
            "participation": participation,
            "form": form,
            "can_decide": request.user.has_perm("deliberation.decide_amendment", consultation),
        },
        status=status,
    )


# --- facilitators, rapporteurs and conveners -----------------------------------------------------------------


def _captured(request, slug) -> Consultation:
    return consultation_selectors.consultation_get_managed(slug=slug, user=request.user, perm="deliberation.capture")


def _capture_initial(request, own) -> dict:
    """Where capture starts: the group and key question of the last entry (kept in the address), else the
    facilitator's own group and its key question."""
    initial = {"session": request.GET.get("session", ""), "key_question": request.GET.get("key_question", "")}
    if own is not None:
        initial["session"] = initial["session"] or own.session.pk
        initial["key_question"] = initial["key_question"] or (own.key_question.pk if own.key_question else "")
    return {k: v for k, v in initial.items() if v not in ("", None)}


@login_required
@require_http_methods(["GET", "POST"])
def capture(request, slug):
    consultation = _captured(request, slug)
    own = own_group_of_user(user=request.user, consultation=consultation)
    form = ContributionForm(
        request.POST or None, consultation=consultation, capture=True, initial=_capture_initial(request, own)
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.contribution_create(consultation=consultation, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Contribution recorded."))
            kept = urlencode({"session": made.session_id or "", "key_question": made.key_question_id})
            return redirect(f"{reverse('deliberation:capture', kwargs={'slug': slug})}?{kept}")
    return render(
        request,
        "deliberation/capture.html",
        {
            "consultation": consultation,
            "form": form,
            "own": own,
            "rows": selectors.contribution_list(consultation=consultation),
        },
    )


@login_required
@require_POST
def contribution_review(request, slug, pk):
    consultation = _captured(request, slug)
    contribution = get_object_or_404(consultation.contributions, pk=pk)
    services.contribution_review(actor=request.user, contribution=contribution)
    messages.success(request, _("The contribution is reviewed: it shows on the public pages."))
    return redirect(f"{reverse('deliberation:capture', kwargs={'slug': slug})}?{request.GET.urlencode()}")


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request, slug, number=None):
    consultation = _captured(request, slug)
    rec = selectors.recommendation_get(consultation=consultation, number=number) if number else None
    initial = {}
    if rec is not None:
        initial = {
            "title": rec.title,
            "text": rec.text,
            "key_question": rec.key_question_id,
            "session": rec.session_id or "",
            "thematic_area": rec.thematic_area,
            "actors": rec.actors,
            "level": rec.level,
            "timeframe": rec.timeframe,
            "contributions": [c.pk for c in rec.contributions.all()],
        }
    form = RecommendationForm(request.POST or None, consultation=consultation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        note = data.pop("note")
        try:
            if rec is None:
                rec = services.recommendation_create(actor=request.user, consultation=consultation, **data)
            else:
                rec = services.recommendation_update(actor=request.user, recommendation=rec, note=note, **data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Saved as version %(version)d.") % {"version": rec.version})
            return redirect("deliberation:manage_recommendations", slug=slug)
    return render(
        request,
        "deliberation/recommendation_form.html",
        {
            "consultation": consultation,
            "form": form,
            "rec": rec,
            "rows": selectors.recommendation_list(consultation=consultation),
        },
    )


@login_required
@require_POST
def amendment_decide(request, slug, number, pk):
    consultation = _captured(request, slug)
    rec = selectors.recommendation_get(consultation=consultation, number=number)
    feedback = Feedback.objects.filter(recommendation=rec, pk=pk).first()
    if feedback is None:
        from django.http import Http404

        raise Http404
    try:
        services.amendment_decide(
            actor=request.user, feedback=feedback, accept=request.POST.get("decision") == "accept"
        )
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect(rec.get_absolute_url())


@login_required
@require_GET
def export(request, slug, exporter):
    consultation = _captured(request, slug)
    return core_exporters.response(exporters.get(exporter)(consultation))
