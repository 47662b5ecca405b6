"""On a 360 px phone: a tourist asks the host before booking, the host answers; after the stay
(fast-forwarded by the test) the tourist reviews it, the host reviews the guest and replies
publicly, and the review shows on the listing page."""

from datetime import date, timedelta

import pytest

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import BookingStatus, Role
from tests.factories import PASSWORD, make_booking, make_community, make_listing, make_user

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 780}


def log_in(page, base, user):
    page.goto(f"{base}/account/login?lang=en")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_load_state()


def fits(page):
    """Nothing wider than the phone: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def watch(page, problems):
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)


def completed_stay(listing, tourist):
    """The tourist's stay, confirmed, checked in and completed, moved to check-out yesterday
    (a booking cannot be placed in the past)."""
    booking = make_booking(
        listing.room_types[0],
        status=BookingStatus.COMPLETED,
        tourist=tourist,
        guest_list=[("Emma Schmidt", "DE", date(1990, 5, 1), "C01X00T47")],
    )
    shift = booking.items[0].check_out - (business_today() - timedelta(days=1))
    for item in booking.items:
        item.check_in -= shift
        item.check_out -= shift
    db.session.commit()
    return booking


def test_ask_answer_stay_review_and_reply_on_a_phone(browser_instance, live_server, shot):
    community = make_community()
    host = make_user(Role.HOST, community=community, name="Chị Hương", phone="+84 912 000 111")
    listing = make_listing(community=community, host=host, title="Hương's stilt house")
    tourist = make_user(name="Emma Schmidt", nationality="DE")
    problems = []
    contexts = [
        browser_instance.new_context(viewport=NARROW, device_scale_factor=2, is_mobile=True)
        for _ in range(2)
    ]
    try:
        guest, host_page = (context.new_page() for context in contexts)
        watch(guest, problems)
        watch(host_page, problems)

        # 1. before booking: the tourist asks from the listing page
        log_in(guest, live_server, tourist)
        guest.goto(f"{live_server}/l/{listing.key}?lang=en")
        assert guest.get_by_text("No reviews yet.").is_visible()
        guest.click("#ask-host")
        guest.fill("#body", "Hello!\nCan you pick us up at the Bắc Sơn bus stop around 4 pm?")
        fits(guest)
        shot(guest, "reviews-messages-1-ask-host")
        guest.get_by_role("button", name="Send").click()
        guest.wait_for_url("**/messages/*")
        assert guest.get_by_text("Bắc Sơn bus stop").is_visible()

        # 2. the host sees one unread message in the menu and answers in the thread
        log_in(host_page, live_server, host)
        host_page.goto(f"{live_server}/messages?lang=en")
        assert host_page.locator("#nav-messages .unread").inner_text() == "1"
        fits(host_page)
        shot(host_page, "reviews-messages-2-host-inbox")
        host_page.get_by_text("Hương's stilt house").first.click()
        host_page.fill("#body", "Of course! My son will wait for you with a motorbike.")
        host_page.get_by_role("button", name="Send").click()
        host_page.wait_for_url("**/messages/*")
        assert host_page.get_by_text("My son will wait").is_visible()

        guest.reload()
        assert guest.get_by_text("My son will wait").is_visible()
        fits(guest)
        shot(guest, "reviews-messages-3-tourist-reads-answer")

        # 3. the tourist books and stays: fast-forwarded to the day after check-out
        booking = completed_stay(listing, tourist)

        # 4. the trip page invites a review; stars and text through the form
        guest.goto(f"{live_server}/trips?lang=en")
        guest.get_by_role("link", name=booking.reference).click()
        guest.locator("#review-invite a").click()
        for field, stars in (("overall", 5), ("cleanliness", 5), ("accuracy", 4)):
            guest.check(f"input[name={field}][value='{stars}']")
        guest.check("input[name=hospitality][value='5']")
        guest.fill("#text", "Warm family, great food, and the pick-up was on time. Cảm ơn!")
        fits(guest)
        shot(guest, "reviews-messages-4-tourist-writes-review")
        guest.get_by_role("button", name="Publish my review").click()
        guest.wait_for_url(f"**/trips/{booking.reference}")
        assert guest.locator("#review-invite").count() == 0
        # blind: not on the listing before the host has written theirs
        guest.goto(f"{live_server}/l/{listing.key}?lang=en")
        assert guest.get_by_text("No reviews yet.").is_visible()

        # 5. the host reaches the reviews through the back-office tabs, reviews the guest
        host_page.goto(f"{live_server}/host/?lang=en")
        host_page.locator(".bo-tabs").get_by_role("link", name="Reviews").click()
        host_page.wait_for_url("**/reviews/host")
        host_page.get_by_role("link", name=booking.reference, exact=False).click()
        host_page.check("input[name=overall][value='5']")
        host_page.fill("#text", "Lovely guests, welcome back any time.")
        fits(host_page)
        shot(host_page, "reviews-messages-5-host-reviews-guest")
        host_page.get_by_role("button", name="Publish my review").click()
        host_page.wait_for_url("**/reviews/host")

        # ... and replies publicly, once, to the review now shown
        assert host_page.get_by_text("Warm family, great food").is_visible()
        host_page.locator(".reply-form textarea").fill("Thank you Emma, come back for Tết!")
        host_page.get_by_role("button", name="Publish my reply").click()
        host_page.wait_for_url("**/reviews/host")
        assert host_page.locator(".reply-form").count() == 0
        fits(host_page)
        shot(host_page, "reviews-messages-6-host-replied")

        # 6. the listing page shows the rating, the review with first name and country, the reply
        guest.goto(f"{live_server}/l/{listing.key}?lang=en")
        summary = guest.locator(".rating-summary").inner_text()
        assert "5.0" in summary and "1 review" in summary
        review = guest.locator("#reviews .review").first
        assert "Emma" in review.inner_text() and "Germany" in review.inner_text()
        assert "come back for Tết" in review.inner_text()
        guest.locator("#reviews").scroll_into_view_if_needed()
        fits(guest)
        shot(guest, "reviews-messages-7-listing-with-review")

        # 7. the tourist finds what they wrote from My trips
        guest.goto(f"{live_server}/trips?lang=en")
        guest.click("#my-reviews")
        assert guest.get_by_text("Warm family, great food").is_visible()
        fits(guest)
        shot(guest, "reviews-messages-8-my-reviews")
    finally:
        for context in contexts:
            context.close()
    assert [p for p in problems if "pico" not in p and "404" not in p] == []
