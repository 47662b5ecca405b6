"""Exchange rates for indicative prices: the table and a form per currency. Platform admins only."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from ...models import Role
from ...services.catalogue import exchange_rates
from ...services.shared.errors import ServiceError
from ..security import roles_required
from . import bp


def _page(errors: dict | None = None, values: dict | None = None, status: int = 200):
    return render_template(
        "admin/rates.html",
        rates=exchange_rates.rate_table(),
        errors=errors or {},
        number=format_decimal,
        values=values or {},
    ), status


@bp.get("/rates")
@roles_required(Role.ADMIN)
def rates_page():
    return _page()


@bp.post("/rates")
@roles_required(Role.ADMIN)
def rate_set():
    """Set one currency's rate; a bad one shows the form again with its message (400)."""
    currency = request.form.get("currency", "").strip().upper()
    raw = request.form.get("rate", "")
    try:
        row = exchange_rates.set_rate(currency, raw, by=current_user)
    except ServiceError as exc:
        key = currency if currency in exchange_rates.CURRENCIES else ""
        return _page({key: exc.message}, {key: raw}, 400)
    flash(
        _(
            "1 %(currency)s = %(rate)s dong from now on.",
            currency=row.currency,
            rate=row.vnd_per_unit,
        ),
        "success",
    )
    return redirect(url_for("admin.rates_page"))
