"""Bank reconciliation: upload a statement (CSV or XLSX), preview what it would do, confirm,
then match the lines left over to bookings by hand or mark them dealt with."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ...extensions import db
from ...models import BankTransfer, Role, TransferOutcome
from ...services.payments import bank_matching, bank_statements, bank_transfers
from ...services.shared.errors import ServiceError
from . import bp

OUTCOME_TITLES = {
    TransferOutcome.MATCHED: _l("matched"),
    TransferOutcome.NO_MATCH: _l("no match"),
    TransferOutcome.DUPLICATE: _l("duplicate"),
    TransferOutcome.ERROR: _l("refund due"),
    TransferOutcome.PARTIAL: _l("partial"),
    TransferOutcome.OVERPAID: _l("overpaid"),
    TransferOutcome.CONFIRMED: _l("confirms a transfer already recorded"),
}
#: a preview may be confirmed this long after it was shown
PREVIEW_MAX_AGE = 3600


def _scope() -> set[int] | None:
    """The communities whose lines the current user imports and sees; None: all (admins)."""
    return None if current_user.role == Role.ADMIN else current_user.community_ids


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="statement-preview")


def _render(results=None, error=None, preview=None, token=None, status=200, **extra):
    line_id = request.args.get("line", "")
    search = (request.args.get("q") or "").strip()[:40]
    candidates = None
    if line_id.isdecimal() and len(line_id) < 10 and search:
        candidates = bank_matching.find_bookings(search, scope=_scope())
    page = render_template(
        "payments/reconciliation.html",
        queue=bank_transfers.queue(_scope()),
        results=results,
        error=error,
        preview=preview,
        token=token,
        outcome_titles=OUTCOME_TITLES,
        outcomes=TransferOutcome,
        search_line=int(line_id) if candidates is not None else None,
        search=search,
        candidates=candidates,
        due=bank_matching.still_due,
        **extra,
    )
    return page, status


def _read_upload():
    """The uploaded statement, read; (None, error message) when there is none or it is bad."""
    upload = request.files.get("statement")
    if upload is None or not upload.filename:
        return None, _("Choose a statement file (CSV or XLSX).")
    try:
        return bank_statements.parse_upload(upload.filename, upload.read()), None
    except ServiceError as exc:
        return None, exc.message


@bp.get("/reconciliation")
def reconciliation():
    return _render()


@bp.post("/reconciliation")
def upload_statement():
    """Import the uploaded statement at once (for scripts); the page previews first."""
    statement, error = _read_upload()
    if error:
        return _render(error=error, status=400)
    return _render(results=bank_transfers.import_lines(statement, scope=_scope()))


@bp.post("/reconciliation/preview")
def preview_statement():
    """What importing the uploaded statement would do; nothing is written until confirmed."""
    statement, error = _read_upload()
    if error:
        return _render(error=error, status=400)
    token = _signer().dumps({"user": current_user.id, "statement": statement.to_dict()})
    preview = bank_matching.preview(statement, scope=_scope())
    return _render(preview=preview, token=token)


@bp.post("/reconciliation/confirm")
def confirm_statement():
    """Import the statement of a preview this user was shown; 400 when it is stale or forged."""
    try:
        data = _signer().loads(request.form.get("token", ""), max_age=PREVIEW_MAX_AGE)
        if data.get("user") != current_user.id:
            raise BadSignature("another user's preview")
        statement = bank_statements.ParsedStatement.from_dict(data["statement"])
    except (BadSignature, ServiceError, KeyError, TypeError, AttributeError):
        return _render(error=_("The preview has expired: upload the statement again."), status=400)
    results = bank_transfers.import_lines(statement, scope=_scope())
    return _render(results=results, skipped=(statement.debits_skipped, statement.other_skipped))


def _transfer_or_404(raw: str) -> BankTransfer:
    transfer = db.session.get(BankTransfer, int(raw)) if raw.isdecimal() and len(raw) < 10 else None
    scope = _scope()
    if transfer is None or (scope is not None and transfer.community_id not in scope):
        abort(404)
    return transfer


@bp.post("/reconciliation/<int:transfer_id>/match")
def match_transfer(transfer_id: int):
    """Attach a stray line to the booking named in the form's `reference`.

    404 for a line that does not exist or is another community's; 400 with the message for an
    unknown reference; 409 when the line was matched meanwhile.
    """
    _transfer_or_404(str(transfer_id))
    reference = (request.form.get("reference") or "").strip()[:40]
    try:
        transfer = bank_matching.match_by_hand(transfer_id, reference, current_user, scope=_scope())
    except ServiceError as exc:
        if exc.code == "transfer_not_found":
            abort(404)
        status = 409 if exc.code == "already_matched" else 400
        return _render(match_error=exc.message, match_line=transfer_id, status=status)
    flash(
        _(
            "Line %(line)s: %(outcome)s.",
            line=transfer.transfer_id,
            outcome=OUTCOME_TITLES[transfer.outcome],
        ),
        "success",
    )
    return redirect(url_for("admin.reconciliation"))


@bp.post("/reconciliation/resolve")
def resolve_transfer():
    """Take the posted `transfer_id` off the queue; 404 when unknown or another community's."""
    transfer = _transfer_or_404(request.form.get("transfer_id", ""))
    bank_transfers.resolve(transfer, current_user)
    flash(_("Marked as dealt with."), "success")
    return redirect(url_for("admin.reconciliation"))
