"""Indicative prices on a narrow phone; the all-languages poster prints on one A4 page."""

import re

import pytest

from marketplace.services.catalogue import exchange_rates
from tests.factories import make_community, make_listing

pytestmark = pytest.mark.browser
NARROW = {"width": 360, "height": 780}


def test_listing_shows_won_beside_the_dong_on_a_narrow_phone(live_server, browser_instance, shot):
    listing = make_listing(nightly_price=650_000)
    exchange_rates.set_rate("KRW", "18.25")
    context = browser_instance.new_context(viewport=NARROW, device_scale_factor=2, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/l/{listing.key}?lang=ko&currency=KRW")
        assert page.locator(".approx").first.inner_text() == "≈ ₩35,616"
        assert page.locator(".currency-switch strong").inner_text() == "KRW"
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        shot(page, "listing-krw-360")
    finally:
        context.close()


def test_all_languages_poster_prints_on_one_a4_page(live_server, browser_instance, shot):
    make_community(
        "pac-ngoi",
        name={
            "vi": "Bản Pác Ngòi",
            "en": "Pac Ngoi village",
            "zh": "Pác Ngòi 村",
            "ko": "박응오이 마을",
        },
        district="Ba Bể",
        province="Bắc Kạn",
        certifications=["asean_homestay"],
    )
    context = browser_instance.new_context(viewport=NARROW, device_scale_factor=2)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/c/pac-ngoi/poster/all?lang=en")
        assert page.locator(".poster-lang").count() == 4
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        shot(page, "poster-all-360")
        pdf = page.pdf(prefer_css_page_size=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        shot(page, "poster-all-print")
    finally:
        context.close()


def test_listing_form_in_four_languages_fits_a_narrow_phone(live_server, browser_instance, shot):
    from marketplace.models import Role
    from tests.factories import PASSWORD, make_user

    host = make_user(Role.HOST, community=make_community())
    context = browser_instance.new_context(viewport=NARROW, device_scale_factor=2, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/account/login?lang=en")
        page.fill("input[name=email]", host.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("input[type=submit], button[type=submit]")
        page.goto(f"{live_server}/host/listings/new?lang=en")
        for lang in ("vi", "en", "zh", "ko"):
            assert page.locator(f'fieldset[lang="{lang}"] input[name="texts-{lang}-title"]').count()
        assert not page.locator('input[name="texts-zh-title"]').is_visible()  # folded away
        page.locator('details.lang-more > summary[lang="zh"]').click()
        page.locator('details.lang-more > summary[lang="ko"]').click()
        page.fill('input[name="texts-zh-title"]', "溪边高脚屋")
        page.fill('input[name="texts-ko-title"]', "개울가 고상가옥")
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        shot(page, "listing-form-four-languages-360")
        page.click("#save-listing")
        page.wait_for_url("**/host/listings/*")
        korean = page.locator('input[name="texts-ko-title"]')
        assert (
            korean.is_visible() and korean.input_value() == "개울가 고상가옥"
        )  # open: it has words
    finally:
        context.close()


def test_admin_sets_a_rate_on_a_narrow_phone(live_server, browser_instance, shot):
    from marketplace.models import Role
    from tests.factories import PASSWORD, make_user

    admin = make_user(Role.ADMIN)
    context = browser_instance.new_context(viewport=NARROW, device_scale_factor=2, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/account/login?lang=en")
        page.fill("input[name=email]", admin.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("input[type=submit], button[type=submit]")
        page.goto(f"{live_server}/admin/rates")
        row = page.locator("#rate-KRW")
        row.locator("input[name=rate]").fill("18,25")
        row.locator("button").click()
        assert "Write the rate in digits" in page.locator("#rate-KRW-error").inner_text()
        page.locator("#rate-KRW input[name=rate]").fill("18.25")
        page.locator("#rate-KRW button").click()
        assert "18.25" in page.locator("#rate-KRW").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        shot(page, "admin-rates-360")
    finally:
        context.close()
