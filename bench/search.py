"""Search speed on a synthetic catalogue: `.venv/bin/python bench/search.py [--database-url URL]`.

Builds (default) 2,000 listings, 5,000 room types and 100,000 bookings spread over the next
year in a fresh SQLite file, or in a schema of its own on PostgreSQL (dropped at the end), then
times `services.catalogue.search.search` for 1-, 3- and 14-night windows for two guests, with and
without a community filter, and prints p50/p95/p99 in milliseconds and the SQL statements
each search ran. `make bench-search` runs it on SQLite.
"""

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

# run as a script from anywhere: the project root holds config.py and the package
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, event, insert, text  # noqa: E402

from config import TestConfig  # noqa: E402
from marketplace import create_app  # noqa: E402
from marketplace.clock import BUSINESS_TZ, business_today  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.models import (  # noqa: E402
    Booking,
    BookingItem,
    BookingNight,
    Community,
    Departure,
    Listing,
    ListingText,
    RoomType,
    User,
)
from marketplace.services.catalogue import search, search_query  # noqa: E402

WINDOWS = (1, 3, 14)


def build(listings: int, room_types: int, bookings: int, rng: random.Random) -> list[str]:
    """Insert the synthetic catalogue with bulk statements; returns the community slugs."""
    now = datetime.now(UTC)
    today = business_today()
    slugs = [f"village-{n}" for n in range(20)]
    db.session.execute(
        insert(Community),
        [
            {
                "slug": slug,
                "name": {"vi": f"Làng {n}", "en": f"Village {n}"},
                "province": "Lạng Sơn",
                "reference_prefix": f"V{n:02d}",
                "story": {},
                "certifications": ["asean_cbt"] if n % 3 == 0 else [],
                "attractions": [],
                "specialties": [],
            }
            for n, slug in enumerate(slugs)
        ],
    )
    db.session.execute(
        insert(User),
        [
            {
                "email": f"host{n}@bench.test",
                "name": f"Host {n}",
                "password_hash": "x",
                "role": "host",
            }
            for n in range(200)
        ],
    )
    tours = listings // 10
    stays = listings - tours
    db.session.execute(
        insert(Listing),
        [
            {
                "key": f"bench-{n}",
                "community_id": n % len(slugs) + 1,
                "host_id": n % 200 + 1,
                "kind": "tour" if n >= stays else "stay",
                "status": "published",
                "amenities": ["wifi"],
                "certifications": ["asean_cbt"] if n % 4 == 0 else [],
                "payment_methods": ["stripe", "vietqr"],
            }
            for n in range(listings)
        ],
    )
    db.session.execute(
        insert(ListingText),
        [{"listing_id": n + 1, "locale": "vi", "title": f"Nhà {n}"} for n in range(listings)],
    )
    db.session.execute(
        insert(RoomType),
        [
            {
                "listing_id": n % stays + 1,
                "key": f"room-{n}",
                "name": {"vi": f"Phòng {n}"},
                "units": rng.randint(1, 6),
                "max_guests": rng.choice((1, 2, 2, 4)),
                "nightly_price": rng.randrange(150_000, 1_500_000, 10_000),
                "min_nights": 2 if n % 10 == 0 else 1,
            }
            for n in range(room_types)
        ],
    )
    departures = [
        {
            "listing_id": stays + t + 1,
            "starts_at": datetime.combine(
                today + timedelta(days=d), datetime.min.time(), BUSINESS_TZ
            )
            + timedelta(hours=7),
            "capacity": 12,
            "price_per_person": 350_000,
            "status": "scheduled",
        }
        for t in range(tours)
        for d in range(1 + t % 3, 366, 3)
    ]
    db.session.execute(insert(Departure), departures)
    db.session.commit()

    far = now + timedelta(days=3650)
    booking_rows, item_rows, night_rows = [], [], []
    for n in range(bookings):
        # most are confirmed; some holds are live, some lapsed long ago
        claimed = (
            far
            if n % 10 < 8
            else (now + timedelta(minutes=20) if n % 10 == 8 else now - timedelta(hours=1))
        )
        booking_rows.append(
            {
                "reference": f"B{n:09d}",
                "community_id": 1,
                "contact_name": "Bench",
                "contact_email": "bench@bench.test",
                "status": "confirmed" if claimed is far else "pending_payment",
                "total": 1,
                "hold_expires_at": None if claimed is far else claimed,
            }
        )
        check_in = today + timedelta(days=rng.randrange(0, 365))
        if n % 10 == 9:  # a tour seat
            item_rows.append(
                {
                    "booking_id": n + 1,
                    "listing_id": 1,
                    "host_id": 1,
                    "departure_id": rng.randrange(len(departures)) + 1,
                    "check_in": check_in,
                    "check_out": check_in,
                    "quantity": 2,
                    "guests": 2,
                    "subtotal": 1,
                    "claimed_until": claimed,
                }
            )
            continue
        nights = rng.choice((1, 1, 2, 2, 3, 4))
        room_type = rng.randrange(room_types) + 1
        item_rows.append(
            {
                "booking_id": n + 1,
                "listing_id": 1,
                "host_id": 1,
                "room_type_id": room_type,
                "check_in": check_in,
                "check_out": check_in + timedelta(days=nights),
                "quantity": 1,
                "guests": 1,
                "subtotal": 1,
                "claimed_until": claimed,
            }
        )
        night_rows.extend(
            {
                "item_id": len(item_rows),
                "room_type_id": room_type,
                "night": check_in + timedelta(days=k),
                "rooms": 1,
                "claimed_until": claimed,
            }
            for k in range(nights)
        )
    for model, rows in (
        (Booking, booking_rows),
        (BookingItem, item_rows),
        (BookingNight, night_rows),
    ):
        for start in range(0, len(rows), 20_000):
            db.session.execute(insert(model), rows[start : start + 20_000])
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # the steady state autovacuum keeps: without the visibility map a fresh table's
        # index-only scans read the heap too, and autovacuum would start mid-measurement
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    print(
        f"built: {listings} listings, {room_types} room types, {len(departures)} departures, "
        f"{bookings} bookings, {len(night_rows)} booked room-nights"
    )
    return slugs


def measure(slugs: list[str], runs: int, rng: random.Random, freeze: bool) -> None:
    """Wall time (what a visitor waits) and this process's CPU time (Python and, on SQLite,
    the database: separates the search's own cost from other load on a shared machine)."""
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    today = business_today()

    def one(nights: int, community: str | None) -> tuple[float, float, int, int]:
        check_in = today + timedelta(days=rng.randrange(1, 330))
        query = search_query.SearchQuery(
            community=community,
            check_in=check_in,
            check_out=check_in + timedelta(days=nights),
            guests=2,
        )
        db.session.remove()
        statements.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        page = search.search(query)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return wall * 1000, cpu * 1000, len(statements), page.total

    for _ in range(30):  # warm the caches
        one(rng.choice(WINDOWS), rng.choice([None, *slugs]))
    if freeze:
        # what a production worker does after start-up (see docs/availability.md): the app's
        # long-lived objects leave the collector's view, so a full collection no longer walks
        # them in the middle of a search
        gc.collect()
        gc.freeze()
    print(
        f"{'window':>8} {'filter':>11} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'cpu p50':>8} {'cpu p95':>8} {'queries':>8} {'results':>8}"
    )
    for nights in WINDOWS:
        for filtered in (False, True):
            samples = [one(nights, rng.choice(slugs) if filtered else None) for _ in range(runs)]
            wall = statistics.quantiles([s[0] for s in samples], n=100)
            cpu = statistics.quantiles([s[1] for s in samples], n=100)
            counts = "/".join(map(str, sorted({s[2] for s in samples})))
            results = int(statistics.mean(s[3] for s in samples))
            print(
                f"{nights:>6} n {'one village' if filtered else 'none':>11} {wall[49]:7.1f} "
                f"{wall[94]:7.1f} {wall[98]:7.1f} {cpu[49]:8.1f} {cpu[94]:8.1f} {counts:>8} "
                f"{results:>8}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--listings", type=int, default=2000)
    parser.add_argument("--room-types", type=int, default=5000)
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave the app's objects to the collector"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)

    schema = None
    tmp = None
    url = args.database_url
    if not url:
        tmp = tempfile.mkdtemp(prefix="bench-search-")
        url = f"sqlite:///{tmp}/bench.sqlite"
    elif url.startswith("postgresql"):
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in url else "?"
        url = f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    settings.update(ENV_NAME="test", SQLALCHEMY_DATABASE_URI=url, TESTING=False)
    app = create_app(settings)
    try:
        with app.app_context():
            db.create_all()
            print(f"database: {db.engine.dialect.name}")
            began = time.perf_counter()
            slugs = build(args.listings, args.room_types, args.bookings, rng)
            print(f"build took {time.perf_counter() - began:.0f} s; {args.runs} searches per row")
            print("gc.freeze() after warm-up" if not args.no_freeze else "no gc.freeze()")
            measure(slugs, args.runs, rng, freeze=not args.no_freeze)
            db.session.remove()
            db.engine.dispose()
    finally:
        if schema:
            with create_engine(args.database_url, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
