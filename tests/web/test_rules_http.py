"""The shared rules as users meet them: the API and the site give the same answer.

- Cancel: for each role, the API's cancel and the site's cancel pages (the traveller's trip page
  and the host's booking page) both cancel with the same refund, or both refuse.
- A departure that left this morning (or starts within the booking cut-off) is neither listed
  nor bookable, on the pages or through the API; one after the cut-off is both.
"""

from datetime import datetime, time, timedelta

import pytest

from marketplace.clock import BUSINESS_TZ, business_today, utcnow
from marketplace.extensions import db
from marketplace.models import (
    Booking,
    BookingStatus,
    CancellationPolicy,
    Departure,
    ListingKind,
    Payment,
    PaymentStatus,
    Role,
)
from marketplace.services.booking import booking_lifecycle
from marketplace.services.catalogue.booking_rules import BOOKING_CUTOFF
from tests.factories import (
    BOOKING_CONTACT,
    FOREIGN_GUEST,
    bearer,
    login,
    make_booking,
    make_listing,
    make_user,
)

ROLES = ["tourist", "host", "coop", "admin", "guide", "other tourist", "other host"]


def _paid_booking(listing, tourist):
    """A confirmed booking 10 days ahead, paid in full by bank transfer (strict: half back)."""
    booking = make_booking(listing.room_types[0], status=BookingStatus.PENDING_PAYMENT)
    booking.tourist_id = tourist.id
    db.session.add(
        Payment(
            booking=booking, method="vietqr", status=PaymentStatus.SUCCEEDED, amount=booking.total
        )
    )
    db.session.commit()
    booking_lifecycle.confirm(booking)
    return booking.reference


def _user(role: str, listing, tourist):
    community = listing.community
    return {
        "tourist": lambda: tourist,
        "host": lambda: listing.host,
        "coop": lambda: make_user(Role.COOP, community=community),
        "admin": lambda: make_user(Role.ADMIN),
        "guide": lambda: make_user(Role.GUIDE, community=community),
        "other tourist": lambda: make_user(),
        "other host": lambda: make_user(Role.HOST, community=make_listing().community),
    }[role]()


def _state(reference):
    db.session.expire_all()
    booking = db.session.query(Booking).filter_by(reference=reference).one()
    cancelled = booking.status == BookingStatus.CANCELLED
    return cancelled, booking.refund_amount if cancelled else None


@pytest.mark.parametrize("role", ROLES)
def test_the_api_and_the_site_cancel_alike(app, role):
    listing = make_listing(policy=CancellationPolicy.STRICT, units=4)
    tourist = make_user()
    user = _user(role, listing, tourist)
    by_api, by_site = _paid_booking(listing, tourist), _paid_booking(listing, tourist)
    total = db.session.query(Booking).filter_by(reference=by_api).one().total

    api = app.test_client().post(
        f"/api/v1/bookings/{by_api}/cancel", json={"reason": "flood"}, headers=bearer(user)
    )
    site = app.test_client()
    login(site, user)
    site.post(f"/trips/{by_site}/cancel", data={"reason": "flood"})
    site.post(f"/host/bookings/{by_site}/cancel", data={"reason": "flood"})

    expected = {
        "tourist": (True, total // 2),
        "host": (True, total),
        "coop": (True, total),
        "admin": (True, total),
    }.get(role, (False, None))
    assert _state(by_api) == _state(by_site) == expected
    if expected[0]:
        assert api.status_code == 200 and api.json["refund_amount"] == expected[1]
    else:
        assert api.status_code in (403, 404)


def test_the_provider_side_gives_a_reason_on_the_api_as_on_the_page(app):
    listing = make_listing(units=2)
    reference = _paid_booking(listing, make_user())
    response = app.test_client().post(
        f"/api/v1/bookings/{reference}/cancel", json={}, headers=bearer(listing.host)
    )
    assert response.status_code == 400 and response.json["error"]["code"] == "reason_required"
    assert _state(reference) == (False, None)


# --- the departure cut-off ----------------------------------------------------------------------


def _tour_with(starts_at):
    listing = make_listing(ListingKind.TOUR)
    departure = Departure(listing=listing, starts_at=starts_at, capacity=10, price_per_person=1000)
    db.session.add(departure)
    db.session.commit()
    return listing, departure


def _left_this_morning():
    """An instant earlier today (business day), already past."""
    midnight = datetime.combine(business_today(), time.min, tzinfo=BUSINESS_TZ)
    return max(midnight, utcnow() - timedelta(hours=2))


CLOSED = {
    "left this morning": _left_this_morning,
    "inside the cut-off": lambda: utcnow() + BOOKING_CUTOFF - timedelta(minutes=5),
}


def _seen_and_bookable(client, listing, departure):
    """(on the listing page, in the API's listing, in the API search, booked by API, by form)"""
    page = client.get(f"/l/{listing.key}").get_data(as_text=True)
    on_page = f'name="departure_id" value="{departure.id}"' in page
    api_listing = client.get(f"/api/v1/listings/{listing.id}").json
    in_api = departure.id in [d["id"] for d in api_listing["departures"]]
    found = client.get("/api/v1/listings?kind=tour&per_page=50").json["items"]
    in_search = listing.id in [item["id"] for item in found]
    body = {
        "items": [{"departure_id": departure.id, "participants": 1}],
        "contact": dict(BOOKING_CONTACT),
        "guests": [dict(FOREIGN_GUEST)],
    }
    booked = client.post("/api/v1/bookings", json=body, headers=bearer(make_user()))
    form = client.get(f"/book?departure_id={departure.id}&participants=1")
    return on_page, in_api, in_search, booked.status_code == 201, form.status_code == 200


@pytest.mark.parametrize("when", sorted(CLOSED))
def test_a_closed_departure_is_neither_listed_nor_bookable(client, when):
    listing, departure = _tour_with(CLOSED[when]())
    assert _seen_and_bookable(client, listing, departure) == (False,) * 5
    response = client.post(
        "/api/v1/bookings",
        json={
            "items": [{"departure_id": departure.id, "participants": 1}],
            "contact": dict(BOOKING_CONTACT),
            "guests": [dict(FOREIGN_GUEST)],
        },
        headers=bearer(make_user()),
    )
    assert response.status_code == 400
    assert response.json["error"] == {
        "code": "past_date",
        "message": response.json["error"]["message"],
        "field": "items[0].departure_id",
    }


def test_a_departure_after_the_cut_off_is_listed_and_bookable(client):
    listing, departure = _tour_with(utcnow() + BOOKING_CUTOFF + timedelta(minutes=30))
    assert _seen_and_bookable(client, listing, departure) == (True,) * 5


def test_the_scanner_gets_the_reference_format_with_its_manifest(client):
    from pathlib import Path

    from marketplace.services.shared.references import scanner_rule

    guide = make_user(Role.GUIDE, community=make_listing().community)
    manifest = client.get("/api/v1/checkins/manifest", headers=bearer(guide)).json
    assert manifest["reference"] == scanner_rule()
    scanner = Path(__file__).resolve().parents[2] / "static" / "js" / "scanner.js"
    assert "manifest.reference" in scanner.read_text() and "RegExp" not in scanner.read_text()
