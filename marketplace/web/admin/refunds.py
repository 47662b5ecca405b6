"""Refunds due by hand, for the cooperative (its communities) and the platform's admins."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models.states import Outcome
from ...services.payments import refund_queue
from ...services.shared.errors import ServiceError
from . import bp


def _queue(errors: dict | None = None, status: int = 200):
    rows = refund_queue.due_refunds(current_user)
    return render_template("refunds/queue.html", rows=rows, errors=errors or {}), status


@bp.get("/refunds")
def refunds():
    """Every pending refund of a bank transfer or of cash the user may send, oldest first."""
    return _queue()


@bp.post("/refunds/<int:refund_id>/sent")
def refund_sent(refund_id: int):
    """Record the transfer back with its bank reference; twice records it once.

    404 for a refund of another community; an error is shown beside the refund (400/409).
    """
    try:
        outcome = refund_queue.record_refund_sent(
            refund_id, current_user, request.form.get("bank_reference", "")
        )
    except ServiceError as exc:
        if exc.status == 404:
            abort(404)
        return _queue({refund_id: exc.message}, exc.status)
    if outcome is Outcome.ALREADY:
        flash(_("This refund was already recorded as sent."), "info")
    else:
        flash(_("Refund recorded as sent."), "success")
    return redirect(url_for("admin.refunds"))


@bp.post("/refunds/<int:refund_id>/reject-account")
def refund_account_rejected(refund_id: int):
    """The bank refused the tourist's account: they are asked for another one."""
    try:
        refund_queue.reject_refund_account(refund_id, current_user, request.form.get("note", ""))
    except ServiceError as exc:
        if exc.status == 404:
            abort(404)
        return _queue({refund_id: exc.message}, exc.status)
    flash(_("The tourist is asked for another account."), "success")
    return redirect(url_for("admin.refunds"))
