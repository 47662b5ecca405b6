"""What a booking's payments look like from outside: the page's panel, the rows, who waits.

Read only; every change goes through `payments`.
"""

from datetime import datetime

from sqlalchemy import select

from ...clock import utcnow
from ...extensions import db
from ...models import Booking, BookingStatus, Payment, PaymentMethod, PaymentStatus
from . import money_rules, payments, transfer_details
from .refunds import LATE_REASONS


def payment_rows(booking: Booking) -> list[dict]:
    """Each payment and refund of the booking, for the API and the pages."""
    rows = []
    for payment in booking.payments:
        rows.append(
            {
                "kind": "payment",
                "id": payment.id,
                "method": payment.method.value,
                "status": payment.status.value,
                "amount": payment.amount,
                "amount_refunded": payment.amount_refunded,
                "currency": payment.currency,
                "created_at": payment.created_at.isoformat(),
            }
        )
        for refund in payment.refunds:
            rows.append(
                {
                    "kind": "refund",
                    "id": refund.id,
                    "method": payment.method.value,
                    "status": refund.status.value,
                    "amount": refund.amount,
                    "currency": payment.currency,
                    "created_at": refund.created_at.isoformat(),
                }
            )
    return rows


def pending_for_hosts(community_ids: set[int] | None, host_id: int | None) -> list[Booking]:
    """Bookings waiting on a host: pay-at-arrival requests and awaited bank transfers."""
    waiting = select(Payment.booking_id).where(
        Payment.status == PaymentStatus.PENDING,
        Payment.method.in_([PaymentMethod.PAY_AT_ARRIVAL, PaymentMethod.VIETQR]),
    )
    query = (
        select(Booking)
        .where(
            Booking.id.in_(waiting),
            Booking.status.in_([BookingStatus.PENDING_PAYMENT, *payments.PAID_STATES]),
        )
        .order_by(Booking.created_at.desc())
    )
    found = db.session.scalars(query).all()
    if host_id is not None or community_ids is not None:
        found = [
            b
            for b in found
            if (host_id is not None and any(i.host_id == host_id for i in b.items))
            or (community_ids is not None and b.community_id in community_ids)
        ]
    return found


def panel_state(booking: Booking, *, now: datetime | None = None) -> dict:
    """What the booking page shows about paying: the choices, or what is awaited, or done."""
    now = now or utcnow()
    payable = booking.status == BookingStatus.PENDING_PAYMENT and booking.is_holding(now)
    vietqr_pending = payments.pending_payments(booking, PaymentMethod.VIETQR)
    arrival_pending = payments.pending_payments(booking, PaymentMethod.PAY_AT_ARRIVAL)
    refunds = [r for p in booking.payments for r in p.refunds]
    state = {
        "payable": payable,
        "methods": payments.allowed_methods(booking) if payable else [],
        "chosen": booking.payment_method,
        "due": money_rules.due(booking),
        "paid": money_rules.paid(booking),
        "vietqr": None,
        "awaiting_host": bool(arrival_pending) and booking.status == BookingStatus.PENDING_PAYMENT,
        "cash_at_arrival": bool(arrival_pending) and booking.status in payments.PAID_STATES,
        "flagged": any(p.status == PaymentStatus.FLAGGED for p in booking.payments),
        "late_refund": any(r.reason in LATE_REASONS for r in refunds),
        "refunds": refunds,
    }
    if (
        payable
        and vietqr_pending
        and booking.payment_method == PaymentMethod.VIETQR.value
        and state["due"] > 0
    ):
        state["vietqr"] = transfer_details.vietqr_details(booking)
    return state
