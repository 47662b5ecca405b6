"""Card refunds leave through the outbox: a send that fails is tried again, and refunds once."""

from datetime import timedelta

import stripe
from sqlalchemy import select

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import BookingStatus, RefundStatus
from marketplace.models.outbox import OutboxMessage, OutboxStatus
from marketplace.services.payments import cancellations, payments
from marketplace.services.shared import outbox
from tests import stripe_support
from tests.factories import make_held_booking, make_listing
from tests.stripe_support import press_on_checkout_page, wait_for

app_server = stripe_support.app_server
stripe_server = stripe_support.stripe_server

URLS = {"success_url": "http://shop.test/ok", "cancel_url": "http://shop.test/back"}
#: nothing listens here: Stripe "is down"
UNREACHABLE = "http://127.0.0.1:9"


def _sdk(app) -> stripe.StripeClient:
    return stripe.StripeClient(
        app.config["STRIPE_SECRET_KEY"], base_addresses={"api": app.config["STRIPE_API_BASE"]}
    )


def test_a_refund_that_fails_twice_then_goes_through_refunds_once(app, stripe_server):
    booking = make_held_booking(make_listing(nightly_price=640_000), nights=1, start_in_days=30)
    started = payments.start_payment(booking, "stripe", **URLS)
    press_on_checkout_page(started.checkout_url, "pay")
    assert wait_for(lambda: booking.status == BookingStatus.CONFIRMED)
    api_base = app.config["STRIPE_API_BASE"]

    app.config["STRIPE_API_BASE"] = UNREACHABLE
    try:
        assert cancellations.cancel(booking, reason="plans changed") == booking.total
        [message] = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == "stripe.refund")
        ).all()
        later = utcnow() + timedelta(hours=1)
        assert outbox.deliver(message.id, now=later).result == "failed"  # the second try
    finally:
        app.config["STRIPE_API_BASE"] = api_base
    db.session.expire_all()
    [refund] = booking.payments[-1].refunds
    assert refund.status == RefundStatus.PENDING and refund.provider_ref is None
    assert refund.last_error  # the admin sees why
    assert message.attempts == 2

    assert outbox.deliver(message.id, now=later + timedelta(hours=1)).result == "done"
    assert outbox.deliver(message.id, now=later + timedelta(hours=2)).result == "skipped"
    db.session.expire_all()
    assert message.status == OutboxStatus.DONE and message.attempts == 3
    assert refund.status == RefundStatus.SUCCEEDED and refund.last_error == ""
    payment = booking.payments[-1]
    assert _sdk(app).v1.refunds.retrieve(refund.provider_ref).amount == booking.total
    intent = _sdk(app).v1.payment_intents.retrieve(payment.provider_payment_id)
    charge = _sdk(app).v1.charges.retrieve(intent.latest_charge)
    assert charge.amount_refunded == booking.total  # Stripe gave the money back once
    assert payment.amount_refunded == booking.total
