"""Voting on a phone: the participant's ballots, the voting page and its panel, and proposing a statement.

Participants vote through their access link: ``/a/<token>/ballots/<id>/`` opens the link (so this browser
knows who they are) and leads to ``/ballots/<id>/vote/``, which the QR code shown in the room opens too.
Every vote form works without JavaScript (POST, then a redirect); with htmx, the form posts in place and the
panel is swapped for the next pair, the next statement or the saved ballot.

Opening the link, and every voting page, checks the participant in the database and renews the browser's
participant pass (:mod:`target87.people.participants`); a vote then needs no query to know who votes, and a
withdrawn link or a registration no longer approved stops voting within two seconds.

On an agree/disagree ballot that takes proposals, the panel also has a small form to propose a statement
(``/ballots/<id>/propose/``, checked in the database like a page load).
"""

from __future__ import annotations

import functools

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import Context, loader
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from target87.consultations import selectors as consultation_selectors
from target87.core.errors import ServiceError
from target87.core.http import see_other
from target87.people.access import link_open, participant_held, participant_required

from . import selectors, services
from .enums import RANKED, BallotStatus, Method
from .machinery import kept
from .models import PROPOSAL_LENGTH, BallotPaper

# --- participants ------------------------------------------------------------------------------------------


@require_GET
def ballot_link(request, token, pk):
    link_open(request, token)
    return redirect("priorities:vote", pk=pk)


@require_GET
def ballots_link(request, token):
    participation = link_open(request, token)
    return redirect("priorities:participant_ballots", slug=participation.consultation.slug)


@require_GET
def participant_ballots(request, slug):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    participation = participant_required(request, "take_part", consultation).participation
    open_ballots = selectors.ballot_list(consultation=consultation, statuses=[BallotStatus.OPEN])
    return render(
        request,
        "priorities/participant_ballots.html",
        {
            "consultation": consultation,
            "participation": participation,
            "voted": set(
                BallotPaper.objects.filter(participation=participation, ballot__in=open_ballots).values_list(
                    "ballot_id", flat=True
                )
            ),
            "open": open_ballots,
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


@kept(256, key=lambda ballot, items, language: (*selectors.items_key(ballot), language))
def _voted_rows(ballot, items, language: str) -> dict[int, dict[int, str]]:
    """Each statement's list item for each answer, per ballot's items (see selectors.items_key) and language."""
    return {
        item.id: {
            value: format_html('<li><a href="?statement={}">{}</a> — {}</li>', item.pk, item.label, answer)
            for value, answer in _ANSWERS.items()
        }
        for item in items
    }


def _voted_list(ballot, items, mine: dict[int, int]) -> str:
    """The participant's votes on statements as list items, each a link to change it. Sent after every vote, so
    each process renders a ballot's rows (statement, answer) once per language and puts the list together."""
    rows = _voted_rows(ballot, items, get_language())
    # the field, not the ``pk`` property: a few times cheaper, 30 times a vote
    return mark_safe("".join([rows[item.id][value] for item in items if (value := mine.get(item.id)) is not None]))


def _panel(request, context: dict, *, status: int = 200) -> HttpResponse:
    """The ballot's panel alone, the answer to a vote sent with htmx. It is rendered without the context
    processors (the panel uses none of them), which a vote would otherwise pay for on every statement, and
    without a CSRF token (the panel's forms write theirs only when there is one): htmx sends the token the voting
    page put in its ``hx-headers``, so a fragment neither masks a new token nor sets the cookie again."""
    return HttpResponse(_panel_html(context), status=status)


def _panel_html(context: dict) -> str:
    panel = loader.get_template("priorities/_vote_panel.html").template
    return panel.render(Context({**context, "csrf_token": ""}))


_VOTED = mark_safe("<!--voted-->")


@kept(20_000, key=lambda key, context: key)
def _panel_around(key: tuple, context: dict) -> tuple[str, str]:
    """A statement ballot's panel around the participant's list of votes, kept by what it shows (``key``)."""
    head, tail = _panel_html({**context, "voted": _VOTED}).split(_VOTED)
    return head, tail


def _statement_panel(context: dict) -> HttpResponse:
    """The panel after a vote on a statement: the same for everyone at the same point of the ballot (the statement
    shown next, how many of how many they have voted, in one language) but for their list of votes. Each process
    renders it once per such point, with a marker where the list goes, and fills in the list for each vote."""
    ballot, statement = context["ballot"], context["statement"]
    key = (
        get_language(),
        context["vote_url"],
        *selectors.items_key(ballot),  # the statements as they are (a change to one is counted in the key)
        ballot.status,
        ballot.takes_proposals,
        statement and statement.id,
        context["done"],
    )
    pieces = _panel_around(key, context)
    return HttpResponse(pieces[0] + context["voted"] + pieces[1])


@functools.lru_cache(maxsize=1024)
def _vote_url(prefix: str, pk: int) -> str:
    """Where the panel's forms post (the same for every vote on a ballot: worked out once per process)."""
    return reverse("priorities:vote", kwargs={"pk": pk})


def _sent_value(ballot, item, post):
    """What the voter sent for an item, as the form shows it again (a number where it is one)."""
    if ballot.method == Method.APPROVAL:
        return 1 if str(item.pk) in post.getlist("approve") else None
    raw = post.get(f"item-{item.pk}", "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        return raw


def _panel_context(request, ballot, participation, *, errors=None, saved=False, mine=None, wanted=None, sent=None):
    """What the panel shows; ``mine``: the participant's votes on an agree/disagree ballot, if already read;
    ``wanted``: the statement to show (else the one the page asks for, else a random one not voted yet); ``sent``:
    a refused ballot's form, shown again as it was sent (with the error) rather than as last saved."""
    items = selectors.ballot_items(ballot=ballot)
    context = {
        "ballot": ballot,
        "vote_url": _vote_url(get_script_prefix(), ballot.pk),
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
        wanted = request.GET.get("statement", "") if wanted is None else wanted
        statement = next((i for i in items if str(i.pk) == wanted), None) if wanted.isdecimal() else None
        context["statement"] = statement or selectors.next_statement(
            ballot=ballot, participation=participation, voted=mine
        )
        context["voted"] = _voted_list(ballot, items, mine)
        context["done"] = len(mine)
        context["proposal_limit"] = PROPOSAL_LENGTH
    else:
        mine = selectors.my_votes(ballot=ballot, participation=participation)
        if sent is not None:
            context["rows"] = [(item, _sent_value(ballot, item, sent)) for item in items]
        else:
            context["rows"] = [(item, mine.get(item.pk)) for item in items]
        context["has_voted"] = bool(mine)
        if ballot.method == Method.DOTS:
            context["placed"] = sum(v for _item, v in context["rows"] if isinstance(v, int))
            context["dots_left"] = max(0, ballot.dots - context["placed"])
            context["dots_over"] = max(0, context["placed"] - ballot.dots)
        else:
            context["placed"] = 0
    return context


@require_http_methods(["GET", "POST"])
def vote(request, pk):
    """The voting page (GET) and a vote (POST).

    A vote trusts the browser's participant pass (no query to know who votes; its service checks the pass against
    what this process knows of withdrawn links, registrations and observers) and the ballot as this process saw it
    within the last second (its transaction checks again that it is open); with htmx, the answer is the panel
    alone: the next statement or pair, or the saved ballot."""
    htmx = bool(request.htmx)
    posted = request.method == "POST"
    ballot = selectors.ballot_cached(pk=pk) if posted else selectors.ballot_get(pk=pk)
    if posted and ballot.status != BallotStatus.OPEN:
        ballot = selectors.ballot_get(pk=pk)
    if ballot.status == BallotStatus.DRAFT:
        raise Http404
    # a vote is judged by its service on the participant's pass alone; the page reads them from the database
    voter = participant_held(request) if posted else participant_required(request, "vote", ballot.consultation)
    return _vote(request, ballot, voter, htmx=htmx)


def _vote(request, ballot, voter, *, htmx: bool) -> HttpResponse:
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
        except ServiceError as error:
            errors, status = error.messages, (200 if htmx else 400)
        else:
            if not htmx:
                return see_other(f"{reverse('priorities:vote', kwargs={'pk': ballot.pk})}?saved=1")
            context = _panel_context(request, ballot, voter, saved=True, mine=mine)
            if ballot.method == Method.CONSENSUS:
                return _statement_panel(context)
            return _panel(request, context)
    sent = request.POST if errors and ballot.method not in (Method.PAIRWISE, Method.CONSENSUS) else None
    context = _panel_context(request, ballot, voter, errors=errors, saved=request.GET.get("saved") == "1", sent=sent)
    if htmx and request.method == "POST":
        return _panel(request, context)
    context["proposed"] = request.GET.get("proposed") == "1"
    return _vote_page(request, ballot, voter, context, status=status)


def _vote_page(request, ballot, voter, context, *, status=200) -> HttpResponse:
    """The whole voting page: the panel, and on agree/disagree ballots the statements the participant proposed."""
    participation = voter.participation
    if ballot.method == Method.CONSENSUS:
        context["my_proposals"] = selectors.my_proposals(ballot=ballot, participation=voter)
    return render(
        request,
        "priorities/vote.html",
        {**context, "participation": participation, "consultation": ballot.consultation},
        status=status,
    )


@require_POST
def propose(request, pk):
    """A participant proposes a statement (agree/disagree ballots that take proposals). Checked in the database,
    as a page load is: proposals are few, and each waits for the convener's review. Without JavaScript the answer
    is the voting page again; with htmx, the panel (the same statement still shown) and the list of the
    participant's proposals."""
    htmx = bool(request.htmx)
    ballot = selectors.ballot_get(pk=pk)
    if ballot.status == BallotStatus.DRAFT:
        raise Http404
    voter = participant_required(request, "propose", ballot.consultation)
    text = request.POST.get("text", "")
    wanted = request.POST.get("statement", "")
    try:
        services.statement_propose(participation=voter, ballot=ballot, text=text)
    except ServiceError as error:
        context = _panel_context(request, ballot, voter, wanted=wanted)
        if ballot.takes_proposals and ballot.status == BallotStatus.OPEN:
            context.update(proposal_errors=error.messages, proposal_text=text)
        else:
            context["errors"] = error.messages
        if htmx:
            response = _panel(request, context)
        else:
            response = _vote_page(request, ballot, voter, context, status=400)
    else:
        if htmx:
            context = _panel_context(request, ballot, voter, wanted=wanted)
            context["proposed"] = True
            response = _panel(request, context)
            response.write(
                loader.get_template("priorities/_my_proposals.html").render(
                    {"my_proposals": selectors.my_proposals(ballot=ballot, participation=voter), "oob": True}
                )
            )
        else:
            url = reverse("priorities:vote", kwargs={"pk": ballot.pk})
            response = see_other(f"{url}?proposed=1" + (f"&statement={wanted}" if wanted.isdecimal() else ""))
    return response
