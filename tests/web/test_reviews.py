"""Reviews through HTTP: who may write, once; blind; the listing page, search and API ratings;
the cooperative hides a review and its author sees why."""

from dataclasses import replace
from datetime import datetime, time, timedelta

from marketplace.clock import BUSINESS_TZ, business_today
from marketplace.extensions import db
from marketplace.models import BookingStatus, Review, ReviewStatus, Role
from marketplace.services.catalogue import reviews
from tests.factories import login, make_booking, make_community, make_listing, make_user

STARS = {"overall": "5", "cleanliness": "5", "accuracy": "4", "hospitality": "5"}
RATING = reviews.Rating(overall=5, cleanliness=5, accuracy=4, hospitality=5)


def stayed(listing=None, *, days_ago: int = 2, name: str = "Kim Min-ji"):
    """A completed stay of `listing` whose check-out day was `days_ago` (dates moved back: a
    booking cannot be placed in the past), with a Korean first guest."""
    listing = listing or make_listing()
    tourist = make_user(name=name)
    booking = make_booking(
        listing.room_types[0],
        status=BookingStatus.COMPLETED,
        tourist=tourist,
        guest_list=[(name, "KR", None, "M1234567")],
    )
    shift = booking.items[0].check_out - (business_today() - timedelta(days=days_ago))
    for item in booking.items:
        item.check_in -= shift
        item.check_out -= shift
    db.session.commit()
    return booking, tourist, listing


def review_url(booking):
    return f"/reviews/trip/{booking.reference}/{booking.items[0].listing_id}"


def test_only_the_traveller_of_a_completed_stay_reviews_once(client):
    booking, tourist, listing = stayed()
    intruder = make_user()
    login(client, intruder)
    assert client.get(review_url(booking)).status_code == 404
    assert client.post(review_url(booking), data=STARS).status_code == 404
    client.post("/account/logout")

    login(client, tourist)
    trip = client.get(f"/trips/{booking.reference}").get_data(as_text=True)
    assert review_url(booking) in trip
    bad = client.post(review_url(booking), data={**STARS, "overall": "0"})
    assert bad.status_code == 400 and "field-error" in bad.get_data(as_text=True)
    text = "<script>alert(1)</script> Rất đẹp, 최고예요"
    assert client.post(review_url(booking), data={**STARS, "text": text}).status_code == 302
    again = client.post(review_url(booking), data=STARS)
    assert again.status_code == 409
    assert review_url(booking) not in client.get(f"/trips/{booking.reference}").get_data(
        as_text=True
    )
    assert Review.query.count() == 1


def test_not_yet_over_or_too_late_is_refused(client):
    booking, tourist, _listing = stayed(days_ago=15)
    upcoming = make_booking(tourist=tourist, status=BookingStatus.CONFIRMED)
    login(client, tourist)
    assert client.post(review_url(booking), data=STARS).status_code == 409
    assert client.post(review_url(upcoming), data=STARS).status_code == 409


def test_blind_until_the_host_writes_then_rating_shows_escaped(client):
    booking, tourist, listing = stayed()
    login(client, tourist)
    text = "<b>Nhà đẹp</b>"
    client.post(review_url(booking), data={**STARS, "text": text})
    page = client.get(f"/l/{listing.key}?lang=en").get_data(as_text=True)
    assert "Nhà đẹp" not in page and "No reviews yet" in page
    client.post("/account/logout")

    login(client, listing.host)
    assert booking.reference in client.get("/reviews/host").get_data(as_text=True)
    answer = client.post(f"/reviews/guest/{booking.reference}", data={"overall": "4"})
    assert answer.status_code == 302
    page = client.get(f"/l/{listing.key}?lang=en").get_data(as_text=True)
    assert "&lt;b&gt;Nhà đẹp&lt;/b&gt;" in page and "<b>Nhà" not in page
    assert "★ 5.0" in page and "1 review" in page
    assert "Kim" in page and "South Korea" in page
    review = Review.query.filter_by(listing_id=listing.id, author_id=tourist.id).one()
    assert client.post(f"/reviews/{review.id}/reply", data={"reply": "Cảm ơn!"}).status_code == 302
    assert "Cảm ơn!" in client.get(f"/l/{listing.key}?lang=en").get_data(as_text=True)


def test_shown_once_the_14_days_are_over_without_the_host(client):
    booking, tourist, listing = stayed(days_ago=16)
    item = booking.items[0]
    written = datetime.combine(item.check_out + timedelta(days=1), time(9), tzinfo=BUSINESS_TZ)
    reviews.write_review(tourist, booking, item.listing_id, replace(RATING, overall=3), now=written)
    page = client.get(f"/l/{listing.key}?lang=en").get_data(as_text=True)
    assert "★ 3.0" in page


def test_search_and_api_sort_by_rating_unrated_last(client):
    community = make_community()
    unrated = make_listing(community=community, title="Unrated house")
    good = make_listing(community=community, title="Good house", units=2)
    best = make_listing(community=community, title="Best house")
    for listing, stars in ((good, "3"), (good, "4"), (best, "5")):
        booking, tourist, _ = stayed(listing, days_ago=20)
        item = booking.items[0]
        when = datetime.combine(item.check_out, time(12), tzinfo=BUSINESS_TZ)
        reviews.write_review(
            tourist, booking, listing.id, replace(RATING, overall=int(stars)), now=when
        )

    page = client.get(f"/search?community={community.slug}&sort=rating&lang=en").get_data(
        as_text=True
    )
    positions = [page.index(t) for t in ("Best house", "Good house", "Unrated house")]
    assert positions == sorted(positions)
    assert "★ 3.5 (2)" in page

    body = client.get(
        "/api/v1/listings", query_string={"community": community.slug, "sort": "rating"}
    ).get_json()
    assert [(i["id"], i["rating"], i["review_count"]) for i in body["items"]] == [
        (best.id, 5.0, 1),
        (good.id, 3.5, 2),
        (unrated.id, None, 0),
    ]
    one = client.get(f"/api/v1/listings/{good.id}").get_json()
    assert (one["rating"], one["review_count"]) == (3.5, 2)
    assert sorted(r["overall"] for r in one["reviews"]) == [3, 4]
    assert all(set(r) >= {"text", "author_name", "author_country", "reply"} for r in one["reviews"])


def test_cooperative_hides_a_review_the_author_sees_why(client):
    booking, tourist, listing = stayed(days_ago=20)
    item = booking.items[0]
    when = datetime.combine(item.check_out, time(12), tzinfo=BUSINESS_TZ)
    review = reviews.write_review(
        tourist, booking, item.listing_id, replace(RATING, text="Call me 0912"), now=when
    )
    assert "Call me 0912" in client.get(f"/l/{listing.key}?lang=en").get_data(as_text=True)

    login(client, make_user(Role.COOP))  # another community's cooperative
    assert client.post(f"/reviews/{review.id}/hide", data={"reason": "x"}).status_code == 404
    client.post("/account/logout")
    login(client, tourist)
    assert client.post(f"/reviews/{review.id}/hide", data={"reason": "x"}).status_code == 403
    client.post("/account/logout")

    login(client, make_user(Role.COOP, community=listing.community))
    assert "Call me 0912" in client.get("/reviews/moderation").get_data(as_text=True)
    hidden = client.post(f"/reviews/{review.id}/hide", data={"reason": "Phone numbers"})
    assert hidden.status_code == 302
    client.post("/account/logout")

    page = client.get(f"/l/{listing.key}?lang=en").get_data(as_text=True)
    assert "Call me 0912" not in page and "No reviews yet" in page
    db.session.expire_all()
    assert db.session.get(Review, review.id).status == ReviewStatus.HIDDEN
    login(client, tourist)
    mine = client.get("/reviews/mine?lang=en").get_data(as_text=True)
    assert "Phone numbers" in mine and "Call me 0912" in mine
