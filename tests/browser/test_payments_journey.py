"""A tourist pays by card on the Stripe emulator's page; another by VietQR, marked received."""

import re
from datetime import timedelta

import pytest

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import BookingStatus, Role
from marketplace.services.booking import bookings
from tests import stripe_support
from tests.factories import PASSWORD, make_community, make_listing, make_user

pytestmark = pytest.mark.browser

app_server = stripe_support.app_server
stripe_server = stripe_support.stripe_server

DECODE_QR = """async () => {
  const svg = document.querySelector('.vietqr-code svg');
  const blob = new Blob([new XMLSerializer().serializeToString(svg)], {type: 'image/svg+xml'});
  const image = new Image();
  image.src = URL.createObjectURL(blob);
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 600;
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, 600, 600);
  context.drawImage(image, 0, 0, 600, 600);
  const pixels = context.getImageData(0, 0, 600, 600);
  const code = jsQR(pixels.data, 600, 600);
  return code && code.data;
}"""


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def book(page, live_server, room, *, name, email, days):
    check_in = business_today() + timedelta(days=days)
    page.goto(
        f"{live_server}/book?room_type_id={room.id}&check_in={check_in}"
        f"&check_out={check_in + timedelta(days=2)}&rooms=1&guests=2&lang=en"
    )
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#phone", "+84 912 345 678")
    page.fill("#full_name", name)
    vietnamese = "Nguyen" in name
    page.select_option("#nationality", "VN" if vietnamese else "FR")
    page.fill("#date_of_birth", "1991-03-02")
    if not vietnamese:
        page.fill("#passport_number", "19AB12345")
    page.get_by_role("button", name="Book now").click()
    page.wait_for_url("**/trips/*")
    return page.url.split("/trips/", 1)[1].split("?")[0]


def wait_for_status(page, text: str, tries: int = 30):
    """Reload until the booking shows `text` (the webhook lands on another thread)."""
    for _ in range(tries):
        if page.locator("#booking-status").inner_text() == text:
            return True
        page.wait_for_timeout(300)
        page.reload()
    return page.locator("#booking-status").inner_text() == text


def test_card_and_vietqr_payments_end_to_end(app, live_server, phone, shot, stripe_server):
    if not {"booking.book", "trips.detail"} <= set(app.view_functions):
        pytest.skip("the booking form and trip pages are not in this working copy")
    community = make_community(bank_account_name="HTX DU LICH HUU LIEN")
    host = make_user(Role.HOST, community=community, name="Hoàng Thị Lan")
    listing = make_listing(
        community=community,
        host=host,
        units=3,
        nightly_price=650_000,
        payment_methods=("stripe", "vietqr", "pay_at_arrival"),
    )
    room = listing.room_types[0]
    problems = []

    # --- a tourist from France pays by card -------------------------------------------------
    page = phone.new_page()
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    reference = book(
        page, live_server, room, name="Claire Martin", email="claire@example.test", days=12
    )
    assert page.locator("#booking-status").inner_text() == "Awaiting payment"
    assert page.get_by_role("button", name="Pay by card").is_visible()
    no_sideways_scroll(page)
    shot(page, "payments-1-trip-choose-method")

    page.get_by_role("button", name="Pay by card").click()
    page.wait_for_url(f"{stripe_server.url}/**")
    assert "1.300.000" in page.content() or "1,300,000" in page.content()
    shot(page, "payments-2-card-checkout-page")
    page.get_by_role("button", name=re.compile(r"^\s*Pay", re.I)).first.click()
    page.wait_for_url(f"**/trips/{reference}*")
    assert wait_for_status(page, "Confirmed")
    if page.locator(".tickets-panel").count():
        assert page.locator(".tickets-panel img").first.is_visible()
    no_sideways_scroll(page)
    shot(page, "payments-3-card-confirmed")

    # --- a tourist from Hanoi pays by VietQR bank transfer -----------------------------------
    second = phone.browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page2 = second.new_page()
    page2.on("pageerror", lambda exc: problems.append(str(exc)))
    reference2 = book(
        page2, live_server, room, name="Nguyen Van Binh", email="binh@example.test", days=20
    )
    page2.get_by_role("button", name="Bank transfer (VietQR)").click()
    page2.wait_for_selector(".vietqr-code svg")
    details = page2.locator(".vietqr-details").inner_text()
    assert "0011004455667" in details and "HTX DU LICH HUU LIEN" in details
    assert reference2 in details and "(1300000)" in details
    page2.add_script_tag(url=f"{live_server}/static/vendor/jsqr/jsQR.js")
    payload = page2.evaluate(DECODE_QR)
    assert payload and "54071300000" in payload and reference2 in payload
    no_sideways_scroll(page2)
    shot(page2, "payments-4-vietqr-code")

    # --- the host sees the transfer in the bank app and marks it received ---------------------
    host_context = phone.browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    host_page = host_context.new_page()
    host_page.goto(f"{live_server}/account/login?lang=en")
    host_page.fill("#email", host.email)
    host_page.fill("#password", PASSWORD)
    host_page.locator("form").filter(has=host_page.locator("#password")).locator(
        "button[type=submit], input[type=submit]"
    ).first.click()
    host_page.goto(f"{live_server}/host/payments?lang=en")
    card = host_page.locator("article.pending-payment").filter(has_text=reference2)
    assert card.is_visible()
    shot(host_page, "payments-5-host-pending-transfer")
    card.get_by_role("button", name="Transfer received").click()
    host_page.wait_for_load_state()
    assert host_page.locator("article.pending-payment").filter(has_text=reference2).count() == 0
    shot(host_page, "payments-6-host-marked-received")

    page2.reload()
    assert page2.locator("#booking-status").inner_text() == "Confirmed"
    shot(page2, "payments-7-vietqr-confirmed")
    db.session.rollback()
    assert bookings.get_by_reference(reference2).status == BookingStatus.CONFIRMED
    second.close()
    host_context.close()
    assert problems == []
