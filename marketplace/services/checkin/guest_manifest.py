"""Who is expected at the door on a day: the scanner's offline manifest and the host's guest list.

Kept apart from judging and recording scans (`checkin`): these are reads that show the tickets a
scanner downloads (valid on a day, void ones too) and the lists a host prints; they use the same
access rules (`booking_access`) and the same amount still to collect (`checkin.amount_due`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ...clock import BUSINESS_TZ
from ...extensions import db
from ...i18n import localized
from ...models import (
    Booking,
    BookingItem,
    BookingStatus,
    Departure,
    DepartureStatus,
    Listing,
    Role,
    Ticket,
    User,
)
from ..booking import booking_access, tickets
from ..shared.errors import Forbidden, NotFound
from ..shared.references import scanner_rule
from .checkin import FORBIDDEN, amount_due, result_message


def scannable_listings(scanner: User, day: date) -> list[Listing]:
    """Listings the scanner may check guests in for, those with tickets on `day` first."""
    query = select(Listing)
    if scanner.role != Role.ADMIN:
        query = query.where(Listing.community_id.in_(scanner.community_ids or {-1}))
    else:
        busy = (
            select(BookingItem.listing_id)
            .join(Ticket, Ticket.booking_item_id == BookingItem.id)
            .where(Ticket.valid_from <= day, Ticket.valid_until >= day)
        )
        query = query.where(Listing.id.in_(busy))
    listings = db.session.scalars(query.order_by(Listing.id)).all()
    if scanner.role == Role.HOST:
        own = [listing for listing in listings if listing.host_id == scanner.id]
        listings = own + [listing for listing in listings if listing.host_id != scanner.id]
    return listings


def opening_listing(scanner: User, day: date, listings: list[Listing]) -> int | None:
    """The listing the scanner opens on: the guide's own departure that day, else the first of
    `listings` with arrivals that day, else the first of them."""
    if not listings:
        return None
    ids = [listing.id for listing in listings]
    start = datetime.combine(day, time(0), tzinfo=BUSINESS_TZ)
    own = db.session.scalar(
        select(Departure.listing_id)
        .where(
            Departure.guide_id == scanner.id,
            Departure.listing_id.in_(ids),
            Departure.status == DepartureStatus.SCHEDULED,
            Departure.starts_at >= start,
            Departure.starts_at < start + timedelta(days=1),
        )
        .order_by(Departure.starts_at)
        .limit(1)
    )
    if own is not None:
        return own
    busy = set(
        db.session.scalars(
            select(BookingItem.listing_id)
            .join(Ticket, Ticket.booking_item_id == BookingItem.id)
            .where(
                BookingItem.listing_id.in_(ids),
                Ticket.valid_from <= day,
                Ticket.valid_until >= day,
            )
        )
    )
    return next((i for i in ids if i in busy), ids[0])


def manifest(scanner: User, listing_id: int | None, day: date) -> dict:
    """The tickets valid on `day` for a listing (or every listing the scanner may scan).

    Raises NotFound for an unknown listing, Forbidden outside the scanner's communities.
    """
    if listing_id is not None:
        listing = db.session.get(Listing, listing_id)
        if listing is None:
            raise NotFound(_("No such listing."), "not_found", "listing_id")
        if not booking_access.can_scan(scanner, listing.community_id):
            raise Forbidden(result_message(FORBIDDEN), FORBIDDEN, "listing_id")
        listing_ids = [listing.id]
    else:
        listing_ids = [listing.id for listing in scannable_listings(scanner, day)]
    rows = tickets_on(listing_ids, day)
    return {
        "date": day.isoformat(),
        "listing_id": listing_id,
        "public_key": tickets.public_key(),
        #: the booking reference format, so the scanner recognises a typed reference offline
        "reference": scanner_rule(),
        "tickets": [_manifest_row(ticket) for ticket in rows],
    }


def _manifest_row(ticket: Ticket) -> dict:
    item = ticket.item
    booking = item.booking
    checkin = ticket.checkin
    return {
        "id": ticket.id,
        "booking_reference": booking.reference,
        "contact_name": booking.contact_name,
        #: for the scanner's search by name (offline)
        "guest_names": [guest.full_name for guest in booking.guests],
        "admits": ticket.admits,
        "status": ticket.status.value,
        "checked_in_at": checkin.checked_in_at.isoformat() if checkin else None,
        "checked_in_by": checkin.by_user.name if checkin and checkin.by_user else None,
        "booking_status": booking.status.value,
        "listing_id": item.listing_id,
        "departure_id": item.departure_id,
        "valid_from": ticket.valid_from.isoformat(),
        "valid_until": ticket.valid_until.isoformat(),
        "amount_due": amount_due(booking),
    }


def tickets_on(listing_ids: list[int], day: date) -> list[Ticket]:
    """Tickets valid on `day` for these listings (void ones too: scanners must see cancellations)."""
    if not listing_ids:
        return []
    return db.session.scalars(
        select(Ticket)
        .join(BookingItem, Ticket.booking_item_id == BookingItem.id)
        .where(
            BookingItem.listing_id.in_(listing_ids),
            Ticket.valid_from <= day,
            Ticket.valid_until >= day,
        )
        .order_by(Ticket.id)
    ).all()


def conflicts(ticket_ids: list[int]) -> list:
    """Offline scans that disagreed with the recorded check-in, for the host's manifest."""
    from ...models import AuditEntry

    if not ticket_ids:
        return []
    return db.session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.subject_type == "ticket",
            AuditEntry.action == "checkin_conflict",
            AuditEntry.subject_id.in_(ticket_ids),
        )
        .order_by(AuditEntry.at)
    ).all()


def printable_listings(user: User) -> list[Listing]:
    """Listings whose guest list `user` may print: a host's own, the cooperative's community's,
    a guide's tours with a departure they lead."""
    query = select(Listing).order_by(Listing.id)
    if user.role == Role.COOP:
        query = query.where(Listing.community_id.in_(user.community_ids or {-1}))
    elif user.role == Role.GUIDE:
        query = query.where(Listing.departures.any(Departure.guide_id == user.id))
    elif user.role != Role.ADMIN:
        query = query.where(Listing.host_id == user.id)
    return db.session.scalars(query).all()


def may_print(user: User, listing: Listing) -> bool:
    """May print the guest list of `listing` (`booking_access.can_print`; a guide: a tour with a
    departure they lead, and then only those departures' lists)."""
    if user.role == Role.GUIDE:
        return any(d.guide_id == user.id for d in listing.departures)
    return booking_access.can_print(user, listing)


@dataclass
class GuestLine:
    ticket: Ticket
    booking: Booking
    item: BookingItem
    #: the room type (stays) or the departure's time (tours), as the host calls it
    place: str
    #: VND to collect at the door (`money_rules.due_at_arrival`)
    amount_due: int


@dataclass
class GuestList:
    departures: list[Departure]
    departure: Departure | None
    expected: list[GuestLine] = field(default_factory=list)
    no_shows: list[GuestLine] = field(default_factory=list)
    cancelled: list[GuestLine] = field(default_factory=list)

    @property
    def lines(self) -> list[GuestLine]:
        return [*self.expected, *self.no_shows, *self.cancelled]


def departures_on(user: User, listing: Listing, day: date) -> list[Departure]:
    """The listing's departures leaving on `day` (a guide: only those they lead)."""
    start = datetime.combine(day, time(0), tzinfo=BUSINESS_TZ)
    query = select(Departure).where(
        Departure.listing_id == listing.id,
        Departure.starts_at >= start,
        Departure.starts_at < start + timedelta(days=1),
    )
    if user.role == Role.GUIDE:
        query = query.where(Departure.guide_id == user.id)
    return db.session.scalars(query.order_by(Departure.starts_at, Departure.id)).all()


def guest_list(
    user: User, listing: Listing, day: date, departure_id: int | None, locale: str
) -> GuestList:
    """Who is expected at `listing` on `day` (one departure of a tour: the chosen one, else the
    first), with the no-shows and cancellations apart. Call after `may_print`."""
    departures = departures_on(user, listing, day) if listing.kind.value == "tour" else []
    departure = next((d for d in departures if d.id == departure_id), None)
    if departure is None and departures:
        departure = departures[0]
    if listing.kind.value == "tour" and departure is None:
        return GuestList(departures, None)
    result = GuestList(departures, departure)
    for ticket in tickets_on([listing.id], day):
        item = ticket.item
        if departure is not None and item.departure_id != departure.id:
            continue
        booking = item.booking
        line = GuestLine(ticket, booking, item, _place(item, locale), amount_due(booking))
        if booking.status == BookingStatus.NO_SHOW:
            result.no_shows.append(line)
        elif ticket.status.value == "void":
            result.cancelled.append(line)
        else:
            result.expected.append(line)
    return result


def _place(item: BookingItem, locale: str) -> str:
    if item.room_type is not None:
        return f"{localized(item.room_type.name, locale)} × {item.quantity}"
    return item.departure.starts_at.astimezone(BUSINESS_TZ).strftime("%H:%M")
