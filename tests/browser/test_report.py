"""The convener builds the outcome report in the browser, follows its progress, publishes it, and the public
downloads the PDF and the Word file, with the Thai, Khmer, Lao, Vietnamese and Chinese names intact."""

import sys
from pathlib import Path

from django.urls import reverse

from factories import ConsultationFactory, ParticipationFactory, PersonFactory, UserFactory

sys.path.insert(0, str(Path(__file__).parents[1] / "reports"))
from factories_followup import followed
from factories_reports import QUESTIONS, SPEAKERS, filled

PASSWORD = "a-long-test-password"


def test_convener_builds_publishes_and_the_public_downloads_pdf_and_docx(
    transactional_db, live_server, page_factory, report_words
):
    consultation = ConsultationFactory(slug="bangkok-report", title="Bangkok consultation")
    convener = UserFactory(username="convener")
    ParticipationFactory(consultation=consultation, person=PersonFactory(user=convener), role="convener")
    filled(consultation, convener)

    page = page_factory(
        phone=True,
        signed_in=("convener", PASSWORD),
        landing=reverse("reports:manage", kwargs={"slug": consultation.slug}),
    )
    page.get_by_role("heading", name="Outcome report").wait_for()

    page.get_by_label("Language").last.select_option("en")
    # the tests run jobs at once, in the request: the build (every format) may take a while on a busy machine
    page.get_by_role("button", name="Build the report").click(timeout=180_000)
    progress = page.locator("#job-progress progress")
    progress.wait_for()
    page.get_by_text("Done · 100 %").wait_for()
    assert progress.get_attribute("value") == "100"
    page.get_by_role("link", name="See the result").click()

    page.get_by_role("button", name="Publish edition 1").click()
    page.get_by_text("Edition 1 is published.").wait_for()

    public = page_factory(phone=True)
    public.goto(reverse("reports:public", kwargs={"slug": consultation.slug}))
    public.get_by_role("heading", name=f"Key question 1: {QUESTIONS[0]}").wait_for()
    assert public.evaluate("document.documentElement.scrollWidth") <= 390  # reads on a phone
    text, words = report_words(public)
    for question in QUESTIONS:
        assert question in text and question in words
    for name in SPEAKERS.values():
        assert name in text and name in words


def _signed_in(page_factory, slug: str, username: str = "convener"):
    page = page_factory(
        phone=True, signed_in=(username, PASSWORD), landing=reverse("reports:manage", kwargs={"slug": slug})
    )
    page.get_by_role("heading", name="Outcome report").wait_for()
    return page


def _convener_of(consultation):
    convener = UserFactory(username="convener")
    ParticipationFactory(consultation=consultation, person=PersonFactory(user=convener), role="convener")
    return convener


def _rapporteur_of(consultation):
    rapporteur = UserFactory(username="rapporteur")
    ParticipationFactory(consultation=consultation, person=PersonFactory(user=rapporteur), role="rapporteur")
    return rapporteur


def _build_and_publish(page, edition: str, **choices):
    page.get_by_label("Edition", exact=True).select_option(edition)
    for label, value in choices.items():
        page.get_by_label(label).select_option(value)
    page.get_by_role("button", name="Build the report").click(timeout=180_000)
    page.get_by_text("Done · 100 %").wait_for(timeout=180_000)
    page.get_by_role("link", name="See the result").click()
    page.get_by_role("button", name="Publish edition 1").click()
    page.get_by_text("Edition 1 is published.").wait_for()


def test_rapporteur_writes_a_key_message_and_reads_it_in_the_published_report(
    transactional_db, live_server, page_factory
):
    consultation = ConsultationFactory(slug="bangkok-messages", title="Bangkok consultation")
    filled(consultation, _convener_of(consultation))
    _rapporteur_of(consultation)
    message = "Every country of the sub-region adopts a national action plan on child labour by 2018."
    page = _signed_in(page_factory, consultation.slug, "rapporteur")
    # the rapporteur's back office: their tabs only, the report's marked as the current one
    assert page.locator("nav .tabs a[aria-current=page]").inner_text() == "Outcome report"
    assert page.get_by_role("link", name="Timetable").count() == 0

    page.get_by_label("New key message for key question 1").fill(message)
    page.locator("#key-messages-q1").get_by_role("button", name="Add the key message").click()
    page.get_by_text("Key message added.").wait_for()
    assert page.get_by_label("Key message 1").input_value() == message
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the report page reads on a phone

    # its French text, for the report in French
    french = "Chaque pays de la sous-région adopte un plan d'action national sur le travail des enfants d'ici 2018."
    card = page.locator("#key-messages-q1")
    card.get_by_text("In the report's other languages").click()
    card.get_by_label("Key message (French)").fill(french)
    card.get_by_role("button", name="Save").click()
    page.get_by_text("Key message saved.").wait_for()
    card.get_by_text("In the report's other languages").click()
    assert card.get_by_label("Key message (French)").input_value() == french
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="Preview the report as it stands").click()
    page.get_by_text(message).wait_for()
    assert page.get_by_text("No key message written yet for this key question.").count() == 4
    page.get_by_role("link", name="Back to the outcome report").click()

    page.get_by_label("Language").last.select_option("en")
    _build_and_publish(page, "outcome")
    public = page_factory(phone=True)
    public.goto(reverse("reports:public", kwargs={"slug": consultation.slug}))
    section = public.locator("#q1")
    section.get_by_role("heading", name="Key messages").wait_for()
    assert section.get_by_role("listitem").filter(has_text=message).count() == 1
    assert public.get_by_text("No key message written yet").count() == 0
    assert public.locator("#q2").get_by_role("heading", name="Key messages").count() == 0


def test_followup_edition_shows_the_priority_no_action_answers(transactional_db, live_server, page_factory):
    consultation = ConsultationFactory(slug="bangkok-followup", title="Bangkok consultation")
    followed(consultation, _convener_of(consultation))
    page = _signed_in(page_factory, consultation.slug)
    page.get_by_label("Language").last.select_option("en")
    _build_and_publish(page, "followup", **{"Currency of the money": "EUR"})

    public = page_factory(phone=True)
    public.goto(reverse("reports:public_followup", kwargs={"slug": consultation.slug}))
    orphans = public.locator("#orphan-priorities")
    orphans.get_by_role("heading", name="Priorities no action answers yet").wait_for()
    assert orphans.get_by_role("listitem").filter(has_text="National action plans").count() == 1
    public.get_by_text("Labour inspectors trained in Kanchanaburi farms").first.wait_for()
    assert public.get_by_text("committed 9,000 EUR, spent 900 EUR").count() >= 1
    assert public.evaluate("document.documentElement.scrollWidth") <= 390
