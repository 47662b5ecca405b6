"""On a small phone: an empty booking form shows every error at once; the VietQR code saves."""

import pytest

from marketplace.web.booking_access import booking_key
from tests import stripe_support
from tests.factories import make_held_booking, make_listing, stay_item

pytestmark = pytest.mark.browser

# fixtures: the app over HTTP for webhooks, and the Stripe emulator
app_server = stripe_support.app_server
stripe_server = stripe_support.stripe_server

NARROW = {"width": 360, "height": 740}


@pytest.fixture
def narrow(browser_instance):
    context = browser_instance.new_context(viewport=NARROW, device_scale_factor=2, is_mobile=True)
    yield context
    context.close()


def _watch(page) -> list:
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    # a refused form answers 400 on purpose and the card page has no favicon: resources aside,
    # any console error is a fault
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and "Failed to load resource" not in msg.text
            else None
        ),
    )
    return problems


def test_an_empty_form_lists_every_error_next_to_its_field(live_server, narrow, shot):
    room = make_listing(units=2).room_types[0]
    query = "&".join(f"{k}={v}" for k, v in stay_item(room).items())
    page = narrow.new_page()
    problems = _watch(page)
    page.goto(f"{live_server}/book?{query}&lang=en")
    page.select_option("#nationality", "")
    page.get_by_role("button", name="Book now").click()
    page.wait_for_selector("#form-errors")
    errors = page.locator(".field-error")
    assert errors.count() == 7
    for name in ("name", "email", "phone", "full_name", "nationality", "date_of_birth"):
        assert page.locator(f"#{name}-error").is_visible(), name
    assert page.locator("#form-errors li a").count() == 7
    # the summary has the focus, so the tourist starts from the list of what to fix
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    shot(page, "booking-form-all-errors-360")
    # a link of the list leads to its field
    page.locator("#form-errors a[href='#phone']").click()
    assert page.evaluate("location.hash") == "#phone"
    assert problems == []


def test_the_bank_transfer_page_offers_the_code_as_an_image(app, live_server, narrow, shot):
    booking = make_held_booking(make_listing(nightly_price=650_000))
    with app.test_request_context():
        key = booking_key(booking)
    page = narrow.new_page()
    problems = _watch(page)
    page.goto(f"{live_server}/trips/{booking.reference}?key={key}&lang=en")
    page.get_by_role("button", name="Bank transfer (VietQR)").click()
    page.wait_for_selector(".vietqr")
    link = page.get_by_role("button", name="Save QR to gallery")
    assert link.is_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"vietqr-{booking.reference}.png"
    with open(download.path(), "rb") as saved:
        assert saved.read(8) == b"\x89PNG\r\n\x1a\n"
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    page.locator(".vietqr").scroll_into_view_if_needed()
    shot(page, "bank-transfer-save-qr-360")
    assert problems == []


def test_a_declined_card_lands_back_on_the_booking_with_a_message(
    app, live_server, narrow, shot, stripe_server
):
    booking = make_held_booking(make_listing(payment_methods=("stripe", "vietqr")))
    with app.test_request_context():
        key = booking_key(booking)
    page = narrow.new_page()
    problems = _watch(page)
    page.goto(f"{live_server}/trips/{booking.reference}?key={key}&lang=en")
    page.get_by_role("button", name="Pay by card").click()
    page.wait_for_url(f"{stripe_server.url}/**")
    page.get_by_role("button", name="Decline").click()
    page.wait_for_url(f"**/trips/{booking.reference}?*")
    notice = page.locator(".flash")
    assert notice.inner_text() == (
        "Your card was not charged. You can try again or choose another way to pay."
    )
    assert notice.is_visible() and notice.bounding_box()["y"] < NARROW["height"]
    assert page.get_by_role("button", name="Pay by card").count() == 1
    shot(page, "card-declined-back-360")
    assert problems == []
