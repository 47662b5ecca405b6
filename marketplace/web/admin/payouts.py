"""Payouts to hosts: what each is owed and was paid, CSV exports, and the batch-transfer file.

The batch file follows the common "chuyển tiền theo lô" layout of Vietnamese business internet
banking (one sheet, a header row, then one transfer a row): No., beneficiary account number,
beneficiary name, beneficiary bank, amount (whole dong), content. Payouts of hosts without a
bank account on file are left out of the file and named on the page.
"""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models import Role
from ...services.payments import ledger, payouts
from ...services.shared.errors import ServiceError
from ..backoffice import csv_response
from ..exports import csv_files, xlsx_files
from . import bp

#: the batch template's header row, in the bank's words (the file is for the bank, not the UI)
BATCH_HEADER = (
    "STT",
    "Số tài khoản người hưởng",
    "Tên người hưởng",
    "Ngân hàng người hưởng",
    "Số tiền",
    "Nội dung chuyển tiền",
)


def _scope() -> set[int] | None:
    return None if current_user.role == Role.ADMIN else current_user.community_ids


def _month():
    return ledger.parse_month(request.args.get("month"))


@bp.get("/payouts")
def payouts_page():
    """Every host of the user's communities: owed, paid, last payout; the month's batch."""
    year, month = _month()
    lines = payouts.batch(year, month, scope=_scope())
    return render_template(
        "payments/payouts.html",
        rows=payouts.hosts_overview(_scope()),
        batch=lines,
        missing=[line for line in lines if line.account is None],
        year=year,
        month=month,
    )


@bp.get("/payouts.csv")
def payouts_csv():
    rows = [(_("Host"), _("Email"), _("Owed now"), _("Paid so far"), _("Last payout"))]
    for row in payouts.hosts_overview(_scope()):
        last = row.last_payout.reference if row.last_payout else ""
        rows.append((row.host.name, row.host.email, row.owed, row.paid, last))
    return csv_response(csv_files.payouts_csv(rows), "payouts.csv")


def _history(host_id: int):
    try:
        return payouts.host_history(host_id, scope=_scope())
    except ServiceError:
        abort(404)


@bp.get("/payouts/<int:host_id>")
def host_payouts(host_id: int, errors=None, status=200):
    """One host's months and payouts, and the bank account their payouts go to."""
    return render_template(
        "payments/payout_host.html",
        history=_history(host_id),
        errors=errors or {},
        until=ledger.last_day_of,
    ), status


@bp.get("/payouts/<int:host_id>.csv")
def host_payouts_csv(host_id: int):
    history = _history(host_id)
    rows = [
        (
            _("Month"),
            _("Shares of payments"),
            _("Shares of refunds"),
            _("Cash collected"),
            _("Total"),
            _("Paid out"),
        )
    ]
    for m in history.months:
        rows.append(
            (f"{m.year}-{m.month:02d}", m.earned, -m.refunded, -m.cash, m.total, m.paid_out)
        )
    rows.append(())
    rows.append((_("Payout"), _("Up to"), _("Amount")))
    for p in history.payouts:
        rows.append((p.reference, ledger.last_day_of(p.period_end).isoformat(), p.amount))
    return csv_response(csv_files.payouts_csv(rows), f"payouts-host-{host_id}.csv")


@bp.post("/payouts/<int:host_id>/account")
def save_payout_account(host_id: int):
    """Record the host's bank account; 400 with the field's message when it is not valid."""
    _history(host_id)
    form = request.form
    try:
        payouts.set_payout_account(
            host_id,
            bank_name=form.get("bank_name", "")[:100],
            account_number=form.get("account_number", "")[:40],
            account_name=form.get("account_name", "")[:100],
            actor=current_user,
            scope=_scope(),
        )
    except ServiceError as exc:
        return host_payouts(host_id, errors={exc.field or "form": exc.message}, status=400)
    flash(_("Bank account saved."), "success")
    return redirect(url_for("admin.host_payouts", host_id=host_id))


def _batch_rows(year: int, month: int) -> list[tuple]:
    lines = [line for line in payouts.batch(year, month, scope=_scope()) if line.account]
    return [
        (
            number,
            line.account.account_number,
            line.account.account_name,
            line.account.bank_name,
            line.payout.amount,
            line.content,
        )
        for number, line in enumerate(lines, start=1)
    ]


@bp.get("/payouts/batch.csv")
def batch_csv():
    year, month = _month()
    rows = [BATCH_HEADER, *_batch_rows(year, month)]
    return csv_response(csv_files.payouts_csv(rows), f"chuyen-tien-theo-lo-{year}-{month:02d}.csv")


@bp.get("/payouts/batch.xlsx")
def batch_xlsx():
    """The month's payouts as a workbook the bank's batch transfer screen imports."""
    year, month = _month()
    body = xlsx_files.batch_transfer_xlsx(BATCH_HEADER, _batch_rows(year, month))
    return Response(
        body,
        mimetype=xlsx_files.MIMETYPE,
        headers={
            "Content-Disposition": (
                f'attachment; filename="chuyen-tien-theo-lo-{year}-{month:02d}.xlsx"'
            ),
            "Cache-Control": "private, no-store",
        },
    )
