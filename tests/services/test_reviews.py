"""Reviews: who may write, when, once; blind until both or 14 days; ratings; moderation."""

from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest

from marketplace.clock import BUSINESS_TZ
from marketplace.models import (
    REVIEW_TRANSITIONS,
    AuditEntry,
    BookingStatus,
    ListingKind,
    ReviewStatus,
    Role,
)
from marketplace.models.states import Outcome, judge
from marketplace.services.catalogue import review_stats, reviews
from marketplace.services.shared.errors import Conflict, NotFound, ServiceError
from tests.factories import make_booking, make_departure, make_listing, make_user

STARS = reviews.Rating(overall=5, cleanliness=4, accuracy=5, hospitality=5, text="Tuyệt!")


def at(day, hour=12):
    return datetime.combine(day, time(hour), tzinfo=BUSINESS_TZ)


def finished_stay(status=BookingStatus.COMPLETED, listing=None, **kw):
    listing = listing or make_listing()
    tourist = make_user(name="Kim Min-ji")
    booking = make_booking(
        listing.room_types[0],
        status=status,
        tourist=tourist,
        guest_list=[("Kim Min-ji", "KR", None, "M1234567")],
        **kw,
    )
    return booking, tourist, listing.host


def test_the_traveller_reviews_once_after_check_out():
    booking, tourist, _host = finished_stay()
    item = booking.items[0]
    after = at(item.check_out)
    review = reviews.write_review(tourist, booking, item.listing_id, STARS, now=after)
    assert (review.overall, review.hospitality, review.guiding) == (5, 5, None)
    assert (review.author_name, review.author_country) == ("Kim", "KR")
    with pytest.raises(Conflict) as excinfo:
        reviews.write_review(tourist, booking, item.listing_id, STARS, now=after)
    assert excinfo.value.code == "already_reviewed"


@pytest.mark.parametrize(
    ("status", "days_after", "code"),
    [
        (BookingStatus.CONFIRMED, 1, "not_reviewable"),
        (BookingStatus.CANCELLED, 1, "not_reviewable"),
        (BookingStatus.COMPLETED, -1, "not_reviewable"),
        (BookingStatus.COMPLETED, 15, "not_reviewable"),
    ],
)
def test_only_a_finished_trip_within_14_days(status, days_after, code):
    booking, tourist, _host = finished_stay(status)
    item = booking.items[0]
    with pytest.raises(Conflict) as excinfo:
        reviews.write_review(
            tourist, booking, item.listing_id, STARS, now=at(item.check_out + timedelta(days_after))
        )
    assert excinfo.value.code == code


def test_checked_in_stay_is_reviewable_from_check_out_day_and_the_last_of_14():
    booking, tourist, _host = finished_stay(BookingStatus.CHECKED_IN)
    item = booking.items[0]
    assert reviews.reviewable_items(tourist, booking, now=at(item.check_out, 8)) == [item]
    assert reviews.reviewable_items(tourist, booking, now=at(item.check_out - timedelta(1))) == []
    last = at(item.check_out + timedelta(days=14), 23)
    assert reviews.reviewable_items(tourist, booking, now=last) == [item]


def test_a_checked_in_tour_is_reviewable_the_day_after_with_guiding_stars():
    departure = make_departure()
    tourist = make_user()
    booking = make_booking(departure=departure, status=BookingStatus.CHECKED_IN, tourist=tourist)
    item = booking.items[0]
    assert reviews.reviewable_items(tourist, booking, now=at(item.check_out, 20)) == []
    data = reviews.Rating(overall=4, cleanliness=4, accuracy=4, guiding=5)
    review = reviews.write_review(
        tourist, booking, item.listing_id, data, now=at(item.check_out + timedelta(1))
    )
    assert (review.guiding, review.hospitality) == (5, None)
    assert departure.listing.kind == ListingKind.TOUR


def test_someone_else_gets_not_found_and_bad_stars_are_refused():
    booking, tourist, host = finished_stay()
    item = booking.items[0]
    with pytest.raises(NotFound):
        reviews.write_review(make_user(), booking, item.listing_id, STARS, now=at(item.check_out))
    with pytest.raises(ServiceError) as excinfo:
        reviews.write_review(
            tourist, booking, item.listing_id, replace(STARS, overall=9), now=at(item.check_out)
        )
    assert (excinfo.value.code, excinfo.value.field) == ("invalid_stars", "overall")
    with pytest.raises(ServiceError) as excinfo:
        reviews.write_review(
            tourist,
            booking,
            item.listing_id,
            replace(STARS, text="x" * 2001),
            now=at(item.check_out),
        )
    assert excinfo.value.code == "too_long"


def test_blind_until_both_are_written():
    booking, tourist, host = finished_stay()
    item = booking.items[0]
    now = at(item.check_out)
    review = reviews.write_review(tourist, booking, item.listing_id, STARS, now=now)
    assert review_stats.ratings([item.listing_id], now) == {}
    assert review_stats.recent(item.listing_id, now) == []
    guest_review = reviews.write_guest_review(host, booking, reviews.Rating(overall=5), now=now)
    assert review_stats.ratings([item.listing_id], now)[item.listing_id].count == 1
    assert review.revealed_at == guest_review.revealed_at == now
    with pytest.raises(Conflict):
        reviews.write_guest_review(host, booking, reviews.Rating(overall=4), now=now)


def test_blind_until_the_window_closes():
    booking, tourist, _host = finished_stay()
    item = booking.items[0]
    reviews.write_review(tourist, booking, item.listing_id, STARS, now=at(item.check_out))
    assert review_stats.ratings([item.listing_id], at(item.check_out + timedelta(14), 23)) == {}
    later = at(item.check_out + timedelta(15), 0)
    assert review_stats.ratings([item.listing_id], later)[item.listing_id].average == 5.0


def test_host_replies_once_to_a_public_review():
    booking, tourist, host = finished_stay()
    item = booking.items[0]
    now = at(item.check_out)
    review = reviews.write_review(tourist, booking, item.listing_id, STARS, now=now)
    with pytest.raises(NotFound):  # still blind
        reviews.reply(host, review.id, "Cảm ơn", now=now)
    reviews.write_guest_review(host, booking, reviews.Rating(overall=5), now=now)
    assert reviews.reply(host, review.id, "Cảm ơn", now=now).reply == "Cảm ơn"
    with pytest.raises(Conflict) as excinfo:
        reviews.reply(host, review.id, "again", now=now)
    assert excinfo.value.code == "already_replied"


def test_cooperative_hides_with_a_reason_audited_never_deleted():
    booking, tourist, host = finished_stay()
    item = booking.items[0]
    now = at(item.check_out)
    review = reviews.write_review(tourist, booking, item.listing_id, STARS, now=now)
    coop = make_user(Role.COOP, community=booking.items[0].listing.community)
    outsider = make_user(Role.COOP)
    with pytest.raises(NotFound):
        reviews.moderate(outsider, review.id, ReviewStatus.HIDDEN, "spam", now=now)
    with pytest.raises(ServiceError) as excinfo:
        reviews.moderate(coop, review.id, ReviewStatus.HIDDEN, " ", now=now)
    assert excinfo.value.code == "reason_required"
    assert reviews.moderate(coop, review.id, ReviewStatus.HIDDEN, "A phone number") == (
        Outcome.APPLIED
    )
    assert reviews.moderate(coop, review.id, ReviewStatus.HIDDEN, "again") == Outcome.ALREADY
    mine = review_stats.written_by(tourist)
    assert [(r.status, r.hidden_reason) for r in mine] == [(ReviewStatus.HIDDEN, "A phone number")]
    entry = AuditEntry.query.filter_by(subject_type="review", subject_id=review.id).one()
    assert (entry.from_state, entry.to_state, entry.actor_id) == ("visible", "hidden", coop.id)


def test_review_transitions_table():
    assert judge(REVIEW_TRANSITIONS, ReviewStatus.VISIBLE, ReviewStatus.HIDDEN) == Outcome.APPLIED
    assert judge(REVIEW_TRANSITIONS, ReviewStatus.HIDDEN, ReviewStatus.HIDDEN) == Outcome.ALREADY
    assert judge(REVIEW_TRANSITIONS, ReviewStatus.HIDDEN, ReviewStatus.VISIBLE) == Outcome.APPLIED
