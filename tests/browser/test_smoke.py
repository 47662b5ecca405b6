"""The home page on a phone, in Vietnamese and English."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang,heading", [("vi", "Các làng"), ("en", "Villages")])
def test_home_page_on_a_phone(live_server, phone, shot, runner, lang, heading):
    runner.invoke(args=["demo", "seed", "--no-photos"])
    page = phone.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator(".community-card").count() == 3
    # nothing wider than the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"home-{lang}")
    assert errors == []
