"""What is free: rooms per night and seats per departure, with a constant number of queries.

A unit counts as taken on a night while a BookingNight claims it (`claimed_until > now`: a
confirmed booking forever, a hold until it lapses) or while the night is blocked. An expired
hold therefore frees its rooms the moment it lapses, with no job running.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Select, bindparam, func, null, select, union_all

from ...clock import business_today, utcnow
from ...extensions import db
from ...models import BlockedNight, BookingItem, BookingNight, Departure, DepartureStatus, RoomType
from . import booking_rules

if TYPE_CHECKING:
    from ...models import Listing


def _id_filter(ids: "Iterable[int] | Select") -> "list[int] | Select":
    """A list of ids, or a SELECT of them as is (a search over thousands of room types would
    otherwise bind thousands of parameters)."""
    return ids if isinstance(ids, Select) else list(set(ids))


def taken_nights(
    room_type_ids: "Iterable[int] | Select", first_night: date, last_night: date, now: datetime
) -> tuple[dict[tuple[int, date], int], set[tuple[int, date]]]:
    """Within the nights (inclusive): rooms claimed per (room type, night), and the (room type,
    night)s blocked. One query: the claims summed, and the blocks, as one list."""
    ids = _id_filter(room_type_ids)
    if isinstance(ids, list):
        if not ids:
            return {}, set()
        rows = db.session.execute(
            _taken_by_ids(), {"ids": ids, "first": first_night, "last": last_night, "now": now}
        )
    else:
        rows = db.session.execute(_taken_query(ids, first_night, last_night, now))
    claimed: dict[tuple[int, date], int] = {}
    blocked: set[tuple[int, date]] = set()
    for room_type_id, night, rooms in rows:
        if rooms is None:
            blocked.add((room_type_id, night))
        else:
            claimed[(room_type_id, night)] = int(rooms)
    return claimed, blocked


def _taken_query(ids, first_night, last_night, now):
    """The claims summed per (room type, night), and the blocks (rooms NULL), as one list."""
    claims = (
        select(
            BookingNight.room_type_id,
            BookingNight.night,
            func.sum(BookingNight.rooms).label("rooms"),
        )
        .where(
            BookingNight.room_type_id.in_(ids),
            BookingNight.night >= first_night,
            BookingNight.night <= last_night,
            BookingNight.claimed_until > now,
        )
        .group_by(BookingNight.room_type_id, BookingNight.night)
    )
    blocks = select(
        BlockedNight.room_type_id,
        BlockedNight.night,
        null().label("rooms"),  # NULL: blocked
    ).where(
        BlockedNight.room_type_id.in_(ids),
        BlockedNight.night >= first_night,
        BlockedNight.night <= last_night,
    )
    return union_all(claims, blocks)


@cache
def _taken_by_ids():
    """`_taken_query` for a list of ids, built once: placing a booking asks it every time, and
    building a statement costs about as much as running it."""
    return _taken_query(
        bindparam("ids", expanding=True), bindparam("first"), bindparam("last"), bindparam("now")
    )


def free_units_by_night(
    room_types: Iterable[RoomType], first_night: date, last_night: date, now: datetime | None = None
) -> dict[int, dict[date, int]]:
    """For each room type, free units on every night from first to last (inclusive)."""
    now = now or utcnow()
    room_types = list(room_types)
    ids = [rt.id for rt in room_types]
    claimed, blocked = taken_nights(ids, first_night, last_night, now)
    span = (last_night - first_night).days + 1
    result: dict[int, dict[date, int]] = {}
    for rt in room_types:
        per_night = {}
        for n in range(span):
            night = date.fromordinal(first_night.toordinal() + n)
            if (rt.id, night) in blocked:
                per_night[night] = 0
            else:
                per_night[night] = max(rt.units - claimed.get((rt.id, night), 0), 0)
        result[rt.id] = per_night
    return result


def busiest_nights(first_night, last_night, now, room_type_ids=None):
    """Subquery (room_type_id, rooms): per room type, the most rooms claimed on any one of the
    nights; room types without claims are absent. `room_type_ids` (ids or a SELECT) narrows it.
    Dates, `now` and ids may be values or bound parameters.

    Grouped by (night, room_type_id), the order of `ix_booking_night_night`, so the database
    sums each night straight off the index before keeping each room type's largest sum.
    """
    conditions = [
        BookingNight.night >= first_night,
        BookingNight.night <= last_night,
        BookingNight.claimed_until > now,
    ]
    if room_type_ids is not None:
        conditions.append(BookingNight.room_type_id.in_(room_type_ids))
    per_night = (
        select(BookingNight.room_type_id, func.sum(BookingNight.rooms).label("rooms"))
        .where(*conditions)
        .group_by(BookingNight.night, BookingNight.room_type_id)
        .subquery()
    )
    return (
        select(per_night.c.room_type_id, func.max(per_night.c.rooms).label("rooms"))
        .group_by(per_night.c.room_type_id)
        .subquery()
    )


def blocked_within(first_night, last_night, room_type_ids=None):
    """Subquery (room_type_id): room types with a blocked night among the nights."""
    conditions = [BlockedNight.night >= first_night, BlockedNight.night <= last_night]
    if room_type_ids is not None:
        conditions.append(BlockedNight.room_type_id.in_(room_type_ids))
    return select(BlockedNight.room_type_id).where(*conditions).distinct().subquery()


def free_of(units: int, busiest: int | None, blocked: bool) -> int:
    """Free units of a room type from its busiest night's claims and whether a night is blocked."""
    return 0 if blocked else max(units - (busiest or 0), 0)


def busiest_night(
    room_type_ids: "Iterable[int] | Select", first_night: date, last_night: date, now: datetime
) -> dict[int, int]:
    """Per room type, the most rooms claimed on any one of the nights (absent: none claimed).

    The database adds up each night and keeps the largest, so a 14-night search over thousands
    of room types reads one row per room type instead of one per room type and night.
    """
    ids = _id_filter(room_type_ids)
    if isinstance(ids, list) and not ids:
        return {}
    busiest = busiest_nights(first_night, last_night, now, ids)
    rows = db.session.connection().execute(select(busiest.c.room_type_id, busiest.c.rooms))
    return {rt: int(n) for rt, n in rows}


def blocked_room_types(
    room_type_ids: "Iterable[int] | Select", first_night: date, last_night: date
) -> set[int]:
    """Room types with at least one blocked night among the nights."""
    ids = _id_filter(room_type_ids)
    if isinstance(ids, list) and not ids:
        return set()
    blocked = blocked_within(first_night, last_night, ids)
    return set(db.session.connection().execute(select(blocked.c.room_type_id)).scalars())


def free_units(
    room_types: Iterable[RoomType],
    check_in: date,
    check_out: date,
    now: datetime | None = None,
    *,
    ids_query: Select | None = None,
) -> dict[int, int]:
    """Units of each room type free on every night of the stay (the fewest over the nights).

    `room_types` may be model rows or any rows with `id` and `units` (searches pass light rows);
    `ids_query`, a SELECT of those same ids, spares a search binding thousands of parameters.
    Two queries whatever the number of room types and nights.
    """
    room_types = list(room_types)
    if check_out <= check_in:
        return {rt.id: 0 for rt in room_types}
    now = now or utcnow()
    last_night = date.fromordinal(check_out.toordinal() - 1)
    ids = ids_query if ids_query is not None else [rt.id for rt in room_types]
    busiest = busiest_night(ids, check_in, last_night, now)
    blocked = blocked_room_types(ids, check_in, last_night)
    return {rt.id: free_of(rt.units, busiest.get(rt.id), rt.id in blocked) for rt in room_types}


def seats_taken(
    departure_ids: "Iterable[int] | Select", now: datetime | None = None
) -> dict[int, int]:
    now = now or utcnow()
    ids = _id_filter(departure_ids)
    taken: dict[int, int] = defaultdict(int)
    if isinstance(ids, Select) or ids:
        rows = db.session.execute(
            select(BookingItem.departure_id, func.sum(BookingItem.quantity))
            .where(BookingItem.departure_id.in_(ids), BookingItem.claimed_until > now)
            .group_by(BookingItem.departure_id)
        )
        for departure_id, n in rows:
            taken[departure_id] = int(n)
    return taken


def seats_left(
    departures: Iterable[Departure], now: datetime | None = None, *, ids_query: Select | None = None
) -> dict[int, int]:
    """Seats still free on each departure; a cancelled departure has none.

    `ids_query`, a SELECT of the same departures' ids, spares binding thousands of parameters.
    """
    departures = list(departures)
    taken = seats_taken(ids_query if ids_query is not None else [d.id for d in departures], now)
    return {d.id: left_of(d.status, d.capacity, taken.get(d.id, 0)) for d in departures}


# -- the same rules as SQL conditions, for searches that must not load every row -------------


def rooms_needed(guests: int) -> ColumnElement:
    """`booking_rules.rooms_needed` of a RoomType, as SQL."""
    return booking_rules.rooms_needed(guests, RoomType.max_guests)


def room_types_that_fit(guests, first_night, last_night, now) -> Select:
    """SELECT of the listing ids of room types with enough units free for the party on every
    night from first to last (inclusive). Values or bound parameters (searches cache the
    statement and bind the values).

    Same rule as `free_units` (claims that have not lapsed count, a blocked night frees
    nothing): each room type's busiest night (`busiest_nights`, summed once from the nights'
    rows, index `ix_booking_night_night`) joined to the room types, not probed one by one.
    """
    busiest = busiest_nights(first_night, last_night, now)
    blocked = select(BlockedNight.room_type_id).where(
        BlockedNight.night >= first_night, BlockedNight.night <= last_night
    )
    return (
        select(RoomType.listing_id)
        .outerjoin(busiest, busiest.c.room_type_id == RoomType.id)
        .where(
            RoomType.units - func.coalesce(busiest.c.rooms, 0) >= rooms_needed(guests),
            RoomType.id.not_in(blocked),
        )
    )


def seats_taken_column(now):
    """Seats claimed on each Departure (`seats_taken` as a correlated SQL column)."""
    return (
        select(func.coalesce(func.sum(BookingItem.quantity), 0))
        .where(BookingItem.departure_id == Departure.id, BookingItem.claimed_until > now)
        .scalar_subquery()
    )


def left_of(status: DepartureStatus, capacity: int, taken: int) -> int:
    """Seats still free on a departure (`seats_left`'s rule for one row)."""
    return 0 if status == DepartureStatus.CANCELLED else max(capacity - taken, 0)


def departure_fits(seats, now) -> ColumnElement:
    """SQL condition on Departure: scheduled, with at least `seats` left (same rule as
    `seats_left`); values or bound parameters."""
    return (Departure.status == DepartureStatus.SCHEDULED) & (
        Departure.capacity - seats_taken_column(now) >= seats
    )


def month_view(
    listing: "Listing", month: date, guests: int = 1, now: datetime | None = None
) -> list[list[tuple[date, str] | None]]:
    """Weeks (Monday first) of one month for a stay: each day "free", "full" or "past".

    A night is free when some room type has enough free units for the party.
    """
    first = month.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    today = business_today(now)
    room_types = list(listing.room_types)
    by_night = free_units_by_night(room_types, first, last, now) if room_types else {}
    days: list[tuple[date, str] | None] = [None] * first.weekday()
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        if day < today:
            state = "past"
        elif any(
            by_night[rt.id][day] >= booking_rules.rooms_needed(guests, rt.max_guests)
            for rt in room_types
        ):
            state = "free"
        else:
            state = "full"
        days.append((day, state))
    days += [None] * (-len(days) % 7)
    return [days[i : i + 7] for i in range(0, len(days), 7)]
