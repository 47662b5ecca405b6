"""Booking throughput under contention: `.venv/bin/python bench/booking.py [--seconds 60]`.

For PostgreSQL (when reachable) and SQLite: builds a fresh database with a small catalogue
(room types of 2 units over 60 days, departures of 30 seats), starts gunicorn with 2 workers,
then 16 concurrent clients POST /api/v1/bookings for N seconds, then the same clients GET
/healthz for N seconds as the ceiling of the same app. Prints bookings/s (201s), requests/s,
p50/p95 latency, the ratio booking requests/s : healthz requests/s, and checks that no room
night and no departure was sold beyond its units or seats.
"""

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from urllib.parse import quote

import requests
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLIENTS = 16
WORKERS = 2
ROOM_TYPES = 30
UNITS = 2
DEPARTURES = 10
SEATS = 30
DAYS = 60
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_reachable(url: str) -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001  (no server: skip this database)
        return False


def pg_schema(url: str, schema: str, create: bool) -> str:
    from sqlalchemy import create_engine, text

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if create:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        else:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


def make_app(url: str, outbox: str):
    from marketplace import create_app

    return create_app(
        {
            "ENV_NAME": "development",
            "DEBUG": False,
            "SQLALCHEMY_DATABASE_URI": url,
            "MAIL_OUTBOX": outbox,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )


def seed(app) -> dict:
    """Tables and a catalogue; returns the token and what can be booked."""
    from marketplace.clock import BUSINESS_TZ, business_today
    from marketplace.extensions import db
    from marketplace.models import (
        Community,
        Departure,
        Listing,
        ListingKind,
        ListingStatus,
        ListingText,
        Role,
        RoomType,
    )
    from marketplace.services.accounts import accounts

    with app.app_context():
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
            payment_methods=["stripe", "vietqr"],
        )
        stay.texts.append(ListingText(locale="vi", title="Nhà bench"))
        for n in range(ROOM_TYPES):
            stay.room_types.append(
                RoomType(
                    key=f"r{n}",
                    name={"vi": f"Phòng {n}"},
                    units=UNITS,
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
        today = business_today()
        for n in range(DEPARTURES):
            day = today + timedelta(days=3 + n)
            tour.departures.append(
                Departure(
                    starts_at=datetime.combine(day, dtime(7, 30), tzinfo=BUSINESS_TZ),
                    capacity=SEATS,
                    price_per_person=300_000,
                )
            )
        db.session.add_all([stay, tour])
        db.session.commit()
        return {
            "token": accounts.create_token(tourist, name="bench"),
            "room_types": [rt.id for rt in stay.room_types],
            "departures": [d.id for d in tour.departures],
            "today": today,
        }


def oversold(app) -> int:
    """Room nights and departures claimed beyond their units or seats (must be 0)."""
    from sqlalchemy import func, select

    from marketplace.clock import utcnow
    from marketplace.extensions import db
    from marketplace.models import BookingItem, BookingNight, Departure, RoomType

    with app.app_context():
        now = utcnow()
        nights = db.session.execute(
            select(
                BookingNight.room_type_id,
                BookingNight.night,
                func.sum(BookingNight.rooms),
                RoomType.units,
            )
            .join(RoomType, RoomType.id == BookingNight.room_type_id)
            .where(BookingNight.claimed_until > now)
            .group_by(BookingNight.room_type_id, BookingNight.night, RoomType.units)
        ).all()
        seats = db.session.execute(
            select(BookingItem.departure_id, func.sum(BookingItem.quantity), Departure.capacity)
            .join(Departure, Departure.id == BookingItem.departure_id)
            .where(BookingItem.claimed_until > now)
            .group_by(BookingItem.departure_id, Departure.capacity)
        ).all()
        db.session.remove()
        return sum(1 for *_k, taken, units in nights if taken > units) + sum(
            1 for _d, taken, capacity in seats if taken > capacity
        )


def booking_body(rng: random.Random, catalogue: dict) -> dict:
    if rng.random() < 0.8:
        check_in = catalogue["today"] + timedelta(days=rng.randint(1, DAYS))
        item = {
            "room_type_id": rng.choice(catalogue["room_types"]),
            "check_in": check_in.isoformat(),
            "check_out": (check_in + timedelta(days=rng.randint(1, 3))).isoformat(),
            "rooms": 1,
            "guests": rng.randint(1, 2),
        }
    else:
        item = {
            "departure_id": rng.choice(catalogue["departures"]),
            "participants": rng.randint(1, 3),
        }
    return {
        "items": [item],
        "contact": {
            "name": "Bench Client",
            "email": "bench@example.test",
            "phone": "+84 912 345 678",
        },
        "guests": [{"full_name": "Nguyễn Bench", "nationality": "VN"}],
    }


def run_clients(seconds: float, request_once) -> tuple[list[float], dict]:
    """CLIENTS threads call request_once(session, rng) until the deadline; latencies and statuses."""
    latencies: list[float] = []
    statuses: dict = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(n: int):
        rng = random.Random(n)
        session = requests.Session()
        mine, counts = [], {}
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                status = request_once(session, rng)
            except requests.RequestException as exc:
                status = type(exc).__name__
            mine.append(time.perf_counter() - began)
            counts[status] = counts.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for key, value in counts.items():
                statuses[key] = statuses.get(key, 0) + value

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def ticket_signing_key() -> str:
    from marketplace.services.booking import ticket_tokens

    return ticket_tokens.generate_private_key_text()


def bench_database(name: str, url: str, seconds: float, workdir: Path) -> dict:
    outbox = str(workdir / f"outbox-{name}")
    app = make_app(url, outbox)
    catalogue = seed(app)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MARKETPLACE_ENV": "production",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "MAIL_OUTBOX": outbox,
        # production refuses to start without these; the bench places no payment and sends no
        # webhook, and with rate limits off and jobs in a file Redis is never contacted
        "STRIPE_SECRET_KEY": "sk_live_bench_" + uuid.uuid4().hex,
        "STRIPE_WEBHOOK_SECRET": "whsec_bench_" + uuid.uuid4().hex,
        "TICKET_SIGNING_KEY": ticket_signing_key(),
        "PASSPORT_KEYS": Fernet.generate_key().decode(),
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15",
        "JOBS_URL": f"sqlite:///{workdir / f'jobs-{name}.sqlite'}",
        # many clients book from one address and one account: no per-address or per-owner cap
        "RATELIMIT_ENABLED": "false",
        "MAX_OPEN_HOLDS": "0",
    }
    log = open(workdir / f"gunicorn-{name}.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not start; see {log.name}")
        headers = {"Authorization": f"Bearer {catalogue['token']}"}

        def book(session, rng):
            response = session.post(
                f"{base}/api/v1/bookings",
                json=booking_body(rng, catalogue),
                headers=headers,
                timeout=60,
            )
            return response.status_code

        def health(session, _rng):
            return session.get(f"{base}/healthz", timeout=60).status_code

        book_latencies, book_statuses = run_clients(seconds, book)
        health_latencies, health_statuses = run_clients(seconds, health)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    booked = book_statuses.get(201, 0)
    requests_per_s = len(book_latencies) / seconds
    health_per_s = len(health_latencies) / seconds
    return {
        "database": name,
        "seconds": seconds,
        "booking_requests": len(book_latencies),
        "statuses": {str(k): v for k, v in sorted(book_statuses.items(), key=str)},
        "bookings_per_s": round(booked / seconds, 1),
        "booking_requests_per_s": round(requests_per_s, 1),
        "p50_ms": round(percentile(book_latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(book_latencies, 95) * 1000, 1),
        "healthz_per_s": round(health_per_s, 1),
        "healthz_p50_ms": round(percentile(health_latencies, 50) * 1000, 1),
        "healthz_p95_ms": round(percentile(health_latencies, 95) * 1000, 1),
        "ratio": round(requests_per_s / health_per_s, 2) if health_per_s else None,
        "oversold": oversold(app),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=60, help="length of each phase (default 60)"
    )
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--only", choices=["postgresql", "sqlite"], help="run one database only")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-booking-"))
    results = []
    try:
        if args.only != "sqlite":
            if pg_reachable(args.pg_url):
                schema = f"bench_{uuid.uuid4().hex[:8]}"
                try:
                    url = pg_schema(args.pg_url, schema, create=True)
                    results.append(bench_database("postgresql", url, args.seconds, workdir))
                finally:
                    pg_schema(args.pg_url, schema, create=False)
            else:
                print(f"PostgreSQL not reachable at {args.pg_url}: skipped", file=sys.stderr)
        if args.only != "postgresql":
            url = f"sqlite:///{workdir / 'bench.sqlite'}"
            results.append(bench_database("sqlite", url, args.seconds, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"{CLIENTS} clients, gunicorn -w {WORKERS}, {args.seconds:g} s per phase")
    header = f"{'database':<11} {'bookings/s':>10} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'healthz/s':>9} {'ratio':>6} {'oversold':>8}  statuses"
    print(header)
    for r in results:
        print(
            f"{r['database']:<11} {r['bookings_per_s']:>10} {r['booking_requests_per_s']:>7} {r['p50_ms']:>7} "
            f"{r['p95_ms']:>7} {r['healthz_per_s']:>9} {r['ratio']:>6} {r['oversold']:>8}  {r['statuses']}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "booking.json").write_text(json.dumps(results, indent=2, default=str))
    return 1 if any(r["oversold"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
