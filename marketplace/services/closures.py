"""Closures by the cooperative: a flood, a landslide on the Ba Be road.

Cancelling a departure or closing a listing for dates cancels every booking affected as the host's
decision (a full refund of what was paid) and tells each tourist in their language through the
booking's cancellation notice (`bookings.cancel` sends it after each commit).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import select

from ..clock import BUSINESS_TZ, utcnow
from ..extensions import db
from ..models import (
    BlockSource,
    Booking,
    BookingItem,
    BookingNight,
    BookingStatus,
    Departure,
    DepartureStatus,
    Listing,
    ListingKind,
    User,
)
from . import audit, bookings, listings
from .errors import Forbidden, NotFound, ServiceError

#: bookings a closure cancels: those still holding their rooms or seats
CANCELLABLE = (BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED)


@dataclass
class ClosureResult:
    cancelled: list[str] = field(default_factory=list)
    refunds: int = 0
    departures: int = 0
    nights: int = 0


def _check(actor: User, community_id: int) -> None:
    if not actor.manages(community_id):
        raise Forbidden(_("You are not allowed to do this."), "forbidden")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why, for the tourists."), "reason_required", "reason")
    return reason[:500]


def _cancel_all(booking_ids, actor, reason, now, result: ClosureResult) -> None:
    for booking_id in sorted(set(booking_ids)):
        booking = db.session.get(Booking, booking_id)
        if booking.status not in CANCELLABLE or not booking.is_holding(now):
            continue
        result.refunds += bookings.cancel(
            booking, actor=actor, reason=reason, by_host=True, now=now
        )
        result.cancelled.append(booking.reference)


def cancel_departure(
    departure: Departure, actor: User, reason: str, now: datetime | None = None
) -> ClosureResult:
    """Cancel one departure and every booking on it; commits. Raises Forbidden, reason_required."""
    now = now or utcnow()
    _check(actor, departure.listing.community_id)
    reason = _reason(reason)
    result = ClosureResult(departures=1)
    departure.status = DepartureStatus.CANCELLED
    audit.record(departure, "cancelled", actor=actor, to_state="cancelled", note=reason)
    db.session.commit()
    booking_ids = db.session.scalars(
        select(BookingItem.booking_id).where(BookingItem.departure_id == departure.id)
    ).all()
    _cancel_all(booking_ids, actor, reason, now, result)
    return result


def close_listing(
    listing: Listing,
    actor: User,
    first: date,
    last: date,
    reason: str,
    now: datetime | None = None,
) -> ClosureResult:
    """Close a listing from `first` to `last` (inclusive): block its nights, cancel its
    departures and every booking touching those days; commits.

    Raises Forbidden, reason_required, invalid_range.
    """
    now = now or utcnow()
    _check(actor, listing.community_id)
    reason = _reason(reason)
    days = listings.date_range(first, last)
    result = ClosureResult(nights=len(days))
    booking_ids: list[int] = []
    if listing.kind == ListingKind.STAY:
        room_type_ids = [rt.id for rt in listing.room_types]
        for room_type in listing.room_types:
            listings.block_nights(
                room_type, actor, days, source=BlockSource.CLOSURE, reason=reason, commit=False
            )
        booking_ids = db.session.scalars(
            select(BookingItem.booking_id)
            .join(BookingNight, BookingNight.item_id == BookingItem.id)
            .where(
                BookingNight.room_type_id.in_(room_type_ids or [-1]),
                BookingNight.night >= first,
                BookingNight.night <= last,
            )
        ).all()
    else:
        start = datetime.combine(first, time.min, tzinfo=BUSINESS_TZ)
        end = datetime.combine(last, time.max, tzinfo=BUSINESS_TZ)
        departures = db.session.scalars(
            select(Departure).where(
                Departure.listing_id == listing.id,
                Departure.starts_at >= start,
                Departure.starts_at <= end,
                Departure.status == DepartureStatus.SCHEDULED,
            )
        ).all()
        for departure in departures:
            departure.status = DepartureStatus.CANCELLED
        result.departures = len(departures)
        booking_ids = db.session.scalars(
            select(BookingItem.booking_id).where(
                BookingItem.departure_id.in_([d.id for d in departures] or [-1])
            )
        ).all()
    audit.record(
        listing,
        "closed",
        actor=actor,
        data={"first": first.isoformat(), "last": last.isoformat()},
        note=reason,
    )
    db.session.commit()
    _cancel_all(booking_ids, actor, reason, now, result)
    return result


def get_departure(user: User, departure_id: int) -> Departure:
    departure = db.session.get(Departure, departure_id)
    if departure is None or not user.manages(departure.listing.community_id):
        raise NotFound(_("No such departure."), "not_found")
    return departure


def upcoming_departures(user: User, now: datetime | None = None, limit: int = 60):
    """Scheduled departures of the communities `user` manages, soonest first."""
    now = now or utcnow()
    query = (
        select(Departure)
        .join(Listing, Listing.id == Departure.listing_id)
        .where(Departure.starts_at >= now, Departure.status == DepartureStatus.SCHEDULED)
        .order_by(Departure.starts_at)
        .limit(limit)
    )
    if user.role.value != "admin":
        query = query.where(Listing.community_id.in_(user.community_ids or {-1}))
    return list(db.session.scalars(query))
