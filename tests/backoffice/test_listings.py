"""Listings from draft to published, prices and nights, departures, and the cooperative's closures."""

from datetime import time, timedelta

import pytest

from marketplace.clock import business_today, to_business_time
from marketplace.extensions import db
from marketplace.models import (
    Booking,
    BookingStatus,
    Departure,
    DepartureStatus,
    Listing,
    ListingKind,
    ListingStatus,
    Role,
)
from marketplace.services.backoffice import closures
from marketplace.services.catalogue import availability, pricing, rooms_and_departures
from marketplace.services.catalogue.rooms_and_departures import DepartureSchedule
from marketplace.services.shared.errors import Forbidden, ServiceError
from tests.factories import (
    login,
    make_booking,
    make_community,
    make_departure,
    make_listing,
    make_user,
)


def listing_form(**extra):
    data = {
        "texts-vi-title": "Nhà sàn Hữu Liên",
        "texts-vi-summary": "Nhà sàn bên suối",
        "texts-en-title": "Huu Lien stilt house",
        "cancellation_policy": "flexible",
        "payment_methods": ["vietqr", "pay_at_arrival"],
        "amenities": "wifi, breakfast",
    }
    data.update(extra)
    return data


def test_a_host_creates_submits_and_the_cooperative_approves(client):
    village = make_community()
    host = make_user(Role.HOST, community=village)
    login(client, host)
    response = client.post("/host/listings/new", data={"kind": "stay", **listing_form()})
    assert response.status_code == 302
    listing = db.session.query(Listing).one()
    assert listing.status == ListingStatus.DRAFT and listing.host_id == host.id
    assert {t.locale: t.title for t in listing.texts} == {
        "vi": "Nhà sàn Hữu Liên",
        "en": "Huu Lien stilt house",
    }
    assert listing.payment_methods == ["vietqr", "pay_at_arrival"]
    assert listing.amenities == ["wifi", "breakfast"]
    # no room yet: cannot be submitted
    client.post(f"/host/listings/{listing.id}/submit")
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status == ListingStatus.DRAFT
    room = {
        "name-vi": "Phòng gia đình",
        "units": "2",
        "max_guests": "4",
        "nightly_price": "600.000",
    }
    assert client.post(f"/host/listings/{listing.id}/room-types", data=room).status_code == 302
    client.post(f"/host/listings/{listing.id}/submit")
    db.session.expire_all()
    listing = db.session.get(Listing, listing.id)
    assert listing.status == ListingStatus.PENDING
    assert listing.room_types[0].nightly_price == 600_000

    coop = make_user(Role.COOP, community=village)
    client.post("/account/logout")
    login(client, coop)
    queue = client.get("/admin/approvals").get_data(as_text=True)
    assert "Nhà sàn Hữu Liên" in queue
    client.post(f"/admin/approvals/{listing.id}/reject", data={"note": ""})
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status == ListingStatus.PENDING  # a note is needed
    client.post(f"/admin/approvals/{listing.id}/reject", data={"note": "Thêm ảnh phòng tắm"})
    db.session.expire_all()
    listing = db.session.get(Listing, listing.id)
    assert listing.status == ListingStatus.DRAFT and listing.review_note == "Thêm ảnh phòng tắm"

    client.post("/account/logout")
    login(client, host)
    page = client.get(f"/host/listings/{listing.id}").get_data(as_text=True)
    assert "Thêm ảnh phòng tắm" in page
    client.post(f"/host/listings/{listing.id}/submit")
    client.post("/account/logout")
    login(client, coop)
    client.post(f"/admin/approvals/{listing.id}/approve", data={"note": "Đẹp lắm"})
    db.session.expire_all()
    listing = db.session.get(Listing, listing.id)
    assert listing.status == ListingStatus.PUBLISHED and listing.published_at is not None


def test_editing_a_published_listing_keeps_it_live(client):
    listing = make_listing()
    login(client, listing.host)
    response = client.post(
        f"/host/listings/{listing.id}", data=listing_form(**{"texts-en-title": "New title"})
    )
    assert response.status_code == 302
    db.session.expire_all()
    listing = db.session.get(Listing, listing.id)
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.text_for("en")[0].title == "New title"


def test_a_listing_without_a_title_shows_the_error_next_to_the_field(client):
    host = make_user(Role.HOST, community=make_community())
    login(client, host)
    response = client.post(
        "/host/listings/new",
        data={"kind": "stay", **listing_form(**{"texts-vi-title": "", "texts-en-title": ""})},
    )
    assert response.status_code == 400
    assert 'id="texts-vi-title-error"' in response.get_data(as_text=True)
    assert db.session.query(Listing).count() == 0


def test_blocking_and_pricing_nights_from_the_calendar(client):
    listing = make_listing(units=1, nightly_price=500_000)
    room = listing.room_types[0]
    night = business_today() + timedelta(days=12)
    login(client, listing.host)
    url = f"/host/calendar/{listing.id}/nights"
    client.post(
        url,
        data={
            "room_type_id": room.id,
            "first": night,
            "last": night + timedelta(days=1),
            "action": "block",
        },
    )
    free = availability.free_units_by_night([room], night, night + timedelta(days=2))[room.id]
    assert list(free.values()) == [0, 0, 1]
    client.post(
        url, data={"room_type_id": room.id, "first": night + timedelta(days=1), "action": "free"}
    )
    free = availability.free_units_by_night([room], night, night + timedelta(days=2))[room.id]
    assert list(free.values()) == [0, 1, 1]
    client.post(
        url,
        data={
            "room_type_id": room.id,
            "first": night + timedelta(days=2),
            "action": "price",
            "price": "750000",
        },
    )
    quote = pricing.quote_stay(room, night + timedelta(days=1), night + timedelta(days=3))
    assert [line["price"] for line in quote.lines] == [500_000, 750_000]
    page = client.get(f"/host/calendar/{listing.id}?month={night:%Y-%m}").get_data(as_text=True)
    assert f'class="cal-blocked" data-night="{night.isoformat()}"' in page
    assert "750k" in page
    # a bad date is a message, not a crash
    response = client.post(
        url,
        data={"room_type_id": room.id, "first": "soon", "action": "block"},
        follow_redirects=True,
    )
    assert response.status_code == 400 and "YYYY-MM-DD" in response.get_data(as_text=True)


def test_calendar_shows_booked_and_held_nights_with_references(client):
    listing = make_listing(units=1)
    room = listing.room_types[0]
    day = business_today() + timedelta(days=40)
    booked = make_booking(room, check_in=day, nights=1)
    held = make_booking(
        room, check_in=day + timedelta(days=2), nights=1, status=BookingStatus.PENDING_PAYMENT
    )
    login(client, listing.host)
    page = client.get(f"/host/calendar/{listing.id}?month={day:%Y-%m}").get_data(as_text=True)
    assert booked.reference in page and held.reference in page
    assert f'class="cal-booked" data-night="{day.isoformat()}"' in page
    held_day = day + timedelta(days=2)
    if held_day.month == day.month:
        assert f'class="cal-held" data-night="{held_day.isoformat()}"' in page


def test_recurring_departures_every_saturday_until_a_date():
    tour = make_listing(ListingKind.TOUR)
    guide = make_user(Role.GUIDE, community=tour.community)
    first = business_today() + timedelta(days=1)
    until = first + timedelta(days=27)
    created = rooms_and_departures.add_departures(
        tour,
        tour.host,
        DepartureSchedule(
            first, time(7, 30), 12, 350_000, frozenset({5}), until=until, guide_id=guide.id
        ),
    )
    saturdays = [
        first + timedelta(days=n) for n in range(28) if (first + timedelta(days=n)).weekday() == 5
    ]
    assert [to_business_time(d.starts_at).date() for d in created] == saturdays
    assert all(to_business_time(d.starts_at).strftime("%H:%M") == "07:30" for d in created)
    assert {(d.capacity, d.price_per_person, d.guide_id) for d in created} == {
        (12, 350_000, guide.id)
    }
    one = rooms_and_departures.add_departures(
        tour,
        tour.host,
        DepartureSchedule(first, time(13, 0), 5, 0),
    )
    assert len(one) == 1
    with pytest.raises(ServiceError) as excinfo:
        rooms_and_departures.add_departures(
            tour,
            tour.host,
            DepartureSchedule(first, time(7, 30), 5, 1, frozenset({5})),
        )
    assert excinfo.value.code == "until_required"


def test_the_cooperative_cancels_a_departure_with_full_refunds():
    departure = make_departure(capacity=10)
    village = departure.listing.community
    first = make_booking(departure=departure, participants=3, locale="ko")
    second = make_booking(departure=departure, participants=2, status=BookingStatus.PENDING_PAYMENT)
    other_coop = make_user(Role.COOP, community=make_community())
    with pytest.raises(Forbidden):
        closures.cancel_departure(departure, other_coop, "flood")
    coop = make_user(Role.COOP, community=village)
    with pytest.raises(ServiceError):
        closures.cancel_departure(departure, coop, "  ")
    result = closures.cancel_departure(departure, coop, "Lũ trên đường Ba Bể")
    assert sorted(result.cancelled) == sorted([first.reference, second.reference])
    db.session.expire_all()
    assert db.session.get(Departure, departure.id).status == DepartureStatus.CANCELLED
    for booking in db.session.query(Booking).all():
        assert booking.status == BookingStatus.CANCELLED
        assert booking.cancel_reason == "Lũ trên đường Ba Bể"
    assert availability.seats_left([db.session.get(Departure, departure.id)])[departure.id] == 0


def test_closing_a_stay_blocks_its_nights_and_cancels_what_touches_them(client):
    listing = make_listing(units=3)
    room = listing.room_types[0]
    start = business_today() + timedelta(days=20)
    inside = make_booking(room, check_in=start + timedelta(days=1), nights=2)
    overlapping = make_booking(room, check_in=start - timedelta(days=1), nights=2)
    after = make_booking(room, check_in=start + timedelta(days=3), nights=1)
    coop = make_user(Role.COOP, community=listing.community)
    login(client, coop)
    response = client.post(
        f"/admin/closures/listings/{listing.id}",
        data={
            "first": start.isoformat(),
            "last": (start + timedelta(days=2)).isoformat(),
            "reason": "Sạt lở đất",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    status = {b.reference: b.status for b in db.session.query(Booking)}
    assert status[inside.reference] == BookingStatus.CANCELLED
    assert status[overlapping.reference] == BookingStatus.CANCELLED
    assert status[after.reference] == BookingStatus.CONFIRMED
    free = availability.free_units_by_night([room], start, start + timedelta(days=3))[room.id]
    assert list(free.values()) == [0, 0, 0, 2]


def test_host_cancels_with_a_reason_and_marks_a_no_show(client):
    listing = make_listing(units=2)
    room = listing.room_types[0]
    later = make_booking(room, check_in=business_today() + timedelta(days=30))
    today = make_booking(room, check_in=business_today())
    login(client, listing.host)
    client.post(f"/host/bookings/{later.reference}/cancel", data={"reason": ""})
    db.session.expire_all()
    assert db.session.get(Booking, later.id).status == BookingStatus.CONFIRMED
    client.post(f"/host/bookings/{later.reference}/no-show")
    db.session.expire_all()
    assert db.session.get(Booking, later.id).status == BookingStatus.CONFIRMED  # not due yet
    client.post(f"/host/bookings/{later.reference}/cancel", data={"reason": "Nhà có việc"})
    client.post(f"/host/bookings/{today.reference}/no-show")
    db.session.expire_all()
    assert db.session.get(Booking, later.id).status == BookingStatus.CANCELLED
    assert db.session.get(Booking, later.id).cancel_reason == "Nhà có việc"
    # guests may still come late on their arrival day (tests/web/test_host_no_show.py)
    assert db.session.get(Booking, today.id).status == BookingStatus.CONFIRMED
    listing_page = client.get("/host/bookings?status=cancelled").get_data(as_text=True)
    assert later.reference in listing_page and today.reference not in listing_page


def test_suspending_a_host_takes_their_listings_off_sale(client):
    listing = make_listing()
    coop = make_user(Role.COOP, community=listing.community)
    login(client, coop)
    client.post(f"/admin/users/{listing.host_id}/active", data={"active": "0"})
    db.session.expire_all()
    listing = db.session.get(Listing, listing.id)
    assert listing.status == ListingStatus.SUSPENDED and not listing.host.active
    response = client.post(
        "/admin/users",
        data={
            "community_id": listing.community_id,
            "role": "guide",
            "email": "guide@example.test",
            "name": "Hoàng",
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/admin/users",
        data={"community_id": listing.community_id, "role": "admin", "email": "x@example.test"},
    )
    assert response.status_code == 400


def test_the_cooperative_sets_rates_and_bank_account(client):
    village = make_community()
    coop = make_user(Role.COOP, community=village)
    login(client, coop)
    response = client.post(
        f"/admin/communities/{village.id}",
        data={
            "commission_percent": "8.5",
            "fund_percent": "3",
            "bank_bin": "970436",
            "bank_account_number": "0011 0044",
            "bank_account_name": "htx huu lien",
        },
    )
    assert response.status_code == 302
    from marketplace.models import Community, SettingChange

    change = db.session.query(SettingChange).one()  # waits for a second person, an admin
    client.post("/account/logout")
    login(client, make_user(Role.ADMIN))
    client.post(f"/admin/setting-changes/{change.id}", data={"decision": "approve"})
    db.session.expire_all()
    village = db.session.get(Community, village.id)
    assert (village.commission_rate_bp, village.community_fund_rate_bp) == (850, 300)
    assert village.bank_account_number == "00110044" and village.bank_account_name == "HTX HUU LIEN"
    response = client.post(
        f"/admin/communities/{village.id}", data={"commission_percent": "90", "fund_percent": "20"}
    )
    assert response.status_code == 400 and "field-error" in response.get_data(as_text=True)
