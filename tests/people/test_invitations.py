"""Facilitators and rapporteurs: invited from the participants page by e-mail (through a real SMTP server), a
one-time link to choose a password, then their own group's capture page, preset and kept between entries, and only
the back-office tabs they may use."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from smtp_sink import Sink

from factories import ParticipationFactory, PersonFactory
from factories_breakouts import breakout_slot, participants
from target87.breakouts import services as breakouts
from target87.breakouts.models import Allocation
from target87.deliberation.models import Contribution

PASSWORD = "Gr0up-two-notes!"


def _invite(convener_client, consultation, capture, **data):
    with capture(execute=True):
        return convener_client.post(reverse("people:invite", kwargs={"slug": consultation.slug}), data)


def _accept(client, message) -> object:
    url = re.search(r"https?://\S+/invitation/\S+/", Sink.body(message)).group(0)
    path = "/" + url.split("/", 3)[3]
    form = client.get(path, follow=True)
    assert "Choose your password" in form.content.decode()
    return client.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}), path


@pytest.fixture
def published(consultation, convener):
    """Two parallel breakouts (rooms A and B, Q1 and Q2) with 11 people and a facilitator, published."""
    slot = breakout_slot(consultation, rooms=2, capacity=10)
    people = participants(consultation, 11)
    lead = ParticipationFactory(
        consultation=consultation,
        role="facilitator",
        person=PersonFactory(name="Nalin Facilitator", email="nalin@example.org"),
    )
    breakouts.allocation_run(actor=convener, session=slot[0], time_limit=1)
    allocation = Allocation.objects.get()
    allocation = breakouts.allocation_publish(actor=convener, allocation=allocation)
    group = allocation.published_run.groups.get(facilitator=lead)
    return slot, people, lead, group


def test_an_invited_facilitator_chooses_a_password_once_and_lands_on_their_groups_capture(
    smtp, consultation, convener_client, published, django_capture_on_commit_callbacks
):
    _slot, _people, lead, group = published
    page = convener_client.get(reverse("people:manage_participants", kwargs={"slug": consultation.slug}))
    assert "Invite to sign in" in page.content.decode()
    _invite(convener_client, consultation, django_capture_on_commit_callbacks, participation=lead.pk)
    [message] = smtp.to("nalin@example.org")
    assert "Facilitator" in message["Subject"]
    assert "nalin@example.org" in Sink.body(message)  # their user name

    browser = Client()
    response, link = _accept(browser, message)
    capture_url = reverse("deliberation:capture", kwargs={"slug": consultation.slug})
    assert response.status_code == 302 and response["Location"] == capture_url
    page = browser.get(capture_url).content.decode()
    assert f"Your group: {group.number} — {group.room.name} ({group.session.title})" in page
    assert re.search(rf'<option value="{group.session_id}" selected>', page)
    assert re.search(
        rf'<option value="{group.key_question_id or group.session.key_questions.get().pk}" selected>', page
    )

    # the link works once
    used = Client().get(link, follow=True).content.decode()
    assert "already been used or has expired" in used
    # and the password signs in from then on
    signed_in = Client().post(reverse("core:login"), {"username": "nalin@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302


def test_the_group_and_key_question_stay_set_between_entries(client, consultation, published):
    slot, _people, lead, group = published
    user = get_user_model().objects.create_user("nalin", password=PASSWORD)
    lead.person.user = user
    lead.person.save()
    client.force_login(user)
    capture_url = reverse("deliberation:capture", kwargs={"slug": consultation.slug})
    other_question = slot[1].key_questions.get() if group.session_id == slot[0].pk else slot[0].key_questions.get()
    response = client.post(
        capture_url,
        {
            "text": "Labour inspectors need interpreters.",
            "kind": "proposal",
            "session": group.session_id,
            "key_question": other_question.pk,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert re.search(rf'<option value="{group.session_id}" selected>', page)
    assert re.search(rf'<option value="{other_question.pk}" selected>', page)  # what they chose last, kept
    assert Contribution.objects.get().session_id == group.session_id


def test_a_facilitator_sees_only_the_tabs_they_may_use_and_each_one_opens(client, consultation, published):
    _slot, _people, lead, _group = published
    user = get_user_model().objects.create_user("nalin", password=PASSWORD)
    lead.person.user = user
    lead.person.save()
    client.force_login(user)
    dashboard = client.get(reverse("consultations:dashboard")).content.decode()
    assert f'href="/manage/{consultation.slug}/"' not in dashboard
    assert "Record your group's contributions" in dashboard
    page = client.get(reverse("deliberation:capture", kwargs={"slug": consultation.slug})).content.decode()
    nav = re.search(r'<ul class="tabs">(.*?)</ul>', page, re.S).group(1)
    links = re.findall(r'href="([^"]+)"', nav)
    assert "Participants" not in nav and "Ballots" not in nav and "Details" not in nav
    assert "Outcome report" not in nav
    assert 'aria-current="page">Contributions' in nav
    # contributions, recommendations, synthesis, the live sessions they moderate, and the public page
    assert len(links) == 5 and any("/synthesis/" in url for url in links) and any("/live/" in url for url in links)
    for url in links:
        assert client.get(url).status_code == 200, url


def test_the_convener_invites_a_new_rapporteur_by_e_mail(
    smtp, consultation, convener_client, django_capture_on_commit_callbacks
):
    response = _invite(
        convener_client,
        consultation,
        django_capture_on_commit_callbacks,
        name="Dara Rapporteur",
        email="dara@example.org",
        role="rapporteur",
    )
    assert response.status_code == 302
    participation = consultation.participations.get(person__email="dara@example.org")
    assert (participation.role, participation.status) == ("rapporteur", "approved")
    [message] = smtp.to("dara@example.org")
    response, _link = _accept(Client(), message)
    assert response["Location"] == reverse("deliberation:capture", kwargs={"slug": consultation.slug})


def test_bad_invitations_say_why_and_make_nothing(
    smtp, consultation, convener_client, django_capture_on_commit_callbacks
):
    page = convener_client.post(
        reverse("people:invite", kwargs={"slug": consultation.slug}),
        {"name": "", "email": "new@example.org", "role": "facilitator"},
        follow=True,
    ).content.decode()
    assert "Give the person&#x27;s name" in page
    delegate = ParticipationFactory(consultation=consultation)
    page = convener_client.post(
        reverse("people:invite", kwargs={"slug": consultation.slug}), {"participation": delegate.pk}, follow=True
    ).content.decode()
    assert "Only facilitators and rapporteurs are invited" in page
    assert smtp.messages == [] and not get_user_model().objects.filter(email="new@example.org").exists()


def test_only_the_convener_invites(client, consultation, published):
    _slot, _people, lead, _group = published
    response = client.post(reverse("people:invite", kwargs={"slug": consultation.slug}), {"participation": lead.pk})
    assert response.status_code in (302, 403)
    lead.person.refresh_from_db()
    assert lead.person.user is None
