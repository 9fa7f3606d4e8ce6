"""Journeys in a real browser: Debian's Chromium driven by Playwright, against the live test server."""

import io
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "people"))
import smtp_sink

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the Django ORM calls that the tests
    # themselves make (fixtures, assertions) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    return None


#: the phone the journeys are walked on (a 390 × 844 touch screen)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def page_factory(chromium, live_server, request):
    contexts = []

    def make(*, phone: bool = False, signed_in: tuple[str, str] | None = None, landing: str = "", **options):
        """A page in a browser context of its own; ``phone=True``: a 390-px touch screen, as participants use;
        ``signed_in=(username, password)``: signed in through the login page first, which then goes on to
        ``landing`` (the back office's list of consultations unless said)."""
        if phone:
            options = {**PHONE, **options}
        context = chromium.new_context(base_url=live_server.url, accept_downloads=True, locale="en-GB", **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if signed_in:
            username, password = signed_in
            page.goto("/accounts/login/" + (f"?next={landing}" if landing else ""))
            page.get_by_label("User name").fill(username)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield make
    for context in contexts:
        if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
            ARTIFACTS.mkdir(exist_ok=True)
            for i, page in enumerate(context.pages):
                page.screenshot(path=ARTIFACTS / f"{request.node.name}-{i}.png", full_page=True)
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def smtp(settings):
    """A real SMTP server for the test, and what it received."""
    controller, sink = smtp_sink.start(settings)
    yield sink
    controller.stop()


@pytest.fixture
def report_words(tmp_path):
    """``report_words(page)``: download the report's PDF and Word file from the page's links and give the words of
    each, read back as their readers would (``pdftotext`` of Debian's poppler-utils, python-docx), as two strings
    with every run of spaces and line ends made one space."""
    import subprocess

    import docx

    def read(page) -> tuple[str, str]:
        page.set_default_timeout(60_000)
        with page.expect_download() as pdf_download:
            page.get_by_role("link", name="PDF").click()
        pdf = tmp_path / "report.pdf"
        pdf_download.value.save_as(pdf)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        with page.expect_download() as docx_download:
            page.get_by_role("link", name="Word document (DOCX), to edit").click()
        document = docx.Document(docx_download.value.path())
        words = [p.text for p in document.paragraphs]
        words += [c.text for t in document.tables for r in t.rows for c in r.cells]
        return " ".join(text.split()), " ".join(" ".join(words).split())

    return read
