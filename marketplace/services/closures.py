"""Closures by the cooperative: a flood, a landslide on the Ba Be road.

Cancelling a departure or closing a listing for dates cancels every booking affected as the host's
decision (a full refund of what was paid) and tells each tourist in their language through the
booking's cancellation notice (`bookings.cancel` sends it after each commit).

A confirmed booking of one cancelled tour departure is not cancelled at once when other departures of
the same tour have seats: the tourist is offered up to three of them (an audit row `move_offered`
on the booking keeps the offer). Moving keeps the price paid and re-issues the ticket; refusing, or
no answer by the original departure day (`refund_unanswered`), cancels with a full refund.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import select

from ..clock import BUSINESS_TZ, business_today, to_business_time, utcnow
from ..database import begin_write
from ..extensions import db
from ..models import (
    AuditEntry,
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
from . import audit, availability, bookings, listings, tickets
from .errors import Conflict, Forbidden, NotFound, ServiceError

#: bookings a closure cancels: those still holding their rooms or seats
CANCELLABLE = (BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED)
#: how many other departures a tourist of a cancelled one is offered
ALTERNATIVES = 3


@dataclass
class ClosureResult:
    cancelled: list[str] = field(default_factory=list)
    offered: list[str] = field(default_factory=list)
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
        if _offer_move(booking, actor, reason, now):
            result.offered.append(booking.reference)
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


# --- moving to another departure instead of a refund -------------------------------------------


@dataclass
class MoveOffer:
    booking: Booking
    item: BookingItem
    alternatives: list[Departure]
    reason: str
    offered_ids: set[int]


def _moveable_item(booking: Booking) -> BookingItem | None:
    """The one item of a confirmed one-item booking whose tour departure is cancelled."""
    if booking.status != BookingStatus.CONFIRMED or len(booking.items) != 1:
        return None
    item = booking.items[0]
    if item.departure is None or item.departure.status != DepartureStatus.CANCELLED:
        return None
    return item


def alternatives_for(item: BookingItem, now: datetime, limit: int = ALTERNATIVES):
    """Scheduled departures of the item's tour, not yet left, with seats for all its people;
    the nearest in time to the cancelled one first."""
    today = business_today(now)
    candidates = [
        d
        for d in db.session.scalars(
            select(Departure).where(
                Departure.listing_id == item.listing_id,
                Departure.status == DepartureStatus.SCHEDULED,
                Departure.id != item.departure_id,
            )
        )
        if to_business_time(d.starts_at).date() >= today and d.starts_at > now
    ]
    left = availability.seats_left(candidates, now)
    fitting = [d for d in candidates if left[d.id] >= item.quantity]
    original = item.departure.starts_at
    fitting.sort(key=lambda d: (abs((d.starts_at - original).total_seconds()), d.id))
    return fitting[:limit]


def _offer_move(booking: Booking, actor, reason: str, now: datetime) -> bool:
    """Record an offer of other departures and tell the tourist; False when there is none."""
    item = _moveable_item(booking)
    if item is None:
        return False
    choices = alternatives_for(item, now)
    if not choices:
        return False
    tickets.void_for_booking(booking)  # that day's trip will not run; a move issues it anew
    audit.record(
        booking,
        "move_offered",
        actor=actor,
        data={"departure_id": item.departure_id, "alternatives": [d.id for d in choices]},
        note=reason,
    )
    db.session.commit()
    bookings._after_commit(booking, "move_offered")
    return True


def open_offer(booking: Booking, now: datetime | None = None) -> MoveOffer | None:
    """The tourist's pending choice between another departure and a refund, if any.

    Alternatives that have filled up or left since the offer are left out.
    """
    item = _moveable_item(booking)
    if item is None:
        return None
    entry = _offer_entry(booking)
    if entry is None or entry.data.get("departure_id") != item.departure_id:
        return None
    now = now or utcnow()
    offered = set(entry.data.get("alternatives") or [])
    still = [d for d in alternatives_for(item, now, limit=None) if d.id in offered]
    return MoveOffer(booking, item, still, entry.note or "", offered)


def _closed_offer() -> Conflict:
    return Conflict(_("This offer is no longer open."), "offer_closed")


def accept_move(
    booking: Booking, departure_id, actor=None, now: datetime | None = None
) -> Departure:
    """Move the booking to one of the offered departures, at the price already paid; commits.

    Takes the seats under the same lock as placing a booking. Raises Conflict `offer_closed`,
    `sold_out` (nothing changed), NotFound when the departure was not offered.
    """
    now = now or utcnow()
    offer = open_offer(booking, now)
    if offer is None:
        raise _closed_offer()
    departure = db.session.get(Departure, departure_id) if departure_id else None
    if departure is None or departure.id not in offer.offered_ids:
        raise NotFound(_("This departure was not offered to you."), "not_found", "departure_id")
    item = offer.item
    old = item.departure
    try:
        begin_write()
        bookings._lock(Departure, [departure.id])
        db.session.refresh(departure)
        if (
            departure.status != DepartureStatus.SCHEDULED
            or departure.starts_at <= now
            or availability.seats_left([departure], now)[departure.id] < item.quantity
        ):
            raise Conflict(
                _(
                    "Sorry, this departure has just filled up. "
                    "Choose another one, or ask for your refund."
                ),
                "sold_out",
                "departure_id",
            )
        day = to_business_time(departure.starts_at).date()
        item.departure = departure
        item.check_in = day
        item.check_out = day
        tickets.reissue_for_item(item, now=now)
        audit.record(
            booking,
            "moved",
            actor=actor,
            data={"from_departure": old.id, "to_departure": departure.id},
        )
        db.session.commit()
    except ServiceError:
        db.session.rollback()
        raise
    bookings._after_commit(booking, "confirmed")
    return departure


def _offer_entry(booking: Booking) -> AuditEntry | None:
    return db.session.scalar(
        select(AuditEntry)
        .where(
            AuditEntry.subject_type == "booking",
            AuditEntry.subject_id == booking.id,
            AuditEntry.action == "move_offered",
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


def refuse_move(booking: Booking, actor=None, now: datetime | None = None) -> int:
    """The tourist wants their money back: cancel with a full refund; returns it. Commits."""
    offer = open_offer(booking, now)
    if offer is None:
        raise _closed_offer()
    return bookings.cancel(booking, actor=actor, reason=offer.reason, by_host=True, now=now)


def refund_unanswered(now: datetime | None = None) -> list[str]:
    """Cancel with a full refund every offer not answered by the cancelled departure's day."""
    now = now or utcnow()
    today = business_today(now)
    candidates = db.session.scalars(
        select(Booking)
        .join(BookingItem, BookingItem.booking_id == Booking.id)
        .join(Departure, Departure.id == BookingItem.departure_id)
        .where(
            Booking.status == BookingStatus.CONFIRMED,
            Departure.status == DepartureStatus.CANCELLED,
            BookingItem.check_in <= today,
        )
    ).all()
    refunded = []
    for booking in candidates:
        offer = open_offer(booking, now)
        if offer is not None:
            bookings.cancel(booking, reason=offer.reason, by_host=True, now=now)
            refunded.append(booking.reference)
    return refunded


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
