"""Starting a payment through the API: Stripe Checkout, a VietQR code, or pay at arrival."""

from flask import g, jsonify, request
from flask_babel import gettext as _

from ...services import bookings, payments
from ...services.booking_access import can_view
from ..booking_access import booking_key
from ..payments import checkout_success_url
from . import ApiError, bp, json_body, token_required
from .openapi import ERROR_SCHEMA


@bp.post("/bookings/<reference>/payments")
@token_required()
def start_payment(reference: str):
    """201 with what the client needs next; 400 invalid method; 404 not yours; 409
    `method_not_allowed`, `not_payable`, `hold_expired`, `payment_unavailable`."""
    data = json_body()
    booking = bookings.get_by_reference(reference)
    if not can_view(g.api_user, booking):
        raise ApiError(404, "not_found", _("No booking with this reference."))
    base = request.host_url.rstrip("/")
    back = f"{base}/trips/{booking.reference}?key={booking_key(booking)}"
    started = payments.start_payment(
        booking,
        data.get("method") if isinstance(data.get("method"), str) else "",
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


OPENAPI_PATHS = {
    "/bookings/{reference}/payments": {
        "post": {
            "summary": "Start paying for a booking",
            "description": (
                "stripe: a Checkout Session in currency vnd (client_reference_id and "
                "metadata.booking_reference = the reference). vietqr: the NAPAS 247 EMVCo payload "
                "with the exact amount and the reference as purpose. pay_at_arrival: a request "
                "the host accepts; the units stay held 24 hours meanwhile."
            ),
            "security": [{"bearer": []}],
            "parameters": [
                {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["method"],
                            "properties": {
                                "method": {
                                    "type": "string",
                                    "enum": ["stripe", "vietqr", "pay_at_arrival"],
                                }
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": {
                    "description": "What the client needs next, by method",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["method"],
                                "properties": {
                                    "method": {"type": "string"},
                                    "checkout_url": {"type": "string", "format": "uri"},
                                    "session_id": {"type": "string"},
                                    "payload": {"type": "string"},
                                    "amount": {"type": "integer"},
                                    "currency": {"type": "string", "const": "VND"},
                                    "reference": {"type": "string"},
                                    "account": {
                                        "type": "object",
                                        "properties": {
                                            "bank_bin": {"type": "string"},
                                            "account_number": {"type": "string"},
                                            "account_name": {"type": "string"},
                                        },
                                    },
                                    "qr_svg_url": {"type": "string"},
                                    "status": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "400": {
                    "description": "Invalid method",
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                },
                "401": {
                    "description": "No valid token",
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                },
                "404": {
                    "description": "Unknown or not yours",
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                },
                "409": {
                    "description": "method_not_allowed, not_payable, hold_expired, payment_unavailable",
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                },
            },
        }
    }
}
