"""Stripe's webhook events: each acts once, in any order, and a wrong amount never confirms.

The event id is recorded in the same transaction as its effect, so a replay (Stripe retries,
or an attacker resending a captured body within the signature's five minutes) changes nothing.
"""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...clock import utcnow
from ...database import begin_write
from ...extensions import db
from ...models import (
    Booking,
    Payment,
    PaymentMethod,
    PaymentStatus,
    ProcessedEvent,
)
from ...models.states import Outcome
from ...money import from_stripe_amount
from ..shared import audit, outbox
from ..shared.locks import locked_booking
from . import money_rules, payments, refunds

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
    outbox.kick()
    return result


def apply_session(session: dict, *, now: datetime | None = None) -> str:
    """A Checkout Session read from Stripe itself (the success page, reconciliation): the same
    locked unit as its `checkout.session.completed` event, commit, then its after-commit actions.
    Its webhook arriving later is a no-op ("already_succeeded")."""
    try:
        result, after = _session_paid(session, now or utcnow())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for action in after:
        action()
    outbox.kick()
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


def _booking_id_for(session: dict) -> int | None:
    """The booking a Checkout Session pays for, by our payment or by its reference (no lock)."""
    booking_id = db.session.scalar(
        select(Payment.booking_id).where(
            Payment.method == PaymentMethod.STRIPE, Payment.provider_ref == session.get("id")
        )
    )
    if booking_id is not None:
        return booking_id
    reference = (session.get("metadata") or {}).get("booking_reference") or session.get(
        "client_reference_id"
    )
    return db.session.scalar(select(Booking.id).where(Booking.reference == (reference or "")))


def _locked_payment_for(session: dict, now: datetime) -> Payment | None:
    """Lock the session's booking, then its payment, made afresh when only the booking is known."""
    booking_id = _booking_id_for(session)
    if booking_id is None or not session.get("id"):
        return None
    booking = locked_booking(booking_id)
    payment = next(
        (
            p
            for p in booking.payments
            if p.method == PaymentMethod.STRIPE and p.provider_ref == session["id"]
        ),
        None,
    )
    if payment is None:
        payment = Payment(
            booking=booking,
            method=PaymentMethod.STRIPE,
            amount=money_rules.due(booking) or booking.total,
            provider_ref=session["id"],
            created_at=now,
        )
        db.session.add(payment)
        db.session.flush()
    return payment


def _session_paid(session: dict, now: datetime) -> tuple[str, list[Callable]]:
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return "awaiting_payment", []  # an async method: async_payment_succeeded follows
    payment = _locked_payment_for(session, now)
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
    return outcome, []


def _async_failed(session: dict, now: datetime):
    payment = _locked_payment_for(session, now)
    if payment is None:
        return "unknown_booking", []
    payments.move(payment, PaymentStatus.FAILED, note="async payment failed")
    return "failed", []


def _session_expired(session: dict, now: datetime):
    payment = _locked_payment_for(session, now)
    if payment is None:
        return "unknown_booking", []
    payments.move(payment, PaymentStatus.CANCELLED, note="checkout expired")
    return "expired", []


def _charge_refunded(charge: dict, now: datetime):
    """Refunds we asked for are marked done; one made elsewhere is logged for an admin."""
    booking_id = db.session.scalar(
        select(Payment.booking_id).where(
            Payment.provider_payment_id == charge.get("payment_intent")
        )
    )
    if booking_id is None:
        return "unknown_payment", []
    booking = locked_booking(booking_id)
    ours = {r.id: r for p in booking.payments for r in p.refunds}
    by_stripe_id = {r.provider_ref: r for r in ours.values() if r.provider_ref}
    updated = 0
    for data in (charge.get("refunds") or {}).get("data") or []:
        refund = by_stripe_id.get(data.get("id"))
        if refund is None:
            refund_id = str((data.get("metadata") or {}).get("refund_id") or "")
            refund = ours.get(int(refund_id)) if refund_id.isdigit() else None
        if refund is None:
            payment = next(
                (
                    p
                    for p in booking.payments
                    if p.provider_payment_id == charge.get("payment_intent")
                ),
                None,
            )
            if payment is not None:
                audit.record(payment, "unknown_refund", data={"refund": data.get("id")})
            continue
        if data.get("status") == "succeeded":
            if refunds.mark_succeeded_by_stripe(refund, data.get("id")) is Outcome.APPLIED:
                updated += 1
    return f"refunds_updated:{updated}", []


HANDLERS = {
    "checkout.session.completed": _session_paid,
    "checkout.session.async_payment_succeeded": _session_paid,
    "checkout.session.async_payment_failed": _async_failed,
    "checkout.session.expired": _session_expired,
    "charge.refunded": _charge_refunded,
}
