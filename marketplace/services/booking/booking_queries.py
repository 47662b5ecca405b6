"""Reading bookings: whose they are, how a tourist's trips split, what each item is called."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from ...clock import business_today, utcnow
from ...extensions import db
from ...i18n import localized
from ...models import Booking, BookingItem, BookingStatus, User
from .booking_access import visible_clause

#: a tourist's booking in these states is past once its last day is
ACTIVE_STATUSES = frozenset(
    {BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN}
)


def bookings_of_tourist(user: User, limit: int = 200) -> list[Booking]:
    """The bookings `user` made (or that were linked to them by email), newest first."""
    return list(
        db.session.scalars(
            select(Booking)
            .where(Booking.tourist_id == user.id)
            .order_by(Booking.created_at.desc(), Booking.id.desc())
            .limit(limit)
        )
    )


def bookings_visible_to(user: User, limit: int = 200) -> list[Booking]:
    """The API's list: the bookings `user` may view (`booking_access.can_view`), newest first."""
    query = (
        select(Booking)
        .where(visible_clause(user))
        .order_by(Booking.created_at.desc(), Booking.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def last_day(booking: Booking) -> date:
    return max(item.check_out for item in booking.items)


@dataclass
class Trips:
    upcoming: list[Booking] = field(default_factory=list)
    past: list[Booking] = field(default_factory=list)
    cancelled: list[Booking] = field(default_factory=list)


def split_trips(bookings: list[Booking], today: date | None = None) -> Trips:
    """Upcoming (soonest first), past, and cancelled or lapsed bookings."""
    today = today or business_today()
    trips = Trips()
    for booking in bookings:
        if booking.status in (BookingStatus.CANCELLED, BookingStatus.EXPIRED):
            trips.cancelled.append(booking)
        elif booking.status in ACTIVE_STATUSES and last_day(booking) >= today:
            trips.upcoming.append(booking)
        else:
            trips.past.append(booking)
    trips.upcoming.sort(key=lambda b: min(i.check_in for i in b.items))
    return trips


def payment_methods(booking: Booking) -> list[str]:
    """Methods every listing of the booking accepts, in a stable order."""
    order = ["stripe", "vietqr", "pay_at_arrival"]
    accepted = set(order)
    for item in booking.items:
        accepted &= set(item.listing.payment_methods or [])
    return [m for m in order if m in accepted]


def item_title(item: BookingItem, locale: str) -> str:
    """ "Listing title · room type name" for a stay, the listing title for a tour."""
    text, _fallback = item.listing.text_for(locale)
    title = text.title if text else item.listing.key
    if item.room_type_id:
        return f"{title} · {localized(item.room_type.name, locale)}"
    return title


@dataclass
class ItemPreview:
    """What the booking form shows before anything is held: the thing, its price, what is free."""

    listing: object
    room_type: object | None
    departure: object | None
    quote: object
    #: rooms free on every night, or seats left
    available: int
    #: rooms for a stay, people for a tour
    quantity: int


def preview_item(request, index: int = 0, now: datetime | None = None) -> ItemPreview:
    """Price and availability of one requested item, checked as placing it would check it.

    Raises NotFound for an unknown or unpublished room or departure, ServiceError naming the field.
    """
    from ..catalogue import availability, pricing
    from . import booking_requests, bookings

    now = now or utcnow()
    room_types, departures = bookings.load_targets([request], now)
    if isinstance(request, booking_requests.StayRequest):
        room_type = room_types[request.room_type_id]
        quote = pricing.quote_stay(
            room_type,
            request.check_in,
            request.check_out,
            request.rooms,
            room_type.listing.price_rules,  # loaded with the room type
        )
        free = availability.free_units([room_type], request.check_in, request.check_out, now)
        return ItemPreview(
            room_type.listing, room_type, None, quote, free[room_type.id], request.rooms
        )
    departure = departures[request.departure_id]
    quote = pricing.quote_tour(departure, request.participants)
    left = availability.seats_left([departure], now)[departure.id]
    return ItemPreview(departure.listing, None, departure, quote, left, request.participants)
