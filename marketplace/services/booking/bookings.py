"""Placing a booking: holding rooms and seats under a lock, all or nothing.

Capacity rule (the only place inventory is taken): lock what becomes less available, late, once
per transaction, in a fixed order; then count and write. Freeing needs no lock. Every later
change of a booking's status goes through `booking_lifecycle.transition`.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ...clock import to_business_time, utcnow
from ...database import begin_write, commit_keeping_loaded, inserts_sent_together
from ...extensions import db
from ...models import (
    Booking,
    BookingStatus,
    Departure,
    IdempotencyKey,
    Listing,
    ListingStatus,
    RoomType,
)
from ..catalogue import availability, pricing
from ..shared import audit, outbox
from ..shared.errors import Conflict, NotFound, ServiceError
from ..shared.locks import locking_inventory
from ..shared.references import new_reference, reference_taken
from . import booking_events, booking_requests, booking_rows
from .booking_requests import Contact, GuestDetails, StayRequest, TourRequest

#: a reference is drawn from 31**6 codes per community: a clash is rare, three in a row absurd
REFERENCE_TRIES = 3


class ReferenceTaken(Exception):
    """The reference drawn for a new booking was already taken (the transaction is rolled back)."""


def sold_out(field: str | None = None) -> Conflict:
    return Conflict(_("Sorry, this is no longer available for your dates."), "sold_out", field)


def find_by_idempotency(scope: str, key: str) -> Booking | None:
    return db.session.scalar(
        select(Booking)
        .join(IdempotencyKey, IdempotencyKey.booking_id == Booking.id)
        .where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
    )


def place_booking(
    items: list[StayRequest | TourRequest],
    contact: Contact,
    guests: list[GuestDetails] = (),
    *,
    tourist=None,
    locale: str = "vi",
    special_requests: str = "",
    idempotency: tuple[str, str] | None = None,
    now: datetime | None = None,
) -> tuple[Booking, bool]:
    """Hold everything asked for, all or nothing; returns (booking, created).

    A retry with the same idempotency (scope, key) returns the first booking and False.
    Raises ServiceError (400, naming the field), NotFound, Conflict `sold_out` (nothing held), or
    ServiceError `too_many_holds` (429) when the email or account already holds MAX_OPEN_HOLDS.
    """
    now = now or utcnow()
    if idempotency:
        existing = find_by_idempotency(*idempotency)
        if existing:
            return existing, False
    for _attempt in range(REFERENCE_TRIES - 1):
        try:
            return _place(
                items, contact, guests, tourist, locale, special_requests, idempotency, now
            )
        except ReferenceTaken:
            pass  # rolled back, nothing written: lock, check and write again with a new one
    return _place(items, contact, guests, tourist, locale, special_requests, idempotency, now)


def _place(items, contact, guests, tourist, locale, special_requests, idempotency, now):
    try:
        return _place_locked(
            items, contact, guests, tourist, locale, special_requests, idempotency, now
        )
    except ServiceError:
        db.session.rollback()  # release the write lock and anything half-made at once
        raise


def _place_locked(items, contact, guests, tourist, locale, special_requests, idempotency, now):
    begin_write()
    # read under the lock (a closure may have cancelled a departure a moment ago), and locked
    # by the same statement that loads them
    room_types, departures = load_targets(items, now, lock=True)
    _check_open_holds(contact.email, tourist, now)
    if idempotency and (existing := find_by_idempotency(*idempotency)):
        # a double click that waited for the lock: the first request made the booking
        db.session.rollback()
        return existing, False
    check_capacity(items, room_types, departures, now)

    hold_until = now + timedelta(minutes=current_app.config["HOLD_MINUTES"])
    first_listing = _listing_of(items[0], room_types, departures)
    # read with the room types, under their lock
    rules = {
        room_type.listing_id: room_type.listing.price_rules for room_type in room_types.values()
    }
    new_items = [_new_item(request, room_types, departures, hold_until, rules) for request in items]
    values = {
        "reference": new_reference(first_listing.community.reference_prefix),
        "community_id": first_listing.community_id,
        "tourist_id": getattr(tourist, "id", None),
        "contact_name": contact.name,
        "contact_email": contact.email,
        "contact_phone": contact.phone,
        "locale": locale,
        "status": BookingStatus.PENDING_PAYMENT,
        "hold_expires_at": hold_until,
        "special_requests": (special_requests or "")[:2000],
        "total": sum(item.values["subtotal"] for item in new_items),
    }
    try:
        # what follows the booking and its items (nights, guests, key, audit entry) leaves in
        # one statement with the outbox message
        with inserts_sent_together():
            booking = _write(values, new_items, [_guest_row(guest) for guest in guests])
            if idempotency:
                booking_rows.keep_idempotency_key(*idempotency, booking.id)
            audit.record(
                booking,
                "placed",
                actor=tourist,
                to_state=booking.status,
                data={"total": booking.total},
            )
            booking_events.announce(booking, "received")
        # the answer is built from the booking just written: reading it back (booking, items,
        # listings, texts, room types) would only return what was written
        commit_keeping_loaded()
    except IntegrityError:
        # the same idempotency key won a race in another request: answer with its booking
        db.session.rollback()
        if idempotency and (existing := find_by_idempotency(*idempotency)):
            return existing, False
        raise
    outbox.kick()
    return booking, True


def _write(values: dict, items: list, guests: list[dict]) -> Booking:
    """The booking's rows; raises ReferenceTaken (rolled back) when its reference is taken."""
    try:
        return booking_rows.write(values, items, guests)
    except IntegrityError as error:
        if not reference_taken(error):
            raise
        db.session.rollback()
        raise ReferenceTaken from error


def _with_listing(relationship, *, rules: bool) -> tuple:
    """Loader options: the listing of a room type or departure, with its community and texts,
    in the same query (placing reads the community's prefix; the answer, the titles); with
    `rules`, its price rules too (a stay's price)."""
    listing = joinedload(relationship)
    options = (listing.joinedload(Listing.community), listing.joinedload(Listing.texts))
    return (*options, listing.joinedload(Listing.price_rules)) if rules else options


def _check_open_holds(email: str, tourist, now: datetime) -> None:
    """Refuse one more unpaid hold for an email or account that has MAX_OPEN_HOLDS already.

    Runs under the write lock: SQLite's BEGIN IMMEDIATE serialises every placement; on PostgreSQL
    a transaction advisory lock per email and per account (taken in one order) makes two
    placements of one owner count one after the other, whatever rooms they ask for.
    Raises ServiceError `too_many_holds` (429).
    """
    limit = current_app.config.get("MAX_OPEN_HOLDS", 5)
    if not limit or limit < 0:
        return
    tourist_id = getattr(tourist, "id", None)
    if db.engine.dialect.name != "sqlite":
        keys = sorted(
            {f"holds:email:{email}"} | ({f"holds:user:{tourist_id}"} if tourist_id else set())
        )
        for key in keys:
            db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
    owner = Booking.contact_email == email
    if tourist_id:
        owner = or_(owner, Booking.tourist_id == tourist_id)
    held = db.session.scalar(
        select(func.count())
        .select_from(Booking)
        .where(
            owner,
            Booking.status == BookingStatus.PENDING_PAYMENT,
            Booking.hold_expires_at > now,
        )
    )
    if held >= limit:
        raise ServiceError(
            _(
                "You already have %(count)d unpaid bookings on hold. Pay for one, cancel one or "
                "wait until a hold expires before booking again.",
                count=held,
            ),
            "too_many_holds",
            status=429,
        )


def _by_id(model, ids: list[int], lock: bool) -> dict:
    """Rows of `model` (a RoomType or Departure) by id, each with its listing loaded; locked
    as placing a booking locks inventory when `lock`."""
    if not ids:
        return {}
    query = _targets_query(model, lock, db.engine.dialect.name)
    return {row.id: row for row in db.session.scalars(query, {"ids": ids}).unique()}


@cache
def _targets_query(model, lock: bool, _dialect: str):
    """`_by_id`'s statement, built once per kind (building costs as much as running it); the
    dialect is part of the key, as the locking clause differs."""
    query = (
        select(model)
        .where(model.id.in_(bindparam("ids", expanding=True)))
        .options(*_with_listing(model.listing, rules=model is RoomType))
    )
    return locking_inventory(query) if lock else query


def load_targets(items, now, *, lock: bool = False):
    """The room types and departures asked for, each checked for sale (also the form's preview).
    With `lock` (after begin_write), the rows are locked as `locks.lock_inventory` locks them.

    Raises NotFound naming the item's field, or ServiceError for capacity, nights, a past date.
    """
    room_type_ids = [i.room_type_id for i in items if isinstance(i, StayRequest)]
    departure_ids = [i.departure_id for i in items if isinstance(i, TourRequest)]
    room_types = _by_id(RoomType, room_type_ids, lock)  # room types first: the locking order
    departures = _by_id(Departure, departure_ids, lock)
    for index, request in enumerate(items):
        if isinstance(request, StayRequest):
            room_type = room_types.get(request.room_type_id)
            if room_type is None or room_type.listing.status != ListingStatus.PUBLISHED:
                raise NotFound(
                    _("This room is not for sale."), "not_found", f"items[{index}].room_type_id"
                )
            booking_requests.check_room_capacity(request, room_type, index)
        else:
            departure = departures.get(request.departure_id)
            if departure is None or departure.listing.status != ListingStatus.PUBLISHED:
                raise NotFound(
                    _("This departure is not for sale."),
                    "not_found",
                    f"items[{index}].departure_id",
                )
            booking_requests.check_departure_open(departure, index, now)
    return room_types, departures


def check_capacity(items, room_types, departures, now) -> None:
    """Raises Conflict sold_out when the items together need more than is free."""
    wanted_rooms: dict[tuple[int, object], int] = defaultdict(int)
    first, last = None, None
    for request in items:
        if isinstance(request, StayRequest):
            for night in pricing.nights(request.check_in, request.check_out):
                wanted_rooms[(request.room_type_id, night)] += request.rooms
                first = night if first is None or night < first else first
                last = night if last is None or night > last else last
    if wanted_rooms:
        free = availability.free_units_by_night(room_types.values(), first, last, now)
        for (rt_id, night), rooms in wanted_rooms.items():
            if free[rt_id][night] < rooms:
                index = next(
                    i
                    for i, r in enumerate(items)
                    if isinstance(r, StayRequest) and r.room_type_id == rt_id
                )
                raise sold_out(f"items[{index}].rooms")
    wanted_seats: dict[int, int] = defaultdict(int)
    for request in items:
        if isinstance(request, TourRequest):
            wanted_seats[request.departure_id] += request.participants
    if wanted_seats:
        left = availability.seats_left(departures.values(), now)
        for departure_id, seats in wanted_seats.items():
            if left[departure_id] < seats:
                index = next(
                    i
                    for i, r in enumerate(items)
                    if isinstance(r, TourRequest) and r.departure_id == departure_id
                )
                raise sold_out(f"items[{index}].participants")


def _listing_of(request, room_types, departures) -> Listing:
    if isinstance(request, StayRequest):
        return room_types[request.room_type_id].listing
    return departures[request.departure_id].listing


def _new_item(request, room_types, departures, hold_until, rules) -> booking_rows.NewItem:
    listing = _listing_of(request, room_types, departures)
    values = {
        "listing_id": listing.id,
        "host_id": listing.host_id,
        "claimed_until": hold_until,
        "room_type_id": None,  # every row of one INSERT names the same columns
        "departure_id": None,
    }
    if isinstance(request, StayRequest):
        room_type = room_types[request.room_type_id]
        quote = pricing.quote_stay(
            room_type, request.check_in, request.check_out, request.rooms, rules[listing.id]
        )
        values.update(
            room_type_id=room_type.id,
            check_in=request.check_in,
            check_out=request.check_out,
            quantity=request.rooms,
            guests=request.guests,
            price_lines=quote.lines,
            subtotal=quote.total,
        )
        nights = [
            {
                "room_type_id": room_type.id,
                "night": night,
                "rooms": request.rooms,
                "claimed_until": hold_until,
            }
            for night in pricing.nights(request.check_in, request.check_out)
        ]
        return booking_rows.NewItem(values, listing, room_type=room_type, nights=nights)
    departure = departures[request.departure_id]
    quote = pricing.quote_tour(departure, request.participants)
    day = to_business_time(departure.starts_at).date()
    values.update(
        departure_id=departure.id,
        check_in=day,
        check_out=day,
        quantity=request.participants,
        guests=request.participants,
        price_lines=quote.lines,
        subtotal=quote.total,
    )
    return booking_rows.NewItem(values, listing, departure=departure)


def _guest_row(guest: GuestDetails) -> dict:
    return {
        "full_name": guest.full_name,
        "nationality": guest.nationality,
        "date_of_birth": guest.date_of_birth,
        "passport_number": guest.passport_number,
        "sex": guest.sex,
    }


def get_by_reference(reference: str) -> Booking:
    booking = db.session.scalar(
        select(Booking).where(Booking.reference == (reference or "").upper())
    )
    if booking is None:
        raise NotFound(_("No booking with this reference."), "not_found")
    return booking


__all__ = [
    "ServiceError",
    "check_capacity",
    "get_by_reference",
    "load_targets",
    "place_booking",
]
