"""The Stripe emulator in a thread, the app served over HTTP for its webhooks, and helpers.

Import the fixtures into a test module: `from tests.stripe_support import stripe_server`.
"""

import json
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest

from marketplace.extensions import db
from marketplace.http import checkout_origin


@pytest.fixture(scope="session")
def app_server(live_server):
    """The app over HTTP, where the emulator sends its webhooks (tests/conftest.py serves it)."""
    return live_server


@pytest.fixture(scope="session")
def stripe_server(app, app_server):
    """The emulator, with the app's Stripe settings pointed at it for the session."""
    emulator = pytest.importorskip("marketplace.devtools.stripe_emulator")
    server = emulator.start_in_thread(
        webhook_url=f"{app_server}/webhooks/stripe",
        webhook_secret=app.config["STRIPE_WEBHOOK_SECRET"],
    )
    saved = {k: app.config.get(k) for k in ("STRIPE_API_BASE", "STRIPE_CHECKOUT_ORIGIN")}
    app.config["STRIPE_API_BASE"] = server.url
    app.config["STRIPE_CHECKOUT_ORIGIN"] = checkout_origin(server.url)
    yield server
    app.config.update(saved)
    server.shutdown()


def sign(app, payload: bytes, timestamp: int | None = None, secret: str | None = None) -> str:
    from marketplace.devtools.stripe_emulator import sign_payload

    return sign_payload(
        payload, secret or app.config["STRIPE_WEBHOOK_SECRET"], timestamp or int(time.time())
    )


def session_event(
    booking,
    session_id: str,
    *,
    event_id: str,
    kind="checkout.session.completed",
    amount=None,
    currency="vnd",
    payment_intent="pi_forged",
):
    """A Checkout Session event as Stripe sends it, for the given booking."""
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "data": {
            "object": {
                "id": session_id,
                "object": "checkout.session",
                "payment_status": "paid" if kind.endswith(("completed", "succeeded")) else "unpaid",
                "status": "complete" if kind.endswith("completed") else "expired",
                "amount_total": booking.total if amount is None else amount,
                "currency": currency,
                "payment_intent": payment_intent,
                "client_reference_id": booking.reference,
                "metadata": {"booking_reference": booking.reference},
            }
        },
    }


def post_event(app, client, event: dict, timestamp: int | None = None):
    body = json.dumps(event).encode()
    return client.post(
        "/webhooks/stripe",
        data=body,
        headers={
            "Stripe-Signature": sign(app, body, timestamp),
            "Content-Type": "application/json",
        },
    )


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self._current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"action": attrs.get("action", ""), "fields": {}, "buttons": []}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "button"):
            kind = attrs.get("type", "submit" if tag == "button" else "text")
            if kind == "submit":
                self._current["buttons"].append(attrs)
            elif attrs.get("name"):
                self._current["fields"][attrs["name"]] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def press_on_checkout_page(checkout_url: str, choice: str = "pay") -> None:
    """Press Pay (or Decline) on the emulator's hosted page, as a browser would, over HTTP."""
    with urllib.request.urlopen(checkout_url) as response:
        html = response.read().decode()
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        for button in form["buttons"]:
            label = " ".join(str(v) for v in button.values()).lower()
            if choice in label or choice in form["action"].lower():
                data = dict(form["fields"])
                if button.get("name"):
                    data[button["name"]] = button.get("value", "")
                target = urllib.parse.urljoin(checkout_url, form["action"] or checkout_url)
                request = urllib.request.Request(
                    target, data=urllib.parse.urlencode(data).encode(), method="POST"
                )
                opener = urllib.request.build_opener(_NoRedirect)
                try:
                    opener.open(request).read()
                except urllib.error.HTTPError as exc:
                    if exc.code not in (301, 302, 303, 307):
                        raise
                return
    raise AssertionError(f"no {choice!r} button on the checkout page:\n{html[:2000]}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_for(predicate, timeout: float = 15.0):
    """Poll until `predicate()` is true (webhooks arrive on another thread); returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()  # end our read so we see what the webhook committed
        db.session.expire_all()
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)
