"""Check-in: every rule for admitting a ticket holder, in one place.

A scan is judged in this order: a forged, tampered or unknown code is `invalid`; a scanner who is
not staff of the ticket's community gets `forbidden`; then `wrong_listing`, `no_show`, `canceled`,
`already_checked_in`, `unpaid`, `wrong_date`, and finally `ok`. Every scan is logged (Scan).

A scan is judged on one read of the ticket, its booking, item, listing and check-in (with the
scanner's right to its community). Only a scan that would write to the booking (an admission; an
offline scan that reconciles or must be reported) then locks the booking, re-reads the ticket and
judges again: two phones admitting one ticket run one after the other, and the second answers
`already_checked_in`; a booking cancelled a moment ago is never admitted. A repeat scan (the
ticket already checked in) writes only its scan log, so it never waits for the booking's lock.
CheckIn.ticket_id is UNIQUE as well: a writer that skipped the lock could not admit twice.

Offline scans arrive later through `sync_scans`; the earliest scan of a ticket wins, and a scan
that another device had already admitted is reported as a conflict to the host (audit log).
What the scanner downloads and the host prints (the guest manifest) is in `guest_manifest`.
"""

from datetime import datetime
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from ...clock import business_today, utcnow
from ...database import begin_write, insert_rows
from ...extensions import db
from ...models import (
    Booking,
    BookingItem,
    BookingStatus,
    CheckIn,
    Listing,
    Scan,
    Ticket,
    TicketStatus,
    User,
)
from ..booking import booking_access, booking_lifecycle, bookings, ticket_tokens, tickets
from ..payments import host_payments, money_rules
from ..shared import audit
from ..shared.errors import Conflict, ServiceError
from ..shared.locks import lock_booking_of_unadmitted_ticket, locked_booking
from ..shared.references import is_reference, normalize_reference
from .checkin_result import (
    ALREADY,
    CANCELED,
    FORBIDDEN,
    INVALID,
    NO_SHOW,
    OK,
    RESULTS,
    UNPAID,
    WRONG_DATE,
    WRONG_LISTING,
    CheckinResult,
    result_message,
)

SCANNER_ROLES = booking_access.SCANNER_ROLES
MAX_SYNC_SCANS = 500


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
    try:
        outcome = _decide_and_write(
            secret, scanner, listing_id, scanned_at, device_id, offline, now
        )
    except IntegrityError:
        # only a writer that skipped the booking's lock gets here, and the UNIQUE check-in
        # refused its second admission: judge again on what was committed
        db.session.rollback()
        begin_write()
        outcome = _decide_and_write(
            secret, scanner, listing_id, scanned_at, device_id, offline, now
        )
    outcome.remember()
    db.session.commit()
    return outcome


def _decide_and_write(secret, scanner: User, listing_id, scanned_at, device_id, offline, now):
    """Judge the scan (under the booking's lock when it writes to the booking), act, log it."""
    text = (secret or "").strip()
    found = _find_ticket(text, scanner, listing_id)
    if isinstance(found, CheckinResult):
        outcome = found
    else:
        ticket_id, locked = found
        if not locked and not offline:
            # a first scan is the common case: lock before the one full read it then needs
            locked = lock_booking_of_unadmitted_ticket(ticket_id, text)
        outcome = _judge(*_load(ticket_id, scanner, text), listing_id, scanned_at)
        if not locked and _writes(outcome, offline):
            locked_booking(outcome.ticket.item.booking_id)  # lock, then re-read and judge again
            outcome = _judge(*_load(ticket_id, scanner, text), listing_id, scanned_at)
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
    db.session.flush()  # here, so that a refused insert is caught by the caller
    return outcome


def _writes(outcome: CheckinResult, offline: bool) -> bool:
    """Whether acting on this judgement writes to the booking (and so needs its lock)."""
    return outcome.result == OK or (offline and outcome.result in (ALREADY, CANCELED, NO_SHOW))


def _find_ticket(text: str, scanner: User, listing_id: int | None):
    """(ticket id, whether its booking is locked already) a scan names, or an `invalid`/`unpaid`
    result."""
    if is_reference(text):
        return _find_by_reference(normalize_reference(text), scanner, listing_id)
    try:
        claims = ticket_tokens.verify_ticket(text, tickets.verifying_key())
    except ticket_tokens.InvalidTicketToken:
        return CheckinResult(INVALID)
    return claims.ticket_id, False


def _load(ticket_id: int, scanner: User, text: str) -> tuple[Ticket | None, bool]:
    """The ticket with its item, booking (and its payments, for what is due at the door),
    listing and check-in (and who made it), as committed now, and whether `scanner` may check in
    guests of its community: one query. None when the scanned token is not the ticket's current
    secret (a reference typed by hand names it)."""
    query = _load_query(booking_access.scan_shape(scanner))
    params = {"ticket_id": ticket_id, "scanner_id": getattr(scanner, "id", None)}
    rows = db.session.execute(query, params).unique().all()
    row = rows[0] if rows else None
    if row is None or (not is_reference(text) and row[0].secret != text):
        return None, False
    return row[0], bool(row[1])


@cache
def _load_query(scan_shape: str):
    """`_load`'s statement for scanners of one `scan_shape`, built once (every scan runs it)."""
    allowed = booking_access.scan_clause(
        scan_shape, Listing.community_id, bindparam("scanner_id")
    ).label("allowed")
    return (
        select(Ticket, allowed)
        .join(Ticket.item)
        .join(BookingItem.booking)
        .join(BookingItem.listing)
        .outerjoin(Booking.payments)
        .outerjoin(Ticket.checkin)
        .outerjoin(CheckIn.by_user)
        .where(Ticket.id == bindparam("ticket_id"))
        .options(
            contains_eager(Ticket.item)
            .contains_eager(BookingItem.booking)
            .contains_eager(Booking.payments),
            contains_eager(Ticket.checkin).contains_eager(CheckIn.by_user).load_only(User.name),
        )
        .execution_options(populate_existing=True)
    )


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
    return (open_items or with_ticket)[0].ticket.id, True


def _booking_only(booking: Booking) -> dict:
    return {"booking_reference": booking.reference}


def _judge(
    ticket: Ticket | None, allowed: bool, listing_id: int | None, scanned_at
) -> CheckinResult:
    """`allowed`: the scanner may check in guests of the ticket's community."""
    if ticket is None:
        return CheckinResult(INVALID)
    item: BookingItem = ticket.item
    booking = item.booking
    if not allowed:
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
    """Insert the one CheckIn row (the booking is locked: no other phone is admitting it)."""
    (checkin,) = insert_rows(
        CheckIn,
        [
            {
                "ticket_id": ticket.id,
                "checked_in_at": scanned_at,
                "recorded_at": now,
                "by_user_id": scanner.id,
                "device_id": device_id,
            }
        ],
        loaded=True,
    )
    set_committed_value(ticket, "checkin", checkin)
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
    row = {
        "ticket_id": outcome.ticket.id if outcome.ticket is not None else None,
        "result": outcome.result,
        "scanned_at": scanned_at,
        "by_user_id": scanner.id,
        "device_id": device_id,
        "offline": offline,
    }
    insert_rows(Scan, [row])


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


__all__ = [
    "ALREADY",
    "CANCELED",
    "NO_SHOW",
    "OK",
    "RESULTS",
    "CheckinResult",
    "ServiceError",
    "perform_checkin",
    "result_message",
    "sync_scans",
]
