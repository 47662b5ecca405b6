"""Many requests race for the last room and the last seats: exactly what is free gets sold.

Each thread runs in an app context of its own, so it has its own session and its own database
connection (from an app whose pool is large enough for all of them at once). The suite runs this
on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (CI sets it).
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import Booking, BookingItem, BookingNight, BookingStatus, ListingKind
from marketplace.services.booking import bookings
from marketplace.services.booking.booking_requests import Contact, StayRequest, TourRequest
from marketplace.services.catalogue import availability
from marketplace.services.shared.errors import ServiceError
from tests.factories import make_departure, make_listing

THREADS = 24


@pytest.fixture
def racing_app(app):
    """The test app's settings and database, with a pool that gives every thread a connection."""
    settings = {key: app.config[key] for key in app.config if key.isupper()}
    settings["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "pool_size": THREADS + 2,
        "max_overflow": 0,
        "pool_timeout": 60,
    }
    settings["ENV_NAME"] = "test"
    racer = create_app(settings)
    yield racer
    with racer.app_context():
        db.engine.dispose()


def race(racing_app, make_items, threads: int = THREADS, idempotency=None) -> Counter:
    """Start `threads` bookings at the same instant; count the outcomes by code."""
    barrier = threading.Barrier(threads)
    outcomes: Counter = Counter()
    connections: set[int] = set()
    lock = threading.Lock()

    def attempt(n: int):
        with racing_app.app_context():
            # checked out now and kept until the booking commits or rolls back
            connection_id = id(db.session.connection().connection.dbapi_connection)
            barrier.wait(timeout=60)
            try:
                booking, created = bookings.place_booking(
                    make_items(n),
                    Contact(f"Racer {n}", f"racer{n}@example.test", "+84 912 345 678"),
                    idempotency=idempotency,
                )
                outcome = "booked" if created else f"same:{booking.reference}"
            except ServiceError as exc:
                outcome = exc.code
            except Exception as exc:  # noqa: BLE001  (any other failure is a test failure below)
                outcome = f"error:{type(exc).__name__}:{exc}"
            finally:
                db.session.remove()
            with lock:
                outcomes[outcome] += 1
                connections.add(connection_id)

    workers = [threading.Thread(target=attempt, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert len(connections) == threads, "every thread had a connection of its own"
    return outcomes


def test_the_last_room_is_sold_once(racing_app):
    room = make_listing(units=3, max_guests=2).room_types[0]
    check_in = business_today() + timedelta(days=20)
    request = StayRequest(room.id, check_in, check_in + timedelta(days=2), 1, 2)
    contact = Contact("Early", "early@example.test", "+84 912 345 678")
    for _ in range(2):  # two of the three units are gone already
        bookings.place_booking([request], contact)

    outcomes = race(racing_app, lambda n: [request])

    assert outcomes == Counter({"booked": 1, "sold_out": THREADS - 1})
    db.session.expire_all()
    assert availability.free_units([room], request.check_in, request.check_out)[room.id] == 0
    per_night = db.session.execute(
        select(BookingNight.night, func.sum(BookingNight.rooms))
        .where(BookingNight.room_type_id == room.id)
        .group_by(BookingNight.night)
    ).all()
    assert [rooms for _night, rooms in per_night] == [3, 3]


def test_the_last_seats_of_a_departure_are_sold_exactly(racing_app):
    departure = make_departure(make_listing(ListingKind.TOUR), capacity=12)
    contact = Contact("Early", "early@example.test", "+84 912 345 678")
    bookings.place_booking([TourRequest(departure.id, 7)], contact)  # 5 seats left

    # parties of 1 and 2 race for the 5 seats
    departure_id = departure.id
    outcomes = race(racing_app, lambda n: [TourRequest(departure_id, 1 + n % 2)])

    assert outcomes["booked"] >= 3 and set(outcomes) <= {"booked", "sold_out"}
    db.session.expire_all()
    sold = db.session.scalar(
        select(func.sum(BookingItem.quantity)).where(BookingItem.departure_id == departure.id)
    )
    assert sold == 12
    assert availability.seats_left([departure])[departure.id] == 0


def test_a_two_item_trip_is_all_or_nothing_under_the_race(racing_app):
    room = make_listing(units=1).room_types[0]
    departure = make_departure(capacity=30)
    check_in = business_today() + timedelta(days=15)
    stay = StayRequest(room.id, check_in, check_in + timedelta(days=1), 1, 1)

    tour = TourRequest(departure.id, 1)  # ids read here: the threads must not touch our objects
    outcomes = race(racing_app, lambda n: [tour, stay])

    assert outcomes == Counter({"booked": 1, "sold_out": THREADS - 1})
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Booking.id))) == 1
    assert availability.seats_left([departure])[departure.id] == 29  # the losers hold no seat
    assert (
        db.session.scalar(
            select(func.count(Booking.id)).where(Booking.status == BookingStatus.PENDING_PAYMENT)
        )
        == 1
    )


def test_a_double_submit_racing_for_the_last_room_gets_the_first_booking(racing_app):
    room = make_listing(units=1).room_types[0]
    check_in = business_today() + timedelta(days=12)
    request = StayRequest(room.id, check_in, check_in + timedelta(days=1), 1, 1)

    outcomes = race(racing_app, lambda n: [request], threads=20, idempotency=("form", "one-tok"))

    assert outcomes["booked"] == 1
    repeats = [key for key in outcomes if key.startswith("same:")]
    assert len(repeats) == 1 and outcomes[repeats[0]] == 19  # not sold_out: the same booking
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Booking.id))) == 1
