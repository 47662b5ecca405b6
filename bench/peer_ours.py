"""Our side of `bench/peer.py`: a fresh PostgreSQL database, a small catalogue, gunicorn with
two sync workers, and the requests of each phase through the public API (docs: API.md)."""

import os
import sys
import uuid
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from booking import booking_body, ticket_signing_key
from cryptography.fernet import Fernet
from peer_common import Server, create_database, drop_database, in_parallel

ROOT = Path(__file__).resolve().parents[1]
ROOM_TYPES = 10  # a booking holds at most 10 items: one ticket each
HUGE = 1_000_000  # units and seats enough that sustained booking never sells out
PG_URL = os.environ.get("BENCH_PG_BASE", "postgresql+psycopg://postgres@127.0.0.1:5432")


class Ours:
    name = "ours"
    health_path = "/healthz"

    def __init__(self, workdir: Path, workers: int, *, serve: bool = True):
        self.workdir = workdir
        self.database = create_database("bench_peer_ours")
        url = f"{PG_URL}/{self.database}"
        outbox = str(workdir / "outbox-ours")
        signing_key = ticket_signing_key()
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "MARKETPLACE_ENV": "production",
            "SECRET_KEY": "bench-" + uuid.uuid4().hex,
            "MAIL_OUTBOX": outbox,
            # production refuses to start without these; no payment or webhook is made
            "STRIPE_SECRET_KEY": "sk_live_bench_" + uuid.uuid4().hex,
            "STRIPE_WEBHOOK_SECRET": "whsec_bench_" + uuid.uuid4().hex,
            "TICKET_SIGNING_KEY": signing_key,
            "PASSPORT_KEYS": Fernet.generate_key().decode(),
            "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15",
            "JOBS_URL": f"sqlite:///{workdir / 'jobs-ours.sqlite'}",
            "RATELIMIT_ENABLED": "false",
            "MAX_OPEN_HOLDS": "0",
        }
        self.server = None
        self.app = None
        try:
            self._start(url, outbox, signing_key, workers, serve)
        except BaseException:
            self.close()
            raise
        # without a server (`serve=False`), requests go through `self.app`'s test client
        self.base = self.server.base if self.server is not None else ""
        self.tourist = {"Authorization": f"Bearer {self.catalogue['token']}"}
        self.scanner = {"Authorization": f"Bearer {self.catalogue['host_token']}"}

    def _start(self, url: str, outbox: str, signing_key: str, workers: int, serve: bool) -> None:
        from marketplace import create_app

        self.app = create_app(
            {
                "ENV_NAME": "development",
                "DEBUG": False,
                "SQLALCHEMY_DATABASE_URI": url,
                "MAIL_OUTBOX": outbox,
                "TICKET_SIGNING_KEY": signing_key,
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                "RATELIMIT_ENABLED": False,
                "MAX_OPEN_HOLDS": 0,
            }
        )
        self.catalogue = self._seed()
        if not serve:
            return
        self.server = Server(
            [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "wsgi:app"],
            cwd=ROOT,
            env=self.env,
            workdir=self.workdir,
            name="ours",
        )
        self.server.wait_up(self.health_path)

    def _seed(self) -> dict:
        from marketplace.clock import business_today
        from marketplace.extensions import db
        from marketplace.models import (
            Community,
            Listing,
            ListingKind,
            ListingStatus,
            ListingText,
            Role,
            RoomType,
        )
        from marketplace.services.accounts import accounts

        with self.app.app_context():
            db.create_all()
            community = Community(
                slug="bench", name={"vi": "Bench"}, province="Lạng Sơn", reference_prefix="BE"
            )
            db.session.add(community)
            db.session.commit()
            host = accounts.create_user(
                "host@bench.test", "bench-pass-1", role=Role.HOST, communities=["bench"]
            )
            tourist = accounts.create_user("tourist@bench.test", "bench-pass-1")
            stay = Listing(
                key="bench-stay",
                community=community,
                host=host,
                kind=ListingKind.STAY,
                status=ListingStatus.PUBLISHED,
                payment_methods=["stripe", "vietqr", "pay_at_arrival"],
            )
            stay.texts.append(ListingText(locale="vi", title="Nhà bench"))
            for n in range(ROOM_TYPES):
                stay.room_types.append(
                    RoomType(
                        key=f"r{n}",
                        name={"vi": f"Phòng {n}"},
                        units=HUGE,
                        max_guests=2,
                        nightly_price=400_000,
                    )
                )
            tour = Listing(
                key="bench-tour",
                community=community,
                host=host,
                kind=ListingKind.TOUR,
                status=ListingStatus.PUBLISHED,
                payment_methods=["stripe"],
                duration_minutes=240,
            )
            tour.texts.append(ListingText(locale="vi", title="Tour bench"))
            db.session.add_all([stay, tour])
            db.session.commit()
            today = business_today()
            departures = [
                self._departure(tour.id, today + timedelta(days=3 + n), HUGE) for n in range(5)
            ]
            return {
                "token": accounts.create_token(tourist, name="bench"),
                "host_token": accounts.create_token(host, name="bench-scanner"),
                "host_id": host.id,
                "tour_id": tour.id,
                "room_types": [rt.id for rt in stay.room_types],
                "departures": departures,
                "today": today,
            }

    def _departure(self, tour_id: int, day, capacity: int) -> int:
        from marketplace.clock import BUSINESS_TZ
        from marketplace.extensions import db
        from marketplace.models import Departure

        departure = Departure(
            listing_id=tour_id,
            starts_at=datetime.combine(day, dtime(7, 30), tzinfo=BUSINESS_TZ),
            capacity=capacity,
            price_per_person=300_000,
        )
        db.session.add(departure)
        db.session.commit()
        return departure.id

    # --- preparation ----------------------------------------------------------------------

    def make_tickets(self, count: int, clients: int, run=in_parallel) -> list[str]:
        """Book stays from today through the API (10 rooms, 10 tickets a booking), ask to pay at
        arrival through the API, let the host accept in-process; returns the ticket secrets.
        `run(clients, jobs, work)` calls `work(session, job)` for each job (default: threads)."""
        today = self.catalogue["today"]
        body = {
            "items": [
                {
                    "room_type_id": rt,
                    "check_in": today.isoformat(),
                    "check_out": (today + timedelta(days=1)).isoformat(),
                    "rooms": 1,
                    "guests": 1,
                }
                for rt in self.catalogue["room_types"]
            ],
            "contact": {
                "name": "Bench Guest",
                "email": "guest@example.test",
                "phone": "+84 912 345 678",
            },
            "guests": [{"full_name": "Nguyễn Bench", "nationality": "VN"}],
        }

        def buy(session, _job):
            made = session.post(
                f"{self.base}/api/v1/bookings", json=body, headers=self.tourist, timeout=60
            )
            if made.status_code != 201:
                raise RuntimeError(
                    f"booking for tickets failed: {made.status_code} {made.text[:300]}"
                )
            reference = made.json()["reference"]
            paid = session.post(
                f"{self.base}/api/v1/bookings/{reference}/payments",
                json={"method": "pay_at_arrival"},
                headers=self.tourist,
                timeout=60,
            )
            if paid.status_code != 201:
                raise RuntimeError(f"pay at arrival failed: {paid.status_code} {paid.text[:300]}")
            return reference

        references = run(clients, list(range(-(-count // ROOM_TYPES))), buy)
        return self._accept(references)[:count]

    def _accept(self, references: list[str]) -> list[str]:
        from sqlalchemy import select

        from marketplace.extensions import db
        from marketplace.models import Booking, User
        from marketplace.services.booking import tickets
        from marketplace.services.payments import host_payments

        secrets = []
        with self.app.test_request_context():
            host = db.session.get(User, self.catalogue["host_id"])
            for reference in references:
                booking = db.session.scalar(select(Booking).where(Booking.reference == reference))
                host_payments.accept_pay_at_arrival(booking, host)
                secrets.extend(t.secret for t in tickets.tickets_of(booking))
            db.session.remove()
        return secrets

    def race_departure(self) -> int:
        with self.app.app_context():
            departure_id = self._departure(
                self.catalogue["tour_id"], self.catalogue["today"] + timedelta(days=20), 10
            )
            from marketplace.extensions import db

            db.session.remove()
        return departure_id

    # --- one request of each phase: (answered as expected, status) ---------------------------

    def checkin(self, session, secret: str, expect: str = "ok"):
        response = session.post(
            f"{self.base}/api/v1/checkins",
            json={"secret": secret},
            headers=self.scanner,
            timeout=60,
        )
        result = (
            response.json().get("result") if response.status_code == 200 else response.status_code
        )
        return result == expect, result

    def rescan(self, session, secret: str):
        return self.checkin(session, secret, expect="already_checked_in")

    def book(self, session, rng):
        response = session.post(
            f"{self.base}/api/v1/bookings",
            json=booking_body(rng, self.catalogue),
            headers=self.tourist,
            timeout=60,
        )
        return response.status_code == 201, response.status_code

    def race_once(self, session, departure_id: int):
        body = {
            "items": [{"departure_id": departure_id, "participants": 1}],
            "contact": {"name": "Racer", "email": "racer@example.test", "phone": "+84 912 345 678"},
            "guests": [{"full_name": "Racer", "nationality": "VN"}],
        }
        response = session.post(
            f"{self.base}/api/v1/bookings", json=body, headers=self.tourist, timeout=60
        )
        return response.status_code == 201, response.status_code

    def trivial(self, session):
        response = session.get(f"{self.base}/api/v1/communities", headers=self.tourist, timeout=60)
        return response.status_code == 200, response.status_code

    def health(self, session):
        response = session.get(f"{self.base}{self.health_path}", timeout=60)
        return response.status_code == 200, response.status_code

    def close(self) -> None:
        try:
            if self.server is not None:
                self.server.stop()
            if self.app is not None:
                with self.app.app_context():
                    from marketplace.extensions import db

                    db.session.remove()
                    db.engine.dispose()
        finally:
            drop_database(self.database)


if __name__ == "__main__":
    sys.exit("run bench/peer.py")
