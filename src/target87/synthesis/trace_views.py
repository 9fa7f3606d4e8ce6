"""Traceability pages: a recommendation and every contribution it comes from (with its supporting quotes), and a
contribution and every recommendation it feeds. Back office, as the synthesis page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from target87.core.errors import ServiceError
from target87.core.forms import apply_service_error
from target87.core.http import see_other
from target87.deliberation import selectors as deliberation_selectors

from . import selectors, services
from .forms import QuoteForm
from .models import SupportingQuote
from .views import managed


def _url(slug: str, number: int) -> str:
    return reverse("synthesis:recommendation", kwargs={"slug": slug, "number": number})


@login_required
@require_http_methods(["GET", "POST"])
def recommendation(request, slug, number):
    consultation = managed(request, slug)
    rec = deliberation_selectors.recommendation_get(consultation=consultation, number=number)
    form = QuoteForm(request.POST or None, recommendation=rec)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.quote_add(actor=request.user, recommendation=rec, **form.cleaned_data)
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Quote added: it reads word for word as in its source."))
                return see_other(_url(slug, number))
        status = 400
    sources = selectors.recommendation_sources(rec)
    return render(
        request,
        "synthesis/recommendation.html",
        {
            "consultation": consultation,
            "rec": rec,
            "merge": selectors.merge_of(rec),
            "merged_into": selectors.folded_into(rec),
            "sources": sources,
            "breakouts": sorted({s.breakout.title for s in sources if s.breakout}),
            "groups": sorted({s.stakeholder_group or s.author_group for s in sources} - {""}),
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def quote_remove(request, slug, number, pk):
    consultation = managed(request, slug)
    rec = deliberation_selectors.recommendation_get(consultation=consultation, number=number)
    quote = SupportingQuote.objects.filter(recommendation=rec, pk=pk).first()
    if quote is None:
        raise Http404
    services.quote_remove(actor=request.user, quote=quote)
    messages.success(request, _("Quote removed."))
    return see_other(_url(slug, number))


@login_required
@require_GET
def contribution(request, slug, pk):
    consultation = managed(request, slug)
    found = selectors.contribution_get(consultation=consultation, pk=pk)
    return render(
        request,
        "synthesis/contribution.html",
        {
            "consultation": consultation,
            "contribution": found,
            "destinations": selectors.contribution_destinations(found),
        },
    )
