"""Ballots and their results, as the prioritisation pages show them.

Ballots being prepared (drafts) are seen only by those who manage the consultation, as on the web pages.
Results are those of the results page: the one kept when the ballot closed, or the votes so far counted now,
overall and within each stakeholder group, with the consensus ranking beside the plain one. Voting stays in the
browser, through each participant's personal link.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from target87.consultations import selectors as consultation_selectors
from target87.core.errors import Conflict
from target87.priorities import selectors
from target87.priorities.enums import BallotStatus
from target87.priorities.models import Ballot

from .auth import OPTIONAL, OptionalTokenAuth
from .inputs import Page
from .schemas import ERRORS, BallotDetailOut, BallotOut, BallotResultsOut, Problem

router = Router(tags=["priorities"], auth=OptionalTokenAuth())


def _viewable(request, ballot_id: int) -> Ballot:
    """The ballot if the caller may see its results page (the pages' own rule): drafts only for its conveners."""
    return selectors.ballot_get_viewable(pk=ballot_id, user=request.user)


@router.get(
    "/consultations/{slug}/ballots",
    response={200: list[BallotOut], **ERRORS},
    summary="Ballots, the latest first",
    openapi_extra=OPTIONAL,
)
@paginate(Page)
def ballot_list(request, slug: str):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    return selectors.ballot_list_visible(consultation=consultation, user=request.user)


@router.get("/ballots/{ballot_id}", response={200: BallotDetailOut, **ERRORS}, openapi_extra=OPTIONAL)
def ballot_detail(request, ballot_id: int):
    """A ballot with its items, in the order participants see them."""
    ballot = _viewable(request, ballot_id)
    return selectors.ballot_list(consultation=ballot.consultation).select_related("consultation").get(pk=ballot.pk)


@router.get(
    "/ballots/{ballot_id}/results", response={200: BallotResultsOut, 409: Problem, **ERRORS}, openapi_extra=OPTIONAL
)
def ballot_results(request, ballot_id: int):
    """Overall and per stakeholder group, the consensus ranking beside the plain one (as the results page).
    A ballot whose convener hides its results until it closes answers 409 until then, for everyone."""
    ballot = _viewable(request, ballot_id)
    if not ballot.results_shown:
        raise Conflict(_("The results of this ballot will be shown when it closes."))
    return _results_out(ballot, selectors.ballot_results(ballot=ballot))


def _results_out(ballot: Ballot, data: dict) -> dict:
    labels = {item.code: item.label for item in selectors.ballot_items(ballot=ballot)}

    def ranking(entries):
        return [{**entry, "label": labels.get(entry["item"], entry["item"])} for entry in entries]

    opinion_map = data.get("opinion_map")
    if opinion_map is not None:
        # the page draws dots coloured by cluster; which participant is which stays out of the answer
        opinion_map = {
            **opinion_map,
            "participants": [
                {"group": p["group"], "x": p["x"], "y": p["y"], "cluster": p["cluster"]}
                for p in opinion_map["participants"]
            ],
        }
    return {
        "ballot": ballot.pk,
        "method": data["method"],
        "status": ballot.status,
        "kept_at_closing": ballot.status == BallotStatus.CLOSED and ballot.result is not None,
        "participants": data["participants"],
        "votes": data["votes"],
        "overall": ranking(data["overall"]),
        "consensus": ranking(data["consensus"]) if data["consensus"] is not None else None,
        "groups": [
            {
                "group": group,
                "voters": data["group_voters"].get(group, 0),
                "ranking": ranking(data["groups"].get(group, [])),
            }
            for group in data["group_names"]
        ],
        "cross_group": data.get("cross_group", []),
        "statements": data["statements"],
        "divisive": data["divisive"],
        "opinion_map": opinion_map,
    }
