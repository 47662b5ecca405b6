"""Reading reviews: ratings of listings (pages, search order, API) and the lists pages show.

Only public reviews count (`reviews.public_clause`: not hidden, no longer blind), so a rating
never reveals a review its counterpart has not seen.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Booking, BookingItem, Listing, Review, ReviewDirection, Role, User
from .reviews import REVIEWABLE_STATUSES, may_review_guest, public_clause

RECENT = 10


@dataclass(frozen=True, slots=True)
class Rating:
    #: average overall stars, one decimal; None without reviews
    average: float | None
    count: int


NO_RATING = Rating(None, 0)


def ratings(listing_ids, now: datetime) -> dict[int, Rating]:
    """Rating of each listing (ids, or a SELECT of ids) in one query; absent: no reviews."""
    rows = db.session.execute(
        select(Review.listing_id, func.avg(Review.overall), func.count(Review.id))
        .where(
            Review.listing_id.in_(listing_ids),
            Review.direction == ReviewDirection.LISTING,
            *public_clause(now),
        )
        .group_by(Review.listing_id)
    )
    return {lid: Rating(round(float(avg), 1), count) for lid, avg, count in rows}


def by_rating(rows: list, now: datetime, id_of=lambda row: row.id) -> list:
    """Listing rows best rated first, then most reviewed; unrated last; ties by listing id."""
    found = ratings([id_of(r) for r in rows], now) if rows else {}

    def key(row):
        rating = found.get(id_of(row), NO_RATING)
        return (rating.average is None, -(rating.average or 0), -rating.count, id_of(row))

    return sorted(rows, key=key)


def recent(listing_id: int, now: datetime, limit: int = RECENT) -> list[Review]:
    """The latest public traveller reviews of a listing."""
    return list(
        db.session.scalars(
            select(Review)
            .where(
                Review.listing_id == listing_id,
                Review.direction == ReviewDirection.LISTING,
                *public_clause(now),
            )
            .order_by(Review.created_at.desc(), Review.id.desc())
            .limit(limit)
        )
    )


def written_by(user: User) -> list[Review]:
    """Everything `user` wrote, hidden ones with their reason (the author sees why)."""
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.author_id == user.id)
            .options(selectinload(Review.listing).selectinload(Listing.texts))
            .order_by(Review.created_at.desc(), Review.id.desc())
        )
    )


def of_host(user: User, now: datetime) -> list[Review]:
    """Public traveller reviews of `user`'s listings, newest first (to reply to)."""
    return list(
        db.session.scalars(
            select(Review)
            .join(Listing, Listing.id == Review.listing_id)
            .where(
                Listing.host_id == user.id,
                Review.direction == ReviewDirection.LISTING,
                *public_clause(now),
            )
            .order_by(Review.created_at.desc(), Review.id.desc())
        )
    )


def guests_to_review(user: User, now: datetime, limit: int = 50) -> list[Booking]:
    """Finished bookings of `user`'s listings whose guest they may still review."""
    bookings = db.session.scalars(
        select(Booking)
        .where(
            Booking.status.in_(REVIEWABLE_STATUSES),
            Booking.id.in_(select(BookingItem.booking_id).where(BookingItem.host_id == user.id)),
        )
        .order_by(Booking.id.desc())
        .limit(limit * 4)
    )
    return [b for b in bookings if may_review_guest(user, b, now)][:limit]


def to_moderate(user: User, limit: int = 100) -> list[Review]:
    """Reviews of the listings in the communities `user` manages (all of them for admins)."""
    query = select(Review).join(Listing, Listing.id == Review.listing_id)
    if user.role != Role.ADMIN:
        query = query.where(Listing.community_id.in_(user.community_ids or {-1}))
    return list(
        db.session.scalars(query.order_by(Review.created_at.desc(), Review.id.desc()).limit(limit))
    )
