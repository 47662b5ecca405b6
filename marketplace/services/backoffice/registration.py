"""Foreign guests' temporary-residence registration, as the host must declare it to the police.

The law gives the host 12 hours from arrival (24 in remote areas) to declare a foreign guest. The
host exports what to declare (CSV or a printable sheet) and marks guests declared; passport
numbers are shown to that host only and erased a set time after departure.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ...clock import BUSINESS_TZ, business_today, utcnow
from ...extensions import db
from ...i18n import localized
from ...models import Booking, BookingItem, BookingStatus, Guest, User
from ..shared import audit
from ..shared.errors import NotFound

HOME_COUNTRY = "VN"
#: when guests are taken to arrive on their first day, for the declaration deadline
ARRIVAL_TIME = time(14, 0)
STAYING = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)


@dataclass
class GuestRow:
    guest: Guest
    reference: str
    arrival: date
    departure: date
    room: str

    def deadline(self, hours: int) -> datetime:
        return datetime.combine(self.arrival, ARRIVAL_TIME, tzinfo=BUSINESS_TZ) + timedelta(
            hours=hours
        )


def deadline_hours() -> int:
    return int(current_app.config["REGISTRATION_DEADLINE_HOURS"])


def _rows(host: User, *conditions, locale: str = "vi") -> list[GuestRow]:
    """Foreign guests of bookings with a stay at `host`'s listings, one row per guest."""
    items = db.session.scalars(
        select(BookingItem)
        .join(Booking, Booking.id == BookingItem.booking_id)
        .where(
            BookingItem.host_id == host.id,
            BookingItem.room_type_id.is_not(None),
            Booking.status.in_(STAYING),
            *conditions,
        )
        .order_by(BookingItem.check_in, Booking.reference)
    ).all()
    by_booking: dict[int, list[BookingItem]] = {}
    for item in items:
        by_booking.setdefault(item.booking_id, []).append(item)
    rows = []
    for booking_items in by_booking.values():
        booking = booking_items[0].booking
        arrival = min(i.check_in for i in booking_items)
        departure = max(i.check_out for i in booking_items)
        room = ", ".join(sorted({localized(i.room_type.name, locale) for i in booking_items}))
        for guest in sorted(booking.guests, key=lambda g: g.id):
            if (guest.nationality or "").upper() != HOME_COUNTRY:
                rows.append(GuestRow(guest, booking.reference, arrival, departure, room))
    rows.sort(key=lambda r: (r.arrival, r.reference, r.guest.id))
    return rows


def guests_between(host: User, first: date, last: date, locale: str = "vi") -> list[GuestRow]:
    """Foreign guests staying at any time from `first` to `last` (inclusive)."""
    return _rows(host, BookingItem.check_in <= last, BookingItem.check_out >= first, locale=locale)


def undeclared(host: User, now: datetime | None = None, locale: str = "vi") -> list[GuestRow]:
    """Foreign guests who have arrived (or are due today) and are not yet declared."""
    today = business_today(now)
    rows = _rows(
        host,
        BookingItem.check_in <= today,
        BookingItem.check_out >= today - timedelta(days=2),
        locale=locale,
    )
    return [r for r in rows if r.guest.declared_at is None]


def mark_declared(host: User, guest_ids: list[int], now: datetime | None = None) -> int:
    """Record that these guests were declared; only guests staying with `host`. Commits."""
    now = now or utcnow()
    allowed = {
        r.guest.id: r.guest
        for r in _rows(host, Booking.guests.any(Guest.id.in_(guest_ids or [-1])))
    }
    count = 0
    for guest_id in guest_ids:
        guest = allowed.get(guest_id)
        if guest is None:
            raise NotFound(_("No such guest."), "not_found")
        if guest.declared_at is None:
            guest.declared_at = now
            audit.record(guest, "declared", actor=host)
            count += 1
    db.session.commit()
    return count


def erase_passports(now: datetime | None = None, days: int | None = None) -> int:
    """Blank the passport numbers of guests who left more than `days` ago; commits."""
    days = days if days is not None else int(current_app.config["PASSPORT_RETENTION_DAYS"])
    cutoff = business_today(now) - timedelta(days=days)
    guests = db.session.scalars(
        select(Guest).where(
            Guest.passport_number.is_not(None),
            ~Guest.booking.has(
                Booking.items.any(BookingItem.check_out > cutoff),
            ),
        )
    ).all()
    for guest in guests:
        guest.passport_number = None
    db.session.commit()
    return len(guests)
