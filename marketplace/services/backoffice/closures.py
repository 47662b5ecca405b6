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

A closure made by mistake is lifted (`lift_closure`): its departures whose tourists were not yet
cancelled nor offered a move reopen; the others stay cancelled (`transition_departure` refuses).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ...clock import BUSINESS_TZ, utcnow
from ...database import begin_write, is_sqlite
from ...extensions import db
from ...models import (
    DEPARTURE_TRANSITIONS,
    BlockSource,
    Booking,
    BookingItem,
    BookingNight,
    BookingStatus,
    Departure,
    DepartureStatus,
    Listing,
    ListingKind,
    MoveOffer,
    User,
)
from ...models.states import Outcome, judge
from ..booking import booking_events
from ..catalogue import listings
from ..payments import cancellations
from ..shared import audit, locks, outbox
from ..shared.errors import Forbidden, NotFound, ServiceError
from . import departure_moves
from .departure_moves import (  # noqa: F401  (closures' public surface: pages, mail, jobs)
    accept_move,
    open_offer,
    refund_unanswered,
    refuse_move,
)

#: bookings a closure cancels: those still holding their rooms or seats
CANCELLABLE = (BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED)


@dataclass
class ClosureResult:
    cancelled: list[str] = field(default_factory=list)
    offered: list[str] = field(default_factory=list)
    refunds: int = 0
    departures: int = 0
    nights: int = 0


@dataclass
class LiftResult:
    #: departures open for booking again
    reopened: list[Departure] = field(default_factory=list)
    #: departures that stay cancelled: their tourists were already cancelled or offered a move
    kept: list[Departure] = field(default_factory=list)
    nights: int = 0


def _check(actor: User, listing: Listing) -> None:
    """The listing's host, its community's cooperative staff and admins close and reopen it."""
    if not listings.may_manage(actor, listing):
        raise Forbidden(_("You are not allowed to do this."), "forbidden")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why, for the tourists."), "reason_required", "reason")
    return reason[:500]


def transition_departure(
    departure: Departure,
    to: DepartureStatus,
    *,
    actor=None,
    note: str = "",
    now: datetime | None = None,
) -> Outcome:
    """Move a departure the caller has locked to `to`, in the caller's transaction.

    Reopening is REFUSED once a closure cancelled or offered a move to any of its tourists.
    Answers APPLIED (written, with an audit row), ALREADY or REFUSED (nothing written).
    """
    current = departure.status
    outcome = judge(DEPARTURE_TRANSITIONS, current, to)
    if outcome is Outcome.APPLIED and to == DepartureStatus.SCHEDULED and guests_touched(departure):
        outcome = Outcome.REFUSED
    if outcome is Outcome.APPLIED:
        departure.status = to
        departure.cancelled_at = (now or utcnow()) if to == DepartureStatus.CANCELLED else None
        audit.record(departure, "status", actor=actor, from_state=current, to_state=to, note=note)
    return outcome


def guests_touched(departure: Departure) -> bool:
    """Whether a booking of this cancelled departure was offered a move or ended since."""
    offered = select(MoveOffer.id).where(MoveOffer.departure_id == departure.id).limit(1)
    if db.session.scalar(offered) is not None:
        return True
    ended = (
        select(Booking.id)
        .join(BookingItem, BookingItem.booking_id == Booking.id)
        .where(BookingItem.departure_id == departure.id, Booking.status == BookingStatus.CANCELLED)
    )
    if departure.cancelled_at is not None:  # cancelled by the tourist earlier: not the closure's
        ended = ended.where(Booking.cancelled_at >= departure.cancelled_at)
    return db.session.scalar(ended.limit(1)) is not None


def _cancel_departures(ids, actor, reason: str, now: datetime) -> list[int]:
    """Lock these departures as placing a booking does, re-read them and cancel those still
    scheduled (no commit); returns the ids cancelled now."""
    return [
        d.id
        for d in _locked_departures(ids)
        if transition_departure(d, DepartureStatus.CANCELLED, actor=actor, note=reason, now=now)
        is Outcome.APPLIED
    ]


def _locked_departures(ids) -> list[Departure]:
    """Lock these departures as placing a booking does and re-read them (no commit)."""
    begin_write()
    query = select(Departure).where(Departure.id.in_(list(ids)))
    return db.session.scalars(locks.locking_inventory(query)).all()


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
    touches = _touched(booking, departure_ids)
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
        booking,
        actor=actor,
        reason=reason,
        by_host=True,
        now=now,
        still=lambda locked: _touched(locked, departure_ids),
    )
    result.cancelled.append(booking.reference)


def _touched(booking, departure_ids) -> bool:
    """Whether the closure still concerns `booking` (locked by the caller): a closure lifted
    meanwhile reopened some departures, and their guests are left as they are."""
    if departure_ids is None:
        return True
    still = _still_cancelled(departure_ids)
    return any(i.departure_id in still for i in booking.items)


def _still_cancelled(ids) -> set[int]:
    """Those of `ids` still cancelled, their rows locked after the booking's (PostgreSQL), so a
    lift waits until this booking's cancel is committed and sees it (`guests_touched`)."""
    query = (
        select(Departure)
        .where(Departure.id.in_(list(ids) or [-1]), Departure.status == DepartureStatus.CANCELLED)
        .order_by(Departure.id)
        .execution_options(populate_existing=True)
    )
    if not is_sqlite():
        query = query.with_for_update(of=Departure)
    return {d.id for d in db.session.scalars(query).all()}


def cancel_departure(
    departure: Departure, actor: User, reason: str, now: datetime | None = None
) -> ClosureResult:
    """Cancel one departure and every booking on it; commits. A departure already cancelled
    changes nothing (`departures` is 0). Raises Forbidden, reason_required."""
    now = now or utcnow()
    _check(actor, departure.listing)
    reason = _reason(reason)
    try:
        cancelled = _cancel_departures([departure.id], actor, reason, now)
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
    _check(actor, listing)
    reason = _reason(reason)
    days = listings.date_range(first, last)
    result = ClosureResult(nights=len(days))
    departure_ids: set[int] | None = None
    try:
        if listing.kind == ListingKind.STAY:
            booking_ids = _block_stay(listing, actor, days, first, last, reason)
        else:
            in_range = _departure_ids(listing, first, last)
            departure_ids = set(_cancel_departures(in_range, actor, reason, now))
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


def _departure_ids(listing: Listing, first: date, last: date, since=None) -> list[int]:
    start = datetime.combine(first, time.min, tzinfo=BUSINESS_TZ)
    end = datetime.combine(last, time.max, tzinfo=BUSINESS_TZ)
    if since is not None:
        start = max(start, since)
    return db.session.scalars(
        select(Departure.id).where(
            Departure.listing_id == listing.id,
            Departure.starts_at >= start,
            Departure.starts_at <= end,
        )
    ).all()


def lift_closure(
    listing: Listing, actor: User, first: date, last: date, now: datetime | None = None
) -> LiftResult:
    """Reopen a listing closed by mistake from `first` to `last` (inclusive); commits.

    A tour's cancelled departures still to come reopen unless a closure already cancelled or
    offered a move to one of their tourists (those stay cancelled: `LiftResult.kept`); a stay's
    nights blocked by a closure are freed (its cancelled bookings stay cancelled).
    Raises Forbidden, invalid_range.
    """
    now = now or utcnow()
    _check(actor, listing)
    days = listings.date_range(first, last)
    result = LiftResult()
    if listing.kind == ListingKind.STAY:
        for room_type in listing.room_types:
            freed = listings.free_nights(room_type, actor, days, source=BlockSource.CLOSURE)
            result.nights = max(result.nights, freed)
        return result
    try:
        for departure in _locked_departures(_departure_ids(listing, first, last, since=now)):
            if departure.status != DepartureStatus.CANCELLED:
                continue
            outcome = transition_departure(
                departure, DepartureStatus.SCHEDULED, actor=actor, note="closure lifted", now=now
            )
            (result.reopened if outcome is Outcome.APPLIED else result.kept).append(departure)
        audit.record(
            listing,
            "closure_lifted",
            actor=actor,
            data={
                "first": first.isoformat(),
                "last": last.isoformat(),
                "reopened": [d.id for d in result.reopened],
                "kept": [d.id for d in result.kept],
            },
        )
        db.session.commit()
    except ServiceError:
        db.session.rollback()
        raise
    return result


def _block_stay(listing, actor, days, first, last, reason) -> list[int]:
    """Block the nights under the rooms' inventory lock (no commit); the bookings touching them."""
    room_type_ids = [rt.id for rt in listing.room_types]
    begin_write()
    locks.lock_inventory(room_type_ids=room_type_ids)
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
    if departure is None or not listings.may_manage(user, departure.listing):
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
