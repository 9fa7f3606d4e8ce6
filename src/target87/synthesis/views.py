"""The rapporteur's synthesis page: asking for suggested merges, deciding on them, undoing a merge, coverage per
key question and the ballot prepared from the merged recommendations. Back office: conveners, facilitators and
rapporteurs of the consultation (``synthesis.synthesise``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from target87.consultations import selectors as consultation_selectors
from target87.consultations.models import Consultation
from target87.core.errors import ServiceError
from target87.core.forms import apply_service_error
from target87.core.http import see_other
from target87.jobs.models import Job

from . import selectors, services
from .enums import SuggestionStatus
from .forms import AcceptForm, BallotForm, SplitForm, SuggestForm


def managed(request, slug) -> Consultation:
    return consultation_selectors.consultation_get_managed(slug=slug, user=request.user, perm="synthesis.synthesise")


def _home(slug: str) -> str:
    return reverse("synthesis:home", kwargs={"slug": slug})


def _page(request, consultation, *, suggest_form=None, ballot_form=None, status=200):
    can_ballot = request.user.has_perm("synthesis.prepare_ballot", consultation)
    return render(
        request,
        "synthesis/home.html",
        {
            "consultation": consultation,
            "run": selectors.latest_run(consultation=consultation),
            "pending": selectors.suggestion_list(consultation=consultation),
            "rejected": selectors.suggestion_list(consultation=consultation, status=SuggestionStatus.REJECTED)[:20],
            "merges": selectors.merge_list(consultation=consultation),
            "coverage": selectors.coverage(consultation=consultation),
            "suggest_form": suggest_form or SuggestForm(consultation=consultation),
            "ballot_form": (ballot_form or BallotForm()) if can_ballot else None,
        },
        status=status,
    )


@login_required
@require_GET
def home(request, slug):
    return _page(request, managed(request, slug))


@login_required
@require_POST
def suggest(request, slug):
    consultation = managed(request, slug)
    form = SuggestForm(request.POST, consultation=consultation)
    if form.is_valid():
        try:
            made = services.suggestions_request(actor=request.user, consultation=consultation, **form.cleaned_data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            if isinstance(made, Job):
                return see_other(made.get_absolute_url())
            count = made.suggestions.count()
            messages.success(
                request,
                _("%(texts)d texts compared: %(count)d suggested merges to review.")
                % {"texts": made.items, "count": count},
            )
            return see_other(_home(slug))
    return _page(request, consultation, suggest_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def suggestion(request, slug, pk):
    consultation = managed(request, slug)
    found = selectors.suggestion_get(consultation=consultation, pk=pk)
    pending = found.status == SuggestionStatus.PENDING
    accept_form = AcceptForm(initial=services.merge_draft(found) if pending else None)
    split_form = SplitForm(suggestion=found)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                accept_form = AcceptForm(request.POST)
                if accept_form.is_valid():
                    merge = services.suggestion_accept(actor=request.user, suggestion=found, **accept_form.cleaned_data)
                    messages.success(
                        request,
                        _("Merged into %(code)s: every source contribution is kept with it.") % {"code": merge.code},
                    )
                    return see_other(
                        reverse(
                            "synthesis:recommendation", kwargs={"slug": slug, "number": merge.recommendation.number}
                        )
                    )
            elif action == "reject":
                services.suggestion_reject(actor=request.user, suggestion=found)
                messages.success(request, _("Rejected: these texts will be kept apart in the next suggestions."))
                return see_other(_home(slug))
            elif action == "split":
                split_form = SplitForm(request.POST, suggestion=found)
                if split_form.is_valid():
                    parts = services.suggestion_split(
                        actor=request.user, suggestion=found, members=split_form.cleaned_data["members"]
                    )
                    messages.success(request, _("Split: the members you kept together are a suggestion of their own."))
                    return see_other(reverse("synthesis:suggestion", kwargs={"slug": slug, "pk": parts[0].pk}))
            else:
                messages.error(request, _("Choose to accept, reject or split the suggestion."))
        except ServiceError as error:
            apply_service_error(split_form if action == "split" else accept_form, error)
        status = 400
    return render(
        request,
        "synthesis/suggestion.html",
        {
            "consultation": consultation,
            "suggestion": found,
            "pending": pending,
            "stale": services.stale_members(found) if pending else [],
            "accept_form": accept_form,
            "split_form": split_form,
        },
        status=status,
    )


@login_required
@require_POST
def merge_undo(request, slug, pk):
    consultation = managed(request, slug)
    merge = selectors.merge_get(consultation=consultation, pk=pk)
    try:
        services.merge_undo(actor=request.user, merge=merge)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Merge undone: %(code)s is withdrawn and its members stand again.") % {"code": merge.code}
        )
    return see_other(_home(slug))


@login_required
@require_POST
def ballot_prepare(request, slug):
    consultation = managed(request, slug)
    form = BallotForm(request.POST)
    if form.is_valid():
        try:
            ballot = services.ballot_prepare(actor=request.user, consultation=consultation, **form.cleaned_data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("The ballot “%(title)s” is being prepared with %(count)d recommendations.")
                % {"title": ballot.title, "count": ballot.items.count()},
            )
            return see_other(_home(slug) + "#ballot")
    return _page(request, consultation, ballot_form=form, status=400)
