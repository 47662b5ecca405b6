"""Every paid card payment ends confirmed or refunded, even when its webhook never comes: the
return to the success URL asks Stripe at once, and a periodic job lists what Stripe was paid."""

import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
import stripe
from sqlalchemy import func, select

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.gateways import stripe_gateway
from marketplace.models import BookingStatus, LedgerEntry, Payment, PaymentStatus, Refund
from marketplace.services.payments import payment_events, payments, stripe_reconcile
from marketplace.web.booking_access import booking_key
from tests import stripe_support
from tests.factories import make_held_booking, make_listing

app_server = stripe_support.app_server
stripe_server = stripe_support.stripe_server

URLS = {
    "success_url": "http://shop.test/ok?session_id={CHECKOUT_SESSION_ID}",
    "cancel_url": "http://shop.test/back",
}


@pytest.fixture
def no_webhooks(stripe_server):
    """The emulator sends no webhook while the test runs (as if Stripe's never reached us)."""
    state = stripe_server.app.extensions["stripe_emulator"]
    saved = state.webhook_url
    stripe_server.set_webhook_url(None)
    yield stripe_server
    stripe_server.set_webhook_url(saved)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _press_pay(checkout_url: str) -> str:
    """Press Pay on the emulator's page; returns where it sends the payer back (Location)."""
    data = urllib.parse.urlencode({"action": "pay"}).encode()
    request = urllib.request.Request(checkout_url, data=data, method="POST")
    try:
        urllib.request.build_opener(_NoRedirect).open(request)
    except urllib.error.HTTPError as exc:
        assert exc.code == 303, exc.code
        return exc.headers["Location"]
    raise AssertionError("the checkout page did not redirect")


def _lapse(booking) -> None:
    """The hold runs out (as if time passed) without the expiry job closing the checkout page."""
    past = utcnow() - timedelta(minutes=1)
    booking.hold_expires_at = past
    for item in booking.items:
        item.claimed_until = past
        for night in item.nights:
            night.claimed_until = past
    db.session.commit()


def _snapshot() -> tuple:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(Payment.id))),
        db.session.scalar(select(func.count(Refund.id))),
        db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount), 0))),
        db.session.scalar(select(func.count(LedgerEntry.id))),
    )


def _sdk(app):
    return stripe.StripeClient(
        app.config["STRIPE_SECRET_KEY"], base_addresses={"api": app.config["STRIPE_API_BASE"]}
    )


def test_returning_to_the_success_url_confirms_at_once_and_the_webhook_changes_nothing(
    app, client, no_webhooks
):
    booking = make_held_booking(make_listing(nightly_price=700_000))
    with app.test_request_context():
        key = booking_key(booking)
    started = client.post(f"/trips/{booking.reference}/pay?key={key}", data={"method": "stripe"})
    assert started.status_code == 303
    back = _press_pay(started.headers["Location"])
    session_id = urllib.parse.parse_qs(urllib.parse.urlsplit(back).query)["session_id"][0]
    assert session_id.startswith("cs_") and f"/trips/{booking.reference}/paid?" in back
    db.session.expire_all()
    assert booking.status == BookingStatus.PENDING_PAYMENT  # no webhook came

    page = client.get(back, follow_redirects=True)
    assert page.status_code == 200
    assert 'class="status status-confirmed"' in page.text
    assert "checkout=success" in page.request.url
    db.session.expire_all()
    assert booking.status == BookingStatus.CONFIRMED
    before = _snapshot()
    assert before[2] == booking.total

    # the webhook arrives late, then the payer reloads the return page: nothing more happens
    session = stripe_gateway.retrieve_checkout_session(session_id)
    event = {"id": "evt_late", "type": "checkout.session.completed", "data": {"object": session}}
    assert payment_events.handle_stripe_event(event) == "already_succeeded"
    assert client.get(back).status_code == 303
    assert _snapshot() == before


def test_a_return_with_a_session_of_another_booking_confirms_nothing(app, client, no_webhooks):
    mine, other = make_held_booking(), make_held_booking(email="chi@example.test")
    started = payments.start_payment(other, "stripe", **URLS)
    _press_pay(started.checkout_url)
    assert stripe_reconcile.confirm_checkout_return(started.session_id, mine.reference) == (
        "invalid_session"
    )
    assert stripe_reconcile.confirm_checkout_return("not-a-session", mine.reference) == (
        "invalid_session"
    )
    db.session.expire_all()
    assert mine.status == other.status == BookingStatus.PENDING_PAYMENT


def test_the_job_confirms_a_paid_session_whose_webhook_never_came(app, no_webhooks):
    booking = make_held_booking()
    started = payments.start_payment(booking, "stripe", **URLS)
    _press_pay(started.checkout_url)
    db.session.expire_all()
    assert booking.status == BookingStatus.PENDING_PAYMENT

    report = stripe_reconcile.reconcile_recent_sessions()
    assert report["confirmed"] == 1
    db.session.expire_all()
    assert booking.status == BookingStatus.CONFIRMED
    [payment] = booking.payments
    assert payment.status == PaymentStatus.SUCCEEDED and payment.provider_payment_id
    after_first = _snapshot()

    again = stripe_reconcile.reconcile_recent_sessions()
    assert again["in_order"] >= 1 and "confirmed" not in again
    assert _snapshot() == after_first


def test_the_job_refunds_in_full_a_late_payment_whose_place_was_resold(app, no_webhooks):
    listing = make_listing(units=1)
    booking = make_held_booking(listing)
    started = payments.start_payment(booking, "stripe", **URLS)
    _lapse(booking)
    make_held_booking(listing, email="chi@example.test")  # someone else takes the room
    _press_pay(started.checkout_url)

    report = stripe_reconcile.reconcile_recent_sessions()
    assert report["sold_out"] == 1
    db.session.expire_all()
    assert booking.status == BookingStatus.EXPIRED
    [payment] = booking.payments
    [refund] = payment.refunds
    assert refund.amount == payment.amount == booking.total and refund.provider_ref
    assert payment.amount_refunded == booking.total
    assert _sdk(app).v1.refunds.retrieve(refund.provider_ref).amount == booking.total
    after_first = _snapshot()

    again = stripe_reconcile.reconcile_recent_sessions()
    assert "sold_out" not in again and again["in_order"] >= 1
    assert _snapshot() == after_first
    sessions = _sdk(app).v1.checkout.sessions.retrieve(started.session_id)
    charge = _sdk(app).v1.payment_intents.retrieve(sessions.payment_intent).latest_charge
    assert _sdk(app).v1.charges.retrieve(charge).amount_refunded == booking.total  # once


def test_stripe_unreachable_changes_nothing_and_raises_nothing(app, no_webhooks):
    booking = make_held_booking()
    started = payments.start_payment(booking, "stripe", **URLS)
    _press_pay(started.checkout_url)
    saved = app.config["STRIPE_API_BASE"]
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # nothing listens there
    try:
        assert stripe_reconcile.reconcile_recent_sessions() == {"stripe_unreachable": 1}
        outcome = stripe_reconcile.confirm_checkout_return(started.session_id, booking.reference)
        assert outcome == "unavailable"
    finally:
        app.config["STRIPE_API_BASE"] = saved
    db.session.expire_all()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert stripe_reconcile.reconcile_recent_sessions()["confirmed"] == 1
