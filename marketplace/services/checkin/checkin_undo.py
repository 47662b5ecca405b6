"""Undoing a check-in: a host scanned the wrong guest, or a guide tapped the wrong row.

A ticket is either expected or checked in (it has its one CheckIn row). Undoing moves it back to
expected under the booking's lock, through the table below, and writes an audit row with who
had checked it in and when; the scan log keeps every scan as it was. A void ticket, or a booking
that is cancelled, completed or a no-show, cannot be undone (REFUSED): those are settled.

The booking's own status stays where it is (CHECKED_IN has no move back in its table); a later
scan of the ticket checks it in again as usual.
"""

import enum
from datetime import datetime

from flask_babel import gettext as _

from ...clock import utcnow
from ...extensions import db
from ...models import BookingStatus, Ticket, TicketStatus, User
from ...models.states import Outcome, judge
from ..booking import booking_access
from ..shared import audit
from ..shared.errors import Forbidden, NotFound
from ..shared.locks import locked_booking_of_ticket


class ArrivalState(enum.StrEnum):
    EXPECTED = "expected"
    CHECKED_IN = "checked_in"


#: a ticket's arrival moves both ways: a scan checks it in, a host may undo that
ARRIVAL_TRANSITIONS = {
    ArrivalState.EXPECTED: frozenset({ArrivalState.CHECKED_IN}),
    ArrivalState.CHECKED_IN: frozenset({ArrivalState.EXPECTED}),
}
#: bookings whose arrivals are still open to correction
UNDOABLE_BOOKINGS = frozenset({BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN})


def arrival_state(ticket: Ticket) -> ArrivalState:
    return ArrivalState.CHECKED_IN if ticket.checkin is not None else ArrivalState.EXPECTED


def may_undo(user: User | None, booking) -> bool:
    """Hosts of the booking's listings, the cooperative and admins; not guides."""
    return booking_access.can_manage(user, booking)


def undo_checkin(
    ticket_id: int, actor: User, *, reason: str = "", now: datetime | None = None
) -> Outcome:
    """Move ticket `ticket_id` back to expected and commit.

    APPLIED: the check-in is gone (audited as `checkin_undone`); ALREADY: it was not checked in
    (nothing written); REFUSED: the ticket is void or the booking settled (nothing written).
    Raises NotFound (unknown ticket), Forbidden (`forbidden`: not a host of the booking).
    """
    now = now or utcnow()
    try:
        booking = locked_booking_of_ticket(ticket_id)
    except NotFound:
        db.session.rollback()
        raise NotFound(_("No such ticket."), "not_found", "ticket_id") from None
    if not may_undo(actor, booking):
        db.session.rollback()
        raise Forbidden(_("Only a host of this booking may undo a check-in."), "forbidden")
    ticket = db.session.get(Ticket, ticket_id)
    current = arrival_state(ticket)
    outcome = judge(ARRIVAL_TRANSITIONS, current, ArrivalState.EXPECTED)
    settled = ticket.status == TicketStatus.VOID or booking.status not in UNDOABLE_BOOKINGS
    if outcome is Outcome.APPLIED and settled:
        outcome = Outcome.REFUSED
    if outcome is not Outcome.APPLIED:
        db.session.rollback()
        return outcome
    checkin = ticket.checkin
    audit.record(
        ticket,
        "checkin_undone",
        actor=actor,
        from_state=current,
        to_state=ArrivalState.EXPECTED,
        data={
            "checked_in_at": checkin.checked_in_at.isoformat(),
            "checked_in_by": checkin.by_user_id,
            "device": checkin.device_id,
            "undone_at": now.isoformat(),
        },
        note=(reason or "").strip()[:500],
    )
    db.session.delete(checkin)
    db.session.commit()
    return outcome


def refused_message() -> str:
    return _("This check-in cannot be undone: the ticket is void or the booking is settled.")


__all__ = ["ARRIVAL_TRANSITIONS", "ArrivalState", "may_undo", "refused_message", "undo_checkin"]
