"""Every main page reads on a phone: nothing is wider than the screen (wide tables scroll in their own box)."""

from demo_pages import PAGES
from target87.demo import bangkok


def test_main_pages_fit_a_phone_screen(demo, live_server, page_factory):
    page = page_factory(phone=True)
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(bangkok.CONVENER_USERNAME)
    page.get_by_label("Password").fill(bangkok.CONVENER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/manage/")
    too_wide = {}
    for url in PAGES:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[url] = width
    assert too_wide == {}
