"""The public accountability pages of a consultation: recommendations → actions with their progress, filters,
one action with its history, "what has happened since" a recommendation, alignment, partnerships, finance,
good practices, the Atom feed, the exports and the widget that partners' web sites embed."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from target87.consultations import selectors as consultation_selectors
from target87.consultations.enums import ThematicArea
from target87.core import exporters as core_exporters
from target87.deliberation import selectors as deliberation_selectors

from . import exporters, finance, network, selectors
from .enums import ActionStatus
from .models import Evidence

#: the sites allowed to show the widget in a frame (django-csp's frame-ancestors for the widget view only)
WIDGET_FRAME_ANCESTORS = list(getattr(settings, "COMMITMENTS_WIDGET_FRAME_ANCESTORS", ["https:"]))


def _consultation(request, slug):
    return consultation_selectors.consultation_get(slug=slug, user=request.user)


def _filters(request, options) -> dict:
    get = request.GET
    organisation = get.get("actor", "")
    return {
        "country": get.get("country", "") if get.get("country", "") in options["countries"] else "",
        "organisation": int(organisation) if organisation.isdecimal() else None,
        "area": get.get("area", "") if get.get("area", "") in ThematicArea.values else "",
        "status": get.get("status", "") if get.get("status", "") in ActionStatus.values else "",
    }


@require_GET
def accountability(request, slug):
    consultation = _consultation(request, slug)
    options = selectors.filter_options(consultation=consultation)
    filters = _filters(request, options)
    actions = list(selectors.action_list(consultation=consultation, **filters))
    tree = selectors.action_tree(consultation=consultation, actions=actions)
    filtered = any(filters.values())
    counts = {s: 0 for s in ActionStatus.values}
    for action in actions:
        counts[action.status] += 1
    return render(
        request,
        "commitments/accountability.html",
        {
            "consultation": consultation,
            "tree": [b for b in tree if b.actions or not filtered],
            "actions": actions,
            "options": options,
            "filters": filters,
            "areas": ThematicArea.choices,
            "counts": [(label, counts[value], value) for value, label in ActionStatus.choices],
            "overdue": sum(a.is_overdue for a in actions),
            "exporters": exporters.registry,
            "can_keep": request.user.has_perm("commitments.add_action", consultation),
        },
    )


@require_GET
def action_detail(request, slug, pk):
    consultation = _consultation(request, slug)
    action = selectors.action_get(consultation=consultation, pk=pk)
    places = selectors.priority_places(consultation=consultation)
    return render(
        request,
        "commitments/action.html",
        {
            "consultation": consultation,
            "action": action,
            "serves": [(r, places.get(r.pk, [])) for r in action.recommendations.all()],
            "updates": selectors.updates_of(actions=[action]),
            "money": action.money.all(),
            "movement": selectors.indicator_movement(action=action, user=request.user),
            "can_edit": request.user.has_perm("commitments.change_action", action),
        },
    )


@require_GET
def recommendation_since(request, slug, number):
    consultation = _consultation(request, slug)
    recommendation = deliberation_selectors.recommendation_get(consultation=consultation, number=number)
    since = selectors.recommendation_since(recommendation=recommendation)
    places = selectors.priority_places(consultation=consultation).get(recommendation.pk, [])
    return render(
        request,
        "commitments/since.html",
        {"consultation": consultation, "recommendation": recommendation, "places": places, **since},
    )


@require_GET
def alignment(request, slug):
    consultation = _consultation(request, slug)
    return render(
        request,
        "commitments/alignment.html",
        {"consultation": consultation, **selectors.alignment(consultation=consultation)},
    )


@require_GET
def partnerships(request, slug):
    consultation = _consultation(request, slug)
    data = selectors.partnerships(consultation=consultation)
    return render(
        request,
        "commitments/partnerships.html",
        {"consultation": consultation, "data": data, "picture": network.layout(data)},
    )


@require_GET
def finance_view(request, slug):
    consultation = _consultation(request, slug)
    currency = request.GET.get("currency", "USD").upper()
    known = finance.Rates().currencies()
    data = finance.totals(consultation=consultation, currency=currency if currency in known else "USD")
    return render(
        request,
        "commitments/finance.html",
        {"consultation": consultation, "data": data, "charts": finance.charts(data)},
    )


@require_GET
def good_practices(request, slug):
    consultation = _consultation(request, slug)
    return render(
        request,
        "commitments/practices.html",
        {
            "consultation": consultation,
            "rows": selectors.good_practice_list(consultation=consultation),
            "can_manage": request.user.has_perm("commitments.manage", consultation),
        },
    )


@require_GET
def evidence_file(request, slug, pk, evidence):
    """An uploaded piece of evidence, as a download (never shown in place: it comes from outside)."""
    consultation = _consultation(request, slug)
    row = Evidence.objects.filter(pk=evidence, update__action_id=pk, update__action__consultation=consultation).first()
    if row is None or not row.file:
        raise Http404
    try:
        handle = row.file.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=row.file.name.rsplit("/", 1)[-1])


@require_GET
def export(request, slug, exporter):
    consultation = _consultation(request, slug)
    return core_exporters.response(exporters.registry.get(exporter)(consultation))


@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": WIDGET_FRAME_ANCESTORS})
def widget(request, slug):
    """A small page for a partner's web site to show in a frame: the only page that may be framed."""
    consultation = _consultation(request, slug)
    actions = list(selectors.action_list(consultation=consultation))
    tree = selectors.action_tree(consultation=consultation, actions=actions)
    counts = {s: 0 for s in ActionStatus.values}
    for action in actions:
        counts[action.status] += 1
    return render(
        request,
        "commitments/widget.html",
        {
            "consultation": consultation,
            "tree": [b for b in tree if b.actions][:8],
            "total": len(actions),
            "counts": [(label, counts[value]) for value, label in ActionStatus.choices],
        },
    )
