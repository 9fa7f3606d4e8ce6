"""The convener's ballots: preparing them and their items, opening and closing them, reviewing the statements
participants propose, and exporting the votes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from target87.consultations import selectors as consultation_selectors
from target87.core import exporters as core_exporters
from target87.core.errors import ServiceError
from target87.core.forms import apply_service_error
from target87.core.http import see_other

from . import exporters, selectors, services
from .enums import BallotStatus, Method, ProposalStatus
from .forms import BallotForm, ItemAddForm, ItemForm
from .services.display import ballot_results_hidden_set

# --- the convener's ballots -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manage_ballots(request, slug):
    consultation = consultation_selectors.consultation_get_managed(slug=slug, user=request.user)
    form = BallotForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                ballot = services.ballot_create(actor=request.user, consultation=consultation, **form.service_fields())
                if form.cleaned_data["results_hidden"]:
                    ballot = ballot_results_hidden_set(actor=request.user, ballot=ballot, hidden=True)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Ballot prepared: open it when the plenary is ready."))
            return redirect("priorities:manage_ballot", slug=slug, pk=ballot.pk)
    return render(
        request,
        "priorities/manage_ballots.html",
        {
            "consultation": consultation,
            "form": form,
            "ballots": selectors.ballot_list(consultation=consultation),
        },
    )


def _managed_ballot(request, slug, pk):
    consultation = consultation_selectors.consultation_get_managed(slug=slug, user=request.user)
    ballot = selectors.ballot_get(pk=pk)
    if ballot.consultation_id != consultation.pk:
        raise Http404
    return ballot


def _manage_context(request, ballot, *, bound: ItemForm | None = None, add_form=None, items_errors=()) -> dict:
    """The convener's ballot page: while it is being prepared, a form for each item and one to add an item
    (``bound``: the item form that was just refused, with its messages)."""
    vote_url = request.build_absolute_uri(reverse("priorities:vote", kwargs={"pk": ballot.pk}))
    items = selectors.ballot_items(ballot=ballot)
    context = {
        "consultation": ballot.consultation,
        "ballot": ballot,
        "items": items,
        "participants": selectors.participants_count(ballot=ballot),
        "votes": selectors.votes_count(ballot=ballot),
        "vote_url": vote_url,
        "exporters": exporters.for_ballot(ballot),
        "items_errors": items_errors,
    }
    if ballot.status == BallotStatus.DRAFT:
        context["item_forms"] = [
            bound if bound is not None and bound.item.pk == item.pk else ItemForm(item=item, ballot=ballot)
            for item in items
        ]
        taken = [item.recommendation_id for item in items if item.recommendation_id]
        context["add_form"] = add_form or ItemAddForm(ballot=ballot, taken=taken)
    if ballot.method == Method.CONSENSUS:
        context.update(_proposals_context(ballot))
    return context


def _proposals_context(ballot, *, notice: str = "", problems=()) -> dict:
    """The proposed statements, and ``state``: what the page shows, which its polling sends back (an unchanged
    list is answered with 204 No Content, so that the convener's page does not move under their hand)."""
    proposals = list(selectors.proposal_list(ballot=ballot))
    pending = [p for p in proposals if p.status == ProposalStatus.PENDING]
    return {
        "ballot": ballot,
        "consultation": ballot.consultation,
        "pending": pending,
        "reviewed": [p for p in proposals if p.status != ProposalStatus.PENDING],
        "notice": notice,
        "problems": problems,
        "state": f"{len(proposals)}.{len(pending)}.{ballot.status}.{int(ballot.takes_proposals)}",
    }


@login_required
@require_GET
def manage_ballot(request, slug, pk):
    ballot = _managed_ballot(request, slug, pk)
    return render(request, "priorities/manage_ballot.html", _manage_context(request, ballot))


def _item_action(request, ballot, action: str, item):
    """Carry out one change to the items; returns the item's bound form, the add form and the problems to show
    (a form with errors, or messages, when the change was refused)."""
    bound, add_form, problems = None, None, []
    try:
        if action == "add":
            taken = [i.recommendation_id for i in selectors.ballot_items(ballot=ballot) if i.recommendation_id]
            add_form = ItemAddForm(request.POST, ballot=ballot, taken=taken)
            if add_form.is_valid():
                added = services.ballot_item_add(
                    actor=request.user,
                    ballot=ballot,
                    recommendation=add_form.cleaned_data["recommendation"],
                    text=add_form.cleaned_data.get("text", ""),
                )
                messages.success(request, _("%(code)s added at the end of the ballot.") % {"code": added.code})
        elif action == "update":
            bound = ItemForm(request.POST, item=item, ballot=ballot)
            if bound.is_valid():
                services.ballot_item_update(
                    actor=request.user,
                    item=item,
                    label=bound.cleaned_data.get("label", ""),
                    text=bound.cleaned_data.get("text", ""),
                )
                messages.success(request, _("%(code)s changed.") % {"code": item.code})
        elif action == "remove":
            services.ballot_item_remove(actor=request.user, item=item)
            messages.success(request, _("%(code)s taken off the ballot.") % {"code": item.code})
        elif action in ("up", "down"):
            services.ballot_item_move(actor=request.user, item=item, by=-1 if action == "up" else 1)
        else:
            problems = [_("Choose what to do with the items.")]
    except ServiceError as error:
        if action == "add":
            apply_service_error(add_form, error)
        elif action == "update":
            apply_service_error(bound, error)
        else:
            problems = error.messages
    return bound, add_form, problems


@login_required
@require_POST
def manage_ballot_items(request, slug, pk):
    """Change the items of a ballot being prepared: ``action`` is add, update, remove, up or down (``item``: its
    id). A refusal comes back on the page, with what was typed and why."""
    ballot = _managed_ballot(request, slug, pk)
    action = request.POST.get("action", "")
    item = None
    if action in ("update", "remove", "up", "down"):
        item = selectors.ballot_item_find(ballot=ballot, pk=request.POST.get("item"))
        if item is None:
            messages.error(request, _("This item is no longer on the ballot."))
            return see_other(reverse("priorities:manage_ballot", kwargs={"slug": slug, "pk": pk}) + "#items")
        item.ballot = ballot
    bound, add_form, problems = _item_action(request, ballot, action, item)
    if problems or (add_form is not None and add_form.errors) or (bound is not None and bound.errors):
        ballot = selectors.ballot_get(pk=ballot.pk)
        if add_form is not None and not add_form.errors:
            add_form = None
        if ballot.status != BallotStatus.DRAFT:  # opened meanwhile: the item forms are gone, say why above the items
            for form in (add_form, bound):
                if form is not None:
                    problems = [*problems, *(e for errors in form.errors.values() for e in errors)]
            add_form = bound = None
        context = _manage_context(
            request,
            ballot,
            bound=bound if bound is not None and bound.errors else None,
            add_form=add_form,
            items_errors=problems,
        )
        return render(request, "priorities/manage_ballot.html", context, status=400)
    return see_other(reverse("priorities:manage_ballot", kwargs={"slug": slug, "pk": pk}) + "#items")


@login_required
@require_GET
def manage_proposals(request, slug, pk):
    """The statements proposed on the ballot: those waiting for review, then those reviewed (polled by the page
    while the ballot is open)."""
    ballot = _managed_ballot(request, slug, pk)
    context = _proposals_context(ballot)
    if request.GET.get("seen") == context["state"]:
        return HttpResponse(status=204)
    return render(request, "priorities/_proposals.html", context)


@login_required
@require_POST
def manage_proposal(request, slug, pk, proposal):
    """Accept a proposed statement (it is put to the vote) or reject it (it stays hidden, kept for the record)."""
    ballot = _managed_ballot(request, slug, pk)
    found = selectors.proposal_get(ballot=ballot, pk=proposal)
    action = request.POST.get("action")
    notice, problems = "", []
    try:
        if action == "accept":
            item = services.proposal_accept(actor=request.user, proposal=found)
            notice = _("Accepted as %(code)s: participants now vote on it.") % {"code": item.code}
        elif action == "reject":
            services.proposal_reject(actor=request.user, proposal=found)
            notice = _("Not accepted: the statement stays out of the vote, kept for the record.")
        else:
            problems = [_("Choose to accept or to reject the statement.")]
    except ServiceError as error:
        problems = error.messages
    if request.htmx:
        ballot = selectors.ballot_get(pk=ballot.pk)
        return render(
            request, "priorities/_proposals.html", _proposals_context(ballot, notice=notice, problems=problems)
        )
    if notice:
        messages.success(request, notice)
    for problem in problems:
        messages.error(request, problem)
    return see_other(reverse("priorities:manage_ballot", kwargs={"slug": slug, "pk": pk}) + "#proposals")


@login_required
@require_POST
def manage_ballot_status(request, slug, pk):
    ballot = _managed_ballot(request, slug, pk)
    action = request.POST.get("action")
    try:
        if action == "open":
            services.ballot_open(actor=request.user, ballot=ballot)
            messages.success(request, _("The ballot is open: participants can vote."))
        elif action == "close":
            services.ballot_close(actor=request.user, ballot=ballot)
            messages.success(request, _("The ballot is closed and its result kept."))
        elif action in ("proposals-on", "proposals-off"):
            ballot = services.ballot_proposals_set(actor=request.user, ballot=ballot, allowed=action == "proposals-on")
            if ballot.takes_proposals:
                messages.success(request, _("Participants may propose statements: you review each one here."))
            else:
                messages.success(request, _("Participants no longer propose statements."))
        elif action in ("results-hide", "results-show"):
            ballot = ballot_results_hidden_set(actor=request.user, ballot=ballot, hidden=action == "results-hide")
            if ballot.results_hidden:
                messages.success(request, _("Results are hidden from the screen and the results page until it closes."))
            else:
                messages.success(request, _("Results are shown on the screen and the results page as votes come in."))
        else:
            messages.error(request, _("Choose to open or to close the ballot."))
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("priorities:manage_ballot", slug=slug, pk=pk)


@login_required
@require_GET
def export(request, slug, pk, exporter):
    ballot = _managed_ballot(request, slug, pk)
    chosen = exporters.get(exporter)
    if chosen not in exporters.for_ballot(ballot):  # e.g. the Pol.is files of a ballot that is not agree/disagree
        raise Http404
    return core_exporters.response(chosen(ballot.consultation, ballot=ballot))
