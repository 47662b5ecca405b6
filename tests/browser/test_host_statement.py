"""The cooperative's clerk on a 360 px phone imports a real-looking bank export (title rows and a
debit line), previews it, confirms, and matches a stray line to its booking by hand."""

import pytest

from marketplace.extensions import db
from marketplace.models import BankTransfer, Booking, BookingStatus, Role, TransferOutcome
from tests.factories import PASSWORD, make_community, make_held_booking, make_listing, make_user
from tests.services.test_bank_statements import vietcombank_csv

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 780}


def test_clerk_imports_previews_confirms_and_matches_by_hand(
    browser_instance, live_server, shot, tmp_path
):
    village = make_community("quynh-son", name={"vi": "Quỳnh Sơn", "en": "Quynh Son"})
    clerk = make_user(Role.COOP, community=village, name="Chị Lan", locale="en")
    listing = make_listing(community=village, units=3, title="Nhà sàn Lan")
    paid = make_held_booking(listing)
    stray = make_held_booking(listing, email="binh@example.test")
    export = tmp_path / "SaoKe_VCB_112026.csv"
    export.write_text(
        vietcombank_csv(
            ("5289FT1", f"{paid.total:,}".replace(",", "."), f"MBVCB.3278.{paid.reference}.CT"),
            ("5289FT2", f"{stray.total:,}".replace(",", "."), "CHUYEN TIEN NHA SAN CHI LAN"),
        ),
        encoding="utf-8-sig",
    )

    context = browser_instance.new_context(
        viewport=SMALL_PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/account/login?lang=en")
    page.fill("input[name=email]", clerk.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server}/admin/reconciliation")
    page.set_input_files("#statement", str(export))
    with page.expect_navigation():
        page.locator("form.statement-upload button[type=submit]").tap()
    preview = page.locator("#statement-preview")
    assert "Debit lines skipped: 1" in preview.inner_text()
    assert page.locator("tr.preview-matched").count() == 1
    assert page.locator("tr.preview-no_match").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "host-statement-preview")
    assert db.session.query(BankTransfer).count() == 0

    with page.expect_navigation():
        page.locator("#confirm-import").tap()
    assert page.locator("tr.outcome-matched").count() == 1
    shot(page, "host-statement-imported")

    line = db.session.query(BankTransfer).filter_by(transfer_id="5289FT2").one()
    row = page.locator(f"#line-{line.id}")
    row.locator("input[type=search]").fill(stray.reference[3:7].lower())
    with page.expect_navigation():
        row.locator("form.match-search button").tap()
    candidate = page.locator(f"#line-{line.id} form.match-candidate button")
    assert stray.reference in candidate.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "host-statement-match")
    with page.expect_navigation():
        page.locator(
            f"#line-{line.id} form.match-candidate:has(input[value='{stray.reference}']) button"
        ).tap()
    assert "matched" in page.locator("body").inner_text()
    assert page.locator(f"#line-{line.id}").count() == 0
    shot(page, "host-statement-matched")
    assert errors == []
    context.close()

    db.session.expire_all()
    assert db.session.get(BankTransfer, line.id).outcome == TransferOutcome.MATCHED
    for booking in (paid, stray):
        assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED


def test_payout_pages_fit_a_small_phone(browser_instance, live_server, shot):
    from tests.web.test_payouts_web import _paid_out

    _community, coop, host, payout = _paid_out()
    context = browser_instance.new_context(
        viewport=SMALL_PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{live_server}/account/login?lang=en")
    page.fill("input[name=email]", coop.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server}/admin/payouts?month=2026-03")
    assert payout.reference in page.locator("body").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "host-statement-payouts")
    page.goto(f"{live_server}/admin/payouts/{host.id}")
    page.fill("#bank_name", "Agribank")
    page.fill("#account_number", "8888 1234 5678")
    page.fill("#account_name", "Hoàng Thị Mai")
    with page.expect_navigation():
        page.locator("form:has(#bank_name) button[type=submit]").tap()
    assert "Bank account saved." in page.locator("body").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "host-statement-payout-host")
    context.close()
