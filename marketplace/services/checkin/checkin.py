"""Check-in: every rule for admitting a ticket holder, in one place.

A scan is judged in this order: a forged, tampered or unknown code is `invalid`; a scanner who is
not staff of the ticket's community gets `forbidden`; then `wrong_listing`, `no_show`, `canceled`,
`already_checked_in`, `unpaid`, `wrong_date`, and finally `ok`. Every scan is logged (Scan).

Exactly one check-in per ticket is guaranteed by the database: CheckIn.ticket_id is UNIQUE. Two
scanners racing on the same ticket both try to insert; one commits, the other gets an
IntegrityError and answers `already_checked_in` with the winner's time and name. On SQLite the
write lock is taken before reading (BEGIN IMMEDIATE), so the loser simply waits and reads.

Offline scans arrive later through `sync_scans`; the earliest scan of a ticket wins, and a scan
that another device had already admitted is reported as a conflict to the host (audit log).
What the scanner downloads and the host prints (the guest manifest) is in `guest_manifest`.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..clock import business_today, utcnow
from ..database import begin_write
from ..extensions import db
from ..models import (
    Booking,
    BookingItem,
    BookingStatus,
    CheckIn,
    Scan,
    Ticket,
    TicketStatus,
    User,
)
from . import (
    audit,
    booking_access,
    booking_lifecycle,
    bookings,
    host_payments,
    money_rules,
    ticket_tokens,
    tickets,
)
from .errors import Conflict, NotFound, ServiceError
from .locks import locked_booking, locked_booking_of_ticket
from .references import is_reference, normalize_reference

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

SCANNER_ROLES = booking_access.SCANNER_ROLES
MAX_SYNC_SCANS = 500


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

    @property
    def booking(self) -> Booking | None:
        return self.ticket.item.booking if self.ticket is not None else None

    @property
    def message(self) -> str:
        return result_message(self.result)

    def to_json(self) -> dict:
        booking = self.booking
        item = self.ticket.item if self.ticket is not None else None
        stamp = self.checked_in_at.isoformat() if self.checked_in_at else None
        return {
            "result": self.result,
            "message": self.message,
            "booking": {
                "reference": booking.reference,
                "contact_name": booking.contact_name,
                "admits": self.ticket.admits,
                "status": booking.status.value,
                "listing_id": item.listing_id,
                "amount_due": amount_due(booking),
            }
            if booking is not None
            else None,
            "ticket_id": self.ticket.id if self.ticket is not None else None,
            "checked_in_at": stamp if self.result == OK else None,
            "first_checked_in_at": stamp,
            "checked_in_by": self.checked_in_by,
            "conflict": self.conflict,
            "duplicate": self.duplicate,
            **self.extra,
        }


def result_message(code: str) -> str:
    return {
        OK: _("Welcome! Checked in."),
        ALREADY: _("Already checked in."),
        INVALID: _("This code is not a valid ticket."),
        UNPAID: _("This booking is not paid."),
        CANCELED: _("This booking was cancelled."),
        WRONG_DATE: _("This ticket is not valid today."),
        WRONG_LISTING: _("This ticket is for another place or tour."),
        FORBIDDEN: _("You may not check in guests of this community."),
        NO_SHOW: _("This booking was marked as no-show. The host can undo it."),
    }[code]


def amount_due(booking: Booking) -> int:
    """VND still to collect at arrival (pay-at-arrival bookings), else 0."""
    return money_rules.due_at_arrival(booking)


def collect_cash(reference: str, actor: User, amount, *, now: datetime | None = None) -> int:
    """Cash taken at the door for a pay-at-arrival booking: record it (commits); returns what is
    still to collect.

    Raises NotFound, Forbidden (not a host of the booking nor the cooperative), Conflict
    `already_paid`, ServiceError `invalid_amount` (field amount).
    """

    booking = bookings.get_by_reference(normalize_reference(reference or ""))
    if amount_due(booking) <= 0:
        raise Conflict(_("There is nothing to collect for this booking."), "already_paid")
    host_payments.record_cash(booking, actor, amount, now=now)
    return amount_due(booking)


def may_scan(user: User | None) -> bool:
    """May use the scanner at all (`booking_access.can_scan`)."""
    return booking_access.can_scan(user)


def perform_checkin(
    secret: str,
    scanner: User,
    listing_id: int | None = None,
    scanned_at: datetime | None = None,
    device_id: str = "",
    now: datetime | None = None,
) -> CheckinResult:
    """Judge one scan, check the ticket in when it is `ok`, log the scan, commit.

    `secret` is the QR text, or a booking reference typed by hand. `scanned_at` is when an
    offline device scanned (default: now). Never raises for a bad code: the result says why.
    """
    now = now or utcnow()
    offline = scanned_at is not None
    scanned_at = scanned_at or now
    device_id = (device_id or "")[:64]
    begin_write()
    ticket = _find_ticket((secret or "").strip(), scanner, listing_id)
    if isinstance(ticket, CheckinResult):
        outcome = ticket
    else:
        outcome = _judge(ticket, scanner, listing_id, scanned_at)
    if outcome.result == OK:
        outcome = _admit(outcome.ticket, scanner, scanned_at, device_id, now)
    elif outcome.result == ALREADY and offline:
        outcome = _reconcile(outcome.ticket, scanner, scanned_at, device_id, now)
    elif outcome.result in (CANCELED, NO_SHOW) and offline:
        # the phone had no news of the cancel (or the no-show) and let the guest in: the host
        # must hear of it; a guest marked no-show who came after all may be owed an undo
        audit.record(
            outcome.ticket,
            "admitted_while_cancelled" if outcome.result == CANCELED else "admitted_after_no_show",
            actor=scanner,
            data={"scanned_at": scanned_at.isoformat(), "device": device_id},
        )
    _log(outcome, scanner, scanned_at, device_id, offline)
    db.session.commit()
    return outcome


def _find_ticket(text: str, scanner: User, listing_id: int | None):
    """The ticket a scan names, or an `invalid`/`unpaid` result."""
    if is_reference(text):
        return _find_by_reference(normalize_reference(text), scanner, listing_id)
    try:
        claims = ticket_tokens.verify_ticket(text, tickets.verifying_key())
    except ticket_tokens.InvalidTicketToken:
        return CheckinResult(INVALID)
    # lock first, then read: a cancel a moment ago has voided this ticket
    try:
        booking = locked_booking_of_ticket(claims.ticket_id)
    except NotFound:
        return CheckinResult(INVALID)
    ticket = db.session.get(
        Ticket, claims.ticket_id, options=[joinedload(Ticket.item).joinedload(BookingItem.booking)]
    )
    if ticket is None or ticket.secret != text or ticket.item.booking is not booking:
        return CheckinResult(INVALID)
    return ticket


def _find_by_reference(reference: str, scanner: User, listing_id: int | None):
    booking_id = db.session.scalar(select(Booking.id).where(Booking.reference == reference))
    if booking_id is None:
        return CheckinResult(INVALID)
    booking = locked_booking(booking_id)
    items = [i for i in booking.items if listing_id is None or i.listing_id == listing_id]
    if not items:
        items = booking.items
    with_ticket = [i for i in items if i.ticket is not None]
    if not with_ticket:
        if not any(booking_access.can_scan(scanner, i.listing.community_id) for i in items):
            return CheckinResult(FORBIDDEN)
        if booking.status == BookingStatus.CANCELLED:
            return CheckinResult(CANCELED)
        return CheckinResult(UNPAID, extra=_booking_only(booking))
    # the first ticket not yet checked in, else the first one
    open_items = [i for i in with_ticket if i.ticket.checkin is None]
    return (open_items or with_ticket)[0].ticket


def _booking_only(booking: Booking) -> dict:
    return {"booking_reference": booking.reference}


def _judge(ticket: Ticket, scanner: User, listing_id: int | None, scanned_at) -> CheckinResult:
    item: BookingItem = ticket.item
    booking = item.booking
    if not booking_access.can_scan(scanner, item.listing.community_id):
        return CheckinResult(FORBIDDEN)
    if listing_id is not None and item.listing_id != listing_id:
        return CheckinResult(WRONG_LISTING, ticket)
    if booking.status == BookingStatus.NO_SHOW:
        return CheckinResult(NO_SHOW, ticket)
    if ticket.status == TicketStatus.VOID or booking.status == BookingStatus.CANCELLED:
        return CheckinResult(CANCELED, ticket)
    if ticket.checkin is not None:
        return _already(ticket)
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN):
        return CheckinResult(UNPAID, ticket)
    if not ticket.valid_from <= business_today(scanned_at) <= ticket.valid_until:
        return CheckinResult(WRONG_DATE, ticket)
    return CheckinResult(OK, ticket)


def _already(ticket: Ticket, **flags) -> CheckinResult:
    checkin = ticket.checkin
    by = checkin.by_user.name if checkin.by_user is not None else None
    return CheckinResult(
        ALREADY, ticket, checked_in_at=checkin.checked_in_at, checked_in_by=by, **flags
    )


def _admit(ticket: Ticket, scanner: User, scanned_at, device_id: str, now) -> CheckinResult:
    """Insert the one CheckIn row; the loser of a race reads the winner's."""
    ticket_id = ticket.id
    try:
        with db.session.begin_nested():
            db.session.add(
                CheckIn(
                    ticket_id=ticket_id,
                    checked_in_at=scanned_at,
                    recorded_at=now,
                    by_user_id=scanner.id,
                    device_id=device_id,
                )
            )
            db.session.flush()
    except IntegrityError:
        db.session.expire_all()
        ticket = db.session.get(Ticket, ticket_id)
        return _already(ticket)
    db.session.expire(ticket, ["checkin"])
    booking = ticket.item.booking
    if booking.status == BookingStatus.CONFIRMED:  # a second ticket of a booking checked in
        booking_lifecycle.transition(booking, BookingStatus.CHECKED_IN, actor=scanner, now=now)
    return CheckinResult(OK, ticket, checked_in_at=scanned_at, checked_in_by=scanner.name)


def _reconcile(ticket: Ticket, scanner: User, scanned_at, device_id: str, now) -> CheckinResult:
    """An offline scan of a ticket already checked in: the same scan again, or a conflict.

    The earliest scan wins: an offline scan earlier than the recorded check-in takes its place.
    """
    checkin = ticket.checkin
    if checkin.device_id == device_id and checkin.checked_in_at == scanned_at:
        return CheckinResult(
            OK, ticket, checked_in_at=scanned_at, checked_in_by=scanner.name, duplicate=True
        )
    if device_id and checkin.device_id == device_id:
        return _already(ticket)  # this device scanned it twice: no conflict between devices
    audit.record(
        ticket,
        "checkin_conflict",
        actor=scanner,
        data={
            "recorded_at": checkin.checked_in_at.isoformat(),
            "recorded_device": checkin.device_id,
            "scanned_at": scanned_at.isoformat(),
            "device": device_id,
        },
    )
    if scanned_at < checkin.checked_in_at:
        checkin.checked_in_at = scanned_at
        checkin.by_user_id = scanner.id
        checkin.device_id = device_id
        checkin.recorded_at = now
        db.session.flush()
        db.session.expire(checkin, ["by_user"])
        return CheckinResult(
            OK, ticket, checked_in_at=scanned_at, checked_in_by=scanner.name, conflict=True
        )
    return _already(ticket, conflict=True)


def _log(outcome: CheckinResult, scanner: User, scanned_at, device_id: str, offline: bool):
    db.session.add(
        Scan(
            ticket_id=outcome.ticket.id if outcome.ticket is not None else None,
            result=outcome.result,
            scanned_at=scanned_at,
            by_user_id=scanner.id,
            device_id=device_id,
            offline=offline,
        )
    )


def sync_scans(scans: list[dict], scanner: User, now: datetime | None = None) -> list:
    """Record scans made offline, earliest first; returns one result per scan, in the given order.

    Each scan is {"secret", "scanned_at" (aware datetime), "device_id", "listing_id"?}. A scan
    dated in the future is taken as made now.
    """
    now = now or utcnow()
    order = sorted(range(len(scans)), key=lambda i: scans[i]["scanned_at"])
    results: list = [None] * len(scans)
    for index in order:
        scan = scans[index]
        results[index] = perform_checkin(
            scan["secret"],
            scanner,
            listing_id=scan.get("listing_id"),
            scanned_at=min(scan["scanned_at"], now),
            device_id=scan.get("device_id", ""),
            now=now,
        )
    return results


__all__ = ["RESULTS", "CheckinResult", "ServiceError", "perform_checkin", "sync_scans"]
