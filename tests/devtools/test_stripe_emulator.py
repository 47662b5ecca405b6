"""The Stripe emulator answers the real stripe SDK, serves the test payment page and signs its
webhooks the way Stripe does, so the SDK's own verification accepts them."""

import http.client
import json
import threading
import time
import urllib.parse

import pytest
import stripe
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from marketplace.devtools.stripe_emulator import parse_form, sign_payload, start_in_thread

API_KEY = "sk_test_emulator"
SECRET = "whsec_test_emulator"
ROOM = {"currency": "vnd", "unit_amount": 650_000, "product_data": {"name": "Homestay night"}}
MEAL = {"currency": "vnd", "unit_amount": 150_000, "product_data": {"name": "Dinner for two"}}
TOTAL = 2 * 650_000 + 150_000


class WebhookReceiver:
    """A tiny WSGI app keeping every event whose signature the SDK accepts."""

    def __init__(self):
        self.events, self.rejected, self.lock = [], 0, threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        signature = request.headers.get("Stripe-Signature", "")
        try:
            event = stripe.Webhook.construct_event(request.get_data(), signature, SECRET)
        except (ValueError, stripe.SignatureVerificationError):
            with self.lock:
                self.rejected += 1
            return Response("bad signature", 400)(environ, start_response)
        with self.lock:
            self.events.append(event)
        return Response("ok")(environ, start_response)

    def about(self, object_id, kind=None):
        with self.lock:
            return [
                e for e in self.events if e.data.object.id == object_id and kind in (None, e.type)
            ]


@pytest.fixture(scope="module")
def receiver():
    app = WebhookReceiver()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.url = f"http://127.0.0.1:{server.server_port}/webhooks/stripe"
    yield app
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def emulator(receiver):
    server = start_in_thread(webhook_url=receiver.url, webhook_secret=SECRET)
    yield server
    server.shutdown()


@pytest.fixture
def client(emulator):
    return stripe.StripeClient(API_KEY, base_addresses={"api": emulator.url}, max_network_retries=0)


def open_session(client, options=None, **params):
    params = {
        "mode": "payment",
        "success_url": "http://shop.test/bookings/BK-7Q2/paid?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://shop.test/bookings/BK-7Q2",
        "client_reference_id": "BK-7Q2",
        "metadata": {"booking_reference": "BK-7Q2", "village": "Pác Ngòi"},
        "line_items": [{"quantity": 2, "price_data": ROOM}, {"quantity": 1, "price_data": MEAL}],
        **params,
    }
    return client.v1.checkout.sessions.create(params=params, options=options or {})


def fetch(method, url, form=None, headers=None):
    """A browser-like request that does not follow redirects: (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    body = urllib.parse.urlencode(form) if form is not None else None
    headers = dict(headers or {})
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body, headers)
    response = conn.getresponse()
    result = response.status, dict(response.getheaders()), response.read().decode()
    conn.close()
    return result


def pay(session, action="pay"):
    return fetch("POST", session.url, {"action": action})


def test_parse_form_rebuilds_nested_params():
    pairs = [
        ("line_items[1][quantity]", "1"),
        ("line_items[0][price_data][currency]", "vnd"),
        ("line_items[0][quantity]", "2"),
        ("metadata[booking_reference]", "BK-1"),
        ("expand[]", "payment_intent"),
        ("mode", "payment"),
    ]
    assert parse_form(pairs) == {
        "line_items": [{"price_data": {"currency": "vnd"}, "quantity": "2"}, {"quantity": "1"}],
        "metadata": {"booking_reference": "BK-1"},
        "expand": ["payment_intent"],
        "mode": "payment",
    }


def test_create_session_with_vnd_line_items(client, emulator):
    before = int(time.time())
    session = open_session(client)
    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert session.amount_total == TOTAL == 1_450_000  # zero-decimal: dong, not x100
    assert session.currency == "vnd"
    assert session.mode == "payment"
    assert (session.status, session.payment_status, session.payment_intent) == (
        "open",
        "unpaid",
        None,
    )
    assert session.client_reference_id == "BK-7Q2"
    assert dict(session.metadata) == {"booking_reference": "BK-7Q2", "village": "Pác Ngòi"}
    assert session.url == f"{emulator.url}/pay/{session.id}"
    assert session.success_url.endswith("?session={CHECKOUT_SESSION_ID}")
    assert session.livemode is False
    assert before + 24 * 3600 <= session.expires_at <= int(time.time()) + 24 * 3600


def test_retrieve_session(client):
    session = open_session(client)
    again = client.v1.checkout.sessions.retrieve(session.id)
    assert again.id == session.id
    assert again.amount_total == TOTAL
    assert again.metadata["booking_reference"] == "BK-7Q2"


def test_idempotency_key_returns_the_same_session(client):
    first = open_session(client, {"idempotency_key": "booking-BK-7Q2-attempt-1"})
    second = open_session(client, {"idempotency_key": "booking-BK-7Q2-attempt-1"})
    assert second.id == first.id
    assert json.loads(str(second)) == json.loads(str(first))  # the very same response
    assert open_session(client).id != first.id  # the SDK's own random key: a new session
    with pytest.raises(stripe.IdempotencyError):
        open_session(
            client, {"idempotency_key": "booking-BK-7Q2-attempt-1"}, client_reference_id="X"
        )


def test_expires_at_is_honoured_within_stripe_bounds(client):
    in_two_hours = int(time.time()) + 2 * 3600
    assert open_session(client, expires_at=in_two_hours).expires_at == in_two_hours
    for too_soon_or_late in (int(time.time()) + 10 * 60, int(time.time()) + 25 * 3600):
        with pytest.raises(stripe.InvalidRequestError) as caught:
            open_session(client, expires_at=too_soon_or_late)
        assert caught.value.http_status == 400
        assert caught.value.param == "expires_at"


def test_expire_sends_a_signed_webhook(client, receiver):
    session = open_session(client)
    expired = client.v1.checkout.sessions.expire(session.id)
    assert expired.status == "expired"
    [event] = receiver.about(session.id, "checkout.session.expired")
    assert event.data.object.status == "expired"
    assert event.livemode is False
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.expire(session.id)
    status, _, body = pay(session)
    assert status == 409
    assert "expired" in body


def test_hosted_page_shows_the_vnd_amount_and_two_buttons(client):
    session = open_session(client)
    status, headers, body = fetch("GET", session.url)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "Test card payment (emulator)" in body
    assert "1.450.000" in body and "₫" in body
    assert 'name="viewport"' in body
    assert 'value="pay">Pay</button>' in body
    assert 'value="decline">Decline</button>' in body
    assert "Homestay night × 2" in body


def test_pay_redirects_and_sends_a_verified_completed_webhook(client, receiver):
    session = open_session(client)
    status, headers, _ = pay(session)
    assert status == 303
    assert headers["Location"] == f"http://shop.test/bookings/BK-7Q2/paid?session={session.id}"
    [event] = receiver.about(session.id, "checkout.session.completed")  # already delivered
    assert event.id.startswith("evt_")
    assert event.object == "event"
    assert event.api_version
    paid = event.data.object
    assert paid.payment_status == "paid"
    assert paid.status == "complete"
    assert paid.client_reference_id == "BK-7Q2"
    assert paid.metadata["booking_reference"] == "BK-7Q2"
    assert paid.amount_total == TOTAL
    assert paid.payment_intent.startswith("pi_")

    current = client.v1.checkout.sessions.retrieve(session.id)
    assert (current.status, current.payment_status) == ("complete", "paid")
    intent = client.v1.payment_intents.retrieve(current.payment_intent)
    assert (intent.status, intent.amount, intent.currency) == ("succeeded", TOTAL, "vnd")
    assert intent.latest_charge.startswith("ch_")
    assert intent.metadata["booking_reference"] == "BK-7Q2"

    status, _, body = pay(session)
    assert status == 409
    assert "already been paid" in body
    assert len(receiver.about(session.id, "checkout.session.completed")) == 1


def test_decline_returns_to_the_shop_and_keeps_the_session_open(client, receiver):
    session = open_session(client)
    status, headers, _ = pay(session, "decline")
    assert status == 303
    assert headers["Location"] == "http://shop.test/bookings/BK-7Q2"
    current = client.v1.checkout.sessions.retrieve(session.id)
    assert (current.status, current.payment_status) == ("open", "unpaid")
    assert receiver.about(session.id) == []


def test_partial_then_full_refund_and_no_over_refund(client, receiver):
    session = open_session(client)
    pay(session)
    intent_id = client.v1.checkout.sessions.retrieve(session.id).payment_intent
    charge_id = client.v1.payment_intents.retrieve(intent_id).latest_charge

    partial = client.v1.refunds.create(
        params={"payment_intent": intent_id, "amount": 400_000, "metadata": {"reason": "1 night"}}
    )
    assert partial.id.startswith("re_")
    assert (partial.amount, partial.currency, partial.status) == (400_000, "vnd", "succeeded")
    assert (partial.payment_intent, partial.charge) == (intent_id, charge_id)
    assert partial.metadata["reason"] == "1 night"
    [first] = receiver.about(charge_id, "charge.refunded")
    assert (first.data.object.amount_refunded, first.data.object.refunded) == (400_000, False)
    assert first.data.object.amount == TOTAL
    assert first.data.object.payment_intent == intent_id
    assert first.data.object.metadata["booking_reference"] == "BK-7Q2"

    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create(params={"payment_intent": intent_id, "amount": TOTAL})
    assert caught.value.http_status == 400
    assert caught.value.code == "amount_too_large"

    rest = client.v1.refunds.create(params={"payment_intent": intent_id})
    assert rest.amount == TOTAL - 400_000
    second = receiver.about(charge_id, "charge.refunded")[-1]
    assert (second.data.object.amount_refunded, second.data.object.refunded) == (TOTAL, True)
    assert client.v1.refunds.retrieve(partial.id).amount == 400_000

    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create(params={"payment_intent": intent_id, "amount": 1})
    assert caught.value.code == "charge_already_refunded"


def test_refund_idempotency_key_refunds_once(client, receiver):
    session = open_session(client)
    pay(session)
    intent_id = client.v1.checkout.sessions.retrieve(session.id).payment_intent
    options = {"idempotency_key": f"refund-{intent_id}"}
    params = {"payment_intent": intent_id, "amount": 100_000}
    first = client.v1.refunds.create(params=params, options=options)
    again = client.v1.refunds.create(params=params, options=options)
    assert again.id == first.id
    charge_id = client.v1.payment_intents.retrieve(intent_id).latest_charge
    assert len(receiver.about(charge_id, "charge.refunded")) == 1
    assert client.v1.charges.retrieve(charge_id).amount_refunded == 100_000


def test_unknown_ids_raise_the_sdk_error(client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.retrieve("cs_test_doesnotexist")
    assert caught.value.http_status == 404
    assert caught.value.code == "resource_missing"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create(params={"payment_intent": "pi_doesnotexist"})
    assert caught.value.code == "resource_missing"


def test_requests_without_a_secret_key_get_401(emulator):
    status, headers, body = fetch("GET", f"{emulator.url}/v1/checkout/sessions/cs_test_x")
    assert status == 401
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"]["type"] == "invalid_request_error"
    client = stripe.StripeClient("pk_test_publishable", base_addresses={"api": emulator.url})
    with pytest.raises(stripe.AuthenticationError):
        client.v1.checkout.sessions.retrieve("cs_test_x")


def test_global_api_base_works_too(emulator, monkeypatch):
    monkeypatch.setattr(stripe, "api_base", emulator.url)
    monkeypatch.setattr(stripe, "api_key", API_KEY)
    session = stripe.checkout.Session.create(
        mode="payment",
        success_url="http://shop.test/ok",
        line_items=[{"quantity": 3, "price_data": MEAL}],
    )
    assert session.amount_total == 450_000
    assert stripe.checkout.Session.retrieve(session.id).status == "open"


def test_sign_payload_matches_stripe_verification():
    payload = b'{"id": "evt_1", "object": "event"}'
    header = sign_payload(payload, SECRET)
    assert stripe.WebhookSignature.verify_header(payload.decode(), header, SECRET, 300)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(payload.decode(), header, "whsec_other", 300)
    stale = sign_payload(payload, SECRET, timestamp=int(time.time()) - 3600)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(payload.decode(), stale, SECRET, 300)
    assert sign_payload(payload, SECRET, 1_700_000_000).startswith("t=1700000000,v1=")


def test_events_are_listed_with_delivery_and_can_be_resent(client, emulator, receiver):
    session = open_session(client)
    pay(session)
    status, _, body = fetch(
        "GET", f"{emulator.url}/_emulator/events?type=checkout.session.completed"
    )
    assert status == 200
    [listed] = [e for e in json.loads(body)["data"] if e["data"]["object"]["id"] == session.id]
    assert listed["delivery"]["status"] == "delivered"
    assert listed["delivery"]["http_status"] == 200
    status, _, body = fetch("POST", f"{emulator.url}/_emulator/events/{listed['id']}/resend")
    assert status == 200
    assert json.loads(body)["delivery"]["attempts"] == 2
    assert [e.id for e in receiver.about(session.id)] == [listed["id"], listed["id"]]


def test_failed_webhook_delivery_is_recorded_not_fatal(client, emulator, receiver):
    emulator.set_webhook_url("http://127.0.0.1:9/unreachable")
    try:
        session = open_session(client)
        status, headers, _ = pay(session)
    finally:
        emulator.set_webhook_url(receiver.url)
    assert status == 303
    assert headers["Location"].endswith(session.id)
    _, _, body = fetch("GET", f"{emulator.url}/_emulator/events?type=checkout.session.completed")
    [listed] = [e for e in json.loads(body)["data"] if e["data"]["object"]["id"] == session.id]
    assert listed["delivery"]["status"] == "failed"
    assert receiver.about(session.id) == []
    assert receiver.rejected == 0


def test_sessions_are_listed_newest_first_in_pages_with_filters():
    server = start_in_thread(webhook_url=None, webhook_secret=SECRET)  # a state of its own
    try:
        client = stripe.StripeClient(
            API_KEY, base_addresses={"api": server.url}, max_network_retries=0
        )
        made = [open_session(client, client_reference_id=f"BK-{i}") for i in range(5)]
        pay(made[1])
        pay(made[3])
        client.v1.checkout.sessions.expire(made[4].id)

        page = client.v1.checkout.sessions.list(params={"limit": 2})
        assert page.object == "list" and page.url == "/v1/checkout/sessions"
        assert [s.id for s in page.data] == [made[4].id, made[3].id] and page.has_more
        after = client.v1.checkout.sessions.list(params={"limit": 2, "starting_after": made[3].id})
        assert [s.id for s in after.data] == [made[2].id, made[1].id] and after.has_more
        every = [s.id for s in page.auto_paging_iter()]
        assert every == [s.id for s in reversed(made)]

        complete = client.v1.checkout.sessions.list(params={"status": "complete", "limit": 1})
        assert [s.id for s in complete.auto_paging_iter()] == [made[3].id, made[1].id]
        assert all(s.payment_status == "paid" for s in complete.auto_paging_iter())
        created = made[0].created
        since = client.v1.checkout.sessions.list(params={"created": {"gte": created}})
        assert len(since.data) == 5 and not since.has_more
        later = client.v1.checkout.sessions.list(params={"created": {"gt": created + 3600}})
        assert later.data == [] and not later.has_more
        with pytest.raises(stripe.InvalidRequestError):
            client.v1.checkout.sessions.list(params={"status": "paid"})
        with pytest.raises(stripe.InvalidRequestError):
            client.v1.checkout.sessions.list(params={"limit": 101})
    finally:
        server.shutdown()
