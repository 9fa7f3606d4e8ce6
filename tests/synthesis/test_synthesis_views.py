"""The synthesis pages: who sees them, what they say, and how bad input is answered."""

import pytest
from django.urls import reverse
from factories_synthesis import OTHER, SAME, accept, suggest

from factories import ConsultationFactory, KeyQuestionFactory, UserFactory
from factories_deliberation import facilitator_of
from target87.deliberation import services as deliberation
from target87.deliberation.models import Recommendation
from target87.synthesis import services
from target87.synthesis.models import Merge, Suggestion, SupportingQuote


def url(name, consultation, **kwargs):
    return reverse(f"synthesis:{name}", kwargs={"slug": consultation.slug, **kwargs})


def test_the_page_says_when_the_words_were_compared_instead_of_the_model(texts, convener_client, without_model):
    texts.recommendation("Steering committees", SAME[0])
    texts.contribution(SAME[1], group=1)
    texts.contribution(OTHER[0], group=2)
    response = convener_client.post(url("suggest", texts.consultation), {"method": "auto"})
    assert response.status_code == 303
    page = convener_client.get(url("home", texts.consultation)).content.decode()
    assert "so these suggestions compare the texts' words (TF-IDF)" in page
    assert "Review S" in page


def test_a_bad_threshold_is_answered_on_the_form(texts, convener_client):
    texts.contribution(SAME[0])
    response = convener_client.post(url("suggest", texts.consultation), {"method": "tfidf", "threshold": "7"})
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 2" in response.content.decode()
    response = convener_client.post(url("suggest", texts.consultation), {"method": "tfidf"})
    assert response.status_code == 400
    assert "There is nothing to compare yet" in response.content.decode()


def test_a_rapporteur_accepts_a_suggestion_and_lands_on_the_traceability_page(texts, client):
    rapporteur = facilitator_of(texts.consultation, role="rapporteur")
    client.force_login(rapporteur)
    c1 = texts.contribution(SAME[1], group=1)
    r1 = texts.recommendation("Steering committees", SAME[0], sources=[texts.contribution(SAME[0])])
    suggestion = suggest(texts.consultation, [r1, c1])
    page = client.get(url("suggestion", texts.consultation, pk=suggestion.pk)).content.decode()
    assert 'value="Steering committees"' in page
    response = client.post(
        url("suggestion", texts.consultation, pk=suggestion.pk),
        {
            "action": "accept",
            "title": "Full members",
            "text": "Make them full members.",
            "actors": ["governments"],
            "level": "national",
            "timeframe": "medium",
        },
    )
    assert response["Location"] == url("recommendation", texts.consultation, number=2)
    page = client.get(response["Location"]).content.decode()
    assert "R2. Full members" in page and "2 source contributions" in page and "Breakout B" in page


def test_accepting_a_stale_suggestion_says_what_changed_and_stores_nothing(texts, convener, convener_client):
    c1 = texts.contribution(SAME[1])
    r1 = texts.recommendation("Steering committees", SAME[0])
    suggestion = suggest(texts.consultation, [r1, c1])
    deliberation.recommendation_update(actor=convener, recommendation=r1, text="Changed.")
    page = convener_client.get(url("suggestion", texts.consultation, pk=suggestion.pk)).content.decode()
    assert "Out of date: R1 was edited since this was suggested." in page
    response = convener_client.post(
        url("suggestion", texts.consultation, pk=suggestion.pk),
        {"action": "accept", "title": "T", "text": "X", "actors": ["ngos"], "level": "national", "timeframe": "medium"},
    )
    assert response.status_code == 400
    assert "This suggestion is out of date: R1 was edited" in response.content.decode()
    assert Recommendation.objects.count() == 1


def test_reject_and_split_from_the_page(texts, convener_client):
    a, b, c = (texts.contribution(t) for t in (SAME[0], SAME[1], OTHER[0]))
    one, two = suggest(texts.consultation, [a, c]), suggest(texts.consultation, [a, b, c])
    convener_client.post(url("suggestion", texts.consultation, pk=one.pk), {"action": "reject"})
    members = list(two.members.values_list("pk", flat=True))
    response = convener_client.post(
        url("suggestion", texts.consultation, pk=two.pk), {"action": "split", "members": members[:2]}
    )
    part = Suggestion.objects.get(parent=two)
    assert response["Location"] == url("suggestion", texts.consultation, pk=part.pk)
    assert list(Suggestion.objects.order_by("pk").values_list("status", flat=True)) == [
        "rejected",
        "split",
        "pending",
    ]
    response = convener_client.post(
        url("suggestion", texts.consultation, pk=part.pk), {"action": "split", "members": members[:1]}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_undo_twice_from_the_page_says_it_was_undone(texts, convener, convener_client):
    merge = accept(convener, suggest(texts.consultation, [texts.contribution(SAME[0]), texts.contribution(SAME[1])]))
    convener_client.post(url("merge_undo", texts.consultation, pk=merge.pk))
    response = convener_client.post(url("merge_undo", texts.consultation, pk=merge.pk), follow=True)
    assert "This merge was already undone on" in response.content.decode()
    assert Merge.objects.get().status == "undone"


def test_a_quote_not_in_its_source_is_refused_on_the_page(texts, convener_client):
    source = texts.contribution("Recruitment fees paid by workers averaged several months of wages.")
    rec = texts.recommendation("Fees", "End recruitment fees.", sources=[source])
    address = url("recommendation", texts.consultation, number=rec.number)
    response = convener_client.post(address, {"contribution": source.pk, "text": "fees paid by employers"})
    assert response.status_code == 400
    assert "do not occur in the contribution as written" in response.content.decode()
    response = convener_client.post(address, {"contribution": source.pk, "text": "several  months"}, follow=True)
    assert "“several months”" in response.content.decode()
    assert SupportingQuote.objects.get().text == "several months"


def test_the_contribution_page_shows_where_it_ended_up(texts, convener):
    from django.test import Client

    client = Client()
    client.force_login(convener)
    c1 = texts.contribution(SAME[0])
    r1 = texts.recommendation("Steering committees", SAME[0], sources=[c1])
    accept(convener, suggest(texts.consultation, [r1, texts.contribution(SAME[1])]), title="Full members")
    page = client.get(url("contribution", texts.consultation, pk=c1.pk)).content.decode()
    assert "R1. Steering committees" in page and "merged into" in page and "R2. Full members" in page


def test_coverage_on_the_page(texts, convener_client):
    texts.recommendation("Committees", SAME[0], sources=[texts.contribution(SAME[0])])
    texts.contribution(OTHER[0], question=1)
    page = convener_client.get(url("home", texts.consultation)).content.decode()
    assert "1 of 1 covered, 0 not yet" in page and "0 of 1 covered, 1 not yet" in page


def test_the_ballot_form_is_for_conveners_only(texts, convener, convener_client, client):
    for pair in ((SAME[0], SAME[1]), (OTHER[0], OTHER[1])):
        accept(convener, suggest(texts.consultation, [texts.contribution(t) for t in pair]))
    response = convener_client.post(url("ballot", texts.consultation), {"title": "Priorities", "method": "borda"})
    assert response.status_code == 303
    rapporteur = facilitator_of(texts.consultation, role="rapporteur")
    client.force_login(rapporteur)
    assert 'id="ballot"' not in client.get(url("home", texts.consultation)).content.decode()
    assert client.post(url("ballot", texts.consultation), {"title": "B", "method": "borda"}).status_code == 403


@pytest.mark.parametrize("name", ["home", "suggestion", "contribution", "recommendation"])
def test_strangers_and_other_consultations_ids_are_refused(texts, convener, client, name):
    elsewhere = ConsultationFactory()
    other_convener = facilitator_of(elsewhere, role="convener")
    c1, c2 = texts.contribution(SAME[0]), texts.contribution(SAME[1])
    rec = texts.recommendation("Committees", SAME[0], sources=[c1])
    suggestion = suggest(texts.consultation, [c1, c2])
    kwargs = {
        "home": {},
        "suggestion": {"pk": suggestion.pk},
        "contribution": {"pk": c1.pk},
        "recommendation": {"number": rec.number},
    }[name]
    client.force_login(UserFactory())
    assert client.get(url(name, texts.consultation, **kwargs)).status_code == 403
    client.force_login(other_convener)
    assert client.get(url(name, texts.consultation, **kwargs)).status_code == 403
    if kwargs:  # the other convener, in their own consultation, with this consultation's ids
        KeyQuestionFactory(consultation=elsewhere)
        assert client.get(url(name, elsewhere, **kwargs)).status_code == 404


def test_an_undo_from_another_consultation_is_not_found(texts, convener):
    from django.test import Client

    merge = accept(convener, suggest(texts.consultation, [texts.contribution(SAME[0]), texts.contribution(SAME[1])]))
    elsewhere = ConsultationFactory()
    client = Client()
    client.force_login(facilitator_of(elsewhere, role="convener"))
    assert client.post(url("merge_undo", elsewhere, pk=merge.pk)).status_code == 404
    assert Merge.objects.get().status == "active"
    assert services.stale_members(merge.suggestion) == []


def test_the_synthesis_page_reads_the_same_number_of_queries_however_many_suggestions(texts, convener_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert convener_client.get(url("home", texts.consultation)).status_code == 200
        return len(queries)

    pairs = [(SAME[0], SAME[1]), (OTHER[0], OTHER[1]), (SAME[2], OTHER[0])]
    suggest(texts.consultation, [texts.contribution(t) for t in pairs[0]])
    few = count()
    for pair in pairs[1:]:
        suggest(texts.consultation, [texts.contribution(t, group=1) for t in pair])
    assert count() == few


def test_dots_without_a_number_of_dots_is_answered_on_the_form(texts, convener, convener_client):
    for pair in ((SAME[0], SAME[1]), (OTHER[0], OTHER[1])):
        accept(convener, suggest(texts.consultation, [texts.contribution(t) for t in pair]))
    response = convener_client.post(url("ballot", texts.consultation), {"title": "P", "method": "dots", "dots": ""})
    assert response.status_code == 400
    assert "Give each participant from 1 to 100 dots." in response.content.decode()


def test_breakout_titles_on_the_synthesis_pages_are_in_the_reader_s_language(texts, convener_client):
    session = texts.breakouts[0]
    session.translations = {"fr": {"title": "Groupe de travail : inspection"}}
    session.save(update_fields=["translations"])
    contribution = texts.contribution(SAME[0])
    page = convener_client.get(
        url("contribution", texts.consultation, pk=contribution.pk), headers={"accept-language": "fr"}
    )
    assert "Groupe de travail : inspection" in page.content.decode()
    home = convener_client.get(url("home", texts.consultation), headers={"accept-language": "fr"})
    assert "Groupe de travail : inspection" in home.content.decode()  # among the contributions not covered yet
