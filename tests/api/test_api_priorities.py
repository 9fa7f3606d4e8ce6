"""The API's ballots and results: drafts only for conveners, and the numbers the results page shows."""

import pytest

from factories_deliberation import RecommendationFactory, ballot, participant
from target87.api.models import ApiToken
from target87.priorities import services
from target87.priorities.models import Ballot

PROBLEM = "application/problem+json"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='tests')[1]}"}


@pytest.fixture
def three(consultation, convener):
    """A ballot being prepared, an open one and a closed one, made in that order."""
    draft = ballot(consultation, convener, "score", items=2, open_=False)
    opened = ballot(consultation, convener, "approval", items=2)
    closed = services.ballot_close(actor=convener, ballot=ballot(consultation, convener, "dots", items=2, dots=5))
    return draft, opened, closed


def test_ballots_being_prepared_are_listed_only_for_conveners(client, convener, three):
    draft, opened, closed = three
    url = "/api/v1/consultations/bangkok-test/ballots"
    public = client.get(url).json()
    assert (public["count"], [(b["id"], b["status"]) for b in public["items"]]) == (
        2,
        [(closed.pk, "closed"), (opened.pk, "open")],
    )
    managed = client.get(url, **bearer(convener)).json()
    assert [b["id"] for b in managed["items"]] == [closed.pk, opened.pk, draft.pk]
    assert [(b["method"], b["dots"], b["participants"]) for b in managed["items"]] == [
        ("dots", 5, 0),
        ("approval", None, 0),
        ("score", None, 0),
    ]


def test_a_ballot_being_prepared_is_not_revealed_to_the_public(client, convener, three):
    draft, _opened, _closed = three
    for path in (f"/api/v1/ballots/{draft.pk}", f"/api/v1/ballots/{draft.pk}/results"):
        response = client.get(path)
        assert response.status_code == 404 and response["Content-Type"] == PROBLEM
        assert client.get(path, **bearer(convener)).status_code == 200


def test_a_ballot_with_its_items_in_order(client, consultation, convener):
    recs = [RecommendationFactory(consultation=consultation, number=n, title=f"Rec {n}") for n in (1, 2)]
    made = services.ballot_open(
        actor=convener,
        ballot=services.ballot_create(
            actor=convener,
            consultation=consultation,
            title="Priorities for 2030",
            question="Which matter most?",
            method="approval",
            recommendations=recs,
        ),
    )
    body = client.get(f"/api/v1/ballots/{made.pk}").json()
    assert {k: body[k] for k in ("consultation", "title", "question", "method", "status", "participants")} == {
        "consultation": "bangkok-test",
        "title": "Priorities for 2030",
        "question": "Which matter most?",
        "method": "approval",
        "status": "open",
        "participants": 0,
    }
    assert body["items"] == [
        {
            "code": "R1",
            "label": "Rec 1",
            "text": "Do something about it.",
            "position": 1,
            "recommendation_id": recs[0].pk,
        },
        {
            "code": "R2",
            "label": "Rec 2",
            "text": "Do something about it.",
            "position": 2,
            "recommendation_id": recs[1].pk,
        },
    ]


def _approval_ballot(consultation, convener) -> Ballot:
    """R1, R2, R3 approved by two governments (R1+R2, R1) and a workers' organisation (R2+R3)."""
    recs = [RecommendationFactory(consultation=consultation, number=n, title=f"Rec {n}") for n in (1, 2, 3)]
    made = services.ballot_open(
        actor=convener,
        ballot=services.ballot_create(
            actor=convener, consultation=consultation, title="Approval", method="approval", recommendations=recs
        ),
    )
    for group, approved in (("government", ["R1", "R2"]), ("government", ["R1"]), ("workers", ["R2", "R3"])):
        services.vote_cast(
            participation=participant(consultation, group), ballot=made, values=dict.fromkeys(approved, 1)
        )
    return made


def _ranked(entries) -> list[tuple]:
    return [(e["item"], e["rank"], e["score"]) for e in entries]


def test_approval_results_overall_and_per_group(client, consultation, convener):
    made = _approval_ballot(consultation, convener)
    response = client.get(f"/api/v1/ballots/{made.pk}/results")
    assert response.status_code == 200
    body = response.json()
    # three voters; an approval ballot stores a yes or a no for every item: 3 × 3 votes
    assert (body["method"], body["status"], body["kept_at_closing"], body["participants"], body["votes"]) == (
        "approval",
        "open",
        False,
        3,
        9,
    )
    # approvals: R1 2, R2 2 (tied, first place shared), R3 1
    assert _ranked(body["overall"]) == [("R1", 1, 2.0), ("R2", 1, 2.0), ("R3", 3, 1.0)]
    assert [e["label"] for e in body["overall"]] == ["Rec 1", "Rec 2", "Rec 3"]
    assert body["consensus"] is None
    assert [(g["group"], g["voters"], _ranked(g["ranking"])) for g in body["groups"]] == [
        ("government", 2, [("R1", 1, 2.0), ("R2", 2, 1.0), ("R3", 3, 0.0)]),
        ("workers", 1, [("R2", 1, 1.0), ("R3", 1, 1.0), ("R1", 3, 0.0)]),
    ]
    # R2 is never below second place in a group; R1 and R3 fall to third in one
    assert body["cross_group"] == [
        {"item": "R2", "rank": 1, "worst_rank": 2, "best_rank": 1, "spread": 1},
        {"item": "R1", "rank": 1, "worst_rank": 3, "best_rank": 1, "spread": 2},
        {"item": "R3", "rank": 3, "worst_rank": 3, "best_rank": 1, "spread": 2},
    ]


def test_results_kept_at_closing_are_the_same_numbers(client, consultation, convener):
    made = _approval_ballot(consultation, convener)
    live = client.get(f"/api/v1/ballots/{made.pk}/results").json()
    services.ballot_close(actor=convener, ballot=Ballot.objects.get(pk=made.pk))
    kept = client.get(f"/api/v1/ballots/{made.pk}/results").json()
    assert (kept["status"], kept["kept_at_closing"]) == ("closed", True)
    assert {k: v for k, v in kept.items() if k not in ("status", "kept_at_closing")} == {
        k: v for k, v in live.items() if k not in ("status", "kept_at_closing")
    }


def test_agree_disagree_results_give_the_consensus_ranking_beside_the_plain_one(client, consultation, convener):
    made = ballot(consultation, convener, "consensus", items=2)
    votes = [
        ("government", {"S1": 1, "S2": 1}),
        ("government", {"S1": 1, "S2": -1}),
        ("government", {"S1": 1}),
        ("workers", {"S1": -1, "S2": 1}),
    ]
    for group, values in votes:
        services.vote_cast(participation=participant(consultation, group), ballot=made, values=values)
    body = client.get(f"/api/v1/ballots/{made.pk}/results").json()
    assert (body["participants"], body["votes"]) == (4, 7)
    # S1: 3 of 4 agree; S2: 2 of 3
    assert [(e["item"], e["rank"]) for e in body["overall"]] == [("S1", 1), ("S2", 2)]
    # groups' smoothed agreement (agree + 1) / (seen + 2):
    # S1 government 4/5, workers 1/3 → 4/15; S2 government 2/4, workers 2/3 → 1/3: S2 holds across the groups
    assert [(e["item"], e["rank"], round(e["score"], 4)) for e in body["consensus"]] == [
        ("S2", 1, 0.3333),
        ("S1", 2, 0.2667),
    ]
    s1, s2 = sorted(body["statements"], key=lambda s: s["item"])
    assert (s1["seen"], s1["agree"], s1["disagree"], s1["passed"], s1["agree_share"]) == (4, 3, 1, 0, 0.75)
    assert {g: round(a, 4) for g, a in s1["group_agreement"].items()} == {"government": 0.8, "workers": 0.3333}
    assert (round(s1["divisiveness"], 4), s1["most_agreeing_group"], s1["least_agreeing_group"]) == (
        0.4667,
        "government",
        "workers",
    )
    assert (s2["seen"], s2["agree"], round(s2["agree_share"], 4), s2["group_seen"]) == (
        3,
        2,
        0.6667,
        {"government": 2, "workers": 1},
    )
    assert body["divisive"] == ["S1", "S2"]
    assert [(g["group"], [e["item"] for e in g["ranking"]]) for g in body["groups"]] == [
        ("government", ["S1", "S2"]),
        ("workers", ["S2", "S1"]),
    ]
    points = body["opinion_map"]["participants"]
    assert sorted(p["group"] for p in points) == ["government", "government", "government", "workers"]
    assert all(set(p) == {"group", "x", "y", "cluster"} for p in points)  # nobody is identified


def test_results_of_an_unknown_ballot_are_a_problem_document(client, db):
    response = client.get("/api/v1/ballots/999999/results")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM


def test_the_openapi_document_lists_the_deliberation_and_priorities_paths(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        path: sorted(paths[path])
        for path in (
            "/api/v1/consultations/{slug}/contributions",
            "/api/v1/consultations/{slug}/recommendations",
            "/api/v1/recommendations/{recommendation_id}",
            "/api/v1/consultations/{slug}/ballots",
            "/api/v1/ballots/{ballot_id}",
            "/api/v1/ballots/{ballot_id}/results",
        )
    } == {
        "/api/v1/consultations/{slug}/contributions": ["get", "post"],
        "/api/v1/consultations/{slug}/recommendations": ["get"],
        "/api/v1/recommendations/{recommendation_id}": ["get"],
        "/api/v1/consultations/{slug}/ballots": ["get"],
        "/api/v1/ballots/{ballot_id}": ["get"],
        "/api/v1/ballots/{ballot_id}/results": ["get"],
    }
    contributions = paths["/api/v1/consultations/{slug}/contributions"]
    assert [p["name"] for p in contributions["get"]["parameters"]] == [
        "slug",
        "key_question",
        "session_id",
        "kind",
        "thematic_area",
        "limit",
        "offset",
    ]
    assert contributions["get"]["security"] == [{"OptionalTokenAuth": []}, {}]
    assert contributions["post"]["security"] == [{"TokenAuth": []}]
    assert not any("vote" in path for path in paths)


def test_results_hidden_until_closing_are_not_given_by_the_api_either(client, consultation, convener):
    made = _approval_ballot(consultation, convener)
    Ballot.objects.filter(pk=made.pk).update(results_hidden=True)
    hidden = client.get(f"/api/v1/ballots/{made.pk}/results", headers=bearer(convener))
    assert hidden.status_code == 409
    assert hidden["content-type"] == "application/problem+json"
    assert "shown when it closes" in hidden.json()["detail"]
    services.ballot_close(actor=convener, ballot=Ballot.objects.get(pk=made.pk))
    assert client.get(f"/api/v1/ballots/{made.pk}/results").status_code == 200
