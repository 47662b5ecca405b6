"""What hosts and the cooperative do with a booking's money: accept or decline paying at
arrival, record a bank transfer they saw arrive, record cash taken at the door.

Each is a locked unit of work (see `locks`): lock the booking, re-read what is due, decide,
write, commit; a double click finds nothing left to record and answers `already_paid`.
"""

from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _

from ...clock import utcnow
from ...extensions import db
from ...models import Booking, BookingStatus, Payment, PaymentMethod, PaymentStatus
from ...models.states import Outcome
from ...money import format_vnd
from ..booking import booking_events, booking_lifecycle
from ..booking.booking_access import can_manage
from ..shared import audit, locks, outbox
from ..shared.errors import Conflict, Forbidden, ServiceError
from ..shared.values import parse_amount
from . import cancellations, money_rules
from .payments import (
    MAX_AMOUNT,
    PAID_STATES,
    move,
    pending_or_new,
    pending_payments,
    receive,
    record_bank_payment,
)


def _check_manager(booking: Booking, actor) -> None:
    if not can_manage(actor, booking):
        raise Forbidden(
            _("Only the hosts of this booking or the cooperative can do this."), "forbidden"
        )


def _request_of(booking: Booking) -> Payment:
    pending = pending_payments(booking, PaymentMethod.PAY_AT_ARRIVAL)
    if not pending or booking.status != BookingStatus.PENDING_PAYMENT:
        raise Conflict(_("There is no request to pay at arrival waiting."), "no_request")
    return pending[-1]


def accept_pay_at_arrival(booking: Booking, actor, *, now: datetime | None = None) -> Outcome:
    """The host takes the booking and the cash at arrival: confirm, commit.

    Raises Forbidden, Conflict `no_request`, `sold_out` (the hold lapsed and the units went).
    """
    now = now or utcnow()
    booking = locks.lock(booking)
    try:
        _check_manager(booking, actor)
        payment = _request_of(booking)
        outcome = booking_lifecycle.transition(
            booking, BookingStatus.CONFIRMED, actor=actor, now=now
        )
    except ServiceError:
        db.session.rollback()
        raise
    audit.record(payment, "accepted", actor=actor)
    if outcome is Outcome.APPLIED:
        booking_events.announce(booking, "confirmed")
    db.session.commit()
    outbox.kick()
    return outcome


def decline_pay_at_arrival(booking: Booking, actor, reason: str = "", *, now=None) -> None:
    """The host will not take this guest without payment: the booking is cancelled, commit.

    Raises Forbidden, Conflict `no_request`.
    """
    now = now or utcnow()
    booking = locks.lock(booking)
    try:
        _check_manager(booking, actor)
        payment = _request_of(booking)
    except ServiceError:
        db.session.rollback()
        raise
    payment_id = payment.id
    db.session.rollback()  # cancel closes checkout pages with no lock held, then locks again
    cancellations.cancel(
        booking, actor=actor, reason=reason or _("Declined by the host"), by_host=True, now=now
    )
    # the request ends with the booking it asked for; a refused cancel above wrote nothing
    booking = locks.lock(booking)
    request = next(p for p in booking.payments if p.id == payment_id)
    move(request, PaymentStatus.CANCELLED, actor=actor, note=reason)
    db.session.commit()


def mark_transfer_received(booking: Booking, actor, *, amount=None, now=None) -> str:
    """The host or the cooperative saw the transfer arrive: record it, confirm, commit.

    The payment is host-confirmed (recorded by a person, no bank reference) until the bank's
    line of that amount arrives and confirms it (`bank_transfers`, outcome CONFIRMED).
    Returns the outcome ("confirmed"; "sold_out" or "cancelled" mean a refund is due by hand).
    Raises Forbidden, Conflict `already_paid`, ServiceError `invalid_amount`.
    """
    now = now or utcnow()
    parsed = None if amount in (None, "") else parse_amount(amount, "amount", maximum=MAX_AMOUNT)
    booking = locks.lock(booking)
    try:
        _check_manager(booking, actor)
        if money_rules.due(booking) <= 0:
            raise Conflict(_("This booking is already paid."), "already_paid")
    except ServiceError:
        db.session.rollback()
        raise
    _payment, outcome = record_bank_payment(
        booking, money_rules.due(booking) if parsed is None else parsed, actor=actor, now=now
    )
    db.session.commit()
    outbox.kick()
    return outcome


def record_cash(booking: Booking, actor, amount, *, now: datetime | None = None) -> Payment:
    """Cash taken at arrival: record it (confirming a booking still pending), commit.

    Raises Forbidden, ServiceError `invalid_amount` (field amount), Conflict `already_paid`,
    `not_payable`.
    """
    now = now or utcnow()
    amount = parse_amount(amount, "amount", maximum=MAX_AMOUNT)
    booking = locks.lock(booking)
    try:
        _check_manager(booking, actor)
        still_due = money_rules.due(booking)
        if still_due <= 0:
            raise Conflict(_("This booking is already paid."), "already_paid")
        if amount > still_due:
            shown = format_vnd(still_due, str(get_locale() or "vi"))
            raise ServiceError(
                _("That is more than the %(due)s still due.", due=shown), "invalid_amount", "amount"
            )
        if booking.status not in PAID_STATES | {BookingStatus.PENDING_PAYMENT}:
            raise Conflict(_("This booking is not expecting payment."), "not_payable")
    except ServiceError:
        db.session.rollback()
        raise
    payment = pending_or_new(booking, PaymentMethod.PAY_AT_ARRIVAL, amount, now)
    receive(payment, amount, actor=actor, now=now)
    db.session.commit()
    outbox.kick()
    return payment
