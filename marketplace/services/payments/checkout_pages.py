"""Stripe Checkout pages of a booking: closed when it is cancelled or its hold lapses.

Closing talks to Stripe, so it happens with no lock held: `close` before a cancel takes its
lock, or the outbox's `stripe.expire_checkout` job (`close_later`), retried until Stripe answers.
A page already paid is left to its webhook; money that lands on a closed booking goes back.
"""

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...gateways import stripe_gateway
from ...models import Booking, Payment, PaymentMethod, PaymentStatus
from ...models.states import Outcome
from ..shared import locks, outbox
from . import payments


def close(booking_id: int) -> tuple[set[int], bool]:
    """Expire the booking's open Stripe checkout pages (no lock held during the calls).

    Returns the ids of the payments whose page is now closed, and whether Stripe could not be
    reached for some (then `close_later` leaves it to the outbox). A page
    already paid is left to its webhook; if paid later, the money is refunded in full.
    """
    db.session.commit()  # nothing may be locked while Stripe answers
    pending = db.session.execute(
        select(Payment.id, Payment.provider_ref).where(
            Payment.booking_id == booking_id,
            Payment.method == PaymentMethod.STRIPE,
            Payment.status == PaymentStatus.PENDING,
            Payment.provider_ref.is_not(None),
        )
    ).all()
    closed, unreachable = set(), False
    for payment_id, session_id in pending:
        try:
            status = stripe_gateway.expire_checkout_session(session_id)
        except stripe_gateway.GatewayError as exc:
            current_app.logger.warning("could not expire %s: %s", session_id, exc)
            unreachable = True
            continue
        if status == "expired":
            closed.add(payment_id)
    return closed, unreachable


def mark_closed(booking: Booking, closed: set[int], note: str = "") -> int:
    """Record pages `close` closed (locked caller); returns how many moved."""
    moved = 0
    for payment in booking.payments:
        if payment.id in closed:
            outcome = payments.move(
                payment, PaymentStatus.CANCELLED, note=note or "checkout closed"
            )
            moved += outcome is Outcome.APPLIED
    return moved


def close_later(booking: Booking) -> None:
    """Leave closing the booking's open checkout pages to the outbox (caller's transaction)."""
    if payments.pending_payments(booking, PaymentMethod.STRIPE):
        outbox.emit("stripe.expire_checkout", {"booking_id": booking.id})


@outbox.handles("stripe.expire_checkout")
def expire_checkout_sessions(payload: dict, _message_id: int = 0) -> int:
    """Close a booking's open checkout pages, commit; how many. Raises GatewayError (retried)."""
    booking_id = payload["booking_id"]
    closed, unreachable = close(booking_id)
    booking = locks.locked_booking(booking_id)
    moved = mark_closed(booking, closed, note="hold lapsed")
    db.session.commit()
    if unreachable:
        raise stripe_gateway.GatewayError("Stripe could not be reached to close a checkout page")
    return moved
