"""A database outage: pages and the API answer 503 with Retry-After (never a 500), webhooks answer
non-2xx so their senders retry, and the app recovers by itself once PostgreSQL is back.

The test runs a throwaway PostgreSQL server of its own (initdb + pg_ctl), so stopping it
disturbs no one. It skips where the server binaries are missing, unless REQUIRE_SERVICES=1.
"""

import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from config import TestConfig
from marketplace import create_app
from marketplace.extensions import db
from marketplace.models import Booking, BookingStatus
from marketplace.web.booking_access import booking_key
from tests.factories import make_held_booking

BANK_TOKEN = "bank-outage-secret"


def _server_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path and shutil.which("initdb") else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary folder, run as `postgres` when we are root."""

    def __init__(self, bindir: Path):
        self.bindir, self.port = bindir, _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="outage-pg-"))
        self.data, self.log = self.root / "data", self.root / "server.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.root, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [*self.as_user, str(self.bindir / args[0]), *args[1:]]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def postgres():
    bindir = _server_binaries()
    if bindir is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are required here")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not installed")
    server = ThrowawayPostgres(bindir)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


class FreshContextClient(FlaskClient):
    """Each request in an app context of its own, as in production (see tests/conftest.py)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _app_on(postgres, tmp_path, **settings):
    """The test configuration on the throwaway server, tables made; each request in a context."""
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(
        ENV_NAME="test",
        SQLALCHEMY_DATABASE_URI=postgres.url,
        UPLOAD_FOLDER=str(tmp_path / "uploads"),
        MAIL_OUTBOX=str(tmp_path / "outbox"),
        **settings,
    )
    app = create_app(config)
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture
def outage_app(postgres, tmp_path):
    app = _app_on(postgres, tmp_path, BANK_WEBHOOK_TOKEN=BANK_TOKEN)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _requests(app, reference: str, key: str) -> dict:
    """The page, the API, both webhooks and the health check, as their senders make them."""
    from marketplace.devtools.stripe_emulator import sign_payload

    client = app.test_client()
    event = json.dumps(
        {"id": f"evt_{time.monotonic_ns()}", "type": "charge.refunded", "data": {"object": {}}}
    ).encode()
    return {
        "page": client.get(f"/trips/{reference}?key={key}"),
        "api": client.get("/api/v1/listings"),
        "stripe": client.post(
            "/webhooks/stripe",
            data=event,
            content_type="application/json",
            headers={"Stripe-Signature": sign_payload(event, app.config["STRIPE_WEBHOOK_SECRET"])},
        ),
        "health": client.get("/healthz"),
    }


def test_an_outage_answers_503_and_the_app_recovers_without_a_restart(outage_app, postgres):
    app = outage_app
    booking = make_held_booking()
    reference, total = booking.reference, booking.total
    with app.test_request_context():
        key = booking_key(booking)
    db.session.commit()
    client = app.test_client()
    transfer = {
        "id": 9001,
        "transferType": "in",
        "transferAmount": total,
        "content": f"CT DEN:0123 {reference.replace('-', '')} chuyen khoan",
    }
    bank_headers = {"Authorization": f"Apikey {BANK_TOKEN}"}

    before = _requests(app, reference, key)
    assert {name: r.status_code for name, r in before.items()} == {
        "page": 200,
        "api": 200,
        "stripe": 200,
        "health": 200,
    }

    db.session.remove()
    postgres.stop()
    down = _requests(app, reference, key)
    assert {name: r.status_code for name, r in down.items()} == {
        "page": 503,
        "api": 503,
        "stripe": 503,
        "health": 503,
    }
    for name in ("page", "api", "stripe"):
        assert int(down[name].headers["Retry-After"]) > 0
    assert down["page"].mimetype == "text/html" and "<h1>" in down["page"].text
    assert down["api"].json["error"]["code"] == "unavailable"
    assert down["stripe"].json["error"]["code"] == "unavailable"
    bank_down = client.post("/webhooks/bank", json=transfer, headers=bank_headers)
    assert bank_down.status_code == 503  # the bank's service sends it again later

    postgres.start()
    up = _requests(app, reference, key)
    assert {name: r.status_code for name, r in up.items()} == {
        "page": 200,
        "api": 200,
        "stripe": 200,
        "health": 200,
    }
    retried = client.post("/webhooks/bank", json=transfer, headers=bank_headers)
    assert retried.status_code == 200 and retried.json["outcome"] == "matched"
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Booking.id))) == 1  # nothing lost
    confirmed = db.session.scalar(select(Booking).where(Booking.reference == reference))
    assert confirmed.status == BookingStatus.CONFIRMED and confirmed.total == total


@pytest.fixture
def restart_app(postgres, tmp_path):
    """An app whose pool pings every connection that sat idle at all (the default waits 5 s)."""
    app = _app_on(postgres, tmp_path, DATABASE_IDLE_PING_SECONDS=0)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_restart_while_idle_costs_no_request(restart_app, postgres):
    client = restart_app.test_client()
    assert client.get("/api/v1/listings").status_code == 200
    postgres.stop()
    postgres.start()
    # the pooled connection died with the old server: pinged on checkout and replaced
    assert client.get("/api/v1/listings").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_a_restart_under_load_costs_one_503_not_a_500(outage_app, postgres):
    # the default pings only connections idle for 5 s: a busy one is trusted, so the request
    # that meets the dead connection answers 503, and the renewed pool serves the next
    client = outage_app.test_client()
    db.session.remove()
    assert client.get("/api/v1/listings").status_code == 200
    postgres.stop()
    postgres.start()
    assert client.get("/api/v1/listings").status_code in (200, 503)
    assert client.get("/api/v1/listings").status_code == 200
