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

from ..clock import utcnow
from ..database import begin_write
from ..extensions import db
from ..gateways import stripe_gateway
from ..models import (
    PAYMENT_TRANSITIONS,
    Booking,
    BookingStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from . import audit, booking_queries, bookings, ledger, payment_status
from .booking_access import can_manage
from .errors import Conflict, Forbidden, ServiceError

#: a pay-at-arrival request keeps its units this long while the host decides
PAY_AT_ARRIVAL_HOLD = timedelta(hours=24)
#: an open checkout page is offered again rather than a new one made, while this young
CHECKOUT_REUSE = timedelta(minutes=20)
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


def move(payment: Payment, to: PaymentStatus, *, actor=None, note: str = "", strict=False) -> bool:
    """Move `payment` to `to` in the caller's transaction; a repeat or an out-of-order move is a
    logged no-op (returns False), unless `strict`, where an illegal move raises Conflict."""
    current = payment.status
    if current == to or to not in PAYMENT_TRANSITIONS[current]:
        if strict and current != to:
            raise Conflict(_("This payment cannot change that way."), "illegal_transition")
        audit.record(
            payment, "transition_ignored", actor=actor, from_state=current, to_state=to, note=note
        )
        return False
    payment.status = to
    audit.record(payment, "status", actor=actor, from_state=current, to_state=to, note=note)
    return True


def pending_payments(booking: Booking, method: PaymentMethod) -> list[Payment]:
    return [p for p in booking.payments if p.method == method and p.status == PaymentStatus.PENDING]


def due(booking: Booking) -> int:
    """What is still to pay on the booking."""
    return max(booking.total - bookings.amount_paid(booking), 0)


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
    if booking.status != BookingStatus.PENDING_PAYMENT:
        raise Conflict(_("This booking is not waiting for payment."), "not_payable")
    if not booking.is_holding(now):
        raise Conflict(_("The hold on this booking has lapsed. Please book again."), "hold_expired")
    if method.value not in allowed_methods(booking):
        raise Conflict(
            _("This way of paying is not offered for this booking."), "method_not_allowed", "method"
        )
    starter = {
        PaymentMethod.STRIPE: _start_stripe,
        PaymentMethod.VIETQR: _start_vietqr,
        PaymentMethod.PAY_AT_ARRIVAL: _start_pay_at_arrival,
    }[method]
    result = starter(booking, now, success_url=success_url, cancel_url=cancel_url)
    booking.payment_method = method.value
    db.session.commit()
    return result


def _line_items(booking: Booking) -> list[tuple[str, int, int]]:
    lines = []
    for item in booking.items:
        title = booking_queries.item_title(item, booking.locale)
        if item.is_stay:
            detail = f"{item.quantity} × {item.check_in:%d/%m}–{item.check_out:%d/%m/%Y}"
        else:
            detail = f"{item.quantity} × {item.check_in:%d/%m/%Y}"
        # one line per item at its subtotal: nightly prices differ, the sum must be exact
        lines.append((f"{title} · {detail}", item.subtotal, 1))
    return lines


def _start_stripe(booking: Booking, now: datetime, *, success_url: str, cancel_url: str):
    pending = pending_payments(booking, PaymentMethod.STRIPE)
    fresh = [p for p in pending if p.checkout_url and p.created_at + CHECKOUT_REUSE > now]
    if fresh and fresh[-1].amount == due(booking):
        payment = fresh[-1]
        return PaymentStart(
            "stripe", payment, payment.checkout_url, payment.provider_ref, amount=payment.amount
        )
    amount = due(booking)
    attempt = len([p for p in booking.payments if p.method == PaymentMethod.STRIPE]) + 1
    # Stripe wants 30 min to 24 h; a hold that lapses first expires the session (expire_holds)
    expires_at = min(
        max(booking.hold_expires_at, now + timedelta(seconds=stripe_gateway.MIN_SESSION_SECONDS)),
        now + timedelta(hours=23, minutes=55),
    )
    try:
        session = stripe_gateway.create_checkout_session(
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
    return PaymentStart("stripe", payment, session.url, session.id, amount=amount)


def _start_vietqr(booking: Booking, now: datetime, **_urls):
    pending = pending_payments(booking, PaymentMethod.VIETQR)
    amount = due(booking)
    payment = pending[-1] if pending else None
    if payment is None:
        payment = Payment(
            booking=booking, method=PaymentMethod.VIETQR, amount=amount, created_at=now
        )
        db.session.add(payment)
        db.session.flush()
        audit.record(payment, "transfer_awaited", to_state=payment.status, data={"amount": amount})
    details = payment_status.vietqr_details(booking, amount)
    return PaymentStart(
        "vietqr", payment, amount=amount, payload=details["payload"], account=details["account"]
    )


def _start_pay_at_arrival(booking: Booking, now: datetime, **_urls):
    pending = pending_payments(booking, PaymentMethod.PAY_AT_ARRIVAL)
    payment = pending[-1] if pending else None
    if payment is None:
        payment = Payment(
            booking=booking,
            method=PaymentMethod.PAY_AT_ARRIVAL,
            amount=due(booking),
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


# --- money arriving ---------------------------------------------------------------------------


def settle(booking: Booking, *, actor=None, now: datetime) -> str:
    """After money arrived (caller's transaction): confirm the booking when it can be.

    Returns "confirmed", "already_confirmed", "sold_out" (a lapsed hold's units are gone),
    or "cancelled"; the last two mean the money is due back.
    """
    if booking.status in PAID_STATES:
        return "already_confirmed"
    if booking.status == BookingStatus.CANCELLED:
        return "cancelled"
    if booking.status not in (BookingStatus.PENDING_PAYMENT, BookingStatus.EXPIRED):
        return "cancelled"
    begin_write()  # SQLite: the savepoint below needs an open transaction
    try:
        with db.session.begin_nested():
            bookings.transition(booking, BookingStatus.CONFIRMED, actor=actor, now=now)
    except Conflict as exc:
        if exc.code != "sold_out":
            raise
        if booking.status == BookingStatus.PENDING_PAYMENT:
            bookings.transition(booking, BookingStatus.EXPIRED, now=now)
        audit.record(booking, "paid_too_late", note="units gone")
        return "sold_out"
    return "confirmed"


def receive(payment: Payment, amount: int, *, actor=None, now: datetime) -> str:
    """Record `amount` VND received on `payment` (caller's transaction) and settle the booking."""
    payment.amount = amount
    payment.succeeded_at = now
    payment.recorded_by_id = getattr(actor, "id", None)
    move(payment, PaymentStatus.SUCCEEDED, actor=actor)
    db.session.flush()
    ledger.record_payment(payment, now=now)
    outcome = settle(payment.booking, actor=actor, now=now)
    if (
        outcome == "already_confirmed"
        and bookings.amount_paid(payment.booking) > payment.booking.total
    ):
        outcome = "paid_twice"
    return outcome


def after_settled(booking: Booking, outcome: str) -> None:
    """After the commit: mail the confirmation, or the refund of a payment that came too late."""
    if outcome == "confirmed":
        bookings._after_commit(booking, "confirmed")
    elif outcome == "sold_out":
        bookings._after_commit(booking, "refunded")


# --- refunds ---------------------------------------------------------------------------------


def _refund_rows(
    plan: list[tuple[Payment, int]], reason: str, key_prefix: str, now: datetime
) -> list[Refund]:
    """Refund each (payment, amount): Stripe ones through its API first, then write the rows.

    The API calls happen before any write, so no database lock is held while Stripe answers
    (its refund webhook may come back to us during the call).
    """
    results = {}
    for payment, amount in plan:
        if payment.method == PaymentMethod.STRIPE and payment.provider_payment_id:
            try:
                results[payment.id] = stripe_gateway.create_refund(
                    payment_intent=payment.provider_payment_id,
                    amount=amount,
                    idempotency_key=f"{key_prefix}-{payment.id}-{amount}",
                    reference=payment.booking.reference,
                )
            except stripe_gateway.GatewayError as exc:
                results[payment.id] = exc
    refunds = []
    for payment, amount in plan:
        refund = Refund(
            payment_id=payment.id,
            booking_id=payment.booking_id,
            amount=amount,
            reason=reason,
            created_at=now,
        )
        result = results.get(payment.id)
        if isinstance(result, stripe_gateway.GatewayError):
            refund.status = RefundStatus.FAILED
            refund.reason = f"{reason}: {result}"[:2000]
        elif result is not None:
            refund.provider_ref = result.id
            refund.status = (
                RefundStatus.SUCCEEDED if result.status == "succeeded" else RefundStatus.PENDING
            )
        # else: a bank transfer or cash, given back by hand: pending until someone does it
        db.session.add(refund)
        db.session.flush()
        if refund.status != RefundStatus.FAILED:
            payment.amount_refunded += amount
            ledger.record_refund(refund, now=now)
        audit.record(payment, "refund", to_state=refund.status, data={"amount": amount})
        refunds.append(refund)
    return refunds


def refund_payment_in_full(payment: Payment, reason: str, *, now: datetime | None = None):
    """Give all of a payment back (money that came too late or twice), commit."""
    now = now or utcnow()
    left = payment.amount - payment.amount_refunded
    if left <= 0 or payment.status != PaymentStatus.SUCCEEDED:
        return []
    refunds = _refund_rows([(payment, left)], reason, "refund-full", now)
    db.session.commit()
    return refunds


def refund_cancelled_booking(booking: Booking, *, now: datetime | None = None) -> list[Refund]:
    """Pay back `booking.refund_amount` (fixed by the cancellation policy), commit.

    Card payments are refunded through Stripe (partially when the policy says so); bank transfers
    and cash get a pending refund for a person to send. Calling it again refunds nothing more.
    """
    now = now or utcnow()
    already = sum(
        r.amount
        for p in booking.payments
        for r in p.refunds
        if r.reason == "cancellation" and r.status != RefundStatus.FAILED
    )
    remaining = booking.refund_amount - already
    plan = []
    paid = [p for p in booking.payments if p.status == PaymentStatus.SUCCEEDED]
    # card first: it goes back by itself
    for payment in sorted(paid, key=lambda p: p.method != PaymentMethod.STRIPE):
        if remaining <= 0:
            break
        amount = min(remaining, payment.amount - payment.amount_refunded)
        if amount > 0:
            plan.append((payment, amount))
            remaining -= amount
    if not plan:
        return []
    refunds = _refund_rows(plan, "cancellation", f"cancel-{booking.reference}", now)
    db.session.commit()
    return refunds


def expire_checkout_sessions(booking: Booking, *, now: datetime | None = None) -> int:
    """Close the open Stripe checkout pages of a booking whose hold lapsed, commit; how many."""
    closed = 0
    for payment in pending_payments(booking, PaymentMethod.STRIPE):
        if not payment.provider_ref:
            continue
        try:
            status = stripe_gateway.expire_checkout_session(payment.provider_ref)
        except stripe_gateway.GatewayError as exc:
            current_app.logger.warning("could not expire %s: %s", payment.provider_ref, exc)
            continue
        if status == "expired":
            move(payment, PaymentStatus.CANCELLED, note="hold lapsed")
            closed += 1
        # "complete": the payment webhook settles it (a late payment)
    db.session.commit()
    return closed


# --- host and cooperative actions ------------------------------------------------------------


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


def accept_pay_at_arrival(booking: Booking, actor, *, now: datetime | None = None) -> bool:
    """The host takes the booking and the cash at arrival: confirm, commit.

    Raises Forbidden, Conflict `no_request`, `sold_out` (the hold lapsed and the units went).
    """
    now = now or utcnow()
    _check_manager(booking, actor)
    payment = _request_of(booking)
    audit.record(payment, "accepted", actor=actor)
    changed = bookings.confirm(booking, actor=actor, now=now)
    return changed


def decline_pay_at_arrival(booking: Booking, actor, reason: str = "", *, now=None) -> None:
    """The host will not take this guest without payment: the booking is cancelled, commit.

    Raises Forbidden, Conflict `no_request`.
    """
    now = now or utcnow()
    _check_manager(booking, actor)
    payment = _request_of(booking)
    move(payment, PaymentStatus.CANCELLED, actor=actor, note=reason)
    bookings.cancel(
        booking, actor=actor, reason=reason or _("Declined by the host"), by_host=True, now=now
    )


def _parse_amount(amount) -> int:
    try:
        value = int(str(amount).replace(".", "").replace(",", "").replace(" ", ""))
    except (TypeError, ValueError):
        raise ServiceError(_("Enter the amount in dong."), "invalid_amount", "amount") from None
    if value <= 0:
        raise ServiceError(_("Enter the amount in dong."), "invalid_amount", "amount")
    return value


def _pending_or_new(booking: Booking, method: PaymentMethod, amount: int, now) -> Payment:
    """The latest pending payment of `method`, or a new one for money that came unannounced."""
    pending = pending_payments(booking, method)
    if pending:
        return pending[-1]
    payment = Payment(booking=booking, method=method, amount=amount, created_at=now)
    db.session.add(payment)
    db.session.flush()
    return payment


def record_bank_payment(booking: Booking, amount: int, *, transfer_id=None, actor=None, now):
    """Money arrived by bank transfer (caller's transaction); returns the settle outcome."""
    payment = _pending_or_new(booking, PaymentMethod.VIETQR, amount, now)
    payment.provider_ref = transfer_id or payment.provider_ref
    return payment, receive(payment, amount, actor=actor, now=now)


def mark_transfer_received(booking: Booking, actor, *, amount=None, now=None) -> str:
    """The host or the cooperative saw the transfer arrive: record it, confirm, commit.

    Returns the outcome ("confirmed"; "sold_out" or "cancelled" mean a refund is due by hand).
    Raises Forbidden, Conflict `already_paid`, ServiceError `invalid_amount`.
    """
    now = now or utcnow()
    _check_manager(booking, actor)
    amount = due(booking) if amount in (None, "") else _parse_amount(amount)
    if due(booking) <= 0:
        raise Conflict(_("This booking is already paid."), "already_paid")
    begin_write()
    payment, outcome = record_bank_payment(booking, amount, actor=actor, now=now)
    if outcome in ("sold_out", "cancelled"):
        _refund_rows([(payment, amount)], "paid_too_late", "manual", now)
    db.session.commit()
    after_settled(booking, outcome)
    return outcome


def record_cash(booking: Booking, actor, amount, *, now: datetime | None = None) -> Payment:
    """Cash taken at arrival: record it (confirming a booking still pending), commit.

    Raises Forbidden, ServiceError `invalid_amount` (field amount), Conflict `already_paid`.
    """
    now = now or utcnow()
    _check_manager(booking, actor)
    amount = _parse_amount(amount)
    still_due = due(booking)
    if still_due <= 0:
        raise Conflict(_("This booking is already paid."), "already_paid")
    if amount > still_due:
        raise ServiceError(
            _("That is more than the %(due)s still due.", due=f"{still_due:,}".replace(",", ".")),
            "invalid_amount",
            "amount",
        )
    if booking.status not in PAID_STATES | {BookingStatus.PENDING_PAYMENT}:
        raise Conflict(_("This booking is not expecting payment."), "not_payable")
    begin_write()
    payment = _pending_or_new(booking, PaymentMethod.PAY_AT_ARRIVAL, amount, now)
    outcome = receive(payment, amount, actor=actor, now=now)
    db.session.commit()
    after_settled(booking, outcome)
    return payment
