import re

from smtp_sink import Sink

from factories import ParticipationFactory, PersonFactory
from target87.people.models import Participation, Person

FORM = {
    "name": "Dara Keomany",
    "email": "dara@example.org",
    "organisation": "Migrant Workers' Aid",
    "stakeholder_group": "civil_society",
    "country": "LAO",
    "gender": "",
    "access_needs": "Wheelchair access",
    "dietary_needs": "vegetarian",
    "motivation": "",
}


def test_registration_is_received_and_waits_for_the_convener(client, consultation):
    response = client.post("/consultations/bangkok-test/register/", FORM)
    assert response.status_code == 303  # a reload does not send the form again
    assert "Registration received" in client.get(response["Location"]).content.decode()
    participation = Participation.objects.get(person__email="dara@example.org")
    assert (
        participation.status == "requested" and participation.person.organisation.stakeholder_group == "civil_society"
    )


def test_registration_with_bad_input_says_what_is_wrong_and_stores_nothing(client, consultation):
    response = client.post(
        "/consultations/bangkok-test/register/", {**FORM, "email": "dara-at-example", "country": "ZZZ"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Enter a valid email address." in page
        and "Select a valid choice. ZZZ is not one of the available choices." in page
    )
    assert not Person.objects.filter(name="Dara Keomany").exists()


def test_registering_twice_reveals_nothing_and_the_address_owner_is_told_by_e_mail(
    smtp, client, consultation, django_capture_on_commit_callbacks
):
    first = client.post("/consultations/bangkok-test/register/", FORM, follow=True).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/consultations/bangkok-test/register/", {**FORM, "name": "Someone Else"}, follow=True)
    main = re.compile(r"<main.*</main>", re.S)
    # the page does not say whether the address is registered
    assert main.search(again.content.decode()).group(0) == main.search(first).group(0)
    assert again.redirect_chain == [("/consultations/bangkok-test/register/received/", 303)]
    assert Participation.objects.count() == 1
    assert Participation.objects.get().person.name == "Dara Keomany"
    [message] = smtp.to("dara@example.org")
    assert "already registered" in Sink.body(message)


def test_convener_approves_a_request(convener_client, consultation):
    request = ParticipationFactory(consultation=consultation, status="requested", person=PersonFactory(name="Dara"))
    convener_client.post(f"/manage/bangkok-test/participants/{request.pk}/decide/", {"status": "approved"})
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by is not None


def test_emails_and_needs_are_never_public(client, consultation):
    ParticipationFactory(
        consultation=consultation, access_needs="Sign language", person=PersonFactory(email="hidden@example.org")
    )
    for url in [
        "/consultations/bangkok-test/",
        "/api/v1/consultations/bangkok-test",
        "/consultations/bangkok-test/schedule.json",
    ]:
        body = client.get(url).content.decode()
        assert "hidden@example.org" not in body and "Sign language" not in body
    assert client.get("/manage/bangkok-test/participants/").status_code == 302  # to the sign-in page


def test_a_facilitator_of_another_consultation_sees_nothing_private_here(client, consultation):
    from factories import ConsultationFactory, UserFactory

    user = UserFactory()
    ParticipationFactory(
        consultation=ConsultationFactory(slug="other"), person=PersonFactory(user=user), role="facilitator"
    )
    client.force_login(user)
    assert client.get("/manage/bangkok-test/participants/").status_code == 403
    assert client.get("/manage/bangkok-test/badges/").status_code == 403
