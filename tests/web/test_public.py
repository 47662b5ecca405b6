"""Public pages: search form, results, listing, community, poster, photo files."""

from datetime import timedelta

from PIL import Image

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import ListingKind, ListingStatus
from marketplace.services.booking import bookings
from marketplace.services.booking.booking_requests import Contact, StayRequest
from marketplace.services.catalogue import photos
from tests.factories import make_community, make_departure, make_listing


def dates(start=10, nights=2) -> dict:
    check_in = business_today() + timedelta(days=start)
    return {
        "check_in": check_in.isoformat(),
        "check_out": (check_in + timedelta(days=nights)).isoformat(),
    }


def test_home_has_the_search_form_above_the_villages(client):
    make_community("huu-lien", name={"vi": "Hữu Liên", "en": "Huu Lien"})
    html = client.get("/?lang=en").get_data(as_text=True)
    assert 'action="/search"' in html and 'name="check_in"' in html and 'name="guests"' in html
    assert html.index('name="check_in"') < html.index("Villages")
    assert '<option value="huu-lien"' in html


def test_results_show_price_for_the_whole_stay_and_carry_the_search(client):
    listing = make_listing(nightly_price=350_000, title="Stilt house by the lake")
    listing.certifications = ["asean_cbt"]
    db.session.commit()
    response = client.get("/search", query_string={**dates(), "guests": 2, "lang": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Stilt house by the lake" in html
    assert "700,000" in html and "total for 2 nights" in html
    assert "ASEAN Community-Based Tourism" in html
    assert f"/l/{listing.key}?check_in=" in html and "guests=2" in html


def test_bad_search_input_is_a_form_message(client):
    response = client.get(
        "/search", query_string={"check_in": "2020-01-01", "check_out": "2020-01-02", "lang": "en"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="check_in-error"' in html and "The arrival date is in the past." in html
    response = client.get("/search", query_string={"guests": "lots", "lang": "en"})
    assert response.status_code == 400 and 'id="guests-error"' in response.get_data(as_text=True)


def test_listing_page_prices_rooms_and_offers_the_book_form(client):
    listing = make_listing(units=3, max_guests=2, nightly_price=400_000)
    room = listing.room_types[0]
    response = client.get(f"/l/{listing.key}", query_string={**dates(), "guests": 3, "lang": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<form method="get" action="/book"' in html
    for name, value in [
        ("room_type_id", room.id),
        ("rooms", 2),
        ("guests", 3),
        ("check_in", dates()["check_in"]),
    ]:
        assert f'name="{name}" value="{value}"' in html
    assert "1,600,000" in html  # two rooms, two nights
    assert "3 left" in html
    assert "Availability" in html and 'class="day day-free"' in html


def test_listing_page_without_dates_asks_for_them(client):
    listing = make_listing()
    html = client.get(f"/l/{listing.key}?lang=en").get_data(as_text=True)
    assert "Choose your dates" in html and 'action="/book"' not in html


def test_a_text_in_another_language_carries_a_notice(client):
    listing = make_listing()
    for text in list(listing.texts):
        if text.locale == "en":
            db.session.delete(text)
    db.session.commit()
    html = client.get(f"/l/{listing.key}?lang=en").get_data(as_text=True)
    assert "has not been translated into your language" in html
    assert "Nhà" in html
    assert "has not been translated" not in client.get(f"/l/{listing.key}?lang=vi").get_data(
        as_text=True
    )


def test_a_full_homestay_offers_the_free_ones_nearby(client):
    village = make_community()
    full = make_listing(community=village, units=1)
    free = make_listing(community=village, units=1, title="Free house")
    wanted = dates()
    check_in = business_today() + timedelta(days=10)
    bookings.place_booking(
        [StayRequest(full.room_types[0].id, check_in, check_in + timedelta(days=2), 1, 1)],
        Contact("An", "an@example.test", "+84 912 345 678"),
    )
    html = client.get(f"/l/{full.key}", query_string={**wanted, "lang": "en"}).get_data(
        as_text=True
    )
    assert "Full on these dates" in html
    assert "these homestays nearby are free" in html and f"/l/{free.key}" in html


def test_tour_page_lists_departures_with_seats_and_books_them(client):
    departure = make_departure(capacity=6, day=business_today() + timedelta(days=5))
    html = client.get(f"/l/{departure.listing.key}?guests=2&lang=en").get_data(as_text=True)
    assert "6 seats left" in html
    assert f'name="departure_id" value="{departure.id}"' in html
    assert 'name="participants" value="2"' in html


def test_unpublished_and_unknown_listings_are_404(client):
    draft = make_listing(status=ListingStatus.DRAFT)
    assert client.get(f"/l/{draft.key}").status_code == 404
    assert client.get("/l/nope").status_code == 404


def test_community_page_and_its_poster(client):
    community = make_community(
        "pac-ngoi",
        name={"vi": "Bản Pác Ngòi", "en": "Pac Ngoi village"},
        certifications=["asean_homestay"],
        attractions=[
            {"name": {"en": "Puong Cave"}, "description": {"en": "A river cave."}, "distance_km": 8}
        ],
        specialties=[{"en": "Smoked pork"}],
    )
    make_listing(community=community, title="Lake house")
    html = client.get("/c/pac-ngoi?lang=en").get_data(as_text=True)
    for text in [
        "Pac Ngoi village",
        "ASEAN Homestay Standard",
        "Puong Cave",
        "8 km away",
        "Smoked pork",
        "Lake house",
        "/c/pac-ngoi/poster",
    ]:
        assert text in html, text
    poster = client.get("/c/pac-ngoi/poster")
    body = poster.get_data(as_text=True)
    assert poster.status_code == 200
    assert "<svg" in body and "Bản Pác Ngòi" in body
    assert (
        "http://localhost/c/pac-ngoi" in body and "lang=" not in body.split("poster-link")[1][:80]
    )
    assert client.get("/c/nowhere/poster").status_code == 404


def test_photos_are_shown_with_srcset_and_served_with_a_long_cache(client):
    listing = make_listing()
    photos.store_image(
        listing, Image.new("RGB", (1400, 900), (30, 120, 90)), alt={"en": "Rice fields"}
    )
    db.session.commit()
    html = client.get("/search?lang=en").get_data(as_text=True)
    assert (
        'loading="lazy"' in html
        and "360w" in html
        and "1200w" in html
        and 'alt="Rice fields"' in html
    )
    stem = listing.photos[0].stem
    response = client.get(f"/media/{stem}-720.jpg")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.immutable and response.cache_control.public
    assert client.get("/media/../config.py").status_code == 404
    assert client.get("/media/missing-360.jpg").status_code == 404


def test_kind_filter_keeps_stays_or_tours(client):
    stay = make_listing(title="A stay")
    tour = make_departure().listing
    html = client.get("/search?kind=tour&lang=en").get_data(as_text=True)
    assert f"/l/{tour.key}" in html and f"/l/{stay.key}" not in html
    assert tour.kind == ListingKind.TOUR
