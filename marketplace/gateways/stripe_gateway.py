"""Stripe: the only module that imports the SDK.

With `STRIPE_API_BASE` set, the SDK talks to that Stripe-compatible server (the emulator in
development and tests); without it, to Stripe itself. Every call that creates something carries
an idempotency key, so a retry after a timeout never charges or refunds twice.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import stripe
from flask import current_app

from ..money import to_stripe_amount

#: Checkout Sessions must live between 30 minutes and 24 hours
MIN_SESSION_SECONDS = 30 * 60 + 60
STRIPE_CURRENCY = "vnd"


class GatewayError(Exception):
    """Stripe refused or could not be reached; the message is Stripe's, for logs and admins."""


class InvalidSignature(Exception):
    """A webhook whose Stripe-Signature is missing, wrong or too old."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str
    expires_at: int


@dataclass(frozen=True)
class RefundResult:
    id: str
    status: str
    amount: int


def _client() -> stripe.StripeClient:
    config = current_app.config
    key = (config["STRIPE_SECRET_KEY"], config.get("STRIPE_API_BASE"))
    cache = current_app.extensions.setdefault("stripe_clients", {})
    if key not in cache:
        options = {"max_network_retries": 2}
        if key[1]:
            options["base_addresses"] = {"api": key[1].rstrip("/")}
        cache[key] = stripe.StripeClient(key[0], **options)
    return cache[key]


def create_checkout_session(
    *,
    reference: str,
    lines: list[tuple[str, int, int]],
    customer_email: str,
    success_url: str,
    cancel_url: str,
    expires_at: datetime,
    idempotency_key: str,
    locale: str = "auto",
) -> CheckoutSession:
    """A hosted Checkout Session in VND for one booking; `lines` are (name, unit VND, quantity).

    Raises GatewayError.
    """
    expires = int(expires_at.timestamp())
    params = {
        "mode": "payment",
        "currency": STRIPE_CURRENCY,
        "line_items": [
            {
                "quantity": quantity,
                "price_data": {
                    "currency": STRIPE_CURRENCY,
                    "unit_amount": to_stripe_amount(unit_amount),
                    "product_data": {"name": name[:250]},
                },
            }
            for name, unit_amount, quantity in lines
        ],
        "client_reference_id": reference,
        "metadata": {"booking_reference": reference},
        "payment_intent_data": {"metadata": {"booking_reference": reference}},
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": expires,
        "locale": locale,
    }
    if customer_email:
        params["customer_email"] = customer_email
    try:
        session = _client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from exc
    return CheckoutSession(id=session.id, url=session.url, expires_at=session.expires_at)


def expire_checkout_session(session_id: str) -> str:
    """Close an open session so it can no longer be paid; returns its status after the call.

    A session already complete or expired is not an error: its status is returned as it is.
    Raises GatewayError when Stripe cannot be reached or does not know the session.
    """
    client = _client()
    try:
        return client.v1.checkout.sessions.expire(session_id).status
    except stripe.InvalidRequestError:
        try:
            return client.v1.checkout.sessions.retrieve(session_id).status
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from exc


def _plain(obj) -> dict:
    """An SDK object as plain nested dicts and lists, the shape webhook events arrive in."""
    return json.loads(str(obj))


def retrieve_checkout_session(session_id: str) -> dict:
    """The Checkout Session as Stripe knows it now (a plain dict). Raises GatewayError."""
    try:
        return _plain(_client().v1.checkout.sessions.retrieve(session_id))
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from exc


def list_recent_checkout_sessions(
    since: datetime, status: str | None = "complete"
) -> Iterator[dict]:
    """Checkout Sessions created at or after `since`, newest first, every page (plain dicts).

    `status` narrows to "complete" (the default: the ones that may be paid), "open" or
    "expired"; None lists all. Raises GatewayError, also midway through the pages.
    """
    params = {"created": {"gte": int(since.timestamp())}, "limit": 100}
    if status:
        params["status"] = status
    try:
        page = _client().v1.checkout.sessions.list(params=params)
        for session in page.auto_paging_iter():
            yield _plain(session)
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from exc


def create_refund(
    *, payment_intent: str, amount: int, idempotency_key: str, reference: str, refund_id=None
) -> RefundResult:
    """Give back `amount` VND of a payment (partial refunds allowed). Raises GatewayError.

    `refund_id` (our Refund row) goes into the metadata, so its webhook finds the row even
    before the refund's Stripe id is recorded.
    """
    metadata = {"booking_reference": reference}
    if refund_id is not None:
        metadata["refund_id"] = str(refund_id)
    try:
        refund = _client().v1.refunds.create(
            params={
                "payment_intent": payment_intent,
                "amount": to_stripe_amount(amount),
                "metadata": metadata,
            },
            options={"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from exc
    return RefundResult(id=refund.id, status=refund.status or "pending", amount=refund.amount)


def verify_event(payload: bytes, signature: str | None) -> dict:
    """The event of a webhook whose signature is good and fresh (300 s), as a plain dict.

    Raises InvalidSignature for a missing, forged or stale signature or a body that is not JSON.
    """
    if not signature:
        raise InvalidSignature("missing Stripe-Signature header")
    try:
        stripe.Webhook.construct_event(
            payload, signature, current_app.config["STRIPE_WEBHOOK_SECRET"]
        )
        # verified: read the same bytes as plain data (the SDK's objects do not nest as dicts)
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise InvalidSignature(str(exc)) from exc
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise InvalidSignature("not a Stripe event")
    return event
