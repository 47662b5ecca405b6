"""A host lowering a departure's seats while a tourist books the last of them: one wins, and a
departure never holds more people than it has seats. Real connections, both databases."""

from datetime import time, timedelta

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import Departure, ListingKind
from marketplace.services.booking import bookings
from marketplace.services.booking.booking_requests import Contact, TourRequest
from marketplace.services.catalogue import availability, rooms_and_departures
from marketplace.services.catalogue.rooms_and_departures import DepartureChange
from tests.concurrency.racing import Side, assert_no_unexpected, race
from tests.factories import make_booking, make_departure, make_listing

ROUNDS = 6


def _one_round(racing_app, n: int) -> None:
    listing = make_listing(ListingKind.TOUR)
    departure = make_departure(listing, day=business_today() + timedelta(days=5 + n), capacity=6)
    make_booking(departure=departure, participants=2)
    departure_id = departure.id
    db.session.remove()

    def lower(_prepared):
        departure = db.session.get(Departure, departure_id)
        return rooms_and_departures.update_departure(
            departure, departure.listing.host, DepartureChange(time(7, 30), 3)
        )

    def book(_prepared):
        return bookings.place_booking(
            [TourRequest(departure_id, 2)],
            Contact("Lê Thu", f"thu{n}@example.test", "+84 912 000 000"),
            [],
            locale="vi",
        )

    result = race(racing_app, Side("lower", lower), Side("book", book), round_no=n)
    assert_no_unexpected(result, {"lower": {"ok", "below_booked"}, "book": {"ok", "sold_out"}})
    assert list(result.codes().values()).count("ok") == 1, result.codes()
    db.session.expire_all()
    departure = db.session.get(Departure, departure_id)
    taken = availability.seats_taken([departure_id]).get(departure_id, 0)
    assert taken <= departure.capacity, (taken, departure.capacity, result.codes())


def test_lowering_seats_racing_a_booking_never_oversells(racing_app):
    for n in range(ROUNDS):
        _one_round(racing_app, n)
