"""The host's month grid: per room type, each night free, held, booked or blocked; and the
changes a host makes to the nights picked on it (close, open, price), one room type at a time."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ...clock import business_today, utcnow
from ...extensions import db
from ...models import (
    FOREVER,
    BlockedNight,
    BookingItem,
    BookingNight,
    PriceRule,
    PriceRuleKind,
    RoomType,
    User,
)
from ..shared import audit
from ..shared.errors import ServiceError

#: nights one change may touch (a tap-picked month, or a typed range of up to a year)
MAX_NIGHTS = 366


def booked_item_nights(room_type_ids: list[int], first: date, last: date, now: datetime):
    """(room type, night) -> [(booking reference, rooms, status)] for the calendar grid."""
    from ...models import Booking

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
    #: the room type has a price of its own on this night
    own_price: bool = False


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
                        own_price=any(
                            r.kind == PriceRuleKind.DATE
                            and r.room_type_id == rt.id
                            and r.start_date == day
                            for r in applicable
                        ),
                    )
                )
            weeks.append(row)
        grids[rt.id] = weeks
    return grids


def checked_nights(picked: list[date], today: date | None = None) -> list[date]:
    """The picked nights, sorted and unique; raises ServiceError naming `night` when there are
    none, too many or past ones."""
    nights = set(picked)
    if not nights:
        raise ServiceError(_("Tap the days to change first."), "no_nights", "night")
    if len(nights) > MAX_NIGHTS:
        raise ServiceError(_("Choose at most a year at once."), "range_too_long", "night")
    if min(nights) < (today or business_today()):
        raise ServiceError(_("Past nights cannot be changed."), "past_night", "night")
    return sorted(nights)


def set_nights_price(
    room_type: RoomType, actor: User | None, nights: list[date], price: int | None
) -> int:
    """The room type's own price on each night (None: back to the usual rules). One commit.

    The rule is scoped to this room type only; pricing prefers it to a listing-wide one.
    """
    if price is not None and price < 0:
        raise ServiceError(_("Enter a number from 0."), "out_of_range", "price")
    db.session.execute(
        delete(PriceRule).where(
            PriceRule.room_type_id == room_type.id,
            PriceRule.kind == PriceRuleKind.DATE,
            PriceRule.start_date.in_(nights),
        )
    )
    if price is not None:
        db.session.add_all(
            PriceRule(
                listing_id=room_type.listing_id,
                room_type_id=room_type.id,
                kind=PriceRuleKind.DATE,
                start_date=night,
                end_date=night,
                nightly_price=price,
            )
            for night in nights
        )
    audit.record(
        room_type.listing,
        "date_price",
        actor=actor,
        data={
            "room_type_id": room_type.id,
            "nights": [n.isoformat() for n in nights[:60]],
            "price": price,
        },
    )
    db.session.commit()
    return len(nights)
