"""What a scan answers: its result code, the check-in it found or made, and what the scanner
shows of the booking (kept before the commit, so building the answer reads nothing again)."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ...models import Booking, Ticket
from ..payments import money_rules

OK = "ok"
ALREADY = "already_checked_in"
INVALID = "invalid"
UNPAID = "unpaid"
CANCELED = "canceled"
WRONG_DATE = "wrong_date"
WRONG_LISTING = "wrong_listing"
FORBIDDEN = "forbidden"
NO_SHOW = "no_show"
RESULTS = (OK, ALREADY, INVALID, UNPAID, CANCELED, WRONG_DATE, WRONG_LISTING, FORBIDDEN, NO_SHOW)


@dataclass(frozen=True)
class Facts:
    """What the scanner shows of a ticket's booking, kept before the commit expires the rows."""

    ticket_id: int
    reference: str
    contact_name: str
    admits: int
    status: str
    listing_id: int
    amount_due: int


@dataclass
class CheckinResult:
    result: str
    ticket: Ticket | None = None
    #: when this ticket was checked in (the accepted check-in), if it was
    checked_in_at: datetime | None = None
    checked_in_by: str | None = None
    #: offline sync: another device had admitted the same ticket
    conflict: bool = False
    #: offline sync: the very same scan was sent before
    duplicate: bool = False
    extra: dict = field(default_factory=dict)
    facts: Facts | None = None

    @property
    def booking(self) -> Booking | None:
        return self.ticket.item.booking if self.ticket is not None else None

    @property
    def message(self) -> str:
        return result_message(self.result)

    def remember(self) -> "CheckinResult":
        """Keep what the answer shows while the ticket and its booking are loaded."""
        if self.ticket is not None and self.facts is None:
            booking = self.booking
            self.facts = Facts(
                ticket_id=self.ticket.id,
                reference=booking.reference,
                contact_name=booking.contact_name,
                admits=self.ticket.admits,
                status=booking.status.value,
                listing_id=self.ticket.item.listing_id,
                amount_due=money_rules.due_at_arrival(booking),
            )
        return self

    def to_json(self) -> dict:
        facts = self.remember().facts
        stamp = self.checked_in_at.isoformat() if self.checked_in_at else None
        return {
            "result": self.result,
            "message": self.message,
            "booking": {
                "reference": facts.reference,
                "contact_name": facts.contact_name,
                "admits": facts.admits,
                "status": facts.status,
                "listing_id": facts.listing_id,
                "amount_due": facts.amount_due,
            }
            if facts is not None
            else None,
            "ticket_id": facts.ticket_id if facts is not None else None,
            "checked_in_at": stamp if self.result == OK else None,
            "first_checked_in_at": stamp,
            "checked_in_by": self.checked_in_by,
            "conflict": self.conflict,
            "duplicate": self.duplicate,
            **self.extra,
        }


#: translated when shown (`result_message`), so an answer translates one message, not all nine
MESSAGES = {
    OK: _l("Welcome! Checked in."),
    ALREADY: _l("Already checked in."),
    INVALID: _l("This code is not a valid ticket."),
    UNPAID: _l("This booking is not paid."),
    CANCELED: _l("This booking was cancelled."),
    WRONG_DATE: _l("This ticket is not valid today."),
    WRONG_LISTING: _l("This ticket is for another place or tour."),
    FORBIDDEN: _l("You may not check in guests of this community."),
    NO_SHOW: _l("This booking was marked as no-show. The host can undo it."),
}


def result_message(code: str) -> str:
    return str(MESSAGES[code])
