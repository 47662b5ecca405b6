"""Prometheus metrics: requests by endpoint and status, bookings, payments, scans, job queue depth.

Under gunicorn each worker is a process of its own; with PROMETHEUS_MULTIPROC_DIR set (an empty
folder, cleared before gunicorn starts: deploy/marketplace-web@.service), prometheus_client
writes every process's values to files there and `/metrics` adds them up
(deploy/gunicorn.conf.py marks a dead worker's files). Without it the values are per process
(development, tests).

Business events are counted where they can be observed without touching the services: when a
database transaction commits, the rows it inserted (by a flush or by `database.insert_rows`)
say what happened (a new Booking: a booking placed; an audit row moving a payment to succeeded:
a payment settled; a Scan: a scan with its result). A rolled-back transaction counts nothing.

The queue depth is read when Prometheus scrapes: outbox messages pending and parked, and the
triggers waiting in the Huey queue.
"""

import hmac
import ipaddress
import logging
import os
import time
from collections import Counter as Tally

from flask import Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from .database import INSERT_OBSERVERS

log = logging.getLogger(__name__)

REQUESTS = Counter(
    "marketplace_http_requests_total",
    "HTTP requests answered, by endpoint, method and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "marketplace_http_request_duration_seconds",
    "Time to answer a request, by endpoint and status.",
    ["endpoint", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
BOOKINGS_PLACED = Counter("marketplace_bookings_placed_total", "Bookings placed (committed).")
PAYMENTS_SETTLED = Counter(
    "marketplace_payments_settled_total", "Payments moved to succeeded, by method.", ["method"]
)
SCANS = Counter(
    "marketplace_checkin_scans_total", "Ticket scans recorded, by result.", ["result", "offline"]
)

_PENDING = "marketplace.metrics.pending"


def _observed(session, rows) -> None:
    """Tally what committing would count: `rows` are (mapped class, column values) pairs."""
    from .models import AuditEntry, Booking, Payment, Scan

    tally = session.info.setdefault(_PENDING, Tally())
    for kind, row in rows:
        if kind is Booking:
            tally[("booking",)] += 1
        elif kind is Scan:
            tally[("scan", row.get("result") or "", "true" if row.get("offline") else "false")] += 1
        elif (
            kind is AuditEntry
            and row.get("subject_type") == "payment"
            and row.get("action") == "status"
            and row.get("to_state") == "succeeded"
        ):
            payment = session.identity_map.get(identity_key(Payment, row.get("subject_id")))
            tally[("payment", getattr(payment, "method", "") or "")] += 1


def _after_flush(session, flush_context) -> None:
    if session.new:
        _observed(session, [(type(obj), vars(obj)) for obj in session.new])


def _after_commit(session) -> None:
    tally = session.info.pop(_PENDING, None)
    if not tally:
        return
    for key, count in tally.items():
        if key[0] == "booking":
            BOOKINGS_PLACED.inc(count)
        elif key[0] == "scan":
            SCANS.labels(result=key[1], offline=key[2]).inc(count)
        elif key[0] == "payment":
            PAYMENTS_SETTLED.labels(method=str(key[1]) or "unknown").inc(count)


def _after_rollback(session) -> None:
    session.info.pop(_PENDING, None)


def _listen_once() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        INSERT_OBSERVERS.append(_observed)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


class QueueDepth:
    """Read at scrape time: outbox rows waiting or parked, and Huey triggers not yet run."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        from .extensions import db
        from .models import OutboxMessage, OutboxStatus

        outbox = GaugeMetricFamily(
            "marketplace_outbox_messages", "Outbox messages by status.", labels=["status"]
        )
        queue = GaugeMetricFamily("marketplace_job_queue_depth", "Job triggers waiting.")
        try:
            rows = db.session.execute(
                select(OutboxMessage.status, func.count())
                .where(OutboxMessage.status != OutboxStatus.DONE)
                .group_by(OutboxMessage.status)
            ).all()
            counts = {status.value: n for status, n in rows}
            for status in (OutboxStatus.PENDING, OutboxStatus.PARKED):
                outbox.add_metric([status.value], counts.get(status.value, 0))
        except Exception:  # noqa: BLE001  (a scrape must answer while the database is down)
            db.session.rollback()
            log.warning("outbox depth unavailable", exc_info=True)
        try:
            from .jobs import queue_for

            queue.add_metric([], queue_for(self.app).huey.pending_count())
        except Exception:  # noqa: BLE001
            log.warning("job queue depth unavailable", exc_info=True)
        yield outbox
        yield queue


def exposition(app: Flask) -> bytes:
    """The text Prometheus reads: every process's values (multiprocess mode) and the depths."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
        process_values = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        process_values = generate_latest(REGISTRY)
    depth = CollectorRegistry()
    depth.register(QueueDepth(app))
    return process_values + generate_latest(depth)


def _is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def allowed() -> bool:
    """A bearer token when METRICS_TOKEN is set; otherwise loopback clients only."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return _is_loopback(request.remote_addr)


def metrics_response() -> Response:
    return Response(exposition(current_app._get_current_object()), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    """Time and count each request (by endpoint name, never the raw path: bounded labels)."""
    _listen_once()

    @app.before_request
    def _metrics_start():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _metrics_count(response):
        started = g.pop("metrics_started", None)
        if started is not None:
            labels = {
                "endpoint": request.endpoint or "unmatched",
                "method": request.method,
                "status": str(response.status_code),
            }
            REQUESTS.labels(**labels).inc()
            LATENCY.labels(**labels).observe(time.perf_counter() - started)
        return response
