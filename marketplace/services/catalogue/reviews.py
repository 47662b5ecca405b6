"""Reviews: the traveller reviews each listing of a finished trip, the host reviews the guest.

Rules (each in one function below):
- who and when (`reviewable_items`, `_window_closes`): the booking's tourist, for a booking
  COMPLETED (from the check-out day or the tour day) or still CHECKED_IN once its last day is over
  (a stay from its check-out day, a tour from the day after); until the end of the 14th day after
  the check-out day or the tour day (Vietnam time). Once per listing of the booking.
- the host of a booking's item reviews the guest once per booking, in the same window.
- blind: a review is public once its counterpart is written (`revealed_at`) or the window has
  closed (`Review.is_public`, `public_clause`); until then only its author sees it.
- the host answers a traveller's public review once; the cooperative of the listing's community
  (and admins) hide a review with a reason, or show it again (`moderate`, audited, never deleted).

Writes lock the booking (services.locks), so a traveller and a host writing at the same moment
see each other and both reviews are revealed. Reads of ratings are in `review_stats`.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ...clock import BUSINESS_TZ, business_today, utcnow
from ...extensions import db
from ...models import (
    REVIEW_TRANSITIONS,
    Booking,
    BookingItem,
    BookingStatus,
    Review,
    ReviewDirection,
    ReviewStatus,
    User,
)
from ...models.states import Outcome, judge
from ..shared import audit, locks
from ..shared.errors import Conflict, NotFound, ServiceError
from ..shared.references import normalize_reference

WINDOW_DAYS = 14
MAX_TEXT = 2000
MAX_REPLY = 1000
MAX_REASON = 500
STAY_SCORES = ("cleanliness", "accuracy", "hospitality")
TOUR_SCORES = ("cleanliness", "accuracy", "guiding")
STAR_FIELDS = ("overall", "cleanliness", "accuracy", "hospitality", "guiding")
REVIEWABLE_STATUSES = frozenset({BookingStatus.COMPLETED, BookingStatus.CHECKED_IN})


# -- the rules ---------------------------------------------------------------------------------


def _window_closes(items) -> datetime:
    """End of the 14th day after the last check-out day or tour day of `items`."""
    last = max(item.check_out for item in items)
    return datetime.combine(last + timedelta(days=WINDOW_DAYS + 1), time.min, tzinfo=BUSINESS_TZ)


def _trip_over(booking: Booking, item: BookingItem, now: datetime) -> bool:
    today = business_today(now)
    if booking.status == BookingStatus.COMPLETED:
        return today >= item.check_out
    if booking.status == BookingStatus.CHECKED_IN:
        return today >= item.check_out if item.is_stay else today > item.check_out
    return False


def _items_by_listing(items) -> dict[int, list[BookingItem]]:
    found: dict[int, list[BookingItem]] = {}
    for item in items:
        found.setdefault(item.listing_id, []).append(item)
    return found


def _written(booking_id: int, direction: ReviewDirection) -> dict[int, Review]:
    rows = db.session.scalars(
        select(Review)
        .where(Review.booking_id == booking_id, Review.direction == direction)
        .execution_options(populate_existing=True)
    )
    return {r.listing_id: r for r in rows}


def reviewable_items(user: User | None, booking: Booking, now: datetime | None = None) -> list:
    """The items (one per listing) `user` may review now as the booking's traveller."""
    now = now or utcnow()
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if booking.tourist_id != user.id or booking.status not in REVIEWABLE_STATUSES:
        return []
    written = _written(booking.id, ReviewDirection.LISTING)
    return [
        items[0]
        for listing_id, items in _items_by_listing(booking.items).items()
        if listing_id not in written
        and all(_trip_over(booking, i, now) for i in items)
        and now < _window_closes(items)
    ]


def may_review_guest(user: User | None, booking: Booking, now: datetime | None = None) -> bool:
    """The host of an item of a finished booking, within the window, not yet written."""
    now = now or utcnow()
    if user is None or booking.status not in REVIEWABLE_STATUSES:
        return False
    items = [i for i in booking.items if i.host_id == getattr(user, "id", None)]
    if not items or now >= _window_closes(items):
        return False
    if not all(_trip_over(booking, i, now) for i in items):
        return False
    return items[0].listing_id not in _written(booking.id, ReviewDirection.GUEST)


def public_clause(now: datetime):
    """SQL: reviews everyone may see (not hidden, no longer blind)."""
    return (
        Review.status == ReviewStatus.VISIBLE,
        or_(Review.revealed_at.is_not(None), Review.window_closes_at <= now),
    )


def find_booking(reference: str) -> Booking:
    """A booking by its reference (who may act on it is judged by each function). NotFound."""
    booking = db.session.scalar(
        select(Booking).where(Booking.reference == normalize_reference(reference or ""))
    )
    if booking is None:
        raise NotFound(_("No booking with this reference."), "not_found")
    return booking


# -- input ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    """Stars as chosen (None when what was sent is no whole number) and the words written.

    The guest review uses `overall` and `text`; a stay adds `hospitality`, a tour `guiding`.
    """

    overall: int | None
    cleanliness: int | None = None
    accuracy: int | None = None
    hospitality: int | None = None
    guiding: int | None = None
    text: str = ""


def _stars(rating: Rating, name: str) -> int:
    stars = getattr(rating, name)
    if stars is None or not 1 <= stars <= 5:
        raise ServiceError(_("Choose from 1 to 5 stars."), "invalid_stars", name)
    return stars


def _text(value: str, name: str, limit: int, required: bool = False) -> str:
    value = str(value or "").replace("\x00", "").strip()
    if len(value) > limit:
        raise ServiceError(
            _("Please keep it under %(num)d characters.", num=limit), "too_long", name
        )
    if required and not value:
        raise ServiceError(_("Please write a few words."), "text_required", name)
    return value


def _first_name(user: User) -> str:
    parts = (user.name or "").split()
    return parts[0][:60] if parts else ""


# -- writing ---------------------------------------------------------------------------------------


def write_review(
    user: User, booking: Booking, listing_id: int, rating: Rating, now: datetime | None = None
) -> Review:
    """The traveller reviews one listing of their finished booking. Commits.

    Raises NotFound (not their booking, or no such listing in it), Conflict `already_reviewed`,
    Conflict `not_reviewable` (not finished, or the window has closed), ServiceError
    `invalid_stars` / `too_long` with the field.
    """
    now = now or utcnow()
    booking = locks.locked_booking(booking.id)
    items = _items_by_listing(booking.items).get(listing_id)
    if booking.tourist_id != user.id or not items:
        db.session.rollback()
        raise NotFound(_("No booking with this reference."), "not_found")
    if listing_id in _written(booking.id, ReviewDirection.LISTING):
        db.session.rollback()
        raise Conflict(_("You have already reviewed this."), "already_reviewed")
    if items[0] not in reviewable_items(user, booking, now):
        db.session.rollback()
        raise Conflict(_("This trip cannot be reviewed now."), "not_reviewable")
    try:
        scores = STAY_SCORES if items[0].is_stay else TOUR_SCORES
        review = Review(
            booking_id=booking.id,
            listing_id=listing_id,
            author_id=user.id,
            direction=ReviewDirection.LISTING,
            overall=_stars(rating, "overall"),
            **{name: _stars(rating, name) for name in scores},
            text=_text(rating.text, "text", MAX_TEXT),
            author_name=_first_name(user),
            author_country=booking.guests[0].nationality if booking.guests else None,
            window_closes_at=_window_closes(items),
            created_at=now,
        )
    except ServiceError:
        db.session.rollback()
        raise
    counterpart = _written(booking.id, ReviewDirection.GUEST)
    host_listing = _host_listing(booking, items[0].host_id)
    if host_listing in counterpart:
        review.revealed_at = now
        counterpart[host_listing].revealed_at = counterpart[host_listing].revealed_at or now
    return _save(review)


def write_guest_review(
    user: User, booking: Booking, rating: Rating, now: datetime | None = None
) -> Review:
    """The host reviews the traveller of their finished booking, once. Commits.

    Raises NotFound (not a host of it), Conflict `already_reviewed` / `not_reviewable`,
    ServiceError `invalid_stars` / `too_long`.
    """
    now = now or utcnow()
    booking = locks.locked_booking(booking.id)
    items = [i for i in booking.items if i.host_id == user.id]
    if not items:
        db.session.rollback()
        raise NotFound(_("No booking with this reference."), "not_found")
    if items[0].listing_id in _written(booking.id, ReviewDirection.GUEST):
        db.session.rollback()
        raise Conflict(_("You have already reviewed this."), "already_reviewed")
    if not may_review_guest(user, booking, now):
        db.session.rollback()
        raise Conflict(_("This trip cannot be reviewed now."), "not_reviewable")
    try:
        review = Review(
            booking_id=booking.id,
            listing_id=items[0].listing_id,
            author_id=user.id,
            direction=ReviewDirection.GUEST,
            overall=_stars(rating, "overall"),
            text=_text(rating.text, "text", MAX_TEXT),
            author_name=_first_name(user),
            window_closes_at=_window_closes(items),
            created_at=now,
        )
    except ServiceError:
        db.session.rollback()
        raise
    mine = {i.listing_id for i in items}
    counterparts = [
        r for r in _written(booking.id, ReviewDirection.LISTING).values() if r.listing_id in mine
    ]
    if counterparts:
        review.revealed_at = now
        for other in counterparts:
            other.revealed_at = other.revealed_at or now
    return _save(review)


def _host_listing(booking: Booking, host_id: int) -> int:
    """The listing a host's guest review is filed under: their first item's."""
    return next(i.listing_id for i in booking.items if i.host_id == host_id)


def _save(review: Review) -> Review:
    db.session.add(review)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("You have already reviewed this."), "already_reviewed") from None
    return review


def reply(user: User, review_id: int, text: str, now: datetime | None = None) -> Review:
    """The listing's host answers a public traveller review, once. Commits.

    Raises NotFound (not theirs, not public yet), Conflict `already_replied`, ServiceError
    `text_required` / `too_long`.
    """
    now = now or utcnow()
    review = _locked_review(review_id)
    if (
        review.direction != ReviewDirection.LISTING
        or review.listing.host_id != user.id
        or not review.is_public(now)
    ):
        db.session.rollback()
        raise NotFound(_("No such review."), "not_found")
    if review.reply is not None:
        db.session.rollback()
        raise Conflict(_("You have already replied to this review."), "already_replied")
    try:
        review.reply = _text(text, "reply", MAX_REPLY, required=True)
    except ServiceError:
        db.session.rollback()
        raise
    review.replied_at = now
    db.session.commit()
    return review


def may_moderate(user: User | None, review: Review) -> bool:
    """Cooperative staff of the listing's community, and admins."""
    return user is not None and user.manages(review.listing.community_id)


def moderate(
    actor: User,
    review_id: int,
    to: ReviewStatus,
    reason: str = "",
    now: datetime | None = None,
) -> Outcome:
    """Hide a review (a reason for its author is required) or show it again; audited. Commits.

    Answers the named outcome: APPLIED, ALREADY (nothing written), REFUSED never happens with
    two statuses but is answered as a Conflict. Raises NotFound unless `may_moderate`,
    ServiceError `reason_required` / `too_long`.
    """
    now = now or utcnow()
    review = _locked_review(review_id)
    if not may_moderate(actor, review):
        db.session.rollback()
        raise NotFound(_("No such review."), "not_found")
    outcome = judge(REVIEW_TRANSITIONS, review.status, to)
    if outcome is Outcome.REFUSED:
        db.session.rollback()
        raise Conflict(_("This review cannot change that way."), "refused")
    if outcome is Outcome.ALREADY:
        db.session.rollback()
        return outcome
    try:
        reason = _text(reason, "reason", MAX_REASON, required=to == ReviewStatus.HIDDEN)
    except ServiceError as exc:
        db.session.rollback()
        if exc.code == "text_required":
            raise ServiceError(_("Say why, for its author."), "reason_required", "reason") from None
        raise
    before = review.status
    review.status = to
    if to == ReviewStatus.HIDDEN:
        review.hidden_reason, review.hidden_at, review.hidden_by_id = reason, now, actor.id
    audit.record(
        review, "review_" + to.value, actor=actor, from_state=before, to_state=to, note=reason
    )
    db.session.commit()
    return outcome


def _locked_review(review_id: int) -> Review:
    booking_id = db.session.scalar(select(Review.booking_id).where(Review.id == review_id))
    if booking_id is None:
        raise NotFound(_("No such review."), "not_found")
    locks.locked_booking(booking_id)
    review = db.session.get(Review, review_id, populate_existing=True)
    return review
