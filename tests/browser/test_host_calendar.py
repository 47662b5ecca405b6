"""A host on a 360 px phone taps three days of one room type closed, prices another room type's
day, and sees another site's calendar overlapping a confirmed booking on the dashboard."""

from datetime import timedelta

import pytest

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import BlockedNight, BlockSource, Role, RoomType
from marketplace.services.catalogue import pricing
from tests.factories import PASSWORD, make_booking, make_community, make_listing, make_user

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 780}


def test_host_taps_three_days_closed_on_a_small_phone(browser_instance, live_server, shot):
    village = make_community("bac-son", name={"vi": "Bắc Sơn", "en": "Bac Son"})
    host = make_user(Role.HOST, community=village, name="Chị Hoa", locale="en")
    listing = make_listing(community=village, host=host, units=2, title="Nhà sàn Hoa")
    listing.room_types.append(
        RoomType(
            key="family",
            name={"vi": "Phòng gia đình", "en": "Family room"},
            units=1,
            max_guests=4,
            nightly_price=800_000,
            min_nights=1,
        )
    )
    db.session.commit()
    double, family = listing.room_types
    month = (business_today().replace(day=1) + timedelta(days=40)).replace(day=1)
    booking = make_booking(double, check_in=month + timedelta(days=9), nights=2)
    # another site's calendar already closes one of those nights
    db.session.add(
        BlockedNight(
            room_type_id=double.id,
            night=month + timedelta(days=10),
            source=BlockSource.ICAL,
            reason="ical:0",
        )
    )
    db.session.commit()

    context = browser_instance.new_context(
        viewport=SMALL_PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/account/login?lang=en")
    page.fill("input[name=email]", host.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server}/host/calendar/{listing.id}?month={month:%Y-%m}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    days = [month + timedelta(days=n) for n in (2, 3, 5)]
    room = page.locator(f"#room-{double.id}")
    for day in days:
        cell = room.locator(f'td[data-night="{day.isoformat()}"] label')
        box = cell.bounding_box()
        assert box["width"] >= 40 and box["height"] >= 44  # a finger fits
        cell.tap()
    assert room.locator("input[name=night]:checked").count() == 3
    assert room.locator(".cal-count").inner_text() == "Days selected: 3"
    shot(page, "host-calendar-selected")

    with page.expect_navigation():
        room.locator("form.cal-pick button[value=block]").tap()
    for day in days:
        assert (
            page.locator(
                f'#room-{double.id} td.cal-blocked[data-night="{day.isoformat()}"]'
            ).count()
            == 1
        )
        assert (
            page.locator(f'#room-{family.id} td.cal-free[data-night="{day.isoformat()}"]').count()
            == 1
        )
    assert page.locator(".flash").first.inner_text().strip() == "Nights closed for sale."
    assert page.locator("#calendar-conflicts").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "host-calendar-closed")

    # one day of the family room gets its own price
    family_room = page.locator(f"#room-{family.id}")
    priced = month + timedelta(days=12)
    family_room.locator(f'td[data-night="{priced.isoformat()}"] label').tap()
    family_room.locator("form.cal-pick input[name=price]").fill("950000")
    with page.expect_navigation():
        family_room.locator("form.cal-pick button[value=price]").tap()
    one_night = (priced, priced + timedelta(days=1))
    assert pricing.quote_stay(db.session.get(RoomType, family.id), *one_night).total == 950_000
    assert pricing.quote_stay(db.session.get(RoomType, double.id), *one_night).total == 500_000
    page.locator(f"#room-{family.id}").scroll_into_view_if_needed()
    shot(page, "host-calendar-priced")

    page.goto(f"{live_server}/host/")
    warning = page.locator("#calendar-conflicts")
    assert warning.is_visible() and booking.reference in warning.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "host-calendar-dashboard-warning")
    context.close()
    assert errors == []
