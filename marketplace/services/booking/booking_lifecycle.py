"""A booking's status: the one function that moves it, and confirming one.

Every change here works on a booking locked by `locks.locked_booking` (see that module): lock,
re-read, decide through BOOKING_TRANSITIONS, write, commit. `transition` answers with a named
outcome and writes nothing when it refuses; confirming a lapsed hold takes its inventory again
under the same inventory locks as placing a booking (`bookings`).
"""

from datetime import datetime

from flask_babel import gettext as _

from ...clock import utcnow
from ...extensions import db
from ...models import BOOKING_TRANSITIONS, FOREVER, Booking, BookingStatus, TicketStatus
from ...models.states import Outcome, judge
from ..shared import audit, locks, outbox
from ..shared.errors import Conflict, ServiceError
from . import booking_events, bookings, tickets
from .booking_requests import StayRequest, TourRequest


def _set_claims(booking: Booking, until: datetime) -> None:
    for item in booking.items:
        item.claimed_until = until
        for night in item.nights:
            night.claimed_until = until


def transition(
    booking: Booking,
    to: BookingStatus,
    *,
    actor=None,
    reason: str = "",
    now: datetime | None = None,
) -> Outcome:
    """Move a locked `booking` to `to` within the caller's transaction.

    Answers APPLIED, ALREADY (a logged no-op) or REFUSED (nothing written: the table forbids it).
    Raises Conflict `sold_out` when confirming a lapsed hold whose inventory has gone.
    """
    now = now or utcnow()
    current = booking.status
    outcome = judge(BOOKING_TRANSITIONS, current, to)
    if outcome is Outcome.ALREADY:
        audit.record(booking, "repeat_ignored", actor=actor, from_state=current, to_state=to)
    if outcome is not Outcome.APPLIED:
        return outcome
    if to == BookingStatus.CONFIRMED and current == BookingStatus.NO_SHOW:
        # an undone no-show kept its claims and its confirmation: only its tickets admit again
        for ticket in tickets.tickets_of(booking):
            tickets.move_ticket(ticket, TicketStatus.VALID, actor=actor, action="restored")
    elif to == BookingStatus.CONFIRMED:
        if current == BookingStatus.EXPIRED or not booking.is_holding(now):
            _reclaim(booking, now)
        _set_claims(booking, FOREVER)
        booking.confirmed_at = now
        tickets.issue_for_booking(booking, now=now)
    elif to == BookingStatus.CANCELLED:
        _set_claims(booking, now)
        booking.cancelled_at = now
        booking.cancel_reason = reason
        booking.cancelled_by_id = getattr(actor, "id", None)
        tickets.void_for_booking(booking)
    elif to == BookingStatus.EXPIRED:
        _set_claims(booking, min(booking.hold_expires_at or now, now))
        tickets.void_for_booking(booking)
    elif to == BookingStatus.NO_SHOW:
        tickets.void_for_booking(booking)
    booking.status = to
    audit.record(booking, "status", actor=actor, from_state=current, to_state=to, note=reason)
    return outcome


def refused(booking: Booking, to: BookingStatus) -> Conflict:
    """The error a caller raises when a move it must make was REFUSED."""
    return Conflict(
        _(
            "A booking that is %(state)s cannot become %(to)s.",
            state=booking.status.value,
            to=to.value,
        ),
        "illegal_transition",
    )


def _reclaim(booking: Booking, now: datetime) -> None:
    """Take the inventory again for a hold that lapsed (a late payment). Raises sold_out."""
    room_types = {i.room_type.id: i.room_type for i in booking.items if i.room_type_id}
    departures = {i.departure.id: i.departure for i in booking.items if i.departure_id}
    locks.lock_inventory(sorted(room_types), sorted(departures))
    _set_claims(booking, now)  # our own lapsed claims must not count against us
    db.session.flush()
    requests = [
        StayRequest(i.room_type_id, i.check_in, i.check_out, i.quantity, i.guests)
        if i.room_type_id
        else TourRequest(i.departure_id, i.quantity)
        for i in booking.items
    ]
    bookings.check_capacity(requests, room_types, departures, now)


def confirm(booking: Booking, *, actor=None, now: datetime | None = None) -> Outcome:
    """Confirm (accepted for pay at arrival, or by staff) and commit; a repeat answers ALREADY.

    Raises Conflict `sold_out` when a lapsed hold's inventory has gone, `illegal_transition`.
    """
    booking = locks.lock(booking)
    try:
        outcome = transition(booking, BookingStatus.CONFIRMED, actor=actor, now=now)
    except ServiceError:
        db.session.rollback()
        raise
    if outcome is Outcome.REFUSED:
        error = refused(booking, BookingStatus.CONFIRMED)
        db.session.rollback()
        raise error
    if outcome is Outcome.APPLIED:
        booking_events.announce(booking, "confirmed")
    db.session.commit()
    outbox.kick()
    return outcome
