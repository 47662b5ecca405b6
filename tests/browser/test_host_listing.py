"""A host on a 360 px phone fills the listing form one short section at a time."""

import pytest
from PIL import Image

from marketplace.extensions import db
from marketplace.models import Listing, Role
from tests.factories import PASSWORD, make_community, make_user

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 780}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def fresh(listing_id: int) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing_id)


def test_a_host_fills_the_listing_in_sections_on_a_phone(
    live_server, browser_instance, shot, tmp_path, wait_until
):
    host = make_user(Role.HOST, community=make_community(), name="Chị Lan")
    house, river = tmp_path / "house.jpg", tmp_path / "river.png"
    Image.new("RGB", (1400, 900), (60, 140, 90)).save(house, "JPEG")
    Image.new("RGB", (900, 900), (40, 90, 160)).save(river, "PNG")
    notes = tmp_path / "notes.jpg"
    notes.write_bytes(b"not a picture at all")

    context = browser_instance.new_context(
        viewport=NARROW, device_scale_factor=2, is_mobile=True, locale="en-US"
    )
    context.grant_permissions(["geolocation"], origin=live_server)
    context.set_geolocation({"latitude": 21.853712, "longitude": 106.761534})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server}/account/login?lang=en")
        page.fill("input[name=email]", host.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("form:has(input[name=password]) [type=submit]")
        page.wait_for_load_state()

        # Basics first: a name, then the rest opens
        page.goto(f"{live_server}/host/listings/new?kind=stay&lang=en")
        page.fill("input[name=texts-vi-title]", "Homestay Chị Lan bên suối")
        page.fill("input[name=texts-en-title]", "Lan's streamside homestay")
        assert fits(page)
        shot(page, "host-listing-new")
        page.click("#save-listing")
        page.wait_for_url("**/host/listings/*")
        listing_id = int(page.url.split("/host/listings/")[1].split("?")[0].split("#")[0])
        assert page.locator("nav.section-menu a").count() >= 7
        assert fits(page)
        shot(page, "host-listing-sections")

        # location from the phone's position
        page.click("nav.section-menu a[href='#location']")
        page.click("#use-position")
        wait_until(page, "document.querySelector('#location-form [name=latitude]').value !== ''")
        assert page.input_value("#location-form [name=latitude]") == "21.853712"
        page.click("#location-form button[type=submit]")
        page.wait_for_load_state()
        listing = fresh(listing_id)
        assert (listing.latitude, listing.longitude) == (21.853712, 106.761534)

        # amenities as translated checkboxes
        page.check("#amenities input[value=wifi]")
        page.check("#amenities input[value=breakfast]")
        page.fill("#amenities input[name=amenities_more]", "Karaoke")
        page.click("#amenities button[type=submit]")
        page.wait_for_load_state()
        assert fresh(listing_id).amenities == ["wifi", "breakfast", "Karaoke"]
        assert page.locator("#amenities input[name=amenities_other][value=Karaoke]").is_checked()
        page.locator("#amenities").scroll_into_view_if_needed()
        shot(page, "host-listing-amenities")

        # a mistake in one section: the error is next to the field, nothing else is lost
        assert not page.locator("#terms input[value=stripe]").is_visible()  # folded
        page.click("nav.section-menu a[href='#terms']")
        page.uncheck("#terms input[value=stripe]")
        page.uncheck("#terms input[value=vietqr]")
        page.uncheck("#terms input[value=pay_at_arrival]")
        page.check("#terms input[value=strict]")
        page.click("#terms button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#payment_methods-error").is_visible()
        assert page.locator("#terms input[value=strict]").is_checked()
        assert fits(page)
        shot(page, "host-listing-error")

        # several photos at once, no page load; the bad one is named
        page.goto(f"{live_server}/host/listings/{listing_id}?lang=en#photos")
        page.evaluate("window.stayedOnPage = true")
        page.set_input_files(
            "#photo-upload-form input[name=photo]", [str(house), str(notes), str(river)]
        )
        page.click("#upload-photo")
        page.wait_for_selector("#upload-status p")
        wait_until(page, "document.querySelectorAll('#photo-list img').length === 2")
        assert page.evaluate("window.stayedOnPage") is True
        assert "notes.jpg was not added" in page.inner_text("#upload-status")
        assert "Photos added: 2" in page.inner_text("#upload-status")
        assert len(fresh(listing_id).photos) == 2
        assert fits(page)
        page.locator("#photos").scroll_into_view_if_needed()
        shot(page, "host-listing-photos")
        assert errors == []
    finally:
        context.close()
