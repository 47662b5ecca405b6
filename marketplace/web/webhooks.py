"""Webhooks from Stripe and from the bank's notification service (no CSRF: they sign instead)."""

import hmac

from flask import Blueprint, current_app, jsonify, request

from ..extensions import csrf
from ..gateways import stripe_gateway
from ..http import error_body
from ..services.payments import bank_transfers, payment_events
from ..services.shared.errors import ServiceError

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
csrf.exempt(bp)


@bp.post("/stripe")
def stripe_webhook():
    """400 for a missing, forged or stale signature (nothing changes); 200 otherwise."""
    try:
        event = stripe_gateway.verify_event(
            request.get_data(), request.headers.get("Stripe-Signature")
        )
    except stripe_gateway.InvalidSignature:
        return jsonify(error_body("invalid_signature", "Invalid signature.")), 400
    result = payment_events.handle_stripe_event(event)
    current_app.logger.info("stripe event %s %s: %s", event["id"], event["type"], result)
    return jsonify({"received": True, "result": result})


def _bank_token_ok() -> bool:
    """`Authorization: Apikey <BANK_WEBHOOK_TOKEN>` (the style of Vietnamese notification services)."""
    expected = current_app.config.get("BANK_WEBHOOK_TOKEN")
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not expected or scheme.lower() not in ("apikey", "bearer"):
        return False
    return hmac.compare_digest(token.strip().encode(), str(expected).encode())


@bp.post("/bank")
def bank_webhook():
    """401 without the shared token; 400 naming the field for a malformed notification."""
    if not _bank_token_ok():
        return jsonify(error_body("unauthorized", "A valid API key is required.")), 401
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error_body("invalid_json", "The body must be a JSON object.")), 400
    try:
        transfer, new = bank_transfers.receive_notification(data)
    except ServiceError as exc:
        return jsonify(error_body(exc.code, exc.message, exc.field)), exc.status
    return jsonify({"success": True, "outcome": transfer.outcome.value, "new": new})
