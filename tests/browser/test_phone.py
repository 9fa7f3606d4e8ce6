"""Every main page reads on a phone: nothing is wider than the screen (wide tables scroll in their own box)."""

from demo_pages import PAGES
from target87.demo import bangkok


def test_main_pages_fit_a_phone_screen(demo, live_server, page_factory):
    page = page_factory(phone=True, signed_in=(bangkok.CONVENER_USERNAME, bangkok.CONVENER_PASSWORD))
    too_wide = {}
    for url in PAGES:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[url] = width
    assert too_wide == {}
