"""Starting a payment through the API: Stripe Checkout, a VietQR code, or pay at arrival."""

from flask import g, jsonify, request
from flask_babel import gettext as _

from ...services.booking import bookings
from ...services.booking.booking_access import can_view
from ...services.payments import payments
from ..booking_access import booking_key
from ..payments import checkout_success_url
from ..schemas.bookings import PaymentRequest, PaymentStarted
from . import ApiError, bp, token_required
from .openapi import BEARER, endpoint


@bp.post("/bookings/<reference>/payments")
@token_required()
@endpoint(
    tag="payments",
    security=[BEARER],
    answers={201: (PaymentStarted, "What the client needs next, by method")},
    errors={
        400: "invalid_method",
        401: "No valid token",
        404: "Unknown, or not yours",
        409: "method_not_allowed, not_payable, hold_expired, payment_unavailable",
    },
)
def start_payment(reference: str, json: PaymentRequest):
    """Start paying for a booking

    stripe: a Checkout Session in currency vnd (client_reference_id and
    metadata.booking_reference = the reference). vietqr: the NAPAS 247 EMVCo payload with the
    exact amount and the reference as purpose. pay_at_arrival: a request the host accepts; the
    units stay held 24 hours meanwhile.
    """
    booking = bookings.get_by_reference(reference)
    if not can_view(g.api_user, booking):
        raise ApiError(404, "not_found", _("No booking with this reference."))
    base = request.host_url.rstrip("/")
    back = f"{base}/trips/{booking.reference}?key={booking_key(booking)}"
    started = payments.start_payment(
        booking,
        json.method,
        success_url=checkout_success_url(booking),
        cancel_url=f"{back}&checkout=cancelled",
    )
    body = {"method": started.method}
    if started.method == "stripe":
        body.update(checkout_url=started.checkout_url, session_id=started.session_id)
    elif started.method == "vietqr":
        body.update(
            payload=started.payload,
            amount=started.amount,
            currency="VND",
            reference=booking.reference,
            account=started.account,
            qr_svg_url=f"/trips/{booking.reference}/vietqr.svg?key={booking_key(booking)}",
        )
    else:
        body.update(status=started.status)
    return jsonify(body), 201
