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


def test_the_header_of_a_logged_in_host_stays_compact_on_a_phone(live_server, phone, shot):
    from marketplace.models import Role
    from tests.factories import PASSWORD, make_community, make_user

    host = make_user(Role.HOST, community=make_community(), name="Chị Lan")
    page = phone.new_page()
    page.goto(f"{live_server}/account/login")
    page.fill("input[name=email]", host.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.goto(f"{live_server}/?lang=vi")
    header = page.locator(".site-header").bounding_box()
    shot(page, "header-host-vi")
    # brand and language on one row, the links below: a sixth of the screen at most
    assert header["height"] <= 844 / 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_role("link", name="Chủ nhà").is_visible()
