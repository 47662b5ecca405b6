"""A closure lifted while it is still cancelling the bookings of its departure: a departure that
reopens keeps its tourists, and a tourist whose booking was cancelled never finds the departure
running without them. Real connections, both databases."""

from datetime import timedelta

from sqlalchemy import select

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import (
    Booking,
    BookingItem,
    BookingStatus,
    Departure,
    DepartureStatus,
    Listing,
    ListingKind,
    User,
)
from marketplace.services.backoffice import closures
from tests.concurrency.racing import (
    Side,
    assert_books,
    assert_no_unexpected,
    race,
)
from tests.factories import make_booking, make_departure, make_listing

ROUNDS = 8
BOOKINGS = 4


def _one_round(racing_app, n: int) -> None:
    listing = make_listing(ListingKind.TOUR)
    day = business_today() + timedelta(days=5 + n)
    # the only departure of its tour: a closure has nothing to offer, it cancels
    departure = make_departure(listing, day=day, capacity=BOOKINGS * 2)
    booking_ids = [make_booking(departure=departure, participants=1).id for _ in range(BOOKINGS)]
    listing_id, departure_id, host_id = listing.id, departure.id, listing.host_id
    db.session.remove()

    def cancel(_prepared):
        departure = db.session.get(Departure, departure_id)
        host = db.session.get(User, host_id)
        return closures.cancel_departure(departure, host, "Landslide on the road")

    def lift(_prepared):
        listing = db.session.get(Listing, listing_id)
        host = db.session.get(User, host_id)
        return closures.lift_closure(listing, host, day, day)

    result = race(racing_app, Side("cancel", cancel), Side("lift", lift, repeat=True), round_no=n)
    assert_no_unexpected(result, {"cancel": {"ok"}, "lift": {"ok"}})
    assert_books(booking_ids)
    status = db.session.get(Departure, departure_id).status
    cancelled = db.session.scalars(
        select(Booking.reference)
        .join(BookingItem, BookingItem.booking_id == Booking.id)
        .where(BookingItem.departure_id == departure_id, Booking.status == BookingStatus.CANCELLED)
    ).all()
    if status == DepartureStatus.SCHEDULED:
        assert not cancelled, (n, "reopened, yet cancelled:", cancelled)


def test_lifting_a_closure_while_it_cancels_never_strands_a_tourist(racing_app):
    for n in range(ROUNDS):
        _one_round(racing_app, n)
