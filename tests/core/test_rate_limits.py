"""Writes that anyone can make are limited per sender, with a message that says how long to wait."""

import json

from target87.api.models import ApiToken
from target87.core import ratelimit


def test_the_window_counts_and_says_how_long_to_wait(db):
    assert [ratelimit.wait_for("k", limit=3, seconds=60) for _ in range(3)] == [0, 0, 0]
    wait = ratelimit.wait_for("k", limit=3, seconds=60)
    assert 1 <= wait <= 60
    assert ratelimit.wait_for("other", limit=3, seconds=60) == 0  # each sender has their own count


def test_a_forwarded_address_counts_only_behind_declared_proxies(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.2", REMOTE_ADDR="127.0.0.1")
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_address(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_address(request) == "198.51.100.2"


def test_registrations_from_one_network_are_limited_with_a_message(client, consultation, settings):
    settings.REGISTRATIONS_PER_HOUR = 2
    url = f"/consultations/{consultation.slug}/register/"
    statuses = []
    for n in range(3):
        response = client.post(
            url,
            {"name": f"Person {n}", "email": f"p{n}@example.org", "organisation": "Ministry",
             "stakeholder_group": "government", "country": "THA"},
        )  # fmt: skip
        statuses.append(response.status_code)
    assert statuses == [303, 303, 429]
    assert "Many registrations came from your network in the last hour" in response.content.decode()


def test_a_token_sending_too_many_requests_is_told_to_wait(client, consultation, convener, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    token = ApiToken.issue(user=convener, name="tests")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = json.dumps({"name": "Hall", "capacity": 10})
    url = f"/api/v1/consultations/{consultation.slug}/rooms"
    answers = [client.post(url, data=body, content_type="application/json", **headers) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [201, 422, 422]  # the second and third: same name
    assert answers[3].status_code == 429 and answers[3]["Content-Type"] == "application/problem+json"
    assert "more than 3 requests in a minute" in answers[3].json()["detail"]
