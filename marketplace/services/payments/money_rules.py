"""Paid, due, refundable: what a booking's money amounts to, in one place.

Pure functions of a booking and its payments (no queries, no writes), integer VND throughout.
Pages, the API, the scanner, the payment panel, refunds and the payment services all ask here.
"""

from datetime import date, datetime

from ...clock import business_today
from ...models import PaymentMethod, PaymentStatus
from ..booking.cancellation_policy import refund_percent


def payment_left(payment) -> int:
    """What of one payment is still held: received minus given back (0 unless it succeeded)."""
    if payment.status != PaymentStatus.SUCCEEDED:
        return 0
    return max(payment.amount - payment.amount_refunded, 0)


def paid(booking) -> int:
    """VND received on the booking and not given back."""
    return sum(payment_left(p) for p in booking.payments)


def due(booking) -> int:
    """VND still to pay on the booking (never below 0)."""
    return max(booking.total - paid(booking), 0)


def overpaid(booking) -> int:
    """VND received beyond the price (a second payment): to give back."""
    return max(paid(booking) - booking.total, 0)


def awaiting_bank_line(booking, amount: int):
    """A transfer a person recorded as received ("transfer received"), of `amount`, that no
    bank line has confirmed yet: the bank's line for it is the same money, not a second payment.
    """
    return next(
        (
            p
            for p in booking.payments
            if p.method == PaymentMethod.VIETQR
            and p.status == PaymentStatus.SUCCEEDED
            and p.recorded_by_id is not None
            and p.provider_ref is None
            and p.amount == amount
        ),
        None,
    )


def due_at_arrival(booking) -> int:
    """VND the host collects at the door: what is due on a pay-at-arrival booking, else 0."""
    if booking.payment_method != PaymentMethod.PAY_AT_ARRIVAL.value:
        return 0
    return due(booking)


def refund_share(booking, amount_paid: int, *, by_host: bool, today: date) -> int:
    """What the cancellation policies give back of `amount_paid` when cancelling on `today`.

    All of it when the provider side cancels; otherwise each item's share of what was paid at
    its own listing's policy, rounded down, never more than was paid.
    """
    if amount_paid <= 0:
        return 0
    if by_host:
        return amount_paid
    total = booking.total or 1
    back = 0
    for item in booking.items:
        percent = refund_percent(item.listing.cancellation_policy, item.check_in, today)
        back += item.subtotal * amount_paid * percent // (total * 100)
    return min(back, amount_paid)


def refundable(booking, *, by_host: bool = False, now: datetime | None = None) -> int:
    """The refund cancelling at `now` would give, from what has been paid."""
    return refund_share(booking, paid(booking), by_host=by_host, today=business_today(now))
