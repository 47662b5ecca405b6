"""Calendar sync with other channels (Airbnb, Booking.com) through iCal (RFC 5545).

Export: each room type has a feed at a secret URL listing the nights it cannot be sold here
(confirmed bookings, the host's and the cooperative's blocks) as all-day events. Nights that came
from other channels are left out, so two channels never echo each other's blocks forever.
Import: each external feed's events block those nights with source `ical`, tagged with the feed,
so a sync replaces only that feed's blocks. A broken feed is recorded and the others go on.
"""

import ipaddress
import secrets
import socket
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import delete, select

from ..clock import business_today, utcnow
from ..extensions import db
from ..models import (
    FOREVER,
    BlockedNight,
    BlockSource,
    BookingItem,
    BookingNight,
    ExternalCalendar,
    RoomType,
    User,
)
from . import audit
from .errors import NotFound, ServiceError

FETCH_TIMEOUT = 15
MAX_FEED_BYTES = 2 * 1024 * 1024
#: how far ahead imported events block nights
HORIZON_DAYS = 540
PRODID = "-//Mountain Homestays//Calendar//EN"


def feed_token(room_type: RoomType) -> str:
    """The secret of the room type's feed URL, made on first use (commits then)."""
    if not room_type.ical_token:
        room_type.ical_token = secrets.token_urlsafe(32)
        db.session.commit()
    return room_type.ical_token


def rotate_token(room_type: RoomType) -> str:
    """A new secret: the old URL stops working (when it leaked)."""
    room_type.ical_token = secrets.token_urlsafe(32)
    db.session.commit()
    return room_type.ical_token


def room_type_for_token(token: str) -> RoomType:
    room_type = (
        db.session.scalar(select(RoomType).where(RoomType.ical_token == token)) if token else None
    )
    if room_type is None:
        raise NotFound(_("No such calendar."), "not_found")
    return room_type


def _runs(nights: list[date]) -> list[tuple[date, date]]:
    """Consecutive nights as (first, morning after last) pairs."""
    runs: list[tuple[date, date]] = []
    for night in sorted(set(nights)):
        if runs and runs[-1][1] == night:
            runs[-1] = (runs[-1][0], night + timedelta(days=1))
        else:
            runs.append((night, night + timedelta(days=1)))
    return runs


def export_feed(room_type: RoomType, now: datetime | None = None) -> bytes:
    """The room type's unavailable nights from today on, as an RFC 5545 VCALENDAR."""
    now = now or utcnow()
    today = business_today(now)
    booked = db.session.scalars(
        select(BookingNight.night).where(
            BookingNight.room_type_id == room_type.id,
            BookingNight.night >= today,
            BookingNight.claimed_until >= FOREVER,
        )
    ).all()
    blocked = db.session.scalars(
        select(BlockedNight.night).where(
            BlockedNight.room_type_id == room_type.id,
            BlockedNight.night >= today,
            BlockedNight.source != BlockSource.ICAL,
        )
    ).all()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    for start, end in _runs([*booked, *blocked]):
        event = Event()
        event.add("uid", f"{room_type.id}-{start.isoformat()}@mountain-homestays")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", "Not available")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()


# --- import ----------------------------------------------------------------------------------


def add_external(room_type: RoomType, actor: User, url: str) -> ExternalCalendar:
    """Remember another channel's feed for this room type; commits. Raises invalid_url."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
        raise ServiceError(
            _("Enter the calendar's web address (https://...)."), "invalid_url", "url"
        )
    calendar = ExternalCalendar(room_type=room_type, url=url)
    db.session.add(calendar)
    db.session.flush()
    audit.record(room_type.listing, "calendar_added", actor=actor, data={"url": url})
    db.session.commit()
    return calendar


def external_of(listing, calendar_id: int) -> ExternalCalendar:
    calendar = db.session.get(ExternalCalendar, calendar_id)
    if calendar is None or calendar.room_type.listing_id != listing.id:
        raise NotFound(_("No such calendar."), "not_found")
    return calendar


def remove_external(calendar: ExternalCalendar, actor: User) -> None:
    db.session.execute(
        delete(BlockedNight).where(
            BlockedNight.room_type_id == calendar.room_type_id,
            BlockedNight.source == BlockSource.ICAL,
            BlockedNight.reason == _tag(calendar),
        )
    )
    audit.record(calendar.room_type.listing, "calendar_removed", actor=actor)
    db.session.delete(calendar)
    db.session.commit()


def _tag(calendar: ExternalCalendar) -> str:
    return f"ical:{calendar.id}"


def check_public_url(url: str) -> None:
    """Refuse a feed address inside our own network (the server fetches what hosts type in).

    Raises ValueError for a scheme other than http(s) or a host that resolves to a loopback,
    private, link-local or reserved address, unless ICAL_ALLOW_PRIVATE_HOSTS is set (tests).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("only http and https calendar addresses")
    if current_app.config.get("ICAL_ALLOW_PRIVATE_HOSTS"):
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for info in socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP):
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise ValueError("calendar address points inside a private network")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another public address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_public_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str) -> bytes:
    """The feed's bytes (at most MAX_FEED_BYTES); raises OSError or ValueError."""
    check_public_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": "mountain-homestays-ical/1"})
    opener = urllib.request.build_opener(_CheckedRedirects)
    with opener.open(request, timeout=FETCH_TIMEOUT) as response:
        data = response.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        raise ValueError("feed too large")
    return data


def parse_nights(data: bytes, first: date, last: date) -> set[date]:
    """Nights covered by the feed's events between first and last; raises ValueError."""
    calendar = Calendar.from_ical(data)
    if calendar.name != "VCALENDAR":
        raise ValueError("not a VCALENDAR")
    nights: set[date] = set()
    for event in calendar.walk("VEVENT"):
        if str(event.get("status", "")).upper() == "CANCELLED":
            continue
        start = event.decoded("dtstart")
        end = event.decoded("dtend") if event.get("dtend") else None
        start_day = start.date() if isinstance(start, datetime) else start
        if end is None:
            end_day = start_day + timedelta(days=1)
        else:
            end_day = end.date() if isinstance(end, datetime) else end
            if isinstance(end, datetime) and (end.hour or end.minute):
                end_day += timedelta(days=1)  # a timed end takes that night's morning
        day = max(start_day, first)
        while day < end_day and day <= last:
            nights.add(day)
            day += timedelta(days=1)
    return nights


@dataclass
class SyncResult:
    calendar_id: int
    url: str
    ok: bool
    nights: int = 0
    error: str = ""


def sync_calendar(calendar: ExternalCalendar, now: datetime | None = None) -> SyncResult:
    """Pull one feed and make its blocks match it; commits. Never raises for a bad feed."""
    now = now or utcnow()
    today = business_today(now)
    try:
        nights = parse_nights(fetch(calendar.url), today, today + timedelta(days=HORIZON_DAYS))
    except Exception as exc:  # noqa: BLE001  (any failure of someone else's feed is reported)
        db.session.rollback()
        calendar.last_error = f"{type(exc).__name__}: {exc}"[:500]
        db.session.commit()
        return SyncResult(calendar.id, calendar.url, False, error=calendar.last_error)
    tag = _tag(calendar)
    mine = {
        b.night: b
        for b in db.session.scalars(
            select(BlockedNight).where(
                BlockedNight.room_type_id == calendar.room_type_id,
                BlockedNight.source == BlockSource.ICAL,
                BlockedNight.reason == tag,
                BlockedNight.night >= today,
            )
        )
    }
    for night, block in mine.items():
        if night not in nights:
            db.session.delete(block)
    taken = set(
        db.session.scalars(
            select(BlockedNight.night).where(
                BlockedNight.room_type_id == calendar.room_type_id,
                BlockedNight.source == BlockSource.ICAL,
                BlockedNight.night.in_(nights),
            )
        )
    )
    for night in sorted(nights - taken):
        db.session.add(
            BlockedNight(
                room_type_id=calendar.room_type_id,
                night=night,
                source=BlockSource.ICAL,
                reason=tag,
            )
        )
    calendar.last_synced_at = now
    calendar.last_error = ""
    db.session.commit()
    return SyncResult(calendar.id, calendar.url, True, nights=len(nights))


def sync_all(now: datetime | None = None) -> list[SyncResult]:
    """Every external feed, one at a time; a broken one is reported and the rest go on."""
    ids = db.session.scalars(select(ExternalCalendar.id).order_by(ExternalCalendar.id)).all()
    return [sync_calendar(db.session.get(ExternalCalendar, i), now=now) for i in ids]


def externals_of(room_type_ids: list[int]) -> list[ExternalCalendar]:
    if not room_type_ids:
        return []
    return list(
        db.session.scalars(
            select(ExternalCalendar)
            .where(ExternalCalendar.room_type_id.in_(room_type_ids))
            .order_by(ExternalCalendar.id)
        )
    )


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


# --- the host's month grid -------------------------------------------------------------------


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
