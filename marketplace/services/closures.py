"""Closures by the cooperative: a flood, a landslide on the Ba Be road.

Cancelling a departure or closing a listing for dates cancels every booking affected as the host's
decision (a full refund of what was paid) and tells each tourist in their language through the
booking's cancellation notice (`bookings.cancel` sends it after each commit).

A confirmed booking of one cancelled tour departure is not cancelled at once when other departures of
the same tour have seats: the tourist is offered up to three of them (a `MoveOffer`, see
`departure_moves`).

Each step is a unit of work of its own: the departures (or room types) are locked, re-read and
moved through DEPARTURE_TRANSITIONS and committed first; then each booking is locked, re-read and
offered a move or cancelled. Cancelling a departure that is already cancelled answers ALREADY and
touches no booking, so a double click sends no second round of mails.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..clock import BUSINESS_TZ, utcnow
from ..database import begin_write
from ..extensions import db
from ..models import (
    DEPARTURE_TRANSITIONS,
    BlockSource,
    BookingItem,
    BookingNight,
    BookingStatus,
    Departure,
    DepartureStatus,
    Listing,
    ListingKind,
    User,
)
from ..models.states import Outcome, judge
from . import (
    audit,
    booking_events,
    bookings,
    cancellations,
    departure_moves,
    listings,
    locks,
    outbox,
)
from .departure_moves import (  # noqa: F401  (closures' public surface: pages, mail, jobs)
    accept_move,
    open_offer,
    refund_unanswered,
    refuse_move,
)
from .errors import Forbidden, NotFound, ServiceError

#: bookings a closure cancels: those still holding their rooms or seats
CANCELLABLE = (BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED)


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


def transition_departure(
    departure: Departure, to: DepartureStatus, *, actor=None, note: str = ""
) -> Outcome:
    """Move a departure the caller has locked to `to`, in the caller's transaction.

    Answers APPLIED (written, with an audit row), ALREADY or REFUSED (nothing written).
    """
    current = departure.status
    outcome = judge(DEPARTURE_TRANSITIONS, current, to)
    if outcome is Outcome.APPLIED:
        departure.status = to
        audit.record(departure, "status", actor=actor, from_state=current, to_state=to, note=note)
    return outcome


def _cancel_departures(ids, actor, reason: str) -> list[int]:
    """Lock these departures as placing a booking does, re-read them and cancel those still
    scheduled (no commit); returns the ids cancelled now."""
    begin_write()
    bookings.lock_inventory(departure_ids=ids)
    departures = db.session.scalars(
        select(Departure)
        .where(Departure.id.in_(list(ids) or [-1]))
        .order_by(Departure.id)
        .execution_options(populate_existing=True)
    ).all()
    return [
        d.id
        for d in departures
        if transition_departure(d, DepartureStatus.CANCELLED, actor=actor, note=reason)
        is Outcome.APPLIED
    ]


def _bookings_on(departure_ids: list[int]) -> list[int]:
    return db.session.scalars(
        select(BookingItem.booking_id).where(BookingItem.departure_id.in_(departure_ids or [-1]))
    ).all()


def _cancel_all(booking_ids, departure_ids, actor, reason, now, result: ClosureResult) -> None:
    for booking_id in sorted(set(booking_ids)):
        try:
            _settle(booking_id, departure_ids, actor, reason, now, result)
        except ServiceError as exc:  # one booking's conflict must not stop the others' refunds
            db.session.rollback()
            current_app.logger.warning("closure left booking %s: %s", booking_id, exc.code)


def _settle(booking_id, departure_ids, actor, reason, now, result: ClosureResult) -> None:
    """One booking a closure touches: locked and re-read, then offered other departures of its
    tour (committed here), or cancelled with a full refund by `bookings.cancel`."""
    booking = locks.locked_booking(booking_id)
    touches = departure_ids is None or any(i.departure_id in departure_ids for i in booking.items)
    if booking.status not in CANCELLABLE or not booking.is_holding(now) or not touches:
        db.session.rollback()
        return
    item = departure_moves.moveable_item(booking)
    if item is not None:
        if departure_moves.offer_for(booking.id, item.departure_id) is not None:
            db.session.rollback()  # offered already
            return
        if departure_moves.offer_move(booking, item, actor, reason, now) is not None:
            booking_events.announce(booking, "move_offered")
            db.session.commit()
            outbox.kick()
            result.offered.append(booking.reference)
            return
    db.session.rollback()  # bookings.cancel locks and re-checks itself (no lock during Stripe)
    result.refunds += cancellations.cancel(
        booking, actor=actor, reason=reason, by_host=True, now=now
    )
    result.cancelled.append(booking.reference)


def cancel_departure(
    departure: Departure, actor: User, reason: str, now: datetime | None = None
) -> ClosureResult:
    """Cancel one departure and every booking on it; commits. A departure already cancelled
    changes nothing (`departures` is 0). Raises Forbidden, reason_required."""
    now = now or utcnow()
    _check(actor, departure.listing.community_id)
    reason = _reason(reason)
    try:
        cancelled = _cancel_departures([departure.id], actor, reason)
        db.session.commit()
    except ServiceError:
        db.session.rollback()
        raise
    result = ClosureResult(departures=len(cancelled))
    _cancel_all(_bookings_on(cancelled), set(cancelled), actor, reason, now, result)
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
    departure_ids: set[int] | None = None
    try:
        if listing.kind == ListingKind.STAY:
            booking_ids = _block_stay(listing, actor, days, first, last, reason)
        else:
            start = datetime.combine(first, time.min, tzinfo=BUSINESS_TZ)
            end = datetime.combine(last, time.max, tzinfo=BUSINESS_TZ)
            in_range = db.session.scalars(
                select(Departure.id).where(
                    Departure.listing_id == listing.id,
                    Departure.starts_at >= start,
                    Departure.starts_at <= end,
                )
            ).all()
            departure_ids = set(_cancel_departures(in_range, actor, reason))
            result.departures = len(departure_ids)
            booking_ids = _bookings_on(sorted(departure_ids))
        audit.record(
            listing,
            "closed",
            actor=actor,
            data={"first": first.isoformat(), "last": last.isoformat()},
            note=reason,
        )
        db.session.commit()
    except ServiceError:
        db.session.rollback()
        raise
    _cancel_all(booking_ids, departure_ids, actor, reason, now, result)
    return result


def _block_stay(listing, actor, days, first, last, reason) -> list[int]:
    """Block the nights under the rooms' inventory lock (no commit); the bookings touching them."""
    room_type_ids = [rt.id for rt in listing.room_types]
    begin_write()
    bookings.lock_inventory(room_type_ids=room_type_ids)
    for room_type in listing.room_types:
        listings.block_nights(
            room_type, actor, days, source=BlockSource.CLOSURE, reason=reason, commit=False
        )
    return db.session.scalars(
        select(BookingItem.booking_id)
        .join(BookingNight, BookingNight.item_id == BookingItem.id)
        .where(
            BookingNight.room_type_id.in_(room_type_ids or [-1]),
            BookingNight.night >= first,
            BookingNight.night <= last,
        )
    ).all()


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
