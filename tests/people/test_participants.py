"""Who a participant is and what they may do: the pass, the rules, and the pages that say why not."""

import pytest
from django.utils import timezone

from factories import ConsultationFactory, ParticipationFactory, PersonFactory
from target87.people import services
from target87.people.access import COOKIE
from target87.people.models import AccessLink
from target87.people.participants import Participant, forget, participant_of, participant_require
from target87.people.refusals import Reason, Refusal


@pytest.fixture
def delegate(consultation):
    return ParticipationFactory(consultation=consultation, person=PersonFactory(name="Sokha Chan"))


@pytest.fixture
def token(delegate, convener):
    return services.access_link_issue(actor=convener, participation=delegate)


def _reason(participant, action, consultation) -> Reason | None:
    try:
        participant_require(participant, action, consultation)
    except Refusal as refusal:
        return refusal.reason
    return None


def test_participant_require_tells_the_first_condition_failed(delegate, consultation, convener):
    other = ConsultationFactory(slug="elsewhere")
    assert _reason(None, "vote", consultation) == Reason.NO_LINK
    assert _reason(delegate, "vote", other) == Reason.OTHER_CONSULTATION
    assert _reason(delegate, "vote", consultation) is None
    delegate.role = "observer"
    assert _reason(delegate, "vote", consultation) == Reason.OBSERVER
    assert _reason(delegate, "contribute", consultation) is None  # observers follow and contribute
    delegate.status = "declined"
    assert _reason(delegate, "contribute", consultation) == Reason.NOT_APPROVED


def test_a_pass_round_trips_and_an_altered_one_names_nobody(delegate, token):
    link = AccessLink.objects.get(participation=delegate)
    held = participant_of(delegate, link).to_pass()
    back = Participant.from_pass(held)
    assert (back.pk, back.consultation_id, back.group, back.link_id, back.known) == (
        delegate.pk,
        delegate.consultation_id,
        delegate.person.stakeholder_group,
        link.pk,
        None,
    )
    assert Participant.from_pass(held[:-2] + "xx") is None
    assert Participant.from_pass("") is None


def test_a_pass_is_judged_on_what_the_process_knows(delegate, consultation, convener, token):
    held = Participant.from_pass(participant_of(delegate, AccessLink.objects.get(participation=delegate)).to_pass())
    assert _reason(held, "vote", consultation) is None
    services.access_link_revoke_all(actor=convener, participation=delegate)  # an update: no signal
    assert _reason(held, "vote", consultation) is None  # within REFRESH_SECONDS this process does not know yet
    forget(consultation.pk)
    assert _reason(held, "vote", consultation) == Reason.LINK_WITHDRAWN


def test_the_contribution_page_asks_for_the_link_without_a_pass(client, consultation):
    response = client.get(f"/consultations/{consultation.slug}/contribute/")
    assert response.status_code == 403
    assert "Open your personal link first" in response.content.decode()


def test_opening_the_link_gives_a_pass_that_the_contribution_page_reads(client, consultation, token):
    client.get(f"/a/{token}/")
    assert client.cookies[COOKIE]["httponly"] and client.cookies[COOKIE]["samesite"] == "Lax"
    page = client.get(f"/consultations/{consultation.slug}/contribute/")
    assert page.status_code == 200 and "Sokha Chan" in page.content.decode()


def test_a_withdrawn_link_closes_the_contribution_page_and_keeps_saying_why(
    client, consultation, convener, delegate, token
):
    client.get(f"/a/{token}/")
    services.access_link_revoke_all(actor=convener, participation=delegate)
    for _attempt in range(2):
        page = client.get(f"/consultations/{consultation.slug}/contribute/")
        assert page.status_code == 403 and "This access link has been withdrawn" in page.content.decode()


def test_an_expired_link_is_refused_when_opened(client, delegate, token):
    AccessLink.objects.filter(participation=delegate).update(expires_at=timezone.now())
    response = client.get(f"/a/{token}/")
    assert response.status_code == 403 and "This access link has expired" in response.content.decode()
    assert COOKIE not in client.cookies


def test_a_refusal_to_htmx_reloads_the_page(client, consultation, delegate, token):
    client.get(f"/a/{token}/")
    delegate.status = "declined"
    delegate.save()
    page = client.get(f"/consultations/{consultation.slug}/contribute/", HTTP_HX_REQUEST="true")
    assert (page.status_code, page["HX-Refresh"]) == (403, "true")
    assert "Your registration is not approved" in page.content.decode()


@pytest.mark.parametrize(
    ("approved", "withdrawn", "observer", "expires"),
    [
        (True, False, False, 4e9),
        (False, False, False, 4e9),
        (True, True, False, 4e9),
        (True, False, True, 4e9),
        (True, False, False, 1.0),
    ],
)
def test_the_rule_set_and_the_refusals_give_the_same_answer(approved, withdrawn, observer, expires):
    from target87.people.participants import Standing
    from target87.people.rules import ACTIONS, participant_rules, refusal_reason

    standing = Standing(7, expires, approved, withdrawn, observer)
    held = Participant(1, 7, "government", 1, expires, known=standing)
    for action in ACTIONS:
        for consultation_id in (7, 8):
            allowed = participant_rules.test_rule(action, standing, consultation_id)
            assert allowed == (refusal_reason(held, action, consultation_id) is None)
    assert participant_rules.test_rule("vote", None, 7) is False


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_decision_form_never_sends_the_convener_to_another_site(convener_client, consultation, target):

    participation = ParticipationFactory(consultation=consultation)
    url = f"/manage/{consultation.slug}/participants/{participation.pk}/decide/"
    response = convener_client.post(url, {"status": "approved", "next": target})
    assert response.status_code == 302
    assert response["Location"] == f"/manage/{consultation.slug}/participants/"


def test_the_decision_form_goes_back_to_the_filtered_list(convener_client, consultation):

    participation = ParticipationFactory(consultation=consultation)
    back = f"/manage/{consultation.slug}/participants/?status=pending"
    url = f"/manage/{consultation.slug}/participants/{participation.pk}/decide/"
    assert convener_client.post(url, {"status": "approved", "next": back})["Location"] == back
