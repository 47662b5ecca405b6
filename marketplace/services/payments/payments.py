"""Payments: starting one (card, VietQR, pay at arrival), money arriving, refunds, host actions.

Money received is recorded as a succeeded Payment with its ledger entries, then the booking is
settled: confirmed if it is still pending or its lapsed hold's units are still free; otherwise
the money is due back (refunded automatically through Stripe, or by hand for a bank transfer).
Stripe's webhook events are handled in `payment_events`, reading in `payment_status`; this module
owns every other change.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _

from ...clock import utcnow
from ...database import begin_write
from ...date_formats import format_day
from ...extensions import db
from ...gateways import stripe_gateway
from ...models import (
    PAYMENT_TRANSITIONS,
    Booking,
    BookingStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from ...models.states import Outcome, judge
from ..booking import booking_events, booking_lifecycle, booking_queries
from ..shared import audit, locks
from ..shared.errors import Conflict, ServiceError
from . import ledger, money_rules, refunds, transfer_details

#: a pay-at-arrival request keeps its units this long while the host decides
PAY_AT_ARRIVAL_HOLD = timedelta(hours=24)
#: an open checkout page is offered again rather than a new one made, while this young
CHECKOUT_REUSE = timedelta(minutes=20)
#: no single payment is larger than this (a typo, or 2^63 from a form)
MAX_AMOUNT = 10_000_000_000
PAID_STATES = frozenset(
    {BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED}
)


@dataclass
class PaymentStart:
    method: str
    payment: Payment
    checkout_url: str | None = None
    session_id: str | None = None
    payload: str | None = None
    amount: int = 0
    account: dict = field(default_factory=dict)
    status: str = ""


# --- state of a payment ----------------------------------------------------------------------


def move(payment: Payment, to: PaymentStatus, *, actor=None, note: str = "") -> Outcome:
    """The one way a payment's status changes (the caller holds the booking's lock).

    A repeat (ALREADY) or a move the table forbids (REFUSED: a late "expired" after "paid") is
    logged and changes nothing; callers act on the answer.
    """
    current = payment.status
    outcome = judge(PAYMENT_TRANSITIONS, current, to)
    if outcome is not Outcome.APPLIED:
        audit.record(
            payment, "transition_ignored", actor=actor, from_state=current, to_state=to, note=note
        )
        return outcome
    payment.status = to
    audit.record(payment, "status", actor=actor, from_state=current, to_state=to, note=note)
    return outcome


def pending_payments(booking: Booking, method: PaymentMethod) -> list[Payment]:
    return [p for p in booking.payments if p.method == method and p.status == PaymentStatus.PENDING]


# --- starting a payment ----------------------------------------------------------------------


def allowed_methods(booking: Booking) -> list[str]:
    """Methods every listing of the booking accepts, in the order they are offered."""
    methods = booking_queries.payment_methods(booking)
    community = booking.community
    if not (community.bank_bin and community.bank_account_number):
        methods = [m for m in methods if m != PaymentMethod.VIETQR]
    return methods


def start_payment(
    booking: Booking,
    method: str,
    *,
    success_url: str = "",
    cancel_url: str = "",
    now: datetime | None = None,
) -> PaymentStart:
    """Begin paying a held booking by `method`, commit; returns what the tourist needs next.

    Raises ServiceError `invalid_method` (400, field method), Conflict `not_payable` (not waiting
    for payment), `hold_expired`, `method_not_allowed`, or `payment_unavailable` (Stripe down).
    """
    now = now or utcnow()
    try:
        method = PaymentMethod(method)
    except ValueError:
        raise ServiceError(_("Choose a way to pay."), "invalid_method", "method") from None
    _check_payable(booking, method, now)
    session = None
    if method == PaymentMethod.STRIPE:
        reused = _fresh_checkout(booking, now)
        if reused is not None:
            return reused
        # Stripe is called before the lock is taken: no lock is held while it answers
        session = _create_checkout(booking, now, success_url, cancel_url)
    booking = locks.lock(booking)
    try:
        _check_payable(booking, method, now)
    except ServiceError:
        db.session.rollback()
        if session is not None:
            _abandon(session.id)
        raise
    starter = {
        PaymentMethod.STRIPE: _start_stripe,
        PaymentMethod.VIETQR: _start_vietqr,
        PaymentMethod.PAY_AT_ARRIVAL: _start_pay_at_arrival,
    }[method]
    result = starter(booking, now, session=session)
    booking.payment_method = method.value
    db.session.commit()
    return result


def _abandon(session_id: str) -> None:
    """Close a page made for a booking that stopped waiting for payment meanwhile."""
    try:
        stripe_gateway.expire_checkout_session(session_id)
    except stripe_gateway.GatewayError as exc:  # it expires by itself; paid, it is refunded
        current_app.logger.warning("could not expire %s: %s", session_id, exc)


def _check_payable(booking: Booking, method: PaymentMethod, now: datetime) -> None:
    if booking.status != BookingStatus.PENDING_PAYMENT:
        raise Conflict(_("This booking is not waiting for payment."), "not_payable")
    if not booking.is_holding(now):
        raise Conflict(_("The hold on this booking has lapsed. Please book again."), "hold_expired")
    if method.value not in allowed_methods(booking):
        raise Conflict(
            _("This way of paying is not offered for this booking."), "method_not_allowed", "method"
        )


def _line_items(booking: Booking) -> list[tuple[str, int, int]]:
    lines = []
    for item in booking.items:
        title = booking_queries.item_title(item, booking.locale)
        locale = booking.locale or "vi"
        if item.is_stay:  # the month by name: "2/1" is a different day to different readers
            days = f"{format_day(item.check_in, locale)} – {format_day(item.check_out, locale)}"
        else:
            days = format_day(item.check_in, locale)
        detail = f"{item.quantity} × {days}"
        # one line per item at its subtotal: nightly prices differ, the sum must be exact
        lines.append((f"{title} · {detail}", item.subtotal, 1))
    return lines


def _fresh_checkout(booking: Booking, now: datetime) -> PaymentStart | None:
    """An open checkout page young enough to offer again, for the amount still due."""
    pending = pending_payments(booking, PaymentMethod.STRIPE)
    fresh = [p for p in pending if p.checkout_url and p.created_at + CHECKOUT_REUSE > now]
    if fresh and fresh[-1].amount == money_rules.due(booking):
        payment = fresh[-1]
        return PaymentStart(
            "stripe", payment, payment.checkout_url, payment.provider_ref, amount=payment.amount
        )
    return None


def _create_checkout(booking: Booking, now: datetime, success_url: str, cancel_url: str):
    attempt = len([p for p in booking.payments if p.method == PaymentMethod.STRIPE]) + 1
    # Stripe wants 30 min to 24 h; a hold that lapses first expires the session (expire_holds)
    expires_at = min(
        max(booking.hold_expires_at, now + timedelta(seconds=stripe_gateway.MIN_SESSION_SECONDS)),
        now + timedelta(hours=23, minutes=55),
    )
    try:
        return stripe_gateway.create_checkout_session(
            reference=booking.reference,
            lines=_line_items(booking),
            customer_email=booking.contact_email,
            success_url=success_url,
            cancel_url=cancel_url,
            expires_at=expires_at,
            idempotency_key=f"checkout-{booking.reference}-{attempt}",
            locale=booking.locale if booking.locale in ("vi", "en", "ko", "zh") else "auto",
        )
    except stripe_gateway.GatewayError as exc:
        current_app.logger.warning("checkout for %s failed: %s", booking.reference, exc)
        raise Conflict(
            _("Card payment is unavailable right now. Please try again in a minute."),
            "payment_unavailable",
        ) from None


def _start_stripe(booking: Booking, now: datetime, *, session):
    """Record the page made for this booking (locked); a twin request's page is reused."""
    amount = money_rules.due(booking)
    payment = next(
        (
            p
            for p in booking.payments
            if p.method == PaymentMethod.STRIPE and p.provider_ref == session.id
        ),
        None,
    )
    if payment is None:
        payment = Payment(
            booking=booking,
            method=PaymentMethod.STRIPE,
            amount=amount,
            provider_ref=session.id,
            checkout_url=session.url,
            created_at=now,
        )
        db.session.add(payment)
        db.session.flush()
        audit.record(payment, "checkout_created", to_state=payment.status, data={"amount": amount})
    return PaymentStart("stripe", payment, session.url, session.id, amount=payment.amount)


def _start_vietqr(booking: Booking, now: datetime, **_session):
    pending = pending_payments(booking, PaymentMethod.VIETQR)
    amount = money_rules.due(booking)
    payment = pending[-1] if pending else None
    if payment is None:
        payment = Payment(
            booking=booking, method=PaymentMethod.VIETQR, amount=amount, created_at=now
        )
        db.session.add(payment)
        db.session.flush()
        audit.record(payment, "transfer_awaited", to_state=payment.status, data={"amount": amount})
    details = transfer_details.vietqr_details(booking, amount)
    return PaymentStart(
        "vietqr", payment, amount=amount, payload=details["payload"], account=details["account"]
    )


def _start_pay_at_arrival(booking: Booking, now: datetime, **_session):
    pending = pending_payments(booking, PaymentMethod.PAY_AT_ARRIVAL)
    payment = pending[-1] if pending else None
    if payment is None:
        payment = Payment(
            booking=booking,
            method=PaymentMethod.PAY_AT_ARRIVAL,
            amount=money_rules.due(booking),
            created_at=now,
        )
        db.session.add(payment)
        db.session.flush()
        audit.record(payment, "requested", to_state=payment.status)
    # the units stay held while the host decides; they were ours until now, so no one loses
    begin_write()
    until = max(booking.hold_expires_at, now + PAY_AT_ARRIVAL_HOLD)
    booking.hold_expires_at = until
    for item in booking.items:
        item.claimed_until = until
        for night in item.nights:
            night.claimed_until = until
    return PaymentStart("pay_at_arrival", payment, amount=payment.amount, status="awaiting_host")


# --- money arriving (the caller holds the booking's lock) -------------------------------------


def settle(booking: Booking, *, actor=None, now: datetime) -> str:
    """After money arrived: confirm the booking when it can be.

    Returns "confirmed", "already_confirmed", "sold_out" (a lapsed hold's units are gone) or
    "cancelled" (cancelled, or past taking money); the last two mean the money is due back.
    """
    if booking.status in PAID_STATES:
        return "already_confirmed"
    if booking.status not in (BookingStatus.PENDING_PAYMENT, BookingStatus.EXPIRED):
        return "cancelled"
    begin_write()  # SQLite: the savepoint below needs an open transaction
    try:
        with db.session.begin_nested():
            booking_lifecycle.transition(booking, BookingStatus.CONFIRMED, actor=actor, now=now)
    except Conflict as exc:
        if exc.code != "sold_out":
            raise
        if booking.status == BookingStatus.PENDING_PAYMENT:
            booking_lifecycle.transition(booking, BookingStatus.EXPIRED, now=now)
        audit.record(booking, "paid_too_late", note="units gone")
        return "sold_out"
    return "confirmed"


#: settle outcomes whose money goes back in full, and the refund's reason
GIVEN_BACK = {"sold_out": "sold_out", "cancelled": "cancelled", "paid_twice": "duplicate"}


def receive(payment: Payment, amount: int, *, actor=None, now: datetime) -> str:
    """Record `amount` VND received on `payment` and settle its booking (locked caller).

    Returns the settle outcome, "paid_twice" when the booking was already paid in full (this
    payment is a duplicate, refunded in full), or "already_succeeded" for a repeat, which
    writes nothing. Money that cannot be kept is decided back here, in the same transaction.
    """
    booking = payment.booking
    due_before = money_rules.due(booking)
    if move(payment, PaymentStatus.SUCCEEDED, actor=actor) is not Outcome.APPLIED:
        return "already_succeeded"
    payment.amount = amount
    payment.succeeded_at = now
    payment.recorded_by_id = getattr(actor, "id", None)
    db.session.flush()
    ledger.record_payment(payment, now=now)
    outcome = settle(booking, actor=actor, now=now)
    if outcome == "already_confirmed" and due_before <= 0:
        outcome = "paid_twice"
    if outcome == "confirmed":
        booking_events.announce(booking, "confirmed")
    if outcome in GIVEN_BACK:
        booking_events.announce(booking, "refunded")
        if outcome == "paid_twice":
            payment.flag_reason = "duplicate payment"
            audit.record(payment, "duplicate", actor=actor, data={"amount": amount})
        refunds.refund_in_full(payment, GIVEN_BACK[outcome], now=now, actor=actor)
    elif amount > due_before:
        # more than was due: the difference goes back
        refunds.write_refund(payment, amount - due_before, "overpaid", now, actor)
    return outcome


def pending_or_new(booking: Booking, method: PaymentMethod, amount: int, now) -> Payment:
    """The latest pending payment of `method`, or a new one for money that came unannounced."""
    pending = pending_payments(booking, method)
    if pending:
        return pending[-1]
    payment = Payment(booking=booking, method=method, amount=amount, created_at=now)
    db.session.add(payment)
    db.session.flush()
    return payment


def record_bank_payment(booking: Booking, amount: int, *, transfer_id=None, actor=None, now):
    """Money arrived by bank transfer (locked caller's transaction); returns the settle outcome."""
    payment = pending_or_new(booking, PaymentMethod.VIETQR, amount, now)
    payment.provider_ref = transfer_id or payment.provider_ref
    return payment, receive(payment, amount, actor=actor, now=now)
