"""The convener builds the outcome report in the browser, follows its progress, publishes it, and the public
downloads the PDF and the Word file, with the Thai, Khmer, Lao, Vietnamese and Chinese names intact."""

import io
import subprocess
import sys
from pathlib import Path

import docx
from django.urls import reverse

from factories import ConsultationFactory, ParticipationFactory, PersonFactory, UserFactory

sys.path.insert(0, str(Path(__file__).parents[1] / "reports"))
from factories_reports import QUESTIONS, SPEAKERS, filled

PASSWORD = "a-long-test-password"


def test_convener_builds_publishes_and_the_public_downloads_pdf_and_docx(
    transactional_db, live_server, page_factory, tmp_path
):
    consultation = ConsultationFactory(slug="bangkok-report", title="Bangkok consultation")
    convener = UserFactory(username="convener")
    ParticipationFactory(consultation=consultation, person=PersonFactory(user=convener), role="convener")
    filled(consultation, convener)

    page = page_factory(viewport={"width": 390, "height": 844})
    page.goto(reverse("core:login") + "?next=" + reverse("reports:manage", kwargs={"slug": consultation.slug}))
    page.get_by_label("User name").fill("convener")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
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

    public = page_factory(viewport={"width": 390, "height": 844})
    public.goto(reverse("reports:public", kwargs={"slug": consultation.slug}))
    public.get_by_role("heading", name=f"Key question 1: {QUESTIONS[0]}").wait_for()
    assert public.evaluate("document.documentElement.scrollWidth") <= 390  # reads on a phone
    public.set_default_timeout(60_000)
    with public.expect_download() as pdf_download:
        public.get_by_role("link", name="PDF").click()
    pdf_path = tmp_path / "report.pdf"
    pdf_download.value.save_as(pdf_path)
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, check=True).stdout.decode().split()
    )
    with public.expect_download() as docx_download:
        public.get_by_role("link", name="Word document (DOCX), to edit").click()
    document = docx.Document(io.BytesIO(Path(docx_download.value.path()).read_bytes()))
    words = "\n".join(p.text for p in document.paragraphs)
    words += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for question in QUESTIONS:
        assert question in text and question in words
    for name in SPEAKERS.values():
        assert name in text and name in words
