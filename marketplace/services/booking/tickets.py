"""Tickets: issued when a booking is confirmed, voided when it is cancelled.

A ticket's `secret` is an Ed25519-signed token (services/booking/ticket_tokens.py) that carries what a
scanner needs to judge it with no network: the ticket id, the first and last valid day and how many
people it admits. The private key comes from TICKET_SIGNING_KEY (a development key is generated
under the instance folder); the public key is published with every check-in manifest.
"""

import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import Booking, BookingItem, Ticket, TicketStatus
from ...models.states import Outcome, judge
from ...models.ticket import TICKET_TRANSITIONS
from ..shared import audit
from . import ticket_tokens

_KEY_CACHE = "marketplace.ticket_key"


def signing_key():
    """The app's Ed25519 private key, loaded once per app."""
    cache = current_app.extensions.setdefault(_KEY_CACHE, {})
    if "private" not in cache:
        cache["private"] = ticket_tokens.load_private_key(
            current_app.config.get("TICKET_SIGNING_KEY"), current_app.instance_path
        )
    return cache["private"]


def verifying_key():
    """The public half of `signing_key()`."""
    cache = current_app.extensions.setdefault(_KEY_CACHE, {})
    if "public" not in cache:
        cache["public"] = signing_key().public_key()
    return cache["public"]


def public_key() -> str:
    """The public key as base64url (32 raw bytes), as scanners download it."""
    return ticket_tokens.public_key_b64(signing_key())


def validity(item: BookingItem) -> tuple:
    """(first, last) business day a ticket for `item` admits: a stay's check-in day to its last
    night, a tour's departure day."""
    if item.is_stay:
        return item.check_in, max(item.check_in, item.check_out - timedelta(days=1))
    return item.check_in, item.check_in


def issue_for_booking(booking: Booking, *, now: datetime | None = None) -> list[Ticket]:
    """Create one ticket per booking item that has none (in the caller's transaction).

    Idempotent: items that already hold a ticket keep it.
    """
    issued = []
    for item in booking.items:
        if item.ticket is not None:
            continue
        first, last = validity(item)
        # the token signs the ticket id, so the row needs its id before the secret is known
        ticket = Ticket(
            item=item,
            admits=item.guests,
            valid_from=first,
            valid_until=last,
            secret=f"pending-{uuid.uuid4().hex}",
        )
        if now is not None:
            ticket.issued_at = now
        db.session.add(ticket)
        db.session.flush()
        ticket.secret = sign(ticket)
        issued.append(ticket)
    db.session.flush()
    for ticket in issued:
        audit.record(ticket, "issued", to_state=ticket.status, data={"booking": booking.reference})
    return issued


def reissue_for_item(item: BookingItem, *, now: datetime | None = None) -> Ticket:
    """Give `item` a ticket for its new dates (a move to another departure), in the caller's
    transaction: the same row with new validity and a new secret, so the old QR code no longer
    opens the ticket page or passes the online scan."""
    ticket = item.ticket
    if ticket is None:
        return issue_for_booking(item.booking, now=now)[0]
    ticket.valid_from, ticket.valid_until = validity(item)
    ticket.admits = item.guests
    if now is not None:
        ticket.issued_at = now
    ticket.secret = sign(ticket)
    # valid again (applied) or still valid (already): either way the new dates and secret stand
    move_ticket(
        ticket,
        TicketStatus.VALID,
        action="reissued",
        data={"booking": item.booking.reference, "valid_from": ticket.valid_from.isoformat()},
        always_audit=True,
    )
    return ticket


def sign(ticket: Ticket) -> str:
    claims = ticket_tokens.TicketClaims(
        ticket_id=ticket.id,
        valid_from=ticket.valid_from,
        valid_until=ticket.valid_until,
        admits=ticket.admits,
    )
    return ticket_tokens.sign_ticket(claims, signing_key())


def move_ticket(
    ticket: Ticket,
    to: TicketStatus,
    *,
    actor=None,
    action: str = "status",
    data: dict | None = None,
    always_audit: bool = False,
) -> Outcome:
    """The one way a ticket's status changes (caller's transaction), judged by
    TICKET_TRANSITIONS: APPLIED moves it and writes an audit row; ALREADY and REFUSED change
    nothing (an audit row only with `always_audit`, for a reissue that changed the secret)."""
    current = ticket.status
    outcome = judge(TICKET_TRANSITIONS, current, to)
    if outcome == Outcome.APPLIED:
        ticket.status = to
    if outcome == Outcome.APPLIED or always_audit:
        audit.record(ticket, action, actor=actor, from_state=current, to_state=to, data=data)
    return outcome


def void_for_booking(booking: Booking, *, actor=None) -> list[Ticket]:
    """Void the booking's tickets (in the caller's transaction); returns those voided now."""
    voided = []
    for ticket in tickets_of(booking):
        if move_ticket(ticket, TicketStatus.VOID, actor=actor, action="voided") == Outcome.APPLIED:
            voided.append(ticket)
    return voided


def tickets_of(booking: Booking) -> list[Ticket]:
    return [item.ticket for item in booking.items if item.ticket is not None]


def get_by_secret(secret: str) -> Ticket | None:
    if not secret or len(secret) > 200:
        return None
    return db.session.scalar(select(Ticket).where(Ticket.secret == secret))


def ticket_json(ticket: Ticket) -> dict:
    """The ticket as the API shows it inside a booking."""
    return {
        "id": ticket.id,
        "secret": ticket.secret,
        "admits": ticket.admits,
        "status": ticket.status.value,
        "valid_from": ticket.valid_from.isoformat(),
        "valid_until": ticket.valid_until.isoformat(),
        "qr_svg_url": f"/t/{ticket.secret}/qr.svg",
    }
