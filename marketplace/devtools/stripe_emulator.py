"""A Stripe-compatible test server: Checkout Sessions, refunds and signed webhooks, in memory.

Point the real SDK at it (``stripe.api_base = url``); ``/pay/<session id>`` stands in for Stripe
Checkout. Webhooks are sent synchronously: the app has an event before the payer is redirected."""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
import urllib.request
from contextlib import contextmanager, suppress
from copy import deepcopy
from functools import wraps
from html import escape
from typing import Any

from babel.numbers import format_currency
from flask import Blueprint, Flask, Response, current_app, redirect, request
from werkzeug.serving import make_server

log = logging.getLogger(__name__)
bp = Blueprint("stripe_emulator", __name__)
API_VERSION = "2026-02-25.clover"  # the version pinned by the stripe SDK the app installs
ZERO_DECIMAL = set("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
MIN_EXPIRY, MAX_EXPIRY, EXPIRY_SLACK = 30 * 60, 24 * 60 * 60, 5
WEBHOOK_TIMEOUT = 5.0
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
MESSAGES = {
    "no_key": "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    "idempotency": "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.",
    "expires_at": "The `expires_at` timestamp must be between 30 minutes and 24 hours after Checkout Session creation.",
    "not_open": 'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "{status}".',
    "refunded": "Charge {charge} has already been refunded.",
    "too_large": "Refund amount ({}) is greater than unrefunded amount on charge ({})",
}


class StripeError(Exception):
    """An API failure, rendered as Stripe's ``{"error": {...}}`` body."""

    def __init__(self, message, param=None, code=None, status=400, kind="invalid_request_error"):
        super().__init__(message)
        error = {"type": kind, "message": message, "code": code, "param": param}
        self.status, self.error = status, {k: v for k, v in error.items() if v is not None}

    def response(self) -> Response:
        return _json({"error": self.error}, self.status)


def sign_payload(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header value for ``payload``: ``t=<ts>,v1=<hex HMAC-SHA256>``."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"


def parse_form(pairs) -> dict[str, Any]:
    """Rebuild nested params from Stripe's form keys (``line_items[0][price_data][currency]``)."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        *path, last = key.replace("]", "").split("[")  # "a[b][0]" -> a, b, 0; "a[]" -> a, ""
        node = root
        for part in path:
            node = node.setdefault(part or str(len(node)), {})
            if not isinstance(node, dict):
                raise StripeError(f"Invalid parameter: {key}", key)
        node[last or str(len(node))] = value  # "expand[]" appends
    return _listify(root)


def _listify(node):
    if not isinstance(node, dict):
        return node
    items = {k: _listify(v) for k, v in node.items()}
    if items and all(k.isdigit() for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


def _json(body: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body, indent=2), status, headers, "application/json")


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _int(value: Any, param: str, minimum: int = 0) -> int:
    if not str(value).isdigit() or int(value) < minimum:
        raise StripeError(f"Invalid integer: {value} (whole numbers from {minimum} only)", param)
    return int(value)


def format_amount(amount: int, currency: str) -> str:
    """An amount in Stripe's smallest unit, written for people (``1.250.000 ₫``)."""
    code = currency.upper()
    major = amount if currency.lower() in ZERO_DECIMAL else amount / 100
    return format_currency(major, code, locale="vi_VN" if code == "VND" else "en_US")


class EmulatorState:
    """Every object the emulator knows, guarded by ``lock``; new events wait in ``outbox``."""

    def __init__(self, webhook_url: str | None, webhook_secret: str, public_base: str | None):
        self.lock = threading.Lock()
        self.webhook_url, self.webhook_secret = webhook_url, webhook_secret
        self.public_base = public_base.rstrip("/") if public_base else None
        self.objects: dict[str, dict] = {}  # every API object by id
        self.line_items: dict[str, list[str]] = {}  # labels, by checkout session id
        self.events: dict[str, dict] = {}  # id -> {"event": ..., "delivery": ...}
        self.replays: dict[tuple[str, str], dict] = {}  # (api key, idempotency key) -> response
        self.outbox: list[str] = []

    def get(self, kind: str, ident: str, param: str = "id", status: int = 404) -> dict:
        obj = self.objects.get(ident)
        if obj is None or obj["object"] != kind:
            raise StripeError(f"No such {kind}: '{ident}'", param, "resource_missing", status)
        return obj

    def add(self, obj: dict) -> dict:
        self.objects[obj["id"]] = obj
        return obj

    def emit(self, kind: str, obj: dict) -> None:
        """Record an event carrying a snapshot of ``obj``; call with the lock held."""
        event = {
            "id": _new_id("evt"), "object": "event", "api_version": API_VERSION,
            "created": int(time.time()), "data": {"object": deepcopy(obj)}, "livemode": False,
            "pending_webhooks": 1 if self.webhook_url else 0,
            "request": {"id": None, "idempotency_key": None}, "type": kind,
        }  # fmt: skip
        delivery = {"status": "pending", "attempts": 0, "http_status": None, "error": None}
        self.events[event["id"]] = {"event": event, "delivery": delivery}
        self.outbox.append(event["id"])

    @contextmanager
    def transaction(self):
        """Hold the lock for the block, then send the events it emitted once the lock is
        released (even if it failed): the webhook receiver may well call back into the API."""
        outbox: list[str] = []
        try:
            with self.lock:
                self.outbox = outbox
                yield
        finally:
            for event_id in outbox:
                self.deliver(event_id)

    def deliver(self, event_id: str) -> dict:
        """POST an event to the webhook URL (without the lock held); never raises."""
        with self.lock:
            record = self.events[event_id]
            url, secret = self.webhook_url, self.webhook_secret
            payload = json.dumps(record["event"], indent=2).encode()
        outcome: dict[str, Any] = {"status": "not_sent", "http_status": None, "error": None}
        if url:
            req = urllib.request.Request(url, data=payload, method="POST")
            req.add_header("Content-Type", "application/json; charset=utf-8")
            req.add_header("Stripe-Signature", sign_payload(payload, secret))
            try:
                with _NO_PROXY.open(req, timeout=WEBHOOK_TIMEOUT) as resp:
                    outcome.update(status="delivered", http_status=resp.status)
            except Exception as exc:  # HTTP error, refused, timeout: logged, never fatal
                code = getattr(exc, "code", None)  # the receiver's HTTP status, if it answered
                outcome.update(status="failed", http_status=code, error=str(exc))
                log.warning("webhook %s to %s failed: %s", event_id, url, exc)
        with self.lock:
            record["delivery"].update(outcome, url=url, attempts=record["delivery"]["attempts"] + 1)
            return deepcopy({**record["event"], "delivery": record["delivery"]})


def _authenticate() -> str:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if not key.strip():
        raise StripeError(MESSAGES["no_key"], status=401)
    if scheme.lower() != "bearer" or not key.strip().startswith("sk_"):
        raise StripeError(f"Invalid API Key provided: {key.strip()[:12]}***", status=401)
    return key.strip()


def api_endpoint(handler):
    """Authenticate, parse params, run ``handler(state, params, **url_args)`` as a transaction;
    a POST reusing an Idempotency-Key gets the first response again (Stripe's replay)."""

    @wraps(handler)
    def view(**kwargs):
        state = current_app.extensions["stripe_emulator"]
        try:
            api_key = _authenticate()
            post = request.method == "POST"
            params = parse_form((request.form if post else request.args).items(multi=True))
            key = request.headers.get("Idempotency-Key") if post else None
            idem = (api_key, key) if key else None
            with state.transaction():
                if idem in state.replays:
                    stored = state.replays[idem]
                    if stored["request"] != [request.path, params]:
                        message = MESSAGES["idempotency"].format(key=idem[1])
                        raise StripeError(message, kind="idempotency_error")
                    return _json(stored["body"], headers={"Idempotent-Replayed": "true"})
                body = deepcopy(handler(state, params, **kwargs))
                if idem:
                    state.replays[idem] = {"request": [request.path, params], "body": body}
        except StripeError as exc:
            return exc.response()
        return _json(body)

    return view


def _line_items_total(items: Any) -> tuple[int, str, list[str]]:
    """The total, the currency and a label per line (``Homestay night × 2``)."""
    if not isinstance(items, list) or not items:
        raise StripeError("Missing required param: line_items.", "line_items", "parameter_missing")
    total, currencies, labels = 0, set(), []
    for i, item in enumerate(items):
        price = item.get("price_data") if isinstance(item, dict) else None
        if not isinstance(price, dict) or not (price.get("product_data") or {}).get("name"):
            raise StripeError("Give price_data with product_data[name].", f"line_items[{i}]")
        unit = _int(price.get("unit_amount"), f"line_items[{i}][price_data][unit_amount]")
        quantity = _int(item.get("quantity"), f"line_items[{i}][quantity]", minimum=1)
        total += unit * quantity
        currencies.add(str(price.get("currency", "")).lower())
        labels.append(f"{price['product_data']['name']} × {quantity}")
    if len(currencies) > 1 or "" in currencies:
        raise StripeError("All line items need the same currency.", "line_items")
    return total, currencies.pop(), labels


@bp.post("/v1/checkout/sessions")
@api_endpoint
def create_session(state: EmulatorState, params: dict) -> dict:
    if params.get("mode") != "payment":
        raise StripeError("Missing required param: mode (only mode=payment is emulated).", "mode")
    if not params.get("success_url"):
        raise StripeError("Missing required param: success_url.", "success_url")
    amount, currency, labels = _line_items_total(params.get("line_items"))
    now, session_id = int(time.time()), "cs_test_" + secrets.token_hex(24)
    expires_at = _int(params.get("expires_at", now + MAX_EXPIRY), "expires_at")
    if not MIN_EXPIRY - EXPIRY_SLACK <= expires_at - now <= MAX_EXPIRY + EXPIRY_SLACK:
        raise StripeError(MESSAGES["expires_at"], "expires_at")
    state.line_items[session_id] = labels
    return state.add({
        "id": session_id, "object": "checkout.session", "amount_subtotal": amount,
        "amount_total": amount, "cancel_url": params.get("cancel_url"),
        "client_reference_id": params.get("client_reference_id"), "created": now,
        "currency": currency, "customer_email": params.get("customer_email"),
        "expires_at": expires_at, "livemode": False, "locale": params.get("locale"),
        "metadata": params.get("metadata") or {}, "mode": "payment", "payment_intent": None,
        "payment_status": "unpaid", "status": "open", "success_url": params["success_url"],
        "url": f"{state.public_base or request.host_url.rstrip('/')}/pay/{session_id}",
    })  # fmt: skip


LIST_FILTERS = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}


def _created_matches(created: int, wanted: Any) -> bool:
    """Stripe's ``created`` filter: a timestamp, or ``created[gte]=...`` and its siblings."""
    if wanted is None:
        return True
    if not isinstance(wanted, dict):
        return created == _int(wanted, "created")
    for op, value in wanted.items():
        if op not in LIST_FILTERS:
            raise StripeError(f"Invalid created filter: {op}", f"created[{op}]")
        if not LIST_FILTERS[op](created, _int(value, f"created[{op}]")):
            return False
    return True


@bp.get("/v1/checkout/sessions")
@api_endpoint
def list_sessions(state: EmulatorState, params: dict) -> dict:
    """Newest first, ``limit`` (1-100, default 10) a page, ``starting_after`` the cursor."""
    limit = _int(params.get("limit", 10), "limit", minimum=1)
    if limit > 100:
        raise StripeError("Invalid limit: must be at most 100", "limit")
    status = params.get("status")
    if status not in (None, "open", "complete", "expired"):
        raise StripeError(f"Invalid status: {status}", "status")
    sessions = [o for o in reversed(state.objects.values()) if o["object"] == "checkout.session"]
    cursor = params.get("starting_after")  # objects are kept in the order they were made
    if cursor:
        state.get("checkout.session", cursor, "starting_after", 400)
        sessions = sessions[[o["id"] for o in sessions].index(cursor) + 1 :]
    found = [
        obj
        for obj in sessions
        if status in (None, obj["status"])
        and _created_matches(obj["created"], params.get("created"))
    ]
    return {
        "object": "list", "data": found[:limit], "has_more": len(found) > limit,
        "url": "/v1/checkout/sessions",
    }  # fmt: skip


@bp.post("/v1/checkout/sessions/<session_id>/expire")
@api_endpoint
def expire_session(state: EmulatorState, params: dict, session_id: str) -> dict:
    session = state.get("checkout.session", session_id)
    if session["status"] != "open":
        raise StripeError(MESSAGES["not_open"].format(status=session["status"]))
    session["status"] = "expired"
    state.emit("checkout.session.expired", session)
    return session


def complete_session(state: EmulatorState, session: dict) -> None:
    """Take the payment: a succeeded PaymentIntent and Charge, then the completed event."""
    now, amount, currency = int(time.time()), session["amount_total"], session["currency"]
    pi_id, ch_id = _new_id("pi"), _new_id("ch")
    state.add({
        "id": ch_id, "object": "charge", "amount": amount, "amount_captured": amount,
        "amount_refunded": 0, "captured": True, "created": now, "currency": currency,
        "livemode": False, "metadata": dict(session["metadata"]), "paid": True,
        "payment_intent": pi_id, "refunded": False, "status": "succeeded",
    })  # fmt: skip
    state.add({
        "id": pi_id, "object": "payment_intent", "amount": amount, "amount_received": amount,
        "created": now, "currency": currency, "latest_charge": ch_id, "livemode": False,
        "metadata": dict(session["metadata"]), "status": "succeeded",
    })  # fmt: skip
    session.update(status="complete", payment_status="paid", payment_intent=pi_id)
    state.emit("checkout.session.completed", session)


@bp.post("/v1/refunds")
@api_endpoint
def create_refund(state: EmulatorState, params: dict) -> dict:
    if not params.get("payment_intent"):
        raise StripeError("Missing required param: payment_intent.", "payment_intent")
    intent = state.get("payment_intent", params["payment_intent"], "payment_intent", 400)
    charge = state.get("charge", intent["latest_charge"])
    remaining, currency = charge["amount"] - charge["amount_refunded"], charge["currency"]
    if remaining <= 0:
        message = MESSAGES["refunded"].format(charge=charge["id"])
        raise StripeError(message, code="charge_already_refunded")
    amount = _int(params.get("amount", remaining), "amount", minimum=1)
    if amount > remaining:
        asked, left = format_amount(amount, currency), format_amount(remaining, currency)
        raise StripeError(MESSAGES["too_large"].format(asked, left), "amount", "amount_too_large")
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
    state.emit("charge.refunded", charge)
    return state.add({
        "id": _new_id("re"), "object": "refund", "amount": amount, "balance_transaction": None,
        "charge": charge["id"], "created": int(time.time()), "currency": currency,
        "metadata": params.get("metadata") or {}, "payment_intent": charge["payment_intent"],
        "reason": params.get("reason"), "status": "succeeded",
    })  # fmt: skip


@bp.get("/v1/checkout/sessions/<ident>", defaults={"kind": "checkout.session"})
@bp.get("/v1/refunds/<ident>", defaults={"kind": "refund"})
@bp.get("/v1/payment_intents/<ident>", defaults={"kind": "payment_intent"})
@bp.get("/v1/charges/<ident>", defaults={"kind": "charge"})
@api_endpoint
def retrieve_object(state: EmulatorState, params: dict, kind: str, ident: str) -> dict:
    return state.get(kind, ident)


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Test card payment (emulator)</title><style>
body{{font:18px/1.5 system-ui,sans-serif;max-width:26rem;margin:auto;padding:1rem}}
.total{{font-size:2rem;font-weight:700}} .note{{background:#fef3c7;padding:.5rem;font-size:.9rem}}
button{{width:100%;min-height:3.5rem;margin-top:.75rem;font-size:1.2rem;border:0;border-radius:9px}}
.pay{{background:#15803d;color:#fff}}</style></head><body><h1>Test card payment (emulator)</h1>
{body}
<p class="note">No real money moves: this page only tells the shop if the payment went through.</p>
</body></html>"""
CHECKOUT = """<ul>{lines}</ul><p>{reference}</p><div class="total">{money}</div>
<form method="post" action="/pay/{id}"><button class="pay" name="action" value="pay">Pay</button>
<button class="decline" name="action" value="decline">Decline</button></form>"""


def _page(body: str, status: int = 200) -> Response:
    return Response(PAGE.format(body=body), status=status, mimetype="text/html")


@bp.route("/pay/<session_id>", methods=["GET", "POST"])
def pay_page(session_id: str) -> Response:
    """The test payment page; Pay and Decline post back here, then go back to the shop."""
    state = current_app.extensions["stripe_emulator"]
    with state.transaction():  # webhooks go out before the redirect: the shop knows first
        session = state.objects.get(session_id, {})
        if session.get("object") != "checkout.session":
            return _page("<h2>Unknown payment</h2>", 404)
        if session["status"] != "open":
            done = "has already been paid" if session["status"] == "complete" else "has expired"
            return _page(f"<h2>Cannot pay</h2><p>This payment {done}.</p>", 409)
        action = request.form.get("action") if request.method == "POST" else None
        if action == "pay":
            complete_session(state, session)
            success_url = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
            return redirect(success_url, code=303)
        if action == "decline" and session["cancel_url"]:
            return redirect(session["cancel_url"], code=303)
        lines = "".join(f"<li>{escape(label)}</li>" for label in state.line_items[session_id])
        money = format_amount(session["amount_total"], session["currency"])
        text = {"money": money, "reference": session["client_reference_id"] or "", "id": session_id}
        return _page(CHECKOUT.format(lines=lines, **{k: escape(v) for k, v in text.items()}))


@bp.get("/_emulator/events")
def list_events() -> Response:
    """Every event so far, oldest first, each with its ``delivery``; ``?type=`` filters."""
    state, kind = current_app.extensions["stripe_emulator"], request.args.get("type")
    with state.lock:
        data = [{**r["event"], "delivery": r["delivery"]} for r in state.events.values()]
        return _json({"object": "list", "data": [e for e in data if kind in (None, e["type"])]})


@bp.post("/_emulator/events/<event_id>/resend")
def resend_event(event_id: str) -> Response:
    state = current_app.extensions["stripe_emulator"]
    if event_id not in state.events:
        return StripeError(f"No such event: '{event_id}'", "id", "resource_missing", 404).response()
    return _json(state.deliver(event_id))


@bp.route("/v1/<path:rest>", methods=["GET", "POST", "DELETE"])
def unknown_endpoint(rest: str) -> Response:
    message = f"Unrecognized request URL ({request.method}: {request.path})."
    return StripeError(message, status=404).response()


def create_emulator_app(
    webhook_url: str | None, webhook_secret: str, public_base: str | None = None
) -> Flask:
    """The emulator app; ``session.url`` starts with ``public_base`` or the request's origin."""
    app = Flask(__name__)
    app.extensions["stripe_emulator"] = EmulatorState(webhook_url, webhook_secret, public_base)
    app.register_blueprint(bp)
    return app


class EmulatorServer:
    """The emulator app, served by werkzeug from a daemon thread as soon as it is made."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0):
        self.app, self._server = app, make_server(host, port, app, threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def set_webhook_url(self, url: str | None) -> None:
        self.app.extensions["stripe_emulator"].webhook_url = url  # one atomic attribute write

    def shutdown(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def start_in_thread(
    webhook_url: str | None = None,
    webhook_secret: str = "whsec_test",
    host: str = "127.0.0.1",
    port: int = 0,
) -> EmulatorServer:
    """Serve the emulator in the background; ``port=0`` picks a free port (see ``.url``)."""
    return EmulatorServer(create_emulator_app(webhook_url, webhook_secret), host, port)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Serve a Stripe-compatible test API: Checkout, refunds, signed webhooks."
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument("--port", type=int, default=12111, help="port (0: any free port)")
    parser.add_argument("--webhook-url", help="where events are POSTed (default: nowhere)")
    parser.add_argument("--webhook-secret", default="whsec_test", help="signing secret")
    parser.add_argument("--public-base", help="origin of payment pages, e.g. for a phone")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_emulator_app(args.webhook_url, args.webhook_secret, args.public_base)
    server = make_server(args.host, args.port, app, threaded=True)
    log.info("Stripe emulator on port %s, webhooks to %s", server.server_port, args.webhook_url)
    with suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
