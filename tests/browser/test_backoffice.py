"""A new host lists a stay, the cooperative approves it, it sells, and a blocked night stops it."""

from datetime import timedelta

import pytest
from PIL import Image

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import BookingStatus, Listing, ListingKind, ListingStatus, Role
from marketplace.services.catalogue import availability
from tests.factories import (
    PASSWORD,
    make_booking,
    make_community,
    make_departure,
    make_listing,
    make_user,
)

pytestmark = pytest.mark.browser


def log_in(page, base, user):
    page.goto(f"{base}/account/login?lang=vi")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_load_state()


def searchable(app, client, listing_id, check_in, check_out) -> bool:
    """Whether the listing is offered for these dates: the public search API when it exists,
    else the same rule it applies (published, with a room free on every night)."""
    if any(r.rule == "/api/v1/listings" for r in app.url_map.iter_rules()):
        response = client.get(f"/api/v1/listings?check_in={check_in}&check_out={check_out}")
        assert response.status_code == 200
        return listing_id in [item["id"] for item in response.get_json()["items"]]
    db.session.expire_all()
    listing = db.session.get(Listing, listing_id)
    if listing.status != ListingStatus.PUBLISHED:
        return False
    free = availability.free_units(listing.room_types, check_in, check_out)
    return any(n > 0 for n in free.values())


def test_host_lists_a_stay_cooperative_approves_and_a_blocked_night_closes_it(
    app, client, live_server, phone, shot, tmp_path
):
    village = make_community(
        "huu-lien", name={"vi": "Hữu Liên", "en": "Huu Lien"}, reference_prefix="HL"
    )
    host = make_user(Role.HOST, community=village, name="Chị Lan")
    coop = make_user(Role.COOP, community=village, name="HTX Hữu Liên")
    photo = tmp_path / "house.jpg"
    Image.new("RGB", (1400, 900), (60, 140, 90)).save(photo, "JPEG")

    page = phone.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, host)

    # the host creates a stay
    page.goto(f"{live_server}/host/listings/new?kind=stay")
    page.fill("input[name=texts-vi-title]", "Homestay Chị Lan bên suối")
    page.fill("input[name=texts-vi-summary]", "Nhà sàn gỗ, cơm nhà, suối mát")
    page.fill("input[name=texts-en-title]", "Lan's streamside homestay")
    page.click("#save-listing")
    page.wait_for_load_state()
    listing = db.session.query(Listing).filter_by(host_id=host.id).one()
    assert listing.status == ListingStatus.DRAFT

    # a photo with its description, and a room type
    page.set_input_files("input[name=photo]", str(photo))
    page.fill("#photos form[enctype] input[name=alt-vi]", "Nhà sàn nhìn từ suối")
    page.click("#upload-photo")
    page.wait_for_selector(".photo-list img")  # uploaded by script, the page stays
    assert page.locator(".photo-list img").count() == 1
    page.fill("#room-type-form input[name=name-vi]", "Phòng đôi")
    page.fill("#room-type-form input[name=name-en]", "Double room")
    page.fill("#room-type-form input[name=units]", "1")
    page.fill("#room-type-form input[name=nightly_price]", "450000")
    page.click("#add-room-type")
    page.wait_for_load_state()
    page.click("#submit-for-approval")
    page.wait_for_load_state()
    db.session.expire_all()
    listing = db.session.get(Listing, listing.id)
    assert listing.status == ListingStatus.PENDING
    assert len(listing.photos) == 1 and len(listing.room_types) == 1
    check_in = business_today() + timedelta(days=14)
    assert not searchable(app, client, listing.id, check_in, check_in + timedelta(days=1))

    # the cooperative approves it
    admin_context = phone.browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    admin_page = admin_context.new_page()
    admin_page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(admin_page, live_server, coop)
    admin_page.goto(f"{live_server}/admin/approvals")
    assert admin_page.locator(f"#pending-{listing.id}").is_visible()
    assert admin_page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(admin_page, "backoffice-approval-queue")
    admin_page.fill(f"#pending-{listing.id} textarea[name=note]", "Ảnh đẹp, đã duyệt.")
    admin_page.click(f"#pending-{listing.id} button.approve")
    admin_page.wait_for_load_state()
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status == ListingStatus.PUBLISHED

    # it appears in search for any free night
    assert searchable(app, client, listing.id, check_in, check_in + timedelta(days=1))
    assert searchable(
        app, client, listing.id, check_in + timedelta(days=1), check_in + timedelta(days=2)
    )

    # the host blocks one night in the calendar
    page.goto(f"{live_server}/host/calendar/{listing.id}?month={check_in:%Y-%m}")
    room_id = listing.room_types[0].id
    page.locator(f'#room-{room_id} td[data-night="{check_in.isoformat()}"] label').click()
    page.locator(f"#room-{room_id} form.cal-pick button[value=block]").click()
    page.wait_for_load_state()
    assert page.locator(f'td.cal-blocked[data-night="{check_in.isoformat()}"]').count() == 1
    assert not searchable(app, client, listing.id, check_in, check_in + timedelta(days=1))
    assert searchable(
        app, client, listing.id, check_in + timedelta(days=1), check_in + timedelta(days=2)
    )

    # some life for the screenshots: bookings, a tour, a foreign guest arriving today
    room = db.session.get(Listing, listing.id).room_types[0]
    make_booking(
        room,
        check_in=check_in + timedelta(days=2),
        nights=2,
        guest_list=[("Park Ji-ho", "KR", None, "M7654321")],
    )
    make_booking(
        room, check_in=check_in + timedelta(days=6), nights=1, status=BookingStatus.PENDING_PAYMENT
    )
    other = make_listing(community=village, host=host, units=2, title="Nhà sàn Lan 2")
    make_booking(
        other.room_types[0],
        check_in=business_today(),
        nights=2,
        guest_list=[("Sophie Martin", "FR", None, "19FR12345")],
    )
    make_booking(other.room_types[0], check_in=business_today() - timedelta(days=2), nights=2)
    tour = make_listing(ListingKind.TOUR, community=village, host=host)
    make_booking(
        departure=make_departure(tour, day=business_today() + timedelta(days=3)),
        participants=4,
        guest_list=[("Wang Fang", "CN", None, "E1234")],
    )

    page.goto(f"{live_server}/host/calendar/{listing.id}?month={check_in:%Y-%m}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "backoffice-calendar")
    page.goto(f"{live_server}/host/")
    assert page.locator("#undeclared").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "backoffice-dashboard")

    admin_page.goto(f"{live_server}/admin/statistics?year={business_today().year}")
    assert admin_page.locator("svg.chart").count() >= 1
    assert admin_page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(admin_page, "backoffice-statistics")
    admin_context.close()
    assert errors == []
