"""Card payments with the real Stripe SDK against the emulator: checkout, webhooks, refunds."""

import time
from datetime import timedelta

import stripe
from sqlalchemy import func, select

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import (
    BookingStatus,
    CancellationPolicy,
    LedgerEntry,
    PaymentStatus,
    ProcessedEvent,
    RefundStatus,
)
from marketplace.services.payments import cancellations, payment_status, payments
from tests import stripe_support
from tests.factories import make_held_booking, make_listing
from tests.stripe_support import post_event, press_on_checkout_page, session_event, sign, wait_for

# fixtures: the app over HTTP for webhooks, and the emulator
app_server = stripe_support.app_server
stripe_server = stripe_support.stripe_server

URLS = {"success_url": "http://shop.test/ok", "cancel_url": "http://shop.test/back"}


def _sdk(app):
    return stripe.StripeClient(
        app.config["STRIPE_SECRET_KEY"], base_addresses={"api": app.config["STRIPE_API_BASE"]}
    )


def _lapse(booking, minutes_ago: int = 1) -> None:
    """The hold runs out (as if time passed) without the expiry job closing the checkout page."""
    past = utcnow() - timedelta(minutes=minutes_ago)
    booking.hold_expires_at = past
    for item in booking.items:
        item.claimed_until = past
        for night in item.nights:
            night.claimed_until = past
    db.session.commit()


def _ledger_sum(booking) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.booking_id == booking.id
        )
    )


def test_a_checkout_session_in_vnd_is_paid_and_confirms_the_booking(app, stripe_server):
    booking = make_held_booking(make_listing(nightly_price=850_000), nights=2)
    started = payments.start_payment(booking, "stripe", **URLS)
    assert started.checkout_url.startswith(stripe_server.url)
    session = _sdk(app).v1.checkout.sessions.retrieve(started.session_id)
    assert session.currency == "vnd"
    assert session.amount_total == 1_700_000  # zero-decimal: never x100
    assert session.client_reference_id == booking.reference
    assert session.metadata["booking_reference"] == booking.reference
    assert session.expires_at >= int(time.time()) + 30 * 60
    # asking again while the page is open offers the same page
    again = payments.start_payment(booking, "stripe", **URLS)
    assert again.session_id == started.session_id

    press_on_checkout_page(started.checkout_url, "pay")
    assert wait_for(lambda: booking.status == BookingStatus.CONFIRMED)
    payment = booking.payments[-1]
    assert payment.status == PaymentStatus.SUCCEEDED and payment.provider_payment_id
    assert _ledger_sum(booking) == booking.total


def test_webhooks_with_bad_missing_or_hour_old_signatures_are_refused(app, client, stripe_server):
    booking = make_held_booking()
    started = payments.start_payment(booking, "stripe", **URLS)
    event = session_event(booking, started.session_id, event_id="evt_sig")
    body = __import__("json").dumps(event).encode()
    missing = client.post("/webhooks/stripe", data=body, content_type="application/json")
    forged = client.post(
        "/webhooks/stripe",
        data=body,
        headers={"Stripe-Signature": sign(app, body, secret="whsec_not_ours")},
        content_type="application/json",
    )
    stale = post_event(app, client, event, timestamp=int(time.time()) - 3600)
    tampered = client.post(
        "/webhooks/stripe",
        data=body.replace(b'"paid"', b'"paid" '),
        headers={"Stripe-Signature": sign(app, body)},
        content_type="application/json",
    )
    assert [r.status_code for r in (missing, forged, stale, tampered)] == [400, 400, 400, 400]
    db.session.expire_all()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert db.session.scalar(select(func.count(ProcessedEvent.id))) == 0


def test_a_replayed_event_acts_once_and_order_does_not_matter(app, client, stripe_server):
    booking = make_held_booking()
    started = payments.start_payment(booking, "stripe", **URLS)
    expired = session_event(
        booking, started.session_id, event_id="evt_2", kind="checkout.session.expired"
    )
    paid = session_event(booking, started.session_id, event_id="evt_1")
    # the expiry arrives first, then the payment, then the payment again, then the expiry again
    assert post_event(app, client, expired).json["result"] == "expired"
    assert post_event(app, client, paid).json["result"] == "confirmed"
    assert post_event(app, client, paid).json["result"] == "duplicate"
    assert post_event(app, client, expired).json["result"] == "duplicate"
    late_expiry = session_event(
        booking, started.session_id, event_id="evt_3", kind="checkout.session.expired"
    )
    assert post_event(app, client, late_expiry).status_code == 200
    db.session.expire_all()
    assert booking.status == BookingStatus.CONFIRMED
    assert [p.status for p in booking.payments] == [PaymentStatus.SUCCEEDED]
    assert _ledger_sum(booking) == booking.total


def test_a_wrong_amount_or_currency_never_confirms(app, client, stripe_server):
    booking = make_held_booking()
    started = payments.start_payment(booking, "stripe", **URLS)
    short = session_event(
        booking, started.session_id, event_id="evt_short", amount=booking.total - 1
    )
    assert post_event(app, client, short).json["result"] == "flagged"
    usd = session_event(
        booking, started.session_id, event_id="evt_usd", currency="usd", amount=booking.total
    )
    assert post_event(app, client, usd).json["result"] == "flagged"
    db.session.expire_all()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking.payments[-1].status == PaymentStatus.FLAGGED
    assert "expected" in booking.payments[-1].flag_reason
    assert _ledger_sum(booking) == 0


def test_a_late_card_payment_confirms_when_the_room_is_still_free(app, stripe_server):
    booking = make_held_booking(make_listing(units=1))
    started = payments.start_payment(booking, "stripe", **URLS)
    _lapse(booking)
    press_on_checkout_page(started.checkout_url, "pay")
    assert wait_for(lambda: booking.status == BookingStatus.CONFIRMED)


def test_a_late_card_payment_for_a_room_taken_meanwhile_is_refunded(app, stripe_server):
    listing = make_listing(units=1)
    booking = make_held_booking(listing)
    started = payments.start_payment(booking, "stripe", **URLS)
    _lapse(booking)
    make_held_booking(listing, email="chi@example.test")  # someone else takes the room
    press_on_checkout_page(started.checkout_url, "pay")

    def refunded():
        refunds = [r for p in booking.payments for r in p.refunds]
        return refunds and refunds[0]

    refund = wait_for(refunded)
    assert refund and refund.amount == booking.total and refund.provider_ref
    assert refund.status in (RefundStatus.SUCCEEDED, RefundStatus.PENDING)
    assert booking.status == BookingStatus.EXPIRED
    assert _sdk(app).v1.refunds.retrieve(refund.provider_ref).amount == booking.total
    assert payment_status.panel_state(booking)["late_refund"]
    assert _ledger_sum(booking) == 0
    told = wait_for(lambda: _mail_to(app, booking.contact_email, "refunded", booking.reference))
    assert told, "the tourist is told their late payment is given back"


def test_a_cancelled_card_booking_is_refunded_as_the_policy_says(app, stripe_server):
    listing = make_listing(policy=CancellationPolicy.MODERATE, nightly_price=999_999)
    booking = make_held_booking(listing, start_in_days=3, nights=1)  # inside 5 days: half back
    started = payments.start_payment(booking, "stripe", **URLS)
    press_on_checkout_page(started.checkout_url, "pay")
    assert wait_for(lambda: booking.status == BookingStatus.CONFIRMED)
    refund_amount = cancellations.cancel(booking, reason="plans changed")
    assert refund_amount == 499_999
    db.session.expire_all()
    [refund] = booking.payments[-1].refunds
    assert refund.amount == 499_999 and refund.provider_ref
    stripe_refund = _sdk(app).v1.refunds.retrieve(refund.provider_ref)
    assert stripe_refund.amount == 499_999
    assert booking.payments[-1].amount_refunded == 499_999
    rows = payment_status.payment_rows(booking)
    assert [(r["kind"], r["amount"]) for r in rows] == [("payment", 999_999), ("refund", 499_999)]
    assert _ledger_sum(booking) == 999_999 - 499_999


def test_a_lapsed_hold_closes_its_checkout_page(app, stripe_server):
    booking = make_held_booking()
    started = payments.start_payment(booking, "stripe", **URLS)
    assert cancellations.expire_holds(now=utcnow() + timedelta(hours=1)) == 1
    db.session.expire_all()
    assert booking.payments[-1].status == PaymentStatus.CANCELLED
    assert _sdk(app).v1.checkout.sessions.retrieve(started.session_id).status == "expired"


def test_the_api_starts_a_card_payment(app, client, stripe_server):
    from marketplace.models import Role
    from marketplace.services.accounts import accounts
    from tests.factories import make_user

    tourist = make_user(Role.TOURIST)
    booking = make_held_booking()
    booking.tourist_id = tourist.id
    db.session.commit()
    response = client.post(
        f"/api/v1/bookings/{booking.reference}/payments",
        json={"method": "stripe"},
        headers={"Authorization": f"Bearer {accounts.create_token(tourist)}"},
    )
    assert response.status_code == 201
    assert response.json["checkout_url"].startswith(stripe_server.url)
    assert response.json["session_id"].startswith("cs_")


def _mail_to(app, address: str, word: str, reference: str) -> bool:
    """Whether a mail to `address` whose subject names `reference` and says `word` is in the outbox."""
    import email
    import email.policy
    from pathlib import Path

    from flask_babel import force_locale, gettext

    with force_locale("vi"):
        subject = gettext("Booking %(reference)s: your payment is refunded", reference=reference)
    for path in Path(app.config["MAIL_OUTBOX"]).glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address and message["Subject"] == subject:
            return True
    return False
