"""What is free: rooms per night and seats per departure, with a constant number of queries.

A unit counts as taken on a night while a BookingNight claims it (`claimed_until > now`: a
confirmed booking forever, a hold until it lapses) or while the night is blocked. An expired
hold therefore frees its rooms the moment it lapses, with no job running.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import func, select

from ..clock import utcnow
from ..extensions import db
from ..models import BlockedNight, BookingItem, BookingNight, Departure, DepartureStatus, RoomType


def claimed_rooms(
    room_type_ids: Iterable[int], first_night: date, last_night: date, now: datetime
) -> dict[tuple[int, date], int]:
    """Rooms claimed per (room type, night) within the nights, inclusive."""
    ids = list(set(room_type_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(BookingNight.room_type_id, BookingNight.night, func.sum(BookingNight.rooms))
        .where(
            BookingNight.room_type_id.in_(ids),
            BookingNight.night >= first_night,
            BookingNight.night <= last_night,
            BookingNight.claimed_until > now,
        )
        .group_by(BookingNight.room_type_id, BookingNight.night)
    )
    return {(rt, night): int(n) for rt, night, n in rows}


def blocked_nights(
    room_type_ids: Iterable[int], first_night: date, last_night: date
) -> set[tuple[int, date]]:
    ids = list(set(room_type_ids))
    if not ids:
        return set()
    rows = db.session.execute(
        select(BlockedNight.room_type_id, BlockedNight.night).where(
            BlockedNight.room_type_id.in_(ids),
            BlockedNight.night >= first_night,
            BlockedNight.night <= last_night,
        )
    )
    return {(rt, night) for rt, night in rows}


def free_units_by_night(
    room_types: Iterable[RoomType], first_night: date, last_night: date, now: datetime | None = None
) -> dict[int, dict[date, int]]:
    """For each room type, free units on every night from first to last (inclusive)."""
    now = now or utcnow()
    room_types = list(room_types)
    ids = [rt.id for rt in room_types]
    claimed = claimed_rooms(ids, first_night, last_night, now)
    blocked = blocked_nights(ids, first_night, last_night)
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


def free_units(
    room_types: Iterable[RoomType], check_in: date, check_out: date, now: datetime | None = None
) -> dict[int, int]:
    """Units of each room type free on every night of the stay (the fewest over the nights).

    `room_types` may be model rows or any rows with `id` and `units` (searches pass light rows).
    Works from the claimed and blocked nights alone, so a search over thousands of room types
    costs two queries and no per-night dictionary.
    """
    room_types = list(room_types)
    if check_out <= check_in:
        return {rt.id: 0 for rt in room_types}
    now = now or utcnow()
    last_night = date.fromordinal(check_out.toordinal() - 1)
    ids = [rt.id for rt in room_types]
    busiest: dict[int, int] = defaultdict(int)
    for (rt_id, _night), rooms in claimed_rooms(ids, check_in, last_night, now).items():
        busiest[rt_id] = max(busiest[rt_id], rooms)
    blocked = {rt_id for rt_id, _night in blocked_nights(ids, check_in, last_night)}
    return {
        rt.id: 0 if rt.id in blocked else max(rt.units - busiest.get(rt.id, 0), 0)
        for rt in room_types
    }


def seats_taken(departure_ids: Iterable[int], now: datetime | None = None) -> dict[int, int]:
    now = now or utcnow()
    ids = list(set(departure_ids))
    taken: dict[int, int] = defaultdict(int)
    if ids:
        rows = db.session.execute(
            select(BookingItem.departure_id, func.sum(BookingItem.quantity))
            .where(BookingItem.departure_id.in_(ids), BookingItem.claimed_until > now)
            .group_by(BookingItem.departure_id)
        )
        for departure_id, n in rows:
            taken[departure_id] = int(n)
    return taken


def seats_left(departures: Iterable[Departure], now: datetime | None = None) -> dict[int, int]:
    """Seats still free on each departure; a cancelled departure has none."""
    departures = list(departures)
    taken = seats_taken([d.id for d in departures], now)
    return {
        d.id: 0
        if d.status == DepartureStatus.CANCELLED
        else max(d.capacity - taken.get(d.id, 0), 0)
        for d in departures
    }
