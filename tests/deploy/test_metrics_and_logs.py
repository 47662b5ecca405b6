"""/metrics for Prometheus (loopback or a bearer token) and JSON log lines with a request id."""

import io
import json
import logging

from prometheus_client.parser import text_string_to_metric_families

from marketplace.logging_setup import LineFormatter, RequestIdFilter
from marketplace.services.shared import outbox
from tests.factories import make_booking, make_listing


def samples(text: str) -> dict:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(text: str, name: str, **labels) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def scrape(client, **kwargs):
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_metrics_count_requests_by_endpoint_and_status(client):
    before = scrape(client)
    client.get("/healthz")
    client.get("/no-such-page")
    after = scrape(client)
    ok = {"endpoint": "system.healthz", "method": "GET", "status": "200"}
    missing = {"endpoint": "unmatched", "method": "GET", "status": "404"}
    name = "marketplace_http_requests_total"
    assert value(after, name, **ok) == value(before, name, **ok) + 1
    assert value(after, name, **missing) == value(before, name, **missing) + 1
    assert value(after, "marketplace_http_request_duration_seconds_count", **ok) >= 1


def test_bookings_are_counted_once_committed(client):
    before = value(scrape(client), "marketplace_bookings_placed_total")
    make_booking(make_listing(units=2).room_types[0])
    after = value(scrape(client), "marketplace_bookings_placed_total")
    assert after == before + 1


def test_queue_depth_shows_pending_outbox_messages(client, app):
    app.config["OUTBOX_KICK"] = False
    try:
        outbox.emit("test.nothing", {"n": 1})
        from marketplace.extensions import db

        db.session.commit()
        text = scrape(client)
    finally:
        app.config["OUTBOX_KICK"] = True
    assert value(text, "marketplace_outbox_messages", status="pending") == 1
    assert ("marketplace_job_queue_depth", ()) in samples(text)


def test_metrics_are_refused_to_strangers(client, app):
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=remote).status_code == 404
    app.config["METRICS_TOKEN"] = "scrape-" + "k" * 32
    try:
        assert client.get("/metrics").status_code == 404  # loopback is not enough with a token
        wrong = {"Authorization": "Bearer nope"}
        assert client.get("/metrics", headers=wrong, environ_base=remote).status_code == 404
        right = {"Authorization": "Bearer scrape-" + "k" * 32}
        assert client.get("/metrics", headers=right, environ_base=remote).status_code == 200
    finally:
        app.config["METRICS_TOKEN"] = None


def test_the_request_id_is_echoed_or_made(client):
    given = client.get("/healthz", headers={"X-Request-ID": "abc123def456"})
    assert given.headers["X-Request-Id"] == "abc123def456"
    made = client.get("/healthz", headers={"X-Request-ID": 'bad id "quoted"'})
    assert len(made.headers["X-Request-Id"]) == 32 and " " not in made.headers["X-Request-Id"]


def test_log_lines_are_json_with_the_request_id_and_no_ticket_secret(app, client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(LineFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("marketplace.request")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        client.get("/t/SECRETTICKETTOKEN123", headers={"X-Request-ID": "req-0000000001"})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    request_line = next(line for line in lines if line.get("path"))
    assert request_line["request_id"] == "req-0000000001"
    assert request_line["level"] == "INFO" and request_line["logger"] == "marketplace.request"
    assert request_line["path"] == "/t/[redacted]" and "status" in request_line
    assert "SECRETTICKETTOKEN123" not in stream.getvalue()


def test_settled_payments_and_scans_are_counted(client):
    from datetime import UTC, datetime

    from marketplace.models import Role
    from marketplace.services.payments import host_payments
    from tests.factories import bearer, make_community, make_held_booking, make_ticketed_booking
    from tests.factories import make_user as make_account

    community = make_community()
    coop = make_account(Role.COOP, community=community)
    listing = make_listing(community=community, units=2)
    before = scrape(client)
    booking = make_held_booking(listing, now=datetime.now(UTC))
    assert host_payments.mark_transfer_received(booking, coop) == "confirmed"
    ticketed = make_ticketed_booking(make_listing(units=2, max_guests=4))
    answer = client.post(
        "/api/v1/checkins",
        json={"secret": ticketed.items[0].ticket.secret},
        headers=bearer(ticketed.items[0].listing.host),
    )
    assert answer.json["result"] == "ok"
    after = scrape(client)
    settled = "marketplace_payments_settled_total"
    assert value(after, settled, method="vietqr") == value(before, settled, method="vietqr") + 1
    scans = "marketplace_checkin_scans_total"
    labels = {"result": "ok", "offline": "false"}
    assert value(after, scans, **labels) == value(before, scans, **labels) + 1
