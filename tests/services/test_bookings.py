"""The booking engine: holds, availability, transitions, refunds."""

from datetime import UTC, datetime, timedelta

import pytest

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import BlockedNight, BookingStatus, ListingKind
from marketplace.models.states import Outcome
from marketplace.services.booking import booking_lifecycle, bookings
from marketplace.services.booking.booking_requests import Contact, StayRequest, TourRequest
from marketplace.services.catalogue import availability
from marketplace.services.payments import cancellations
from marketplace.services.shared.errors import ServiceError
from tests.factories import make_departure, make_listing

CONTACT = Contact("Nguyễn Văn An", "an@example.test", "+84 912 345 678")


def stay(room_type, start_in_days=10, nights=2, rooms=1, guests=2):
    check_in = business_today() + timedelta(days=start_in_days)
    return StayRequest(room_type.id, check_in, check_in + timedelta(days=nights), rooms, guests)


def test_a_held_room_disappears_for_overlapping_windows_only():
    room = make_listing(units=1).room_types[0]
    booking, created = bookings.place_booking([stay(room, 10, 2)], CONTACT)
    assert created and booking.status == BookingStatus.PENDING_PAYMENT
    today = business_today()

    def free(a, b):
        return availability.free_units(
            [room], today + timedelta(days=a), today + timedelta(days=b)
        )[room.id]

    assert free(9, 11) == 0  # overlaps the first night
    assert free(11, 13) == 0  # overlaps the second night
    assert free(12, 14) == 1  # starts on check-out day
    assert free(7, 10) == 1  # ends on check-in day


def test_sold_out_holds_nothing():
    room = make_listing(units=1).room_types[0]
    tour = make_departure(capacity=5)
    bookings.place_booking([stay(room)], CONTACT)
    with pytest.raises(ServiceError) as excinfo:
        bookings.place_booking([TourRequest(tour.id, 2), stay(room)], CONTACT)
    assert excinfo.value.code == "sold_out" and excinfo.value.field == "items[1].rooms"
    assert availability.seats_left([tour])[tour.id] == 5


def test_an_expired_hold_frees_its_units_without_any_job():
    room = make_listing(units=1).room_types[0]
    now = datetime.now(UTC)
    bookings.place_booking([stay(room)], CONTACT, now=now)
    request = stay(room)
    assert (
        availability.free_units([room], request.check_in, request.check_out, now=now)[room.id] == 0
    )
    later = now + timedelta(minutes=31)
    assert (
        availability.free_units([room], request.check_in, request.check_out, now=later)[room.id]
        == 1
    )
    again, _ = bookings.place_booking([stay(room)], CONTACT, now=later)
    assert again.status == BookingStatus.PENDING_PAYMENT


def test_blocked_nights_and_minimum_nights():
    listing = make_listing(units=2, min_nights=2)
    room = listing.room_types[0]
    request = stay(room, 10, 2)
    db.session.add(BlockedNight(room_type_id=room.id, night=request.check_in))
    db.session.commit()
    assert availability.free_units([room], request.check_in, request.check_out)[room.id] == 0
    with pytest.raises(ServiceError) as excinfo:
        bookings.place_booking([stay(room, 20, 1)], CONTACT)
    assert excinfo.value.code == "min_nights" and excinfo.value.field == "items[0].check_out"


def test_the_server_prices_the_booking():
    room = make_listing(nightly_price=450_000).room_types[0]
    booking, _ = bookings.place_booking([stay(room, nights=3, rooms=1)], CONTACT)
    assert booking.total == sum(line["price"] for line in booking.items[0].price_lines)
    assert booking.total >= 3 * 450_000


def test_idempotent_retry_returns_the_same_booking():
    room = make_listing(units=3).room_types[0]
    first, created = bookings.place_booking([stay(room)], CONTACT, idempotency=("user:1", "k1"))
    again, created_again = bookings.place_booking(
        [stay(room)], CONTACT, idempotency=("user:1", "k1")
    )
    assert created and not created_again and first.id == again.id


def test_reference_is_short_and_unambiguous():
    listing = make_listing()
    booking, _ = bookings.place_booking([stay(listing.room_types[0])], CONTACT)
    prefix, code = booking.reference.split("-")
    assert prefix == listing.community.reference_prefix and len(code) == 6
    assert not set(code) & set("O0I1L")


def test_illegal_transition_is_refused_and_repeat_is_a_no_op():
    room = make_listing(units=2).room_types[0]
    booking, _ = bookings.place_booking([stay(room)], CONTACT)
    assert booking_lifecycle.transition(booking, BookingStatus.CHECKED_IN) is Outcome.REFUSED
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking_lifecycle.confirm(booking) is Outcome.APPLIED
    assert booking_lifecycle.confirm(booking) is Outcome.ALREADY
    assert booking.status == BookingStatus.CONFIRMED


def test_cancel_frees_inventory_at_once():
    room = make_listing(units=1).room_types[0]
    booking, _ = bookings.place_booking([stay(room)], CONTACT)
    booking_lifecycle.confirm(booking)
    request = stay(room)
    cancellations.cancel(booking, reason="plans changed")
    assert availability.free_units([room], request.check_in, request.check_out)[room.id] == 1
    with pytest.raises(ServiceError) as excinfo:
        cancellations.cancel(booking)
    assert excinfo.value.code == "not_cancellable"


def test_late_payment_confirms_when_units_are_still_free_and_refuses_when_gone():
    room = make_listing(units=1).room_types[0]
    now = datetime.now(UTC)
    late, _ = bookings.place_booking([stay(room)], CONTACT, now=now)
    later = now + timedelta(hours=1)
    cancellations.expire_holds(now=later)
    assert late.status == BookingStatus.EXPIRED
    assert booking_lifecycle.confirm(late, now=later) is Outcome.APPLIED

    other_room = make_listing(units=1).room_types[0]
    lapsed, _ = bookings.place_booking([stay(other_room)], CONTACT, now=now)
    bookings.place_booking([stay(other_room)], CONTACT, now=later)  # someone else took it
    with pytest.raises(ServiceError) as excinfo:
        booking_lifecycle.confirm(lapsed, now=later)
    assert excinfo.value.code == "sold_out"


def test_tour_seats_are_counted():
    departure = make_departure(make_listing(ListingKind.TOUR), capacity=4)
    bookings.place_booking([TourRequest(departure.id, 3)], CONTACT)
    with pytest.raises(ServiceError) as excinfo:
        bookings.place_booking([TourRequest(departure.id, 2)], CONTACT)
    assert excinfo.value.code == "sold_out"
    assert availability.seats_left([departure])[departure.id] == 1


def test_contact_and_guest_checks_name_every_wrong_field_the_first_leading():
    from marketplace.services.booking.booking_requests import parse_contact, parse_guests
    from marketplace.services.shared.errors import ServiceError

    with pytest.raises(ServiceError) as contact:
        parse_contact({"name": "", "email": "nope", "phone": "x"})
    assert contact.value.field == "contact.name"
    assert set(contact.value.problems) == {"contact.name", "contact.email", "contact.phone"}
    with pytest.raises(ServiceError) as guest:
        parse_guests([{"full_name": "", "nationality": "ZZ", "sex": "Q"}])
    assert guest.value.field == "guests[0].full_name"
    assert set(guest.value.problems) == {
        f"guests[0].{f}"
        for f in ("full_name", "nationality", "passport_number", "date_of_birth", "sex")
    }
