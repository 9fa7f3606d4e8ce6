"""What everyone may read of a ballot: the list of ballots, the results, and the live plenary screen."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from target87.consultations import selectors as consultation_selectors

from . import result_pages, selectors

# --- results and the plenary screen ---------------------------------------------------------------------------


@require_GET
def consultation_ballots(request, slug):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    return render(
        request,
        "priorities/ballots.html",
        {
            "consultation": consultation,
            "ballots": selectors.ballot_list_visible(consultation=consultation, user=request.user),
        },
    )


@require_GET
def results(request, pk):
    ballot = selectors.ballot_get_viewable(pk=pk, user=request.user)
    page = result_pages.results_page(ballot=ballot)
    return render(
        request,
        "priorities/results.html",
        {
            "consultation": ballot.consultation,
            "ballot": ballot,
            **page,
            "map": None if page["hidden"] else _opinion_map(page["data"]),
            "can_manage": request.user.has_perm("priorities.manage_ballot", ballot.consultation),
        },
    )


def _opinion_map(data) -> dict | None:
    """Participants as points on a 0–100 square, coloured by opinion cluster (drawn as inline SVG)."""
    found = data.get("opinion_map")
    if not found or not found["participants"]:
        return None
    xs = [p["x"] for p in found["participants"]]
    ys = [p["y"] for p in found["participants"]]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    points = [
        {
            "x": round(5 + 90 * (p["x"] - min(xs)) / span_x, 2),
            "y": round(95 - 90 * (p["y"] - min(ys)) / span_y, 2),
            "cluster": p["cluster"],
            "group": p["group"],
        }
        for p in found["participants"]
    ]
    return {"points": points, "clusters": found["clusters"], "silhouette": found["silhouette"]}


def _screen_context(request, ballot):
    vote_url = request.build_absolute_uri(reverse("priorities:vote", kwargs={"pk": ballot.pk}))
    live = result_pages.screen(ballot=ballot)
    return {"ballot": ballot, "consultation": ballot.consultation, "live": live, "vote_url": vote_url}


@require_GET
def screen(request, pk):
    ballot = selectors.ballot_get_viewable(pk=pk, user=request.user)
    context = _screen_context(request, ballot)
    return render(request, "priorities/screen.html", context)


@require_GET
def screen_live(request, pk):
    ballot = selectors.ballot_get_viewable(pk=pk, user=request.user)
    return render(request, "priorities/_screen_live.html", _screen_context(request, ballot))


def ping(request):
    """The smallest page the server answers (the benchmark's baseline and a health check)."""
    return HttpResponse("ok", content_type="text/plain")
