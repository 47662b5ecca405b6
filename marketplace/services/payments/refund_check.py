"""Refunds reconciled with the bookings and payments they belong to (a daily check).

Two sums must hold at every commit, since a refund is decided in the same locked unit as the
cancel or the payment that makes it due:

* a cancelled booking's `refund_amount` equals its refunds for "cancellation" made or queued
  (not failed);
* a payment's `amount_refunded` equals the sum of its refunds that did not fail.

A difference means a row was changed outside the services (a hand edit, a half-applied script)
or a bug: it is logged at error level for the admins and listed on the admin page.
"""

import logging
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from ...extensions import db
from ...models import Booking, BookingStatus, Payment, Refund, RefundStatus

log = logging.getLogger(__name__)

#: the reason `bookings.cancel` gives the refunds it decides
CANCELLATION = "cancellation"


@dataclass(frozen=True)
class RefundMismatch:
    #: "booking_refund" (booking.refund_amount) or "payment_refunded" (payment.amount_refunded)
    kind: str
    booking_reference: str
    #: the payment concerned, for "payment_refunded"
    payment_id: int | None
    #: what the booking or payment row says, VND
    recorded: int
    #: what its refunds add up to, VND
    refunds: int

    @property
    def difference(self) -> int:
        return self.recorded - self.refunds


def _refund_sums(*conditions):
    """Sum of non-failed refunds per booking and payment, as a subquery."""
    return (
        select(
            Refund.booking_id,
            Refund.payment_id,
            func.sum(Refund.amount).label("total"),
        )
        .where(Refund.status != RefundStatus.FAILED, *conditions)
        .group_by(Refund.booking_id, Refund.payment_id)
        .subquery()
    )


def _booking_mismatches() -> list[RefundMismatch]:
    per_payment = _refund_sums(Refund.reason == CANCELLATION)
    per_booking = (
        select(per_payment.c.booking_id, func.sum(per_payment.c.total).label("total"))
        .group_by(per_payment.c.booking_id)
        .subquery()
    )
    refunded = func.coalesce(per_booking.c.total, 0)
    rows = db.session.execute(
        select(Booking.reference, Booking.refund_amount, refunded)
        .outerjoin(per_booking, per_booking.c.booking_id == Booking.id)
        .where(
            or_(Booking.status == BookingStatus.CANCELLED, per_booking.c.total.is_not(None)),
            Booking.refund_amount != refunded,
        )
        .order_by(Booking.id)
    )
    return [
        RefundMismatch("booking_refund", reference, None, int(recorded), int(total))
        for reference, recorded, total in rows
    ]


def _payment_mismatches() -> list[RefundMismatch]:
    per_payment = _refund_sums()
    refunded = func.coalesce(per_payment.c.total, 0)
    rows = db.session.execute(
        select(Booking.reference, Payment.id, Payment.amount_refunded, refunded)
        .join(Booking, Booking.id == Payment.booking_id)
        .outerjoin(per_payment, per_payment.c.payment_id == Payment.id)
        .where(Payment.amount_refunded != refunded)
        .order_by(Payment.id)
    )
    return [
        RefundMismatch("payment_refunded", reference, payment_id, int(recorded), int(total))
        for reference, payment_id, recorded, total in rows
    ]


def find_refund_mismatches() -> list[RefundMismatch]:
    """Every booking and payment whose refunds do not add up (read only, two queries)."""
    return _booking_mismatches() + _payment_mismatches()


def report_refund_mismatches() -> int:
    """The daily check: log each difference at error level for the admins; returns how many.

    The admin page (`/admin/refund-check`) lists the same, read afresh.
    """
    found = find_refund_mismatches()
    for m in found:
        log.error(
            "refund mismatch: %s %s%s records %s VND, its refunds add up to %s VND",
            m.kind,
            m.booking_reference,
            f" payment {m.payment_id}" if m.payment_id else "",
            m.recorded,
            m.refunds,
        )
    if not found:
        log.info("refund check: every refund adds up")
    return len(found)
