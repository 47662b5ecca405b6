"""Bank reconciliation: upload a statement, see what matched, resolve the lines left over."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...extensions import db
from ...models import BankTransfer, Role, TransferOutcome
from ...services import bank_transfers
from ...services.errors import ServiceError
from . import bp

OUTCOME_TITLES = {
    TransferOutcome.MATCHED: _l("matched"),
    TransferOutcome.NO_MATCH: _l("no match"),
    TransferOutcome.DUPLICATE: _l("duplicate"),
    TransferOutcome.ERROR: _l("refund due"),
    TransferOutcome.PARTIAL: _l("partial"),
    TransferOutcome.OVERPAID: _l("overpaid"),
}


def _scope() -> set[int] | None:
    """The communities whose lines the current user imports and sees; None: all (admins)."""
    return None if current_user.role == Role.ADMIN else current_user.community_ids


def _render(results=None, error=None):
    return render_template(
        "payments/reconciliation.html",
        queue=bank_transfers.queue(_scope()),
        results=results,
        error=error,
        outcome_titles=OUTCOME_TITLES,
    )


@bp.get("/reconciliation")
def reconciliation():
    return _render()


@bp.post("/reconciliation")
def upload_statement():
    """Import the uploaded CSV; the page lists each line and what became of it."""
    upload = request.files.get("statement")
    if upload is None or not upload.filename:
        return _render(error=_("Choose a statement file (CSV).")), 400
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1258", errors="replace")
    try:
        results = bank_transfers.import_statement(text, scope=_scope())
    except ServiceError as exc:
        return _render(error=exc.message), 400
    return _render(results=results)


@bp.post("/reconciliation/resolve")
def resolve_transfer():
    """Take the posted `transfer_id` off the queue; 404 when unknown or another community's."""
    transfer_id = request.form.get("transfer_id", "")
    transfer = (
        db.session.get(BankTransfer, int(transfer_id))
        if transfer_id.isdigit() and len(transfer_id) < 10
        else None
    )
    scope = _scope()
    if transfer is None or (scope is not None and transfer.community_id not in scope):
        abort(404)
    bank_transfers.resolve(transfer, current_user)
    flash(_("Marked as dealt with."), "success")
    return redirect(url_for("admin.reconciliation"))
