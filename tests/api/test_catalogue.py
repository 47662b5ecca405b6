"""Catalogue API: the shapes of API.md, and the same availability and prices as the pages."""

import re
from datetime import timedelta

import pytest

from marketplace.clock import business_today
from marketplace.models import ListingKind
from marketplace.services.booking import bookings
from marketplace.services.booking.booking_requests import Contact, StayRequest
from tests.factories import make_community, make_departure, make_listing


def dates(start=10, nights=2) -> dict:
    check_in = business_today() + timedelta(days=start)
    return {
        "check_in": check_in.isoformat(),
        "check_out": (check_in + timedelta(days=nights)).isoformat(),
    }


def test_communities_with_listing_counts(client):
    village = make_community("huu-lien", name={"vi": "Hữu Liên", "en": "Huu Lien"})
    make_listing(community=village)
    body = client.get("/api/v1/communities?lang=en").get_json()
    assert body == {
        "items": [
            {"slug": "huu-lien", "name": "Huu Lien", "province": "Lạng Sơn", "listing_count": 1}
        ]
    }


def test_listings_with_dates_return_only_what_can_take_the_party(client):
    village = make_community("yen-thinh")
    free = make_listing(community=village, units=2, nightly_price=300_000)
    full = make_listing(community=village, units=1)
    make_listing()  # another community
    check_in = business_today() + timedelta(days=10)
    bookings.place_booking(
        [StayRequest(full.room_types[0].id, check_in, check_in + timedelta(days=2), 1, 1)],
        Contact("An", "an@example.test", "+84 912 345 678"),
    )
    body = client.get(
        "/api/v1/listings", query_string={**dates(), "community": "yen-thinh", "guests": 2}
    ).get_json()
    assert (body["page"], body["per_page"], body["total"]) == (1, 12, 1)
    item = body["items"][0]
    assert {"id", "kind", "title", "community", "price_from", "currency", "url"} <= item.keys()
    assert (item["id"], item["kind"], item["community"], item["currency"]) == (
        free.id,
        "stay",
        "yen-thinh",
        "VND",
    )
    assert item["price_from"] == 600_000
    assert item["url"].endswith(f"/l/{free.key}")
    room = item["room_types"][0]
    assert {"id", "name", "units", "max_guests", "available", "total_price"} <= room.keys()
    assert (room["available"], room["total_price"], room["units"]) == (2, 600_000, 2)


def test_listing_detail_for_a_stay_and_a_tour(client):
    stay = make_listing(units=3, nightly_price=250_000)
    body = client.get(f"/api/v1/listings/{stay.id}", query_string=dates(nights=3)).get_json()
    assert (
        body["room_types"][0]["total_price"] == 750_000 and body["room_types"][0]["available"] == 3
    )
    undated = client.get(f"/api/v1/listings/{stay.id}").get_json()
    assert "total_price" not in undated["room_types"][0] and undated["price_from"] == 250_000
    departure = make_departure(capacity=8, day=business_today() + timedelta(days=3))
    tour = client.get(f"/api/v1/listings/{departure.listing_id}").get_json()
    assert tour["kind"] == "tour"
    assert tour["departures"] == [
        {
            "id": departure.id,
            "starts_at": tour["departures"][0]["starts_at"],
            "capacity": 8,
            "remaining": 8,
            "price_per_person": 300_000,
        }
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT07:30:00\+07:00", tour["departures"][0]["starts_at"])


def test_unknown_listing_is_404_json(client):
    response = client.get("/api/v1/listings/999")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "args,field",
    [
        ({"check_in": "12/20/2030", "check_out": "2030-12-22"}, "check_in"),
        ({"check_in": "2020-01-01", "check_out": "2020-01-02"}, "check_in"),
        ({"check_in": "2030-01-05", "check_out": "2030-01-04"}, "check_out"),
        ({"check_in": "2030-01-01", "check_out": "2030-02-15"}, "check_out"),
        ({"guests": "0"}, "guests"),
        ({"kind": "hotel"}, "kind"),
        ({"page": "two"}, "page"),
    ],
)
def test_bad_search_input_is_a_400_with_the_field(client, args, field):
    response = client.get("/api/v1/listings", query_string=args)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field and error["code"] and error["message"]


def test_api_and_pages_agree(client):
    village = make_community("pac-ngoi")
    listings = [
        make_listing(community=village, units=u, nightly_price=p)
        for u, p in [(1, 400_000), (2, 550_000), (3, 180_000)]
    ]
    check_in = business_today() + timedelta(days=10)
    bookings.place_booking(
        [StayRequest(listings[0].room_types[0].id, check_in, check_in + timedelta(days=1), 1, 1)],
        Contact("An", "an@example.test", "+84 912 345 678"),
    )
    make_departure(
        make_listing(ListingKind.TOUR, community=village), day=check_in + timedelta(days=1)
    )
    args = {**dates(), "community": "pac-ngoi", "guests": 2, "lang": "en"}
    api = client.get("/api/v1/listings", query_string=args).get_json()["items"]
    html = client.get("/search", query_string=args).get_data(as_text=True)
    keys_on_page = re.findall(r'href="/l/([^"?]+)\?', html)
    assert keys_on_page == [item["key"] for item in api]
    assert listings[0].key not in keys_on_page
    for item in api:
        assert f"{item['price_from']:,}" in html
