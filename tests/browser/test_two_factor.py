"""Two-factor enrolment and sign-in of a cooperative's staff member on a 360 px phone."""

import time

import pyotp
import pytest

from marketplace.models import Role
from tests.factories import PASSWORD, make_community, make_user

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}


def _log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/account/login?lang=en")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("article form [type=submit]")


def test_staff_enrol_then_sign_in_with_a_code(live_server, browser_instance, shot):
    staff = make_user(Role.COOP, community=make_community(), name="Anh Tuấn")
    context = browser_instance.new_context(
        viewport=SMALL_PHONE, device_scale_factor=2, is_mobile=True
    )
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # a style or script the Content-Security-Policy blocks shows up as a console error
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        _log_in(page, live_server, staff.email)
        page.goto(f"{live_server}/account/2fa/setup?lang=en")
        assert page.get_by_role("heading", name="Two-factor sign-in").is_visible()
        qr = page.locator(".tf-qr svg").bounding_box()
        assert qr["width"] >= 150 and qr["x"] >= 0 and qr["x"] + qr["width"] <= 360
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, "two-factor-setup-360")

        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        app = pyotp.TOTP(secret)
        page.fill("input[name=code]", app.now())
        page.click("article form [type=submit]")
        codes = page.locator("#recovery-codes li")
        assert codes.count() == 10
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, "two-factor-recovery-codes-360")

        context.clear_cookies()  # a new visit: the password, then the code
        _log_in(page, live_server, staff.email)
        page.wait_for_url("**/account/2fa")
        page.fill("input[name=code]", "000000")
        page.click("article form [type=submit]")
        assert page.locator(".field-error").is_visible()
        shot(page, "two-factor-sign-in-360")

        page.fill("input[name=code]", app.at(time.time() + 30))
        page.click("article form [type=submit]")
        page.wait_for_url(f"{live_server}/")
        page.goto(f"{live_server}/account/2fa/setup?lang=en")
        assert page.get_by_text("Two-factor sign-in is on for your account.").is_visible()
        assert errors == []
    finally:
        context.close()
