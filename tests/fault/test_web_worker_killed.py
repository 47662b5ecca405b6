"""Durable side effects, with real processes killed: the refund and the mail of a cancel come from
the job worker through the outbox, exactly once, although the web process dies right after the
commit and the worker dies in the middle of the refund.

gunicorn serves `wsgi:app` with the production settings (MARKETPLACE_ENV=production) on a SQLite
file, or on a PostgreSQL schema of its own when TEST_DATABASE_URL is set; the Stripe emulator and
`flask --app wsgi jobs worker` (a SQLite file queue) run beside it. The web processes never kick
the queue (OUTBOX_KICK=0): delivery is the worker's drain, shortened to a second for the test.

A worker killed midway through a generic job is tests/services/test_outbox_worker.py; here the
job is a real Stripe refund whose answer never reached the worker.
"""

import email
import email.policy
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from config import TestConfig
from marketplace import create_app
from marketplace.extensions import db
from marketplace.models import (
    OutboxMessage,
    OutboxStatus,
    PaymentMethod,
    Refund,
    RefundStatus,
    Role,
    SentMail,
)
from marketplace.services.accounts import accounts
from tests.conftest import empty_database
from tests.factories import BOOKING_CONTACT, FOREIGN_GUEST, make_listing, make_user, stay_item
from tests.fault.conftest import HoldingProxy, free_port, http, production_env, wait_for

pytestmark = pytest.mark.fault

#: how long an effect may take to show once its cause is committed (the drain runs every second)
EFFECT_WAIT = 30


def _seed(url: str) -> dict:
    """Tables, a card-only homestay and a tourist with an API token, written in-process."""
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    settings.update(ENV_NAME="test", SQLALCHEMY_DATABASE_URI=url)
    side = create_app(settings)
    with side.app_context():
        db.create_all()
        listing = make_listing(nightly_price=600_000, payment_methods=("stripe",))
        tourist = make_user(Role.TOURIST)
        seeded = {
            "app": side,
            "room": listing.room_types[0],
            "token": accounts.create_token(tourist, name="fault test"),
        }
        seeded["item"] = stay_item(seeded["room"], start_in_days=20, nights=2)
        db.session.commit()
    return seeded


def _emulator_refunds(emulator: str) -> list[dict]:
    status, body = http("GET", f"{emulator}/_emulator/events?type=charge.refunded")
    assert status == 200
    return [event["data"]["object"] for event in body["data"]]


def _mails(folder: Path, message_id: int) -> list[email.message.EmailMessage]:
    files = sorted(folder.glob(f"*-outbox-{message_id}-*.eml"))
    return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]


def test_cancel_survives_a_killed_web_process_and_a_worker_killed_mid_refund(
    tmp_path, processes, gunicorn_or_skip
):
    with empty_database(tmp_path, "fault") as url:
        seeded = _seed(url)
        side = seeded["app"]
        try:
            _run_scenario(tmp_path, processes, url, seeded)
        finally:
            with side.app_context():
                db.session.remove()
                db.drop_all()
                db.engine.dispose()


def _run_scenario(tmp_path, processes, url, seeded):
    side = seeded["app"]
    site_port, emulator_port = free_port(), free_port()
    site, emulator = f"http://127.0.0.1:{site_port}", f"http://127.0.0.1:{emulator_port}"
    proxy = HoldingProxy(emulator)  # the worker's way to Stripe
    env = production_env(url, tmp_path, BASE_URL=site, OUTBOX_KICK="0", OUTBOX_LEASE_SECONDS="2")
    web_env = env | {"STRIPE_API_BASE": emulator}
    worker_env = env | {"STRIPE_API_BASE": proxy.url, "OUTBOX_DRAIN_SECONDS": "1"}
    worker_args = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker"]
    try:
        processes.start(
            "emulator",
            [sys.executable, "-m", "marketplace.devtools.stripe_emulator"]
            + f"--port {emulator_port} --webhook-url {site}/webhooks/stripe".split()
            + ["--webhook-secret", env["STRIPE_WEBHOOK_SECRET"]],
            env,
        )
        web = processes.start(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "2"]
            + ["--bind", f"127.0.0.1:{site_port}", "wsgi:app"],
            web_env,
        )
        worker = processes.start("worker1", worker_args, worker_env)
        wait_for(lambda: http("GET", f"{site}/healthz")[0] == 200, what="gunicorn")
        wait_for(lambda: http("GET", f"{emulator}/_emulator/events")[0] == 200, what="emulator")
        wait_for(lambda: "jobs worker on" in processes.log("worker1"), what="the worker")

        # a card booking, paid on the emulator's page; its webhook confirms it
        api = {"Authorization": f"Bearer {seeded['token']}", "Accept-Language": "en"}
        payload = {
            "items": [seeded["item"]],
            "contact": dict(BOOKING_CONTACT),
            "guests": [dict(FOREIGN_GUEST)],
        }
        status, booking = http("POST", f"{site}/api/v1/bookings", json_body=payload, headers=api)
        assert status == 201, booking
        reference, total = booking["reference"], booking["total"]
        status, started = http(
            "POST",
            f"{site}/api/v1/bookings/{reference}/payments",
            json_body={"method": "stripe"},
            headers=api,
        )
        assert status == 201 and started["checkout_url"].startswith(emulator), started
        status, _ = http("POST", started["checkout_url"], form={"action": "pay"})
        assert status == 303
        wait_for(
            lambda: (
                http("GET", f"{site}/api/v1/bookings/{reference}", headers=api)[1]["status"]
                == "confirmed"
            ),
            what="the booking confirmed",
        )

        # the cancel commits, answers, and its web process dies at once
        proxy.hold.set()
        status, cancelled = http(
            "POST", f"{site}/api/v1/bookings/{reference}/cancel", json_body={}, headers=api
        )
        processes.kill(web)
        assert status == 200 and cancelled["status"] == "cancelled", cancelled
        assert cancelled["refund_amount"] == total > 0

        # the worker sends the refund; Stripe makes it, the worker dies before hearing back
        assert proxy.forwarded.wait(EFFECT_WAIT), "the worker never sent the refund"
        processes.kill(worker)
        assert [r["amount_refunded"] for r in _emulator_refunds(emulator)] == [total]
        with side.app_context():
            refund = db.session.scalars(select(Refund)).one()
            assert refund.status == RefundStatus.PENDING and not refund.provider_ref
            assert refund.payment.method == PaymentMethod.STRIPE and refund.amount == total

        # a new worker: once the dead worker's lease (2 s) is over, the refund is sent again with
        # the same idempotency key, and Stripe answers with the first refund
        proxy.released.set()
        proxy.hold.clear()
        processes.start("worker2", worker_args, worker_env)
        with side.app_context():

            def settled():
                db.session.rollback()
                refund = db.session.scalars(select(Refund)).one()
                pending = db.session.scalar(
                    select(db.func.count(OutboxMessage.id)).where(
                        OutboxMessage.status != OutboxStatus.DONE
                    )
                )
                return refund.status == RefundStatus.SUCCEEDED and pending == 0

            wait_for(settled, EFFECT_WAIT, "the refund recorded and the outbox done")
            refund = db.session.scalars(select(Refund)).one()
            assert refund.provider_ref.startswith("re_")
            message = db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.dedupe_key == f"refund:{refund.id}")
            ).one()
            assert message.attempts == 2  # the killed try and the one that finished
            cancel_mail = [
                m
                for m in db.session.scalars(
                    select(OutboxMessage).where(OutboxMessage.topic == "mail.booking_event")
                )
                if m.payload.get("event") == "cancelled"
            ]
            assert len(cancel_mail) == 1
            sent = db.session.scalars(
                select(SentMail).where(SentMail.outbox_id == cancel_mail[0].id)
            ).all()

        refunds = _emulator_refunds(emulator)
        assert len(refunds) == 1 and refunds[0]["amount_refunded"] == total
        mails = _mails(tmp_path / "mail", cancel_mail[0].id)
        assert len(mails) == len(sent) == 2  # the tourist and the host, once each
        recipients = sorted(str(m["To"]) for m in mails)
        assert BOOKING_CONTACT["email"] in recipients
        assert all(reference in str(m["Subject"]) for m in mails)
    finally:
        proxy.close()
