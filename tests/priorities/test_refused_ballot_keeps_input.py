"""Never lose what someone typed: a refused dots, Borda or Schulze ballot comes back with what was sent and the
error, with and without htmx; a dots ballot says how many dots are left."""

import re

import pytest

from factories_deliberation import ballot, participant
from target87.people import services as people
from target87.priorities.models import Vote


def _voter(client, consultation, convener):
    token = people.access_link_issue(actor=convener, participation=participant(consultation))
    client.get(f"/a/{token}/")


def _value(page: str, item) -> str:
    field = re.search(rf'<input type="number" id="item-{item.pk}"[^>]*>', page).group(0)
    return re.search(r'value="([^"]*)"', field).group(1)


def _selected(page: str, item) -> str:
    select = re.search(rf'<select id="item-{item.pk}".*?</select>', page, re.S).group(0)
    chosen = re.search(r'<option value="([^"]*)" selected>', select)
    return chosen.group(1) if chosen else ""


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_dots_ballot_shows_the_dots_that_were_sent(client, consultation, convener, htmx):
    b = ballot(consultation, convener, "dots", dots=10)
    _voter(client, consultation, convener)
    first, second, third, _fourth = b.items.all()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    sent = {f"item-{first.pk}": "6", f"item-{second.pk}": "6", f"item-{third.pk}": "0"}
    response = client.post(f"/ballots/{b.pk}/vote/", sent, **headers)
    page = response.content.decode()
    assert response.status_code == (200 if htmx else 400)
    assert "You placed 12 dots but have 10" in page
    assert (_value(page, first), _value(page, second), _value(page, third)) == ("6", "6", "0")
    assert "2 dots too many" in page
    assert not Vote.objects.exists()


@pytest.mark.parametrize("method", ["borda", "schulze"])
def test_a_refused_ranking_shows_the_ranks_that_were_sent(client, consultation, convener, method):
    b = ballot(consultation, convener, method)
    _voter(client, consultation, convener)
    first, second, third, _fourth = b.items.all()
    sent = {f"item-{first.pk}": "1", f"item-{second.pk}": "1", f"item-{third.pk}": "2"}
    response = client.post(f"/ballots/{b.pk}/vote/", sent)
    page = response.content.decode()
    assert response.status_code == 400 and 'class="errorlist"' in page
    assert (_selected(page, first), _selected(page, second), _selected(page, third)) == ("1", "1", "2")
    assert not Vote.objects.exists()


def test_the_dots_left_are_counted_on_the_page(client, consultation, convener):
    b = ballot(consultation, convener, "dots", dots=10)
    _voter(client, consultation, convener)
    first = b.items.first()
    page = client.get(f"/ballots/{b.pk}/vote/").content.decode()
    assert "10 dots left" in page and "dots-left.js" in page
    client.post(f"/ballots/{b.pk}/vote/", {f"item-{first.pk}": "9"})
    page = client.get(f"/ballots/{b.pk}/vote/").content.decode()
    assert "1 dot left" in page and _value(page, first) == "9"
    assert "<script>" not in page
