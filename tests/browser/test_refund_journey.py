"""On a 360 px phone: the traveller gives a bank account, the cooperative sends the refund."""

import pytest

from marketplace.extensions import db
from marketplace.models import Role
from tests.factories import PASSWORD, make_user
from tests.services.test_refund_queue import bank_paid_then_cancelled

pytestmark = pytest.mark.browser


def _log_in(page, base, user):
    page.goto(f"{base}/account/login?lang=vi")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_load_state()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_refund_goes_from_the_travellers_account_to_sent(live_server, browser_instance, shot):
    booking, refund, coop = bank_paid_then_cancelled()
    tourist = make_user(Role.TOURIST)
    booking.tourist_id = tourist.id
    db.session.commit()
    for user, steps in ((tourist, "tourist"), (coop, "coop"), (tourist, "after")):
        context = browser_instance.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        _log_in(page, live_server, user)
        if steps == "tourist":
            page.goto(f"{live_server}/trips/{booking.reference}?lang=vi")
            page.select_option("select[name=bank_bin]", "970436")
            page.fill("input[name=account_number]", "0123456789")
            page.fill("input[name=account_holder]", "Nguyễn Văn Đức")
            assert _fits(page)
            shot(page, "refund-account-phone")
            page.click("form.refund-account-form [type=submit]")
            page.wait_for_load_state()
            assert "NGUYEN VAN DUC" in page.content()
        elif steps == "coop":
            page.goto(f"{live_server}/admin/refunds?lang=vi")
            assert "0123456789" in page.content() and _fits(page)
            shot(page, "refund-queue-phone")
            page.fill("input[name=bank_reference]", "FT26061")
            page.click(f"#refund-{refund.id} form [type=submit]")
            page.wait_for_load_state()
            assert booking.reference not in page.content()
        else:
            page.goto(f"{live_server}/trips/{booking.reference}?lang=vi")
            assert "FT26061" in page.content() and _fits(page)
        context.close()
