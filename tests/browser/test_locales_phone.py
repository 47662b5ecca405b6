"""Chinese and Korean on a 360 px phone: the header with four languages fits, CJK fonts apply."""

from urllib.parse import urlencode

import pytest

from marketplace.services.booking import tickets
from tests.factories import make_listing, make_ticketed_booking, stay_item

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 780}
FONTS = {"zh": "Noto Sans CJK SC", "ko": "Noto Sans CJK KR"}


@pytest.mark.parametrize("lang", ["zh", "ko"])
def test_cjk_pages_fit_a_narrow_phone(live_server, phone, shot, lang):
    room = make_listing(units=2).room_types[0]
    page = phone.new_page()
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server}/?lang={lang}")
    assert page.get_attribute("html", "lang") == lang
    links = page.locator(".lang-switch a")
    assert sorted(links.evaluate_all("els => els.map(e => e.getAttribute('hreflang'))")) == sorted(
        {"vi", "en", "zh", "ko"} - {lang}
    )
    # the four languages stay on screen: nothing wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    box = page.locator(".lang-switch").bounding_box()
    assert box["x"] + box["width"] <= NARROW["width"]
    family = page.evaluate("getComputedStyle(document.querySelector('main')).fontFamily")
    assert FONTS[lang] in family
    shot(page, f"locale-home-{lang}-360")

    page.goto(f"{live_server}/book?{urlencode(stay_item(room))}")
    options = page.locator("select[name=nationality] option").all_inner_texts()
    assert len(options) == 250  # "Choose a country" and the 249 ISO countries
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    shot(page, f"locale-book-{lang}-360")


@pytest.mark.parametrize("lang", ["zh", "ko"])
def test_cjk_listing_and_ticket_fit_a_narrow_phone(live_server, phone, shot, lang):
    listing = make_listing(units=2)
    secret = tickets.tickets_of(make_ticketed_booking(listing))[0].secret
    page = phone.new_page()
    page.set_viewport_size(NARROW)
    for name, path in (("listing", f"/l/{listing.key}"), ("ticket", f"/t/{secret}")):
        page.goto(f"{live_server}{path}?lang={lang}")
        assert page.get_attribute("html", "lang") == lang
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], name
        shot(page, f"locale-{name}-{lang}-360")
    assert page.locator("img[alt], svg").count() >= 1  # the ticket's QR code
