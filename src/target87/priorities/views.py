"""Voting on a phone, the results, the live plenary screen, and the convener's ballots.

Participants vote through their access link: ``/a/<token>/ballots/<id>/`` opens the link (so this browser
knows who they are) and leads to ``/ballots/<id>/vote/``, which the QR code shown in the room opens too.
Every vote form works without JavaScript (POST, then a redirect); with htmx, the form posts in place and the
panel is swapped for the next pair, the next statement or the saved ballot.

Opening the link, and every voting page, checks the participant in the database and gives the browser a signed
voter pass (:mod:`target87.priorities.voters`); a vote then needs no query to know who votes, and a withdrawn
link or a registration no longer approved stops voting within two seconds.
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template import Context, loader
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from target87.consultations import selectors as consultation_selectors
from target87.core.errors import ServiceError
from target87.core.forms import apply_service_error
from target87.deliberation.services import participant_check
from target87.deliberation.views import _needs_link, _participant, open_access_link, see_other
from target87.people.enums import Role
from target87.people.models import AccessLink, Participation

from . import exporters, selectors, services, voters
from .enums import RANKED, BallotStatus, Method
from .forms import BallotForm


def _viewable(request, pk):
    ballot = selectors.ballot_get(pk=pk)
    if not request.user.has_perm("priorities.view_results", ballot.consultation) or (
        ballot.status == BallotStatus.DRAFT
        and not request.user.has_perm("priorities.manage_ballot", ballot.consultation)
    ):
        raise Http404
    return ballot


# --- participants ------------------------------------------------------------------------------------------


def _with_pass(request, response, participation):
    """The response, giving this browser the voter pass of the link it has just opened."""
    link = AccessLink.objects.filter(pk=request.session.get("access_link_id"), participation=participation).first()
    if link is not None:
        voters.give_pass(response, voters.voter_for(participation, link))
    return response


@require_GET
def ballot_link(request, token, pk):
    participation = open_access_link(request, token)
    if isinstance(participation, HttpResponse):
        return participation
    return _with_pass(request, redirect("priorities:vote", pk=pk), participation)


@require_GET
def ballots_link(request, token):
    participation = open_access_link(request, token)
    if isinstance(participation, HttpResponse):
        return participation
    return _with_pass(
        request, redirect("priorities:participant_ballots", slug=participation.consultation.slug), participation
    )


@require_GET
def participant_ballots(request, slug):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    participation = _participant(request, consultation)
    if participation is None:
        return _needs_link(request, consultation)
    return render(
        request,
        "priorities/participant_ballots.html",
        {
            "consultation": consultation,
            "participation": participation,
            "open": selectors.ballot_list(consultation=consultation, statuses=[BallotStatus.OPEN]),
            "closed": selectors.ballot_list(consultation=consultation, statuses=[BallotStatus.CLOSED]),
        },
    )


def _values_from_post(ballot, post) -> dict:
    values = {}
    for key, value in post.items():
        if key.startswith("item-"):
            values[key[5:]] = value
    if ballot.method == Method.APPROVAL:
        values = {key: 1 for key in post.getlist("approve")}
    return values


_ANSWERS = {1: gettext_lazy("Agree"), -1: gettext_lazy("Disagree"), 0: gettext_lazy("Pass / unsure")}
_voted_rows: dict[tuple, str] = {}


def _voted_list(items, mine: dict[int, int]) -> str:
    """The participant's votes on statements as list items, each a link to change it. Sent after every vote, so
    each process keeps the few rows a ballot can have (item, answer, language) rather than render them again."""
    language = get_language()
    rows = []
    for item in items:
        value = mine.get(item.pk)
        if value is None:
            continue
        key = (item.pk, item.label, value, language)
        row = _voted_rows.get(key)
        if row is None:
            if len(_voted_rows) > 20_000:
                _voted_rows.clear()
            row = _voted_rows[key] = format_html(
                '<li><a href="?statement={}">{}</a> — {}</li>', item.pk, item.label, _ANSWERS.get(value, value)
            )
        rows.append(row)
    return mark_safe("".join(rows))


def _panel(request, context: dict, *, status: int = 200) -> HttpResponse:
    """The ballot's panel alone, the answer to a vote sent with htmx. It is rendered without the context
    processors (the panel uses none of them: only its CSRF token, given here), which a vote would otherwise pay
    for on every statement."""
    panel = loader.get_template("priorities/_vote_panel.html").template
    # the token this vote was accepted with (the middleware checked it) serves the next form as well
    token = request.POST.get("csrfmiddlewaretoken") or request.META.get("HTTP_X_CSRFTOKEN") or get_token(request)
    return HttpResponse(panel.render(Context({**context, "csrf_token": token})), status=status)


def _panel_context(request, ballot, participation, *, errors=None, saved=False, mine=None):
    """What the panel shows; ``mine``: the participant's votes on an agree/disagree ballot, if already read."""
    items = selectors.ballot_items(ballot=ballot)
    context = {
        "ballot": ballot,
        "vote_url": reverse("priorities:vote", kwargs={"pk": ballot.pk}),
        "participation": participation,
        "items": items,
        "errors": errors or [],
        "saved": saved,
        "ranked": ballot.method in RANKED,
        "positions": range(1, len(items) + 1),
    }
    if ballot.method == Method.PAIRWISE:
        context["pair"] = selectors.next_pair(ballot=ballot, participation=participation)
        context["done"] = len(selectors.my_pairs(ballot=ballot, participation=participation))
    elif ballot.method == Method.CONSENSUS:
        mine = selectors.my_votes(ballot=ballot, participation=participation) if mine is None else mine
        wanted = request.GET.get("statement", "")
        statement = next((i for i in items if str(i.pk) == wanted), None) if wanted.isdigit() else None
        context["statement"] = statement or selectors.next_statement(
            ballot=ballot, participation=participation, voted=mine
        )
        context["voted"] = _voted_list(items, mine)
        context["done"] = len(mine)
    else:
        mine = selectors.my_votes(ballot=ballot, participation=participation)
        context["rows"] = [(item, mine.get(item.pk)) for item in items]
        context["has_voted"] = bool(mine)
        context["placed"] = sum(mine.values()) if ballot.method == Method.DOTS else 0
    return context


class _Refused(Exception):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message)
        self.message = message


def _checked_voter(request, consultation) -> tuple[Participation, voters.Voter]:
    """The participant on this browser, checked in the database (a page load), and their voter pass.

    The session's participant (the last link opened here) comes first, else the pass's. Raises :class:`_Refused`
    with no message when nobody's link was opened here, or with the reason the link no longer works."""
    participation_id = request.session.get("participation_id")
    link_id = request.session.get("access_link_id")
    held = voters.Voter.from_cookie(request.COOKIES.get(voters.COOKIE))
    if not participation_id and held is not None:
        participation_id, link_id = held.pk, held.link_id
    if not participation_id:
        raise _Refused
    participation = (
        Participation.objects.select_related("person__organisation", "consultation").filter(pk=participation_id).first()
    )
    try:
        participant_check(participation=participation, consultation=consultation)
    except PermissionDenied as denied:
        if participation is not None and participation.consultation_id == consultation.pk:
            raise _Refused(str(denied)) from None
        raise _Refused from None
    if participation.role == Role.OBSERVER:
        raise _Refused(voters.observer_refusal())
    links = AccessLink.objects.filter(participation=participation)
    link = (
        links.filter(pk=link_id).first() if link_id else links.filter(revoked_at=None).order_by("-expires_at").first()
    )
    if link is None or link.revoked_at is not None:
        raise _Refused(_("This access link has been withdrawn. Ask the organisers for a new one."))
    if not link.is_active:
        raise _Refused(_("This access link has expired. Ask the organisers for a new one."))
    return participation, voters.voter_for(participation, link)


def _refusal(request, consultation, refused: _Refused) -> HttpResponse:
    if refused.message is None:
        response = _needs_link(request, consultation)
    else:
        response = render(request, "people/link_invalid.html", {"message": refused.message}, status=403)
    if request.headers.get("HX-Request") == "true":
        response["HX-Refresh"] = "true"  # the page, loaded again, says why
    voters.take_pass(response)
    return response


@require_http_methods(["GET", "POST"])
def vote(request, pk):
    """The voting page (GET) and a vote (POST).

    A vote trusts the browser's voter pass (no query to know who votes; checked against the withdrawn links) and
    the ballot as this process saw it within the last second (its transaction checks again that it is open);
    with htmx, the answer is the panel alone: the next statement or pair, or the saved ballot."""
    htmx = request.headers.get("HX-Request") == "true"
    posted = request.method == "POST"
    ballot = selectors.ballot_cached(pk=pk) if posted else selectors.ballot_get(pk=pk)
    if posted and ballot.status != BallotStatus.OPEN:
        ballot = selectors.ballot_get(pk=pk)
    if ballot.status == BallotStatus.DRAFT:
        raise Http404
    voter = voters.Voter.from_cookie(request.COOKIES.get(voters.COOKIE)) if posted else None
    participation, give = None, None
    try:
        if voter is None:
            participation, voter = _checked_voter(request, ballot.consultation)
            give = voter
        else:
            voters.check(voter, consultation_id=ballot.consultation_id)
    except (_Refused, PermissionDenied) as refused:
        if isinstance(refused, PermissionDenied):
            refused = _Refused(str(refused))
        return _refusal(request, ballot.consultation, refused)
    response = _vote(request, ballot, voter, participation, htmx=htmx)
    if give is not None:
        voters.give_pass(response, give)
    return response


def _vote(request, ballot, voter, participation, *, htmx: bool) -> HttpResponse:
    errors, status, mine = [], 200, None
    if request.method == "POST":
        try:
            if ballot.method == Method.PAIRWISE:
                if request.POST.get("skip"):
                    services.voter_check(participation=voter, ballot=ballot)
                else:
                    services.pairwise_choose(
                        participation=voter,
                        ballot=ballot,
                        winner=request.POST.get("winner"),
                        loser=request.POST.get("loser"),
                    )
            elif ballot.method == Method.CONSENSUS:
                mine = services.statement_vote(
                    participation=voter,
                    ballot=ballot,
                    item=request.POST.get("item", ""),
                    value=request.POST.get("vote"),
                )
            else:
                services.vote_cast(participation=voter, ballot=ballot, values=_values_from_post(ballot, request.POST))
        except PermissionDenied as denied:
            return _refusal(request, ballot.consultation, _Refused(str(denied)))
        except ServiceError as error:
            errors, status = error.messages, (200 if htmx else 400)
        else:
            if not htmx:
                return see_other(f"{reverse('priorities:vote', kwargs={'pk': ballot.pk})}?saved=1")
            return _panel(request, _panel_context(request, ballot, voter, saved=True, mine=mine))
    context = _panel_context(request, ballot, voter, errors=errors, saved=request.GET.get("saved") == "1")
    if htmx and request.method == "POST":
        return _panel(request, context)
    if participation is None:
        participation = Participation.objects.select_related("person").get(pk=voter.pk)
    return render(
        request,
        "priorities/vote.html",
        {**context, "participation": participation, "consultation": ballot.consultation},
        status=status,
    )


# --- results and the plenary screen ---------------------------------------------------------------------------


@require_GET
def consultation_ballots(request, slug):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    return render(
        request,
        "priorities/ballots.html",
        {
            "consultation": consultation,
            "ballots": selectors.ballot_list(
                consultation=consultation, statuses=[BallotStatus.OPEN, BallotStatus.CLOSED]
            ),
        },
    )


@require_GET
def results(request, pk):
    ballot = _viewable(request, pk)
    data = selectors.ballot_results(ballot=ballot)
    table = selectors.results_table(ballot=ballot, data=data)
    return render(
        request,
        "priorities/results.html",
        {
            "consultation": ballot.consultation,
            "ballot": ballot,
            "data": data,
            **table,
            "map": _opinion_map(data),
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
    live = selectors.ballot_live(ballot=ballot)
    labels = {item.code: item.label for item in selectors.ballot_items(ballot=ballot)}
    return {"ballot": ballot, "consultation": ballot.consultation, "live": live, "labels": labels, "vote_url": vote_url}


@require_GET
def screen(request, pk):
    ballot = _viewable(request, pk)
    context = _screen_context(request, ballot)
    context["qr"] = segno.make(context["vote_url"], error="m").svg_inline(scale=6, border=2)
    return render(request, "priorities/screen.html", context)


@require_GET
def screen_live(request, pk):
    ballot = _viewable(request, pk)
    return render(request, "priorities/_screen_live.html", _screen_context(request, ballot))


def ping(request):
    """The smallest page the server answers (the benchmark's baseline and a health check)."""
    return HttpResponse("ok", content_type="text/plain")


# --- the convener's ballots -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manage_ballots(request, slug):
    consultation = consultation_selectors.consultation_get_managed(slug=slug, user=request.user)
    form = BallotForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            ballot = services.ballot_create(actor=request.user, consultation=consultation, **form.service_fields())
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


@login_required
@require_GET
def manage_ballot(request, slug, pk):
    ballot = _managed_ballot(request, slug, pk)
    vote_url = request.build_absolute_uri(reverse("priorities:vote", kwargs={"pk": ballot.pk}))
    return render(
        request,
        "priorities/manage_ballot.html",
        {
            "consultation": ballot.consultation,
            "ballot": ballot,
            "items": selectors.ballot_items(ballot=ballot),
            "participants": selectors.participants_count(ballot=ballot),
            "votes": selectors.votes_count(ballot=ballot),
            "vote_url": vote_url,
            "qr": segno.make(vote_url, error="m").svg_inline(scale=4),
            "exporters": exporters.for_ballot(ballot),
        },
    )


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
        else:
            messages.error(request, _("Choose to open or to close the ballot."))
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("priorities:manage_ballot", slug=slug, pk=pk)


@login_required
@require_GET
def export(request, slug, pk, exporter):
    ballot = _managed_ballot(request, slug, pk)
    return exporters.response(exporters.get(exporter)(ballot.consultation, ballot=ballot))
