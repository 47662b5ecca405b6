"""The ticket page opened once with signal opens again with none: the first visit is enough."""

import pytest

from marketplace.services.booking import tickets
from tests.factories import make_ticketed_booking

pytestmark = pytest.mark.browser


def test_a_ticket_opened_once_reloads_offline_with_its_qr_code(live_server, browser_instance, shot):
    booking = make_ticketed_booking(contact_name="Emma Schmidt")
    secret = tickets.tickets_of(booking)[0].secret
    context = browser_instance.new_context(
        viewport={"width": 360, "height": 780}, device_scale_factor=2, is_mobile=True
    )
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server}/t/{secret}?lang=en")
        # the worker has kept the page and what it shows, during this very first visit
        page.wait_for_selector("html[data-offline=kept]", state="attached", timeout=15_000)
        assert page.get_by_text("Saved on this phone").is_visible()

        context.set_offline(True)
        page.reload()
        assert page.locator(".ticket-reference").inner_text() == booking.reference
        qr = page.locator(".ticket-qr img")
        assert qr.is_visible()
        assert page.evaluate("document.querySelector('.ticket-qr img').naturalWidth") > 0
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.ticket-facts')).display")
            == "grid"
        )  # the stylesheet came from the phone too
        shot(page, "ticket-offline-360")
        assert errors == []
    finally:
        context.close()
