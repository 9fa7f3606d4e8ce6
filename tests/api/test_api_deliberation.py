"""The API's contributions and recommendations: what the public pages show, and capturing with a token."""

import json
import uuid

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from factories import (
    ConsultationFactory,
    KeyQuestionFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
    convener_of,
)
from factories_deliberation import ContributionFactory, RecommendationFactory, facilitator_of, participant
from target87.api.models import ApiToken
from target87.core.models import AuditEntry
from target87.deliberation import services
from target87.deliberation.models import Contribution

CONTRIBUTIONS = "/api/v1/consultations/bangkok-test/contributions"
PROBLEM = "application/problem+json"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='tests')[1]}"}


def iso(moment) -> str:
    """A time as the API writes it (UTC, to the millisecond)."""
    return DjangoJSONEncoder().default(moment)


def send(client, body: dict, headers: dict | None = None, url: str = CONTRIBUTIONS):
    return client.post(url, data=json.dumps(body), content_type="application/json", **(headers or {}))


@pytest.fixture
def questions(consultation):
    return (
        KeyQuestionFactory(consultation=consultation, position=1, short_title="Policy"),
        KeyQuestionFactory(consultation=consultation, position=2, short_title="Systems"),
    )


@pytest.fixture
def breakout(consultation):
    return SessionFactory(consultation=consultation, kind="breakout", title="Breakout A: supply chains")


def _named(consultation, name: str, group: str):
    p = participant(consultation, group)
    p.person.name = name
    p.person.save()
    return p


# --- reading contributions -------------------------------------------------------------------------------------


def test_contributions_name_only_the_contributors_who_agreed_to_it(client, consultation, convener, questions):
    q1, _q2 = questions
    named = _named(consultation, "Ana Reyes", "workers")
    hidden = _named(consultation, "Somchai Private", "civil_society")
    first = ContributionFactory(
        consultation=consultation, key_question=q1, author=named, text="Audit recruitment agencies.", countries=["THA"]
    )
    second = ContributionFactory(
        consultation=consultation, key_question=q1, author=hidden, anonymous=True, text="Fund shelters."
    )
    anonymous = client.get(CONTRIBUTIONS)
    assert anonymous.status_code == 200
    assert anonymous.json()["items"][0] == {
        "id": first.pk,
        "key_question": 1,
        "session_id": None,
        "breakout_group": None,
        "kind": "proposal",
        "thematic_area": "",
        "countries": ["THA"],
        "stakeholder_group": "workers",
        "author": "Ana Reyes",
        "text": "Audit recruitment agencies.",
        "created_at": iso(first.created_at),
    }
    as_convener = client.get(CONTRIBUTIONS, **bearer(convener))
    for response in (anonymous, as_convener):
        assert [(c["id"], c["author"]) for c in response.json()["items"]] == [
            (first.pk, "Ana Reyes"),
            (second.pk, None),
        ]
        assert "Somchai Private" not in response.content.decode()


def test_contributions_are_filtered_by_question_group_kind_and_area(client, consultation, questions, breakout):
    q1, q2 = questions
    a = ContributionFactory(
        consultation=consultation, key_question=q1, session=breakout, kind="proposal", thematic_area="child_labour"
    )
    b = ContributionFactory(consultation=consultation, key_question=q1, kind="challenge")
    c = ContributionFactory(
        consultation=consultation, key_question=q2, session=breakout, kind="proposal", thematic_area="forced_labour"
    )

    def ids(query: str) -> list[int]:
        response = client.get(f"{CONTRIBUTIONS}?{query}")
        assert response.status_code == 200
        return [row["id"] for row in response.json()["items"]]

    assert ids("") == [a.pk, b.pk, c.pk]
    assert ids("key_question=1") == [a.pk, b.pk]
    assert ids(f"session_id={breakout.pk}") == [a.pk, c.pk]
    assert ids("kind=proposal") == [a.pk, c.pk]
    assert ids("thematic_area=forced_labour") == [c.pk]
    assert ids(f"key_question=1&kind=proposal&session_id={breakout.pk}") == [a.pk]
    assert client.get(f"{CONTRIBUTIONS}?session_id={breakout.pk}").json()["items"][0]["breakout_group"] == (
        "Breakout A: supply chains"
    )


def test_listing_contributions_takes_three_queries_however_many_there_are(
    client, consultation, questions, breakout, django_assert_num_queries
):
    for _ in range(6):
        ContributionFactory(
            consultation=consultation, key_question=questions[0], session=breakout, author=participant(consultation)
        )
    with django_assert_num_queries(3):  # the consultation, the count, the page
        response = client.get(CONTRIBUTIONS)
    assert [c["author"] is not None for c in response.json()["items"]] == [True] * 6


def test_an_unknown_kind_in_the_filter_is_a_problem_naming_it(client, consultation):
    response = client.get(f"{CONTRIBUTIONS}?kind=rumour")
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert [e["field"] for e in response.json()["errors"]] == ["kind"]


def test_contributions_come_a_page_at_a_time(client, consultation, questions):
    made = [ContributionFactory(consultation=consultation, key_question=questions[0]) for _ in range(3)]
    first = client.get(f"{CONTRIBUTIONS}?limit=2").json()
    assert (first["count"], [c["id"] for c in first["items"]]) == (3, [made[0].pk, made[1].pk])
    rest = client.get(f"{CONTRIBUTIONS}?limit=2&offset=2").json()
    assert (rest["count"], [c["id"] for c in rest["items"]]) == (3, [made[2].pk])


def test_a_draft_consultation_is_read_only_with_a_convener_token(client, db):
    draft = ConsultationFactory(slug="draft-one", status="draft")
    ContributionFactory(consultation=draft, text="Not yet public.")
    url = "/api/v1/consultations/draft-one/contributions"
    response = client.get(url)
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    response = client.get(url, **bearer(convener_of(draft)))
    assert response.status_code == 200 and [c["text"] for c in response.json()["items"]] == ["Not yet public."]


def test_a_forged_token_on_a_read_is_refused_not_read_as_a_visitor(client, consultation):
    response = client.get(CONTRIBUTIONS, HTTP_AUTHORIZATION="Bearer t87_forged")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"


# --- capturing contributions ------------------------------------------------------------------------------------


def test_a_rapporteur_captures_a_contribution(client, consultation, questions, breakout):
    rapporteur = facilitator_of(consultation, role="rapporteur")
    body = {
        "key_question_id": questions[1].pk,
        "session_id": breakout.pk,
        "kind": "good_practice",
        "text": "  A national referral mechanism for victims.  ",
        "thematic_area": "human_trafficking",
        "countries": ["KHM", "lao"],
        "stakeholder_group": "government",
    }
    response = send(client, body, bearer(rapporteur))
    assert response.status_code == 201
    made = Contribution.objects.get()
    assert response.json() == {
        "id": made.pk,
        "key_question": 2,
        "session_id": breakout.pk,
        "breakout_group": "Breakout A: supply chains",
        "kind": "good_practice",
        "thematic_area": "human_trafficking",
        "countries": ["KHM", "LAO"],
        "stakeholder_group": "government",
        "author": None,
        "text": "A national referral mechanism for victims.",
        "created_at": iso(made.created_at),
    }
    assert made.captured_by == rapporteur
    assert list(AuditEntry.objects.values_list("action", "actor")) == [("contribution.create", rapporteur.pk)]


def test_a_contribution_sent_again_with_its_key_is_stored_once(client, consultation, questions, convener):
    body = {
        "key_question_id": questions[0].pk,
        "kind": "evidence",
        "text": "Survey data.",
        "client_key": str(uuid.uuid4()),
    }
    headers = bearer(convener)
    first, again = send(client, body, headers), send(client, body, headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"] == Contribution.objects.get().pk


def test_a_contribution_with_mistakes_is_a_problem_naming_each_field_and_nothing_is_stored(
    client, consultation, questions, convener
):
    elsewhere = KeyQuestionFactory(consultation=ConsultationFactory())
    plenary = SessionFactory(consultation=consultation, kind="plenary")
    body = {
        "key_question_id": elsewhere.pk,
        "session_id": plenary.pk,
        "kind": "rumour",
        "text": "   ",
        "countries": ["Atlantis"],
    }
    response = send(client, body, bearer(convener))
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["title"] == "The change was refused"
    assert {e["field"]: e["message"] for e in problem["errors"]} == {
        "key_question_id": "Choose one of the consultation's key questions.",
        "session_id": "Choose one of the consultation's breakout groups.",
        "kind": "Choose a kind: good practice, challenge, proposal or evidence.",
        "text": "This cannot be empty.",
        "countries": "Unknown countries: Atlantis. Use ISO 3166 codes such as KHM, LAO.",
    }
    assert not Contribution.objects.exists() and not AuditEntry.objects.exists()


def test_ids_naming_nothing_of_the_consultation_are_problems_in_the_payload_s_terms(
    client, consultation, questions, breakout, convener
):
    headers = bearer(convener)
    body = {"key_question_id": 999999, "kind": "rumour", "text": "Survey data."}
    response = send(client, body, headers)
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert {e["field"]: e["message"] for e in response.json()["errors"]} == {
        "key_question_id": "Choose one of the consultation's key questions.",
        "kind": "Choose a kind: good practice, challenge, proposal or evidence.",
    }
    other_group = SessionFactory(consultation=ConsultationFactory(), kind="breakout")
    for session_id in (999999, other_group.pk):
        body = {"key_question_id": questions[0].pk, "session_id": session_id, "kind": "evidence", "text": "Data."}
        response = send(client, body, headers)
        assert response.status_code == 422 and response["Content-Type"] == PROBLEM
        assert {e["field"]: e["message"] for e in response.json()["errors"]} == {
            "session_id": "Choose one of the consultation's breakout groups."
        }
    assert not Contribution.objects.exists() and not AuditEntry.objects.exists()


def test_a_payload_without_its_required_fields_names_them(client, consultation, convener):
    response = send(client, {"text": "Something"}, bearer(convener))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"key_question_id", "kind"}
    assert not Contribution.objects.exists()


def test_a_participant_token_cannot_capture(client, consultation, questions):
    user = UserFactory()
    ParticipationFactory(consultation=consultation, person=PersonFactory(user=user), role="participant")
    body = {"key_question_id": questions[0].pk, "kind": "proposal", "text": "Mine."}
    for token_user in (user, UserFactory()):
        response = send(client, body, bearer(token_user))
        assert response.status_code == 403 and response["Content-Type"] == PROBLEM
        assert response.json()["detail"] == "Your token does not allow this change."
    assert not Contribution.objects.exists()


def test_capturing_needs_a_token(client, consultation, questions):
    response = send(client, {"key_question_id": questions[0].pk, "kind": "proposal", "text": "Mine."})
    assert response.status_code == 401 and response.json()["title"] == "Authentication required"
    assert not Contribution.objects.exists()


# --- recommendations --------------------------------------------------------------------------------------------


@pytest.fixture
def drafted(consultation, convener, questions):
    """R1 from two contributions, edited once and commented on; R2 from none."""
    q1, q2 = questions
    sources = [
        ContributionFactory(consultation=consultation, key_question=q1, text="Agencies charge fees.", kind="challenge"),
        ContributionFactory(consultation=consultation, key_question=q1, text="License agencies.", kind="proposal"),
    ]
    r1 = services.recommendation_create(
        actor=convener,
        consultation=consultation,
        key_question=q1,
        title="Regulate recruitment agencies",
        text="License recruitment agencies.",
        actors=["governments"],
        level="national",
        timeframe="medium",
        contributions=sources,
    )
    r1 = services.recommendation_update(
        actor=convener,
        recommendation=r1,
        note="Wording of the plenary",
        text="License and inspect recruitment agencies.",
    )
    p = participant(consultation)
    services.feedback_create(participation=p, recommendation=r1, kind="comment", text="Include domestic work.")
    services.feedback_create(
        participation=p, recommendation=r1, kind="amendment", text="Fees.", proposed_text="Ban recruitment fees."
    )
    r2 = services.recommendation_create(
        actor=convener,
        consultation=consultation,
        key_question=q2,
        title="Share data",
        text="Publish child labour statistics.",
        actors=["un", "governments"],
        level="regional",
        timeframe="long",
    )
    return r1, r2, sources


def test_recommendations_in_their_order_with_version_and_comments(client, drafted):
    r1, r2, _sources = drafted
    response = client.get("/api/v1/consultations/bangkok-test/recommendations")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [
        (r["id"], r["code"], r["key_question"], r["version"], r["comments"], r["open_amendments"])
        for r in body["items"]
    ] == [(r1.pk, "R1", 1, 2, 2, 1), (r2.pk, "R2", 2, 1, 0, 0)]
    assert body["items"][1]["actors"] == ["governments", "un"]


def test_a_recommendation_with_its_versions_and_the_contributions_it_comes_from(client, drafted):
    r1, _r2, sources = drafted
    response = client.get(f"/api/v1/recommendations/{r1.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["consultation"], body["code"], body["text"], body["version"]) == (
        "bangkok-test",
        "R1",
        "License and inspect recruitment agencies.",
        2,
    )
    assert (body["comments"], body["open_amendments"]) == (2, 1)
    assert [(v["number"], v["text"], v["note"]) for v in body["versions"]] == [
        (2, "License and inspect recruitment agencies.", "Wording of the plenary"),
        (1, "License recruitment agencies.", "First draft"),
    ]
    assert body["contributions"] == [
        {
            "id": sources[0].pk,
            "key_question": 1,
            "kind": "challenge",
            "thematic_area": "",
            "stakeholder_group": "workers",
            "text": "Agencies charge fees.",
        },
        {
            "id": sources[1].pk,
            "key_question": 1,
            "kind": "proposal",
            "thematic_area": "",
            "stakeholder_group": "workers",
            "text": "License agencies.",
        },
    ]


def test_a_recommendation_of_a_draft_consultation_is_not_revealed(client, db):
    draft = ConsultationFactory(slug="draft-two", status="draft")
    rec = RecommendationFactory(consultation=draft)
    assert client.get(f"/api/v1/recommendations/{rec.pk}").status_code == 404
    assert client.get("/api/v1/consultations/draft-two/recommendations").status_code == 404
    response = client.get(f"/api/v1/recommendations/{rec.pk}", **bearer(convener_of(draft)))
    assert response.status_code == 200 and response.json()["id"] == rec.pk


def test_an_unknown_recommendation_is_a_problem_document(client, db):
    response = client.get("/api/v1/recommendations/999999")
    assert response.status_code == 404 and response.json()["detail"] == "There is nothing at this address."
