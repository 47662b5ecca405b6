"""The host's month grid: per room type, each night free, held, booked or blocked."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ..clock import utcnow
from ..extensions import db
from ..models import FOREVER, BlockedNight, BookingItem, BookingNight


def booked_item_nights(room_type_ids: list[int], first: date, last: date, now: datetime):
    """(room type, night) -> [(booking reference, rooms, status)] for the calendar grid."""
    from ..models import Booking

    rows = db.session.execute(
        select(
            BookingNight.room_type_id,
            BookingNight.night,
            BookingNight.rooms,
            BookingNight.claimed_until,
            Booking.reference,
        )
        .join(BookingItem, BookingItem.id == BookingNight.item_id)
        .join(Booking, Booking.id == BookingItem.booking_id)
        .where(
            BookingNight.room_type_id.in_(room_type_ids or [-1]),
            BookingNight.night >= first,
            BookingNight.night <= last,
            BookingNight.claimed_until > now,
        )
    )
    grid: dict[tuple[int, date], list[tuple[str, int, bool]]] = {}
    for rt, night, rooms, until, reference in rows:
        grid.setdefault((rt, night), []).append((reference, rooms, until >= FOREVER))
    return grid


@dataclass
class DayCell:
    night: date
    state: str  # free, partly, held, booked, blocked, outside
    free: int = 0
    units: int = 0
    price: int = 0
    references: list = None
    block: str = ""


def month_grid(listing, month: date, now: datetime | None = None) -> dict[int, list[list]]:
    """For each room type, the weeks (Monday first) of `month` as DayCell rows."""
    import calendar as pycalendar

    from . import availability, pricing

    now = now or utcnow()
    first = month.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    room_types = list(listing.room_types)
    ids = [rt.id for rt in room_types]
    free = availability.free_units_by_night(room_types, first, last, now)
    bookings = booked_item_nights(ids, first, last, now)
    blocks = {
        (b.room_type_id, b.night): b.source.value
        for b in db.session.scalars(
            select(BlockedNight).where(
                BlockedNight.room_type_id.in_(ids or [-1]),
                BlockedNight.night >= first,
                BlockedNight.night <= last,
            )
        )
    }
    rules = pricing.rules_by_listing([listing.id])[listing.id]
    grids = {}
    for rt in room_types:
        applicable = [r for r in rules if r.room_type_id in (None, rt.id)]
        weeks = []
        for week in pycalendar.Calendar(0).monthdatescalendar(first.year, first.month):
            row = []
            for day in week:
                if day.month != first.month:
                    row.append(DayCell(day, "outside"))
                    continue
                refs = bookings.get((rt.id, day), [])
                left = free[rt.id][day]
                if (rt.id, day) in blocks:
                    state = "blocked"
                elif left == 0 and refs:
                    state = "booked" if any(confirmed for _r, _n, confirmed in refs) else "held"
                elif refs:
                    state = "partly"
                else:
                    state = "free"
                row.append(
                    DayCell(
                        day,
                        state,
                        free=left,
                        units=rt.units,
                        price=pricing.night_price(rt.nightly_price, day, applicable),
                        references=[(r, confirmed) for r, _n, confirmed in refs],
                        block=blocks.get((rt.id, day), ""),
                    )
                )
            weeks.append(row)
        grids[rt.id] = weeks
    return grids
