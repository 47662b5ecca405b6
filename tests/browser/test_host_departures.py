"""On a 360 px phone a tour host sees the day's departures with seats booked, changes one's seats
(refused below what is booked, then saved) and cancels another one for the weather."""

from datetime import timedelta

import pytest

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import BookingStatus, Departure, DepartureStatus, ListingKind, Role
from tests.factories import (
    PASSWORD,
    make_booking,
    make_community,
    make_departure,
    make_listing,
    make_user,
)

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 780}


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_host_edits_a_departure_and_cancels_one(app, live_server, browser_instance, shot):
    village = make_community("ba-be", name={"vi": "Ba Bể", "en": "Ba Be"}, reference_prefix="BB")
    host = make_user(Role.HOST, community=village, name="Anh Tuấn", locale="en")
    make_user(Role.GUIDE, community=village, name="Chị Hoa")
    listing = make_listing(ListingKind.TOUR, community=village, host=host, title="Ba Be lake boat")
    day = business_today() + timedelta(days=5)
    morning = make_departure(listing, day=day, capacity=8)
    afternoon = make_departure(listing, day=day, capacity=8)
    make_departure(listing, day=day + timedelta(days=1), capacity=8)
    make_booking(departure=morning, participants=3)
    guest = make_booking(departure=afternoon, participants=2, status=BookingStatus.PENDING_PAYMENT)

    context = browser_instance.new_context(viewport=NARROW, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    try:
        page.goto(f"{live_server}/account/login?lang=en")
        page.fill("input[name=email]", host.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("form:has(input[name=password]) [type=submit]")
        page.wait_for_load_state()

        page.goto(f"{live_server}/host/listings/{listing.id}/departures")
        assert page.locator(f"#d{morning.id} .dep-seats").inner_text().startswith("3 / 8")
        _no_sideways_scroll(page)
        shot(page, "host-departures-1-by-day")

        card = page.locator(f"#d{morning.id}")
        card.locator("summary", has_text="Change time, seats or guide").click()
        card.locator("input[name=capacity]").fill("2")
        card.locator("button", has_text="Save departure").click()
        page.wait_for_load_state()
        error = page.locator(f"#d{morning.id}-capacity-error")
        assert "3 seats are already booked" in error.inner_text()
        error.scroll_into_view_if_needed()
        _no_sideways_scroll(page)
        shot(page, "host-departures-2-seats-below-booked")

        card = page.locator(f"#d{morning.id}")
        card.locator("input[name=capacity]").fill("12")
        card.locator("input[name=time]").fill("08:15")
        card.locator("select[name=guide_id]").select_option(label="Chị Hoa")
        card.locator("button", has_text="Save departure").click()
        page.wait_for_load_state()
        assert "Departure saved." in page.locator(".flash").first.inner_text()
        assert page.locator(f"#d{morning.id} .dep-seats").inner_text().startswith("3 / 12")
        shot(page, "host-departures-3-saved")

        card = page.locator(f"#d{afternoon.id}")
        card.locator("summary", has_text="Cancel this departure").click()
        card.locator("textarea[name=reason]").fill("Storm over the lake")
        card.locator("button", has_text="Cancel departure").click()
        page.wait_for_load_state()
        assert dialogs == ["Cancel this departure for all its guests?"]
        assert "1 departure cancelled." in page.locator("main").inner_text()
        page.locator(f"#d{afternoon.id}").scroll_into_view_if_needed()
        _no_sideways_scroll(page)
        shot(page, "host-departures-4-cancelled")
        assert errors == []
    finally:
        context.close()

    db.session.expire_all()
    assert db.session.get(Departure, afternoon.id).status == DepartureStatus.CANCELLED
    assert db.session.get(Departure, morning.id).capacity == 12
    assert db.session.get(type(guest), guest.id).status == BookingStatus.CANCELLED
