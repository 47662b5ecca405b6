"""On a 360 px phone: the cooperative suspends a listing (asked first, reason required) and a host
reads their bookings as cards, with nothing off-screen."""

import pytest

from marketplace.extensions import db
from marketplace.models import Listing, ListingStatus, Role
from tests.factories import PASSWORD, make_booking, make_community, make_listing, make_user

pytestmark = pytest.mark.browser
NARROW = {"width": 360, "height": 780}


def _log_in(page, base, user):
    page.goto(f"{base}/account/login?lang=en")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_load_state()


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_suspending_asks_first_and_needs_a_reason(live_server, browser_instance, shot):
    village = make_community()
    coop = make_user(Role.COOP, community=village)
    listing = make_listing(community=village, title="Stilt house by the lake")
    db.session.commit()
    context = browser_instance.new_context(viewport=NARROW, is_mobile=True)
    page = context.new_page()
    _log_in(page, live_server, coop)
    page.goto(f"{live_server}/admin/approvals")
    _no_sideways_scroll(page)
    shot(page, "host-approvals-list-360")

    row = page.locator(f"#listing-{listing.id}")
    row.locator("input[name=note]").fill("Fire safety check due")
    questions = []

    def refuse(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    row.get_by_role("button", name="Suspend").click()
    page.wait_for_timeout(300)
    assert questions and "off sale" in questions[0]
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status == ListingStatus.PUBLISHED

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Suspend").click()
    page.wait_for_load_state()
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status == ListingStatus.SUSPENDED
    shot(page, "host-approvals-suspended-360")
    context.close()


def test_host_bookings_are_cards_on_a_phone(live_server, browser_instance, shot):
    village = make_community()
    host = make_user(Role.HOST, community=village)
    listing = make_listing(community=village, host=host, units=3)
    for _ in range(3):
        make_booking(listing.room_types[0])
    db.session.commit()
    context = browser_instance.new_context(viewport=NARROW, is_mobile=True)
    page = context.new_page()
    _log_in(page, live_server, host)
    page.goto(f"{live_server}/host/bookings")
    _no_sideways_scroll(page)
    assert page.locator("table.cards thead").is_hidden()
    shot(page, "host-approvals-bookings-cards-360")
    context.close()
