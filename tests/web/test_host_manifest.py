"""The host's guest lists: one departure at a time, room and amount due, no-shows apart, guides."""

from datetime import datetime, time, timedelta

import pytest

from marketplace.clock import BUSINESS_TZ, business_today
from marketplace.extensions import db
from marketplace.models import BookingStatus, ListingKind, Role
from marketplace.services.booking import booking_lifecycle
from marketplace.services.payments import host_payments, money_rules, payments
from tests.factories import (
    login,
    make_community,
    make_departure,
    make_held_booking,
    make_listing,
    make_ticketed_booking,
    make_user,
)

#: tours are listed on a day still to come: today's may have left already
DAY = business_today() + timedelta(days=2)


def departure_at(listing, hour: int, guide=None):
    departure = make_departure(listing, day=DAY, guide=guide)
    departure.starts_at = datetime.combine(DAY, time(hour, 0), tzinfo=BUSINESS_TZ)
    db.session.commit()
    return departure


def test_stays_show_room_and_amount_due_and_no_shows_apart(client):
    listing = make_listing(units=3, max_guests=4, title="Nhà sàn Bà Hoa")
    host = listing.host
    paid = make_ticketed_booking(listing, contact_name="Anna Müller", guests=2)
    cash = make_held_booking(listing, start_in_days=0)
    payments.start_payment(cash, "pay_at_arrival")
    host_payments.accept_pay_at_arrival(cash, host)
    gone = make_ticketed_booking(
        listing, contact_name="Rahul Verma", guests=3, check_in=business_today()
    )
    booking_lifecycle.transition(gone, BookingStatus.NO_SHOW)
    db.session.commit()
    login(client, host)
    page = client.get(f"/host/manifest?listing_id={listing.id}&lang=en").get_data(as_text=True)
    expected, _sep, rest = page.partition('id="guests-no_show"')
    assert paid.reference in expected and cash.reference in expected
    assert gone.reference not in expected and gone.reference in rest
    # the no-show's three people are not expected
    assert "Expected: <strong>3</strong>" in page and "No-shows: <strong>3</strong>" in page
    due = money_rules.due_at_arrival(db.session.get(type(cash), cash.id))
    assert due > 0 and f'amount-due">₫{due:,}<' in page
    assert 'class="striped cards guest-table"' in page and 'data-label="Amount due"' in page
    assert 'data-label="Room">Double room × 1<' in page  # the room type booked, how many


def test_a_tour_running_twice_a_day_has_a_list_per_departure(client):
    tour = make_listing(ListingKind.TOUR, title="Đi thuyền hồ Ba Bể")
    morning, afternoon = departure_at(tour, 7), departure_at(tour, 14)
    early = make_ticketed_booking(tour, departure=morning, contact_name="Sáng Sớm")
    late = make_ticketed_booking(tour, departure=afternoon, contact_name="Chiều Muộn")
    login(client, tour.host)
    first = client.get(f"/host/manifest?listing_id={tour.id}&date={DAY}&lang=en").get_data(
        as_text=True
    )
    assert 'name="departure_id"' in first
    assert early.reference in first and late.reference not in first
    second = client.get(
        f"/host/manifest?listing_id={tour.id}&date={DAY}&departure_id={afternoon.id}&lang=en"
    ).get_data(as_text=True)
    assert late.reference in second and early.reference not in second
    assert "14:00" in second


def test_a_guide_opens_only_the_lists_of_their_own_departures(client):
    community = make_community()
    guide = make_user(Role.GUIDE, community=community)
    tour = make_listing(ListingKind.TOUR, community=community)
    mine = departure_at(tour, 7, guide=guide)
    theirs = departure_at(tour, 14)
    ours = make_ticketed_booking(tour, departure=mine, contact_name="Khách Của Tôi")
    other = make_ticketed_booking(tour, departure=theirs, contact_name="Khách Khác")
    stay = make_listing(community=community)
    login(client, guide)
    home = client.get("/checkin?lang=en").get_data(as_text=True)
    assert "/host/manifest" in home  # in the guide's menu
    page = client.get(f"/host/manifest?listing_id={tour.id}&date={DAY}&lang=en").get_data(
        as_text=True
    )
    assert ours.reference in page and other.reference not in page
    asked = client.get(
        f"/host/manifest?listing_id={tour.id}&date={DAY}&departure_id={theirs.id}&lang=en"
    )
    assert other.reference not in asked.get_data(as_text=True)
    assert client.get(f"/host/manifest?listing_id={stay.id}").status_code == 404
    assert client.get("/host/bookings").status_code == 403


@pytest.mark.parametrize("role", [Role.HOST, Role.COOP])
def test_the_guest_lists_are_in_the_host_menu(client, role):
    community = make_community()
    make_listing(community=community)
    login(client, make_user(role, community=community))
    page = client.get("/host/bookings?lang=en").get_data(as_text=True)
    assert 'href="/host/manifest"' in page and "Guest lists" in page


def test_a_tourist_gets_no_guest_list(client):
    login(client, make_user(Role.TOURIST))
    assert client.get("/host/manifest").status_code == 403


def test_a_day_without_departures_says_so(client):
    tour = make_listing(ListingKind.TOUR)
    make_departure(tour, day=business_today() + timedelta(days=3))
    login(client, tour.host)
    page = client.get(f"/host/manifest?listing_id={tour.id}&date={DAY}&lang=en").get_data(
        as_text=True
    )
    assert "No departure on this day." in page
