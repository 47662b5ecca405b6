"""The daily refund check: a cancelled booking's refund amount and a payment's amount refunded
must equal the refunds behind them; a corrupted row is logged for admins and listed for them."""

import logging

from marketplace.extensions import db
from marketplace.models import RefundStatus, Role
from marketplace.services.payments import cancellations, host_payments, refund_check
from tests.factories import login, make_community, make_held_booking, make_listing, make_user


def _cancelled_paid_booking():
    """Paid by bank transfer (no Stripe needed), then cancelled: a refund waits in the queue."""
    community = make_community()
    host = make_user(Role.HOST, community=community)
    booking = make_held_booking(make_listing(community=community, host=host, nightly_price=500_000))
    assert host_payments.mark_transfer_received(booking, host) == "confirmed"
    assert cancellations.cancel(booking, reason="plans changed") > 0
    db.session.expire_all()
    return booking


def test_refunds_that_add_up_report_nothing(app):
    booking = _cancelled_paid_booking()
    [refund] = [r for p in booking.payments for r in p.refunds]
    assert refund.reason == "cancellation" and refund.amount == booking.refund_amount
    assert refund_check.find_refund_mismatches() == []
    assert refund_check.report_refund_mismatches() == 0


def test_a_corrupted_booking_or_payment_is_found_and_logged(app, caplog):
    booking = _cancelled_paid_booking()
    payment = booking.payments[0]
    booking.refund_amount += 50_000  # a hand edit: the refund rows were not changed
    payment.amount_refunded -= 1
    db.session.commit()

    found = refund_check.find_refund_mismatches()
    assert {(m.kind, m.booking_reference, m.difference) for m in found} == {
        ("booking_refund", booking.reference, 50_000),
        ("payment_refunded", booking.reference, -1),
    }
    assert next(m for m in found if m.kind == "payment_refunded").payment_id == payment.id
    with caplog.at_level(logging.ERROR, logger="marketplace.services.payments.refund_check"):
        assert refund_check.report_refund_mismatches() == 2
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2 and all(booking.reference in r.getMessage() for r in errors)


def test_a_failed_refund_no_longer_counts(app):
    booking = _cancelled_paid_booking()
    [refund] = [r for p in booking.payments for r in p.refunds]
    refund.status = RefundStatus.FAILED  # given up on, yet still counted on the rows
    db.session.commit()
    kinds = sorted(m.kind for m in refund_check.find_refund_mismatches())
    assert kinds == ["booking_refund", "payment_refunded"]


def test_admins_see_the_differences_and_cooperative_staff_do_not(app, client):
    booking = _cancelled_paid_booking()
    booking.refund_amount += 1_000
    db.session.commit()
    staff = make_user(Role.COOP, community=booking.community)
    login(client, staff)
    assert client.get("/admin/refund-check").status_code == 403
    client.post("/account/logout")

    admin_client = app.test_client()
    login(admin_client, make_user(Role.ADMIN))
    page = admin_client.get("/admin/refund-check")
    assert page.status_code == 200
    assert booking.reference in page.text and "refund-mismatch" in page.text
    assert "/admin/refund-check" in admin_client.get("/admin/").text
