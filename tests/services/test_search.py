"""Search: only what can really take the party, priced for the whole stay, in few queries."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import (
    BlockedNight,
    DepartureStatus,
    ListingKind,
    ListingStatus,
    PriceRule,
    PriceRuleKind,
)
from marketplace.services.booking import booking_lifecycle, bookings
from marketplace.services.booking.booking_requests import Contact, StayRequest, TourRequest
from marketplace.services.catalogue import availability, search, search_query
from marketplace.services.shared.errors import ServiceError
from tests.factories import make_community, make_departure, make_listing

CONTACT = Contact("Trần Thị Bình", "binh@example.test", "+84 912 345 678")


@pytest.fixture(autouse=True)
def _many_holds_of_one_contact(app, monkeypatch):
    """These tests fill calendars with holds of one CONTACT: no cap on open holds here."""
    monkeypatch.setitem(app.config, "MAX_OPEN_HOLDS", 0)


def day(n: int) -> date:
    return business_today() + timedelta(days=n)


def found(check_in: int, check_out: int, guests: int = 1, **filters) -> set[int]:
    query = search_query.SearchQuery(
        check_in=day(check_in), check_out=day(check_out), guests=guests, **filters
    )
    return {o.listing_id for o in search.search(query).offers}


def hold(room_type, check_in: int, nights: int, rooms: int, now=None):
    request = StayRequest(room_type.id, day(check_in), day(check_in + nights), rooms, 1)
    booking, _ = bookings.place_booking([request], CONTACT, now=now)
    return booking


def test_a_room_type_held_in_full_disappears_for_overlapping_windows_only():
    listing = make_listing(units=2)
    hold(listing.room_types[0], 10, 3, rooms=2)  # nights 10, 11, 12
    for window in [(9, 11), (10, 13), (12, 14), (8, 20)]:
        assert listing.id not in found(*window), window
    for window in [(7, 10), (13, 15), (2, 4)]:
        assert listing.id in found(*window), window


def test_a_partly_held_room_type_stays_for_a_party_that_fits():
    listing = make_listing(units=3, max_guests=2)
    hold(listing.room_types[0], 10, 2, rooms=2)
    assert listing.id in found(10, 12, guests=2)  # one room left, one room needed
    assert listing.id not in found(10, 12, guests=3)  # two rooms needed


def test_an_expired_hold_frees_its_units_without_any_job():
    listing = make_listing(units=1)
    long_ago = datetime.now(UTC) - timedelta(hours=3)
    hold(listing.room_types[0], 10, 2, rooms=1, now=long_ago)
    assert listing.id in found(10, 12)


def test_a_live_hold_and_a_confirmed_booking_both_count():
    held = make_listing(units=1)
    sold = make_listing(units=1)
    hold(held.room_types[0], 10, 2, rooms=1)
    booking = hold(sold.room_types[0], 10, 2, rooms=1)
    booking_lifecycle.confirm(booking)
    assert found(10, 12).isdisjoint({held.id, sold.id})


def test_blocked_nights_hide_the_room_type():
    listing = make_listing(units=5)
    db.session.add(BlockedNight(room_type_id=listing.room_types[0].id, night=day(11)))
    db.session.commit()
    assert listing.id not in found(10, 12)
    assert listing.id in found(12, 14)


def test_minimum_nights_are_respected():
    listing = make_listing(min_nights=3)
    assert listing.id not in found(10, 12)
    assert listing.id in found(10, 13)
    offer = search.offer_for(listing, search_query.SearchQuery(check_in=day(10), check_out=day(12)))
    assert offer.rooms[0].problem == "min_nights" and not offer.available


def test_the_price_across_a_season_boundary_counts_each_night():
    listing = make_listing(nightly_price=400_000)
    first = day(20)
    db.session.add(
        PriceRule(
            listing_id=listing.id,
            kind=PriceRuleKind.SEASON,
            start_date=first + timedelta(days=1),
            end_date=first + timedelta(days=10),
            percent=50,
        )
    )
    db.session.commit()
    query = search_query.SearchQuery(
        check_in=first - timedelta(days=1), check_out=first + timedelta(days=2)
    )
    offer = search.search(query).offers[0]
    # two nights before the season at 400 000, one in it at 600 000
    assert offer.price == 400_000 * 2 + 600_000
    assert offer.price_basis == "stay"
    assert offer.rooms[0].total_price == 1_400_000


def test_the_party_price_is_for_every_room_it_needs():
    listing = make_listing(units=4, max_guests=2, nightly_price=300_000)
    offer = search.search(
        search_query.SearchQuery(check_in=day(5), check_out=day(7), guests=5)
    ).offers[0]
    assert offer.rooms[0].rooms_needed == 3
    assert offer.price == 3 * 2 * 300_000
    assert offer.listing.id == listing.id


def test_tours_show_departures_with_enough_seats_in_the_range():
    tour = make_listing(ListingKind.TOUR)
    inside = make_departure(tour, day=day(10), capacity=4)
    make_departure(tour, day=day(20), capacity=10)  # outside the range
    full = make_departure(tour, day=day(11), capacity=2)
    cancelled = make_departure(tour, day=day(12), capacity=10)
    cancelled.status = DepartureStatus.CANCELLED
    db.session.commit()
    bookings.place_booking([TourRequest(inside.id, 1)], CONTACT)
    query = search_query.SearchQuery(check_in=day(9), check_out=day(13), guests=3)
    offers = search.search(query).offers
    assert [d.departure.id for d in offers[0].departures] == [inside.id]
    assert offers[0].departures[0].remaining == 3
    assert full.id not in [d.departure.id for o in offers for d in o.departures]
    assert offers[0].price == inside.price_per_person and offers[0].price_basis == "person"
    assert (
        search.search(search_query.SearchQuery(check_in=day(9), check_out=day(13), guests=4)).total
        == 0
    )


def test_filters_sorting_and_pages():
    lien = make_community("huu-lien")
    cheap = make_listing(community=lien, nightly_price=200_000)
    dear = make_listing(community=lien, nightly_price=900_000)
    elsewhere = make_listing(nightly_price=500_000)
    elsewhere.certifications = ["asean_cbt"]
    hidden = make_listing(status=ListingStatus.PENDING)
    db.session.commit()
    assert found(3, 4, community="huu-lien") == {cheap.id, dear.id}
    assert found(3, 4, certification="asean_cbt") == {elsewhere.id}
    assert hidden.id not in found(3, 4)
    assert found(3, 4, min_price=300_000, max_price=600_000) == {elsewhere.id}
    low = search.search(
        search_query.SearchQuery(check_in=day(3), check_out=day(4), sort="price_low")
    )
    assert [o.listing_id for o in low.offers] == [cheap.id, elsewhere.id, dear.id]
    high = search.search(search_query.SearchQuery(sort="price_high", per_page=2, page=2))
    assert [o.listing_id for o in high.offers] == [cheap.id]
    assert high.total == 3 and high.pages == 2


def test_a_full_homestay_offers_the_free_ones_of_its_community():
    village = make_community()
    full = make_listing(community=village, units=1)
    free = make_listing(community=village, units=1)
    make_listing(units=1)  # another community
    hold(full.room_types[0], 10, 2, rooms=1)
    query = search_query.SearchQuery(check_in=day(10), check_out=day(12))
    assert [o.listing_id for o in search.alternatives(full, query)] == [free.id]


def test_the_query_count_does_not_grow_with_the_catalogue():
    def count_queries(listings: int) -> int:
        for _ in range(listings):
            listing = make_listing(units=2)
            hold(listing.room_types[0], 10, 1, rooms=1)
            make_departure(day=day(10))
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            db.session.expunge_all()
            search.search(search_query.SearchQuery(check_in=day(9), check_out=day(12), guests=2))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    assert count_queries(2) == count_queries(6)


def test_the_month_view_marks_full_nights():
    listing = make_listing(units=1)
    hold(listing.room_types[0], 10, 1, rooms=1)
    weeks = availability.month_view(listing, day(10))
    states = {cell[0]: cell[1] for week in weeks for cell in week if cell}
    assert states[day(10)] == "full"
    assert all(len(week) == 7 for week in weeks)
    if day(11).month == day(10).month:
        assert states[day(11)] == "free"


@pytest.mark.parametrize(
    "args,field,code",
    [
        ({"check_in": "tomorrow", "check_out": "2030-01-02"}, "check_in", "invalid_date"),
        ({"check_in": "2020-01-01", "check_out": "2020-01-03"}, "check_in", "past_date"),
        ({"check_in": "2030-01-05", "check_out": "2030-01-05"}, "check_out", "invalid_range"),
        ({"check_in": "2030-01-01", "check_out": "2030-03-01"}, "check_out", "too_long"),
        ({"check_in": "2030-01-01"}, "check_out", "missing_date"),
        ({"guests": "0"}, "guests", "out_of_range"),
        ({"guests": "two"}, "guests", "invalid_number"),
        ({"kind": "castle"}, "kind", "invalid_kind"),
        ({"page": "x"}, "page", "invalid_number"),
        ({"sort": "random"}, "sort", "invalid_sort"),
    ],
)
def test_bad_search_input_names_its_field(args, field, code):
    with pytest.raises(ServiceError) as excinfo:
        search_query.parse_query(args)
    assert (excinfo.value.field, excinfo.value.code) == (field, code)


def test_the_database_and_python_agree_on_what_fits():
    """The default order asks the database; price order builds every offer in Python."""
    import random

    rng = random.Random(3)
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    for n in range(8):
        listing = make_listing(
            units=rng.randint(1, 3),
            max_guests=rng.choice((1, 2, 4)),
            min_nights=rng.choice((1, 1, 2)),
        )
        room = listing.room_types[0]
        for _ in range(rng.randint(0, 4)):
            start, nights = rng.randint(1, 12), rng.randint(1, 3)
            request = StayRequest(room.id, day(start), day(start + nights), 1, 1)
            try:
                booking, _ = bookings.place_booking(
                    [request], CONTACT, now=long_ago if rng.random() < 0.3 else None
                )
            except ServiceError:  # sold out, or shorter than the minimum
                continue
            if rng.random() < 0.5:
                booking_lifecycle.confirm(booking)
        if n % 3 == 0:
            db.session.add(BlockedNight(room_type_id=room.id, night=day(rng.randint(1, 12))))
            db.session.commit()
    for n in range(3):
        departure = make_departure(day=day(rng.randint(1, 12)), capacity=rng.randint(1, 4))
        if n:
            bookings.place_booking([TourRequest(departure.id, 1)], CONTACT)
    checked = 0
    for _ in range(40):
        start, nights, guests = rng.randint(1, 12), rng.randint(1, 4), rng.randint(1, 5)
        args = {
            "check_in": day(start),
            "check_out": day(start + nights),
            "guests": guests,
            "per_page": 50,
        }
        by_sql = search.search(search_query.SearchQuery(**args))
        by_python = search.search(search_query.SearchQuery(**args, sort="price_low"))
        assert {o.listing_id for o in by_sql.offers} == {o.listing_id for o in by_python.offers}, (
            args
        )
        assert all(o.available for o in by_sql.offers)
        checked += by_sql.total
    assert checked > 0
