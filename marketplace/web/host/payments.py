"""Host actions on payments: accept or decline pay at arrival, a transfer received, cash taken."""

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ...models import Role
from ...services.booking import bookings
from ...services.booking.booking_access import can_manage
from ...services.payments import host_payments, ledger, payment_status, payouts
from ...services.shared.errors import ServiceError
from ..security import next_param, safe_next
from . import bp


def _managed(reference: str):
    """The booking, or 404 when it is unknown or not the user's to manage."""
    try:
        booking = bookings.get_by_reference(reference)
    except ServiceError:
        abort(404)
    if not can_manage(current_user, booking):
        abort(404)
    return booking


def _back(booking):
    return redirect(safe_next(next_param(), f"/host/bookings/{booking.reference}"))


def _act(reference: str, action, done: str):
    booking = _managed(reference)
    try:
        action(booking)
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(done, "success")
    return _back(booking)


@bp.post("/bookings/<reference>/accept")
def accept_pay_at_arrival(reference: str):
    return _act(
        reference,
        lambda b: host_payments.accept_pay_at_arrival(b, current_user),
        _("Accepted: the guest pays at arrival."),
    )


@bp.post("/bookings/<reference>/decline")
def decline_pay_at_arrival(reference: str):
    reason = request.form.get("reason", "")[:500]
    return _act(
        reference,
        lambda b: host_payments.decline_pay_at_arrival(b, current_user, reason),
        _("Declined: the booking is cancelled and the guest told."),
    )


@bp.post("/bookings/<reference>/transfer-received")
def transfer_received(reference: str):
    def mark(booking):
        outcome = host_payments.mark_transfer_received(
            booking, current_user, amount=request.form.get("amount")
        )
        if outcome not in ("confirmed", "already_confirmed"):
            flash(_("The rooms were taken meanwhile: the money is to be sent back."), "error")

    return _act(reference, mark, _("Transfer recorded."))


@bp.post("/bookings/<reference>/cash")
def record_cash(reference: str):
    return _act(
        reference,
        lambda b: host_payments.record_cash(b, current_user, request.form.get("amount")),
        _("Cash recorded."),
    )


@bp.get("/payments")
def pending_payments():
    """Pay-at-arrival requests and bank transfers waiting on the host or the cooperative."""
    if current_user.role == Role.ADMIN:
        waiting = payment_status.pending_for_hosts(None, None)
    else:
        community_ids = current_user.community_ids if current_user.role == Role.COOP else None
        waiting = payment_status.pending_for_hosts(community_ids, current_user.id)
    rows = [(booking, payment_status.panel_state(booking)) for booking in waiting]
    return render_template("payments/host_pending.html", rows=rows)


@bp.get("/statement")
def statement():
    """The host's month: their share of each payment, less refunds and the cash they collected."""
    year, month = ledger.parse_month(request.args.get("month"))
    return render_template(
        "payments/host_statement.html",
        statement=ledger.host_statement(current_user.id, year, month),
        balance=ledger.unsettled_balance(current_user.id),
        history=payouts.host_history(current_user.id),
        until=ledger.last_day_of,
    )
