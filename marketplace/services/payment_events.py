"""Stripe's webhook events: each acts once, in any order, and a wrong amount never confirms.

The event id is recorded in the same transaction as its effect, so a replay (Stripe retries,
or an attacker resending a captured body within the signature's five minutes) changes nothing.
"""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..clock import utcnow
from ..database import begin_write
from ..extensions import db
from ..models import (
    Booking,
    Payment,
    PaymentMethod,
    PaymentStatus,
    ProcessedEvent,
    Refund,
    RefundStatus,
)
from ..money import from_stripe_amount
from . import audit, payments

PROVIDER = "stripe"


def handle_stripe_event(event: dict, *, now: datetime | None = None) -> str:
    """Act on a verified Stripe event, commit; returns what happened (for logs and tests).

    "duplicate" for an event id already processed. Never raises for an unknown event type.
    """
    now = now or utcnow()
    event_id, kind = str(event.get("id", "")), str(event.get("type", ""))
    if _seen(event_id):
        return "duplicate"
    begin_write()
    if _seen(event_id):  # another delivery won while we waited for the lock
        db.session.rollback()
        return "duplicate"
    obj = (event.get("data") or {}).get("object") or {}
    handler = HANDLERS.get(kind)
    result, after = handler(obj, now) if handler else ("ignored", [])
    db.session.add(ProcessedEvent(provider=PROVIDER, event_id=event_id, type=kind, received_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    for action in after:
        action()
    return result


def _seen(event_id: str) -> bool:
    return (
        db.session.scalar(
            select(ProcessedEvent.id).where(
                ProcessedEvent.provider == PROVIDER, ProcessedEvent.event_id == event_id
            )
        )
        is not None
    )


def _payment_for(session: dict, now: datetime) -> Payment | None:
    """Our payment for a Checkout Session; made afresh when only the booking is known."""
    payment = db.session.scalar(
        select(Payment).where(
            Payment.method == PaymentMethod.STRIPE, Payment.provider_ref == session.get("id")
        )
    )
    if payment is not None:
        return payment
    reference = (session.get("metadata") or {}).get("booking_reference") or session.get(
        "client_reference_id"
    )
    booking = db.session.scalar(select(Booking).where(Booking.reference == (reference or "")))
    if booking is None or not session.get("id"):
        return None
    payment = Payment(
        booking=booking,
        method=PaymentMethod.STRIPE,
        amount=booking.total,
        provider_ref=session["id"],
        created_at=now,
    )
    db.session.add(payment)
    db.session.flush()
    return payment


def _session_paid(session: dict, now: datetime) -> tuple[str, list[Callable]]:
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return "awaiting_payment", []  # an async method: async_payment_succeeded follows
    payment = _payment_for(session, now)
    if payment is None:
        return "unknown_booking", []
    if payment.status == PaymentStatus.SUCCEEDED:
        return "already_succeeded", []
    payment.provider_payment_id = session.get("payment_intent") or payment.provider_payment_id
    booking = payment.booking
    currency = str(session.get("currency") or "").lower()
    received = session.get("amount_total")
    expected = payment.amount
    if (
        currency != "vnd"
        or not isinstance(received, int)
        or from_stripe_amount(received) != expected
    ):
        payment.flag_reason = (
            f"received {received} {currency or '?'}, expected {expected} vnd "
            f"for {booking.reference}"
        )
        payments.move(payment, PaymentStatus.FLAGGED, note=payment.flag_reason)
        return "flagged", []
    outcome = payments.receive(payment, from_stripe_amount(received), now=now)
    after = [lambda: payments.after_settled(booking, outcome)]
    if outcome in ("sold_out", "cancelled", "paid_twice"):
        # after the commit: the refund call may bring a webhook back to us
        after.insert(0, lambda: payments.refund_payment_in_full(payment, outcome, now=now))
    return outcome, after


def _async_failed(session: dict, now: datetime):
    payment = _payment_for(session, now)
    if payment is None:
        return "unknown_booking", []
    payments.move(payment, PaymentStatus.FAILED, note="async payment failed")
    return "failed", []


def _session_expired(session: dict, now: datetime):
    payment = _payment_for(session, now)
    if payment is None:
        return "unknown_booking", []
    payments.move(payment, PaymentStatus.CANCELLED, note="checkout expired")
    return "expired", []


def _charge_refunded(charge: dict, now: datetime):
    """Refunds we asked for are marked done; one made elsewhere is logged for an admin."""
    updated = 0
    for data in (charge.get("refunds") or {}).get("data") or []:
        refund = db.session.scalar(select(Refund).where(Refund.provider_ref == data.get("id")))
        if refund is None and (data.get("metadata") or {}).get("booking_reference"):
            continue  # ours, announced while our refund call is still being recorded
        if refund is None:
            payment = db.session.scalar(
                select(Payment).where(Payment.provider_payment_id == charge.get("payment_intent"))
            )
            if payment is not None:
                audit.record(payment, "unknown_refund", data={"refund": data.get("id")})
            continue
        if data.get("status") == "succeeded" and refund.status != RefundStatus.SUCCEEDED:
            refund.status = RefundStatus.SUCCEEDED
            updated += 1
    return f"refunds_updated:{updated}", []


HANDLERS = {
    "checkout.session.completed": _session_paid,
    "checkout.session.async_payment_succeeded": _session_paid,
    "checkout.session.async_payment_failed": _async_failed,
    "checkout.session.expired": _session_expired,
    "charge.refunded": _charge_refunded,
}
