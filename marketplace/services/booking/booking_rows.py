"""A new booking's rows, written by INSERT statements of their own instead of the unit of work.

Placing writes a booking, its items, nights and guests once, all of them new: the unit of
work's change tracking and dependency sort buy nothing there and cost about a third of a
booking's time. The booking and its items come back loaded (RETURNING) and wired to what they
were made of, so the answer is built without reading anything back.
"""

from dataclasses import dataclass, field

from sqlalchemy.orm.attributes import set_committed_value

from ...database import insert_rows
from ...models import (
    Booking,
    BookingItem,
    BookingNight,
    Departure,
    Guest,
    IdempotencyKey,
    Listing,
    RoomType,
)


@dataclass
class NewItem:
    """One item to write: its columns (all but booking_id), what it was made of, its nights."""

    values: dict
    listing: Listing
    room_type: RoomType | None = None
    departure: Departure | None = None
    nights: list[dict] = field(default_factory=list)


def write(values: dict, items: list[NewItem], guests: list[dict]) -> Booking:
    """Insert the booking (its columns in `values`), its items, nights and guests; returns the
    booking, persistent in the session, with `items` and each item's listing, room type or
    departure and booking loaded. Raises IntegrityError as the INSERT does (a taken reference).
    Nights and guests wait inside `database.inserts_sent_together`.
    """
    (booking,) = insert_rows(Booking, [values], loaded=True)
    written = insert_rows(
        BookingItem, [{**item.values, "booking_id": booking.id} for item in items], loaded=True
    )
    nights = [
        {**night, "item_id": row.id}
        for row, item in zip(written, items, strict=True)
        for night in item.nights
    ]
    insert_rows(BookingNight, nights)  # none for a tour
    insert_rows(Guest, [{**guest, "booking_id": booking.id} for guest in guests])
    for row, item in zip(written, items, strict=True):
        set_committed_value(row, "booking", booking)
        set_committed_value(row, "listing", item.listing)
        set_committed_value(row, "room_type", item.room_type)
        set_committed_value(row, "departure", item.departure)
    set_committed_value(booking, "items", written)
    return booking


def keep_idempotency_key(scope: str, key: str, booking_id: int) -> None:
    """Remember which booking a client's retry key made. Raises IntegrityError when the key is
    taken (on PostgreSQL after the transaction that took it commits), where the row leaves
    (`database.inserts_sent_together`)."""
    insert_rows(IdempotencyKey, [{"scope": scope, "key": key, "booking_id": booking_id}])
