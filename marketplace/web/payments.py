"""Paying for a booking from its page: choose a method, go to Stripe, or see the VietQR code."""

from flask import Blueprint, Response, flash, redirect, request
from flask_babel import gettext as _
from markupsafe import Markup

from ..extensions import limiter
from ..gateways.qr import render_png, render_svg
from ..services.payments import payment_status, payments, stripe_reconcile
from ..services.shared.errors import ServiceError
from .booking_access import booking_key, viewable_booking

bp = Blueprint("payments", __name__)


def detail_url(booking, *, external: bool = False, **params) -> str:
    """The booking page (owned by the trips pages), with the guest's key so it opens anywhere."""
    query = "&".join(f"{k}={v}" for k, v in {"key": booking_key(booking), **params}.items())
    base = request.host_url.rstrip("/") if external else ""
    return f"{base}/trips/{booking.reference}?{query}"


def checkout_success_url(booking) -> str:
    """Where Stripe sends the payer back; Stripe fills in `{CHECKOUT_SESSION_ID}`."""
    query = f"key={booking_key(booking)}&session_id={{CHECKOUT_SESSION_ID}}"
    return f"{request.host_url.rstrip('/')}/trips/{booking.reference}/paid?{query}"


def checkout_cancel_url(booking) -> str:
    """Where Stripe sends a payer who leaves the card page unpaid (after a declined card, too)."""
    query = f"key={booking_key(booking)}"
    return f"{request.host_url.rstrip('/')}/trips/{booking.reference}/pay/cancelled?{query}"


@bp.post("/trips/<reference>/pay")
def pay(reference: str):
    """Start paying by the posted `method`; 404 for a booking the visitor may not see.

    Card: a 303 to the Stripe checkout page. VietQR and pay at arrival: back to the booking.
    """
    booking = viewable_booking(reference)
    try:
        started = payments.start_payment(
            booking,
            request.form.get("method", ""),
            success_url=checkout_success_url(booking),
            cancel_url=checkout_cancel_url(booking),
        )
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(detail_url(booking) + "#pay")
    if started.method == "stripe":
        return redirect(started.checkout_url, 303)
    if started.method == "pay_at_arrival":
        flash(_("We asked the host to accept payment at arrival. You will hear from us."), "info")
    return redirect(detail_url(booking) + "#pay")


@bp.get("/trips/<reference>/paid")
@limiter.limit("30 per minute")  # each visit may ask Stripe once
def checkout_return(reference: str):
    """Back from Stripe Checkout: the payment is confirmed now, as its webhook would (which then
    changes nothing), and the booking page shows the outcome; 404 for a booking the visitor may
    not see. When Stripe cannot be asked, the page says the payment is being confirmed."""
    booking = viewable_booking(reference)
    stripe_reconcile.confirm_checkout_return(request.args.get("session_id", ""), booking.reference)
    return redirect(detail_url(booking, checkout="success") + "#pay", 303)


@bp.get("/trips/<reference>/pay/cancelled")
def checkout_cancelled(reference: str):
    """Back from Stripe Checkout without paying: say so where the tourist lands, once; 404 for a
    booking the visitor may not see."""
    booking = viewable_booking(reference)
    if payment_status.panel_state(booking)["payable"]:
        flash(
            _("Your card was not charged. You can try again or choose another way to pay."), "error"
        )
    return redirect(detail_url(booking), 303)


@bp.get("/trips/<reference>/vietqr.svg")
def vietqr_svg(reference: str):
    """The VietQR code for what is due on the booking; 404 when nothing is due by transfer."""
    booking = viewable_booking(reference)
    state = payment_status.panel_state(booking)
    if not state["vietqr"]:
        return Response(status=404)
    response = Response(render_svg(state["vietqr"]["payload"]), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/trips/<reference>/vietqr.png")
def vietqr_png(reference: str):
    """The VietQR code as a PNG file to save to the phone's gallery, which banking apps scan
    from ("scan from image"); 404 when nothing is due by transfer."""
    booking = viewable_booking(reference)
    state = payment_status.panel_state(booking)
    if not state["vietqr"]:
        return Response(status=404)
    response = Response(render_png(state["vietqr"]["payload"]), mimetype="image/png")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="vietqr-{booking.reference}.png"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.app_context_processor
def _panel_helpers():
    def payment_panel(booking):
        state = payment_status.panel_state(booking)
        if state["vietqr"]:
            state["vietqr"]["svg"] = Markup(render_svg(state["vietqr"]["payload"]))
        return state

    return {"payment_panel": payment_panel}
