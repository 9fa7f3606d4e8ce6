"""Walk-ins at a plenary: the join code on the screen and an e-mail address bring an approved participant a new
personal link by e-mail (through a real SMTP server), in their language; the page answers the same for an address it
does not know, says a wrong code is wrong, and limits how often one network and one address may ask."""

import re

import pytest
from smtp_sink import Sink

from factories import (
    ConsultationFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
    at,
    convener_of,
)
from factories_deliberation import ballot
from target87.people import walkin
from target87.people.models import AccessLink, JoinCode

LINK = re.compile(r"https?://\S+/a/[^/\s]+/")


@pytest.fixture
def delegate(consultation):
    person = PersonFactory(name="Camille Martin", email="camille@example.org", languages=["fr"])
    return ParticipationFactory(consultation=consultation, person=person)


@pytest.fixture
def code(consultation):
    return walkin.join_code_get(consultation).code


@pytest.fixture
def ask(client, consultation, django_capture_on_commit_callbacks):
    """Type a code and an e-mail address on the consultation's join page (the jobs it starts run)."""

    def post(code, email, url=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                url or f"/consultations/{consultation.slug}/join/", {"code": code, "email": email}, **extra
            )

    return post


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_an_approved_participant_gets_a_new_link_by_e_mail_in_their_language(smtp, client, ask, delegate, code):
    ParticipationFactory(consultation=delegate.consultation)  # someone else, who gets nothing
    response = ask(code, "Camille@Example.org")
    assert response.status_code == 303 and response.url == "/join/sent/"
    page = client.get(response.url).content.decode()
    assert "a personal link is on its way to Camille@Example.org" in page
    [message] = smtp.messages
    assert "camille@example.org" in message["To"] and message["Content-Language"] == "fr"
    assert "14 septembre 2016" in Sink.body(message)
    url = LINK.search(Sink.body(message)).group(0)
    agenda = client.get(_path(url))
    assert agenda.status_code == 200 and "Camille Martin" in agenda.content.decode()


def test_the_new_link_leaves_the_links_already_held_working(smtp, client, ask, delegate, code, convener):
    from target87.people import services

    held = services.access_link_issue(actor=convener, participation=delegate)
    ask(code, "camille@example.org")
    assert AccessLink.objects.filter(participation=delegate, revoked_at=None).count() == 2
    assert client.get(f"/a/{held}/").status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_mail(smtp, ask, client, delegate, code):
    known = ask(code, "camille@example.org")
    known_page = client.get(known.url).content.decode()
    unknown = ask(code, "nobody@example.org")
    unknown_page = client.get(unknown.url).content.decode()
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert _same_but_tokens(unknown_page, known_page)
    assert [m["To"] for m in smtp.messages] == ["Camille Martin <camille@example.org>"]


def _same_but_tokens(one: str, other: str) -> bool:
    strip = re.compile(r'value="[^"]{40,}"|nobody@example.org|camille@example.org')
    return strip.sub("", one) == strip.sub("", other)


@pytest.mark.parametrize("status", ["requested", "declined", "cancelled"])
def test_a_participant_not_approved_gets_nothing(smtp, ask, client, consultation, code, status):
    ParticipationFactory(consultation=consultation, status=status, person=PersonFactory(email="dara@example.org"))
    response = ask(code, "dara@example.org")
    assert response.status_code == 303
    assert "a personal link is on its way to dara@example.org" in client.get(response.url).content.decode()
    assert smtp.messages == []


def test_a_participant_of_another_consultation_gets_nothing(smtp, ask, consultation, code):
    ParticipationFactory(consultation=ConsultationFactory(), person=PersonFactory(email="lena@example.org"))
    assert ask(code, "lena@example.org").status_code == 303
    assert smtp.messages == []


def test_a_wrong_code_says_so_and_sends_nothing(smtp, ask, consultation, delegate, code):
    wrong = "ABCDEF" if code != "ABCDEF" else "ABCDEG"
    response = ask(wrong, "camille@example.org")
    assert response.status_code == 200
    assert f"“{wrong}” is not the join code of {consultation.title}." in response.content.decode()
    response = ask("k0", "camille@example.org", url="/join/")
    assert "“K0” is not a join code. Check the code on the screen in the room: 6 letters and digits, with no 0, O" in (
        response.content.decode().replace("&quot;", '"')
    )
    other = walkin.join_code_get(ConsultationFactory()).code
    response = ask(other, "camille@example.org")
    assert f"is not the join code of {consultation.title}" in response.content.decode()
    assert smtp.messages == []


def test_the_code_is_typed_as_it_comes_and_the_general_page_finds_the_consultation(smtp, ask, delegate, code):
    typed = f" {code[:3].lower()} {code[3:].lower()} "
    assert ask(typed, "camille@example.org", url="/join/").status_code == 303
    assert len(smtp.messages) == 1


def test_an_empty_form_says_what_to_type(ask):
    page = ask("", "not-an-address").content.decode()
    assert "Type the join code shown on the screen." in page
    assert "Enter a valid e-mail address, such as name@example.org." in page


def test_one_address_is_sent_three_links_an_hour_known_or_not(smtp, ask, delegate, code):
    for email in ("camille@example.org", "nobody@example.org"):
        for _i in range(3):
            assert ask(code, email).status_code == 303
        refused = ask(code, email.upper())
        assert refused.status_code == 429
        assert f"A link was asked for {email.upper()} several times in the last hour." in refused.content.decode()
    assert len(smtp.messages) == 3


def test_one_network_may_ask_only_so_often(smtp, ask, delegate, code, settings):
    settings.WALKIN_REQUESTS_PER_HOUR = 2
    assert ask("WRONG2", "a@example.org").status_code == 200  # wrong codes count: no guessing codes
    assert ask(code, "b@example.org").status_code == 303
    refused = ask(code, "camille@example.org")
    assert refused.status_code == 429
    assert "Many links were asked for from your network in the last hour. Please try again in" in (
        refused.content.decode()
    )
    assert smtp.messages == []
    other_network = ask(code, "camille@example.org", REMOTE_ADDR="10.0.0.9")
    assert other_network.status_code == 303 and len(smtp.messages) == 1


def test_the_page_asking_for_a_personal_link_points_to_the_join_page(client, consultation):
    response = client.get(f"/consultations/{consultation.slug}/my-agenda/")
    assert response.status_code == 403
    link = response.content.decode().split("data-join-link>", 1)[1]
    assert f'href="/consultations/{consultation.slug}/join/"' in link


def test_the_qr_address_fills_in_the_code(client, consultation, code):
    page = client.get(f"/join/?code={code.lower()}").content.decode()
    assert f'value="{code}"' in page


def test_a_code_is_six_characters_read_without_doubt_and_stays_until_renewed(consultation):
    codes = {walkin.join_code_get(ConsultationFactory()).code for _i in range(30)}
    assert len(codes) == 30
    assert all(re.fullmatch(r"[2-9A-HJ-NP-Z]{6}", c) for c in codes)
    assert walkin.join_code_get(consultation).code == walkin.join_code_get(consultation).code


def test_a_convener_renews_the_code_and_the_old_one_stops_working(smtp, ask, convener_client, consultation, code):
    page = convener_client.get(f"/manage/{consultation.slug}/join-code/").content.decode()
    assert f"data-join-code>{code}<" in page
    response = convener_client.post(f"/manage/{consultation.slug}/join-code/", follow=True)
    new = JoinCode.objects.get(consultation=consultation).code
    assert new != code and f"The join code is now {new}; the old one no longer works." in response.content.decode()
    assert "is not the join code" in ask(code, "camille@example.org").content.decode()


def test_only_a_convener_renews_the_code(client, consultation, code):
    client.force_login(PersonFactory(user=UserFactory()).user)
    assert client.post(f"/manage/{consultation.slug}/join-code/").status_code == 403
    assert JoinCode.objects.get(consultation=consultation).code == code


def test_plenary_screens_show_the_code_and_breakout_screens_do_not(client, consultation):
    plenary = SessionFactory(consultation=consultation, kind="plenary")
    breakout = SessionFactory(consultation=consultation, kind="breakout", start=at(1, "11:00"), end=at(1, "12:00"))
    page = client.get(f"/live/sessions/{plenary.pk}/screen/").content.decode()
    code = JoinCode.objects.get(consultation=consultation).code
    assert f"data-join-code>{code}<" in page and "testserver/join" in page
    assert "data-join-code" not in client.get(f"/live/sessions/{breakout.pk}/screen/").content.decode()
    for kind in ("lunch_talk", "expert_panel"):
        other = SessionFactory(consultation=consultation, kind=kind)
        assert f"data-join-code>{code}<" in client.get(f"/live/sessions/{other.pk}/screen/").content.decode()


def test_the_ballot_projector_shows_the_code_under_its_voting_link(client, consultation):
    made = ballot(consultation, convener_of(consultation), "consensus", items=3)
    page = client.get(f"/ballots/{made.pk}/screen/").content.decode()
    code = JoinCode.objects.get(consultation=consultation).code
    assert f"data-join-code>{code}<" in page and "testserver/join" in page
    assert "data-join-qr" not in page  # one QR code on that screen, the voting link's


def test_the_now_page_shows_the_code_while_a_plenary_is_on(client, consultation):
    SessionFactory(consultation=consultation, kind="plenary", start=at(1, "09:00"), end=at(1, "10:00"))
    SessionFactory(consultation=consultation, kind="breakout", start=at(1, "11:00"), end=at(1, "12:00"))
    url = f"/consultations/{consultation.slug}/now/?at="
    assert "data-join-code" in client.get(url + "2016-09-14T09:30").content.decode()
    assert "data-join-code" not in client.get(url + "2016-09-14T11:30").content.decode()
    # the part of the page that refreshes itself brings the code when a plenary begins, and takes it away after
    live = {"HTTP_HX_REQUEST": "true"}
    assert "data-join-code" in client.get(url + "2016-09-14T09:30", **live).content.decode()
    assert "data-join-code" not in client.get(url + "2016-09-14T11:30", **live).content.decode()
