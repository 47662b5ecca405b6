"""Another channel's calendar closing nights that a confirmed booking here already holds.

The import still records its block (the other channel's guest is real too), but it never
cancels our booking: the host must sort the double booking out, so the host is told, by mail
(through the outbox) when a sync finds it and on the dashboard for as long as it lasts.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from ...clock import business_today
from ...extensions import db
from ...models import (
    FOREVER,
    BlockedNight,
    BlockSource,
    Booking,
    BookingItem,
    BookingNight,
    ExternalCalendar,
    RoomType,
    User,
)
from ..shared import audit, outbox

MAIL_TOPIC = "mail.calendar_conflict"


@dataclass
class Conflict:
    """One confirmed booking of one room type with nights another channel has closed."""

    booking_id: int
    reference: str
    room_type_id: int
    nights: list[date] = field(default_factory=list)


def _confirmed_claims(room_type_ids, nights=None, first: date | None = None):
    query = (
        select(Booking.id, Booking.reference, BookingNight.room_type_id, BookingNight.night)
        .join(BookingItem, BookingItem.id == BookingNight.item_id)
        .join(Booking, Booking.id == BookingItem.booking_id)
        .where(
            BookingNight.room_type_id.in_(room_type_ids),
            BookingNight.claimed_until >= FOREVER,  # confirmed: holds lapse by themselves
        )
    )
    if nights is not None:
        query = query.where(BookingNight.night.in_(sorted(nights)))
    if first is not None:
        query = query.where(BookingNight.night >= first)
    return query


def _grouped(rows) -> list[Conflict]:
    found: dict[tuple[int, int], Conflict] = {}
    for booking_id, reference, room_type_id, night in rows:
        conflict = found.setdefault(
            (booking_id, room_type_id), Conflict(booking_id, reference, room_type_id)
        )
        if night not in conflict.nights:
            conflict.nights.append(night)
    for conflict in found.values():
        conflict.nights.sort()
    return sorted(found.values(), key=lambda c: (c.nights[0], c.reference))


def overlapping(room_type_id: int, nights) -> list[Conflict]:
    """Confirmed bookings of the room type on any of these nights."""
    if not nights:
        return []
    return _grouped(db.session.execute(_confirmed_claims([room_type_id], nights=nights)))


def report(calendar: ExternalCalendar, conflicts: list[Conflict]) -> None:
    """Audit and mail the host in the caller's transaction (no commit)."""
    if not conflicts:
        return
    listing = calendar.room_type.listing
    data = [
        {
            "booking_id": c.booking_id,
            "reference": c.reference,
            "nights": [n.isoformat() for n in c.nights],
        }
        for c in conflicts
    ]
    audit.record(listing, "calendar_conflict", data={"calendar_id": calendar.id, "bookings": data})
    outbox.emit(
        MAIL_TOPIC,
        {
            "listing_id": listing.id,
            "room_type_id": calendar.room_type_id,
            "calendar_id": calendar.id,
            "url": calendar.url,
            "bookings": data,
        },
    )


def for_listings(listing_ids: list[int], now: datetime | None = None) -> list[dict]:
    """Every confirmed booking from today on whose nights an imported calendar also closes.

    Computed from the rows themselves, so the warning lasts exactly as long as the overlap.
    """
    if not listing_ids:
        return []
    today = business_today(now)
    room_types = {
        rt.id: rt
        for rt in db.session.scalars(select(RoomType).where(RoomType.listing_id.in_(listing_ids)))
    }
    if not room_types:
        return []
    claims = _confirmed_claims(list(room_types), first=today).subquery()
    rows = db.session.execute(
        select(claims.c.id, claims.c.reference, claims.c.room_type_id, claims.c.night)
        .join(
            BlockedNight,
            (BlockedNight.room_type_id == claims.c.room_type_id)
            & (BlockedNight.night == claims.c.night),
        )
        .where(BlockedNight.source == BlockSource.ICAL)
        .distinct()
    )
    return [{"conflict": c, "room_type": room_types[c.room_type_id]} for c in _grouped(rows.all())]


def for_user(user: User, now: datetime | None = None) -> list[dict]:
    """The overlaps on the listings `user` manages (dashboard warning)."""
    from .listings import listings_of

    return for_listings([listing.id for listing in listings_of(user)], now=now)
