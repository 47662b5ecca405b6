"""The ledger for the cooperative: the village fund's month, and the hosts' payout run."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...models import Community, Role
from ...services.payments import ledger
from . import bp


def _communities() -> list[Community]:
    query = db.select(Community).order_by(Community.slug)
    if current_user.role != Role.ADMIN:
        query = query.where(Community.id.in_(current_user.community_ids or {-1}))
    return list(db.session.scalars(query))


@bp.get("/ledger")
def ledger_month():
    """Each of the user's communities: its fund statement for the month."""
    year, month = ledger.parse_month(request.args.get("month"))
    funds = [(c, ledger.community_fund_statement(c.id, year, month)) for c in _communities()]
    is_admin = current_user.role == Role.ADMIN
    totals = ledger.totals_by_account(year, month) if is_admin else None
    cash_held = ledger.cash_held_by_hosts(year, month) if is_admin else 0
    return render_template(
        "payments/ledger.html",
        funds=funds,
        totals=totals,
        cash_held=cash_held,
        year=year,
        month=month,
    )


@bp.post("/ledger/payouts")
def run_payouts():
    """Platform admins settle every host's shares up to the end of the chosen month."""
    if current_user.role != Role.ADMIN:
        abort(403)
    year, month = ledger.parse_month(request.form.get("month"))
    _start, end = ledger.month_bounds(year, month)
    payouts = ledger.run_payouts(end, actor=current_user)
    flash(_("%(count)s payouts recorded.", count=len(payouts)), "success")
    return redirect(url_for("admin.ledger_month", month=f"{year}-{month:02d}"))
