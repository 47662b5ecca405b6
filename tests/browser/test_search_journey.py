"""A tourist on a phone finds a homestay in Huu Lien for two people and two nights."""

from datetime import timedelta

import pytest

from marketplace.clock import business_today

pytestmark = pytest.mark.browser


def test_search_huu_lien_for_two_guests_two_nights(live_server, phone, shot, runner, wait_until):
    result = runner.invoke(args=["demo", "seed"])  # with the generated photos
    assert result.exit_code == 0, result.output
    arrival = business_today() + timedelta(days=12)
    page = phone.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server}/?lang=en")
    page.select_option("#community", "huu-lien")
    page.fill("#check_in", arrival.isoformat())
    page.fill("#check_out", (arrival + timedelta(days=2)).isoformat())
    page.fill("#guests", "2")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?**")
    assert "community=huu-lien" in page.url and "guests=2" in page.url
    cards = page.locator(".listing-card")
    assert cards.count() >= 3
    assert "total for 2 nights" in cards.first.inner_text()
    assert page.locator(".listing-card img[loading=lazy][srcset]").count() >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _load_lazy_images(page, wait_until)
    shot(page, "search-results")

    cards.first.locator("a").click()
    page.wait_for_url("**/l/**")
    book = page.locator("form.book-form").first
    assert book.get_attribute("action") == "/book"
    assert book.locator("input[name=guests]").get_attribute("value") == "2"
    assert page.get_by_role("heading", name="Availability").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _load_lazy_images(page, wait_until)
    shot(page, "listing-page")

    page.goto(f"{live_server}/c/huu-lien/poster")
    assert page.locator(".poster-qr svg").is_visible()
    assert page.get_by_role("heading", name="Làng du lịch cộng đồng Hữu Liên").is_visible()
    shot(page, "community-poster")
    assert errors == []


def _load_lazy_images(page, wait_until) -> None:
    """Scroll every lazy picture into view, as a visitor would, so the full-page shot shows it."""
    for image in page.locator("img[loading=lazy]").all():
        image.scroll_into_view_if_needed()
    wait_until(page, "Array.from(document.images).every(i => i.complete)")
    page.evaluate("window.scrollTo(0, 0)")
