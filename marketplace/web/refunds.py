"""The tourist's side of refunds sent by hand: where to send the money, and where it stands.

The trip page includes `trips/_refunds.html`, which reads `refund_desk(booking)`; the form posts
here. Staff work the queue in `admin/refunds.py`.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length

from ..services.booking import booking_access
from ..services.payments import refund_queue
from ..services.payments.transfer_details import BANK_NAMES
from ..services.shared.errors import ServiceError
from .booking_access import holds_link, viewable_booking

bp = Blueprint("refunds", __name__, url_prefix="/trips")


class RefundAccountForm(FlaskForm):
    bank_bin = SelectField(_l("Bank"), validate_choice=False)
    account_number = StringField(
        _l("Account number"), validators=[Length(max=40)], render_kw={"inputmode": "numeric"}
    )
    account_holder = StringField(_l("Account holder's name"), validators=[Length(max=120)])
    submit = SubmitField(_l("Send my refund to this account"))


def account_form(booking, formdata=None) -> RefundAccountForm:
    form = RefundAccountForm(formdata=formdata)
    form.bank_bin.choices = [("", _("Choose your bank"))] + sorted(
        BANK_NAMES.items(), key=lambda pair: pair[1].casefold()
    )
    account = refund_queue.refund_account(booking.id)
    if formdata is None and account is not None and account.rejected_at is None:
        form.bank_bin.data = account.bank_bin
        form.account_number.data = account.account_number
        form.account_holder.data = account.account_holder
    return form


@bp.app_template_global()
def refund_desk(booking) -> dict:
    """The trip page's refund section (read only)."""
    desk = refund_queue.refunds_of(booking)
    desk["form"] = account_form(booking) if desk["ask"] else None
    return desk


def _is_traveller(booking) -> bool:
    return booking_access.is_traveller(current_user, booking, holds_link=holds_link(booking))


@bp.route("/<reference>/refund-account", methods=["GET", "POST"])
def refund_account(reference: str):
    """The traveller gives (or corrects) the bank account for refunds sent by hand.

    404 for a visitor who may not see the booking; hosts and staff are sent back to the trip
    page. A field at fault is shown next to it (400); nothing due any more answers 409.
    """
    booking = viewable_booking(reference)
    back = redirect(url_for("trips.detail", reference=booking.reference))
    if not _is_traveller(booking):
        flash(_("Only the traveller can give the account for their refund."), "error")
        return back
    form = account_form(booking, request.form if request.method == "POST" else None)
    if request.method == "GET" or not form.validate():
        return render_template("refunds/account.html", booking=booking, form=form), (
            400 if request.method == "POST" else 200
        )
    try:
        refund_queue.set_refund_account(
            booking,
            bank_bin=form.bank_bin.data,
            account_number=form.account_number.data,
            account_holder=form.account_holder.data,
            actor=current_user if current_user.is_authenticated else None,
        )
    except ServiceError as exc:
        if exc.field and hasattr(form, exc.field):
            getattr(form, exc.field).errors = [exc.message]
        else:
            flash(exc.message, "error")
        return render_template("refunds/account.html", booking=booking, form=form), exc.status
    flash(_("Thank you: we send your refund to this account."), "success")
    return back
