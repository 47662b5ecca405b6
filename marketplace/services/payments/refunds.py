"""Refunds: decided under the booking's lock, sent to Stripe after the commit.

A refund is decided in the same locked unit of work as what makes it due (a cancel, money that
came too late or twice): the Refund row, the payment's `amount_refunded` and the ledger's
negative entries are written together, so at every commit money paid = money kept + money
refunded. A card refund also emits a `stripe.refund` outbox message in that transaction; the
worker sends it (`send_card_refund`) with the refund's own id in the idempotency key, so sending
again never refunds twice, and a send that fails is retried (its error kept on the refund).
Bank-transfer and cash refunds wait in the refund queue for a person to pay them.
"""

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...gateways import stripe_gateway
from ...models import (
    REFUND_TRANSITIONS,
    Booking,
    Payment,
    PaymentMethod,
    Refund,
    RefundStatus,
)
from ...models.states import Outcome, judge
from ..shared import audit, outbox
from ..shared.locks import locked_booking
from . import ledger, money_rules

#: refund reasons for money the booking should never have kept
LATE_REASONS = frozenset({"sold_out", "cancelled", "paid_twice", "paid_too_late", "duplicate"})


def move_refund(refund: Refund, to: RefundStatus, *, actor=None, note: str = "") -> Outcome:
    """The one way a refund's status changes (caller holds the booking's lock)."""
    outcome = judge(REFUND_TRANSITIONS, refund.status, to)
    if outcome is Outcome.APPLIED:
        audit.record(
            refund, "status", actor=actor, from_state=refund.status, to_state=to, note=note
        )
        refund.status = to
    return outcome


def write_refund(payment: Payment, amount: int, reason: str, now: datetime, actor=None) -> Refund:
    refund = Refund(
        payment_id=payment.id,
        booking_id=payment.booking_id,
        amount=amount,
        reason=reason,
        status=RefundStatus.PENDING,
        created_at=now,
    )
    db.session.add(refund)
    db.session.flush()
    payment.amount_refunded += amount
    ledger.record_refund(refund, now=now)
    if payment.method == PaymentMethod.STRIPE:
        outbox.emit("stripe.refund", {"refund_id": refund.id}, key=f"refund:{refund.id}")
    audit.record(
        payment, "refund", actor=actor, to_state=refund.status, data={"amount": amount}, note=reason
    )
    return refund


def refund_amount(
    booking: Booking, amount: int, reason: str, *, now: datetime, actor=None
) -> list[Refund]:
    """Decide refunds of `amount` VND from the booking's payments, card first (it goes back by
    itself); the caller holds the booking's lock and commits."""
    refunds = []
    remaining = amount
    paid = [p for p in booking.payments if money_rules.payment_left(p) > 0]
    for payment in sorted(paid, key=lambda p: (p.method != PaymentMethod.STRIPE, p.id)):
        if remaining <= 0:
            break
        part = min(remaining, money_rules.payment_left(payment))
        refunds.append(write_refund(payment, part, reason, now, actor))
        remaining -= part
    return refunds


def refund_in_full(payment: Payment, reason: str, *, now: datetime, actor=None) -> Refund | None:
    """Decide giving all that is left of `payment` back (caller holds the lock and commits)."""
    left = money_rules.payment_left(payment)
    return write_refund(payment, left, reason, now, actor) if left > 0 else None


@outbox.handles("stripe.refund")
def send_card_refund(payload: dict, _message_id: int = 0) -> bool:
    """Send one decided card refund to Stripe (no lock held during the call), commit.

    Returns False when there is nothing to send (already sent, or given up on). Raises
    GatewayError when Stripe cannot be reached or refuses: the outbox tries again later.
    """
    refund_id = payload["refund_id"]
    db.session.commit()  # no transaction (nor SQLite's write lock) held while Stripe answers
    refund = db.session.get(Refund, refund_id)
    if refund is None or refund.status != RefundStatus.PENDING or refund.provider_ref:
        return False
    payment = refund.payment
    if not payment.provider_payment_id:
        _note_error(refund_id, "no Stripe payment to refund yet")
        raise stripe_gateway.GatewayError(f"refund {refund_id}: no payment intent yet")
    try:
        result = stripe_gateway.create_refund(
            payment_intent=payment.provider_payment_id,
            amount=refund.amount,
            idempotency_key=f"refund-{payment.booking.reference}-{refund_id}",
            reference=payment.booking.reference,
            refund_id=refund_id,
        )
    except stripe_gateway.GatewayError as exc:
        current_app.logger.warning("refund %s not sent: %s", refund_id, exc)
        _note_error(refund_id, str(exc))
        raise
    _record_sent(refund_id, result)
    return True


def _locked_refund(refund_id: int) -> Refund:
    booking_id = db.session.scalar(select(Refund.booking_id).where(Refund.id == refund_id))
    locked_booking(booking_id)
    return db.session.get(Refund, refund_id)


def _note_error(refund_id: int, error: str) -> None:
    refund = _locked_refund(refund_id)
    refund.last_error = error[:2000]
    db.session.commit()


def _record_sent(refund_id: int, result) -> None:
    refund = _locked_refund(refund_id)
    refund.provider_ref = refund.provider_ref or result.id
    refund.last_error = ""
    if result.status == "succeeded":
        move_refund(refund, RefundStatus.SUCCEEDED, note="stripe")
    db.session.commit()


def mark_succeeded_by_stripe(refund: Refund, stripe_refund_id: str) -> Outcome:
    """Stripe says the refund went through (caller holds the lock)."""
    refund.provider_ref = refund.provider_ref or stripe_refund_id
    return move_refund(refund, RefundStatus.SUCCEEDED, note="stripe webhook")
