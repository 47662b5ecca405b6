"""Calendar sync with other channels (Airbnb, Booking.com) through iCal (RFC 5545).

Export: each room type has a feed at a secret URL listing the nights it cannot be sold here
(confirmed bookings taking every unit, the host's and the cooperative's blocks) as all-day
events: a room type of three rooms with one booked is still open to other channels. Nights that came
from other channels are left out, so two channels never echo each other's blocks forever.
Import: each external feed's events block those nights with source `ical`, tagged with the feed,
so a sync replaces only that feed's blocks. A broken feed is recorded and the others go on.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event
from sqlalchemy import delete, func, select

from ...clock import business_today, utcnow
from ...extensions import db
from ...gateways import ical_fetch
from ...models import (
    FOREVER,
    BlockedNight,
    BlockSource,
    BookingNight,
    ExternalCalendar,
    RoomType,
    User,
)
from ..shared import audit, outbox
from ..shared.errors import NotFound, ServiceError
from . import calendar_conflicts

#: seconds for a whole feed fetch, redirects included (not per read)
FETCH_DEADLINE = 10.0
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


def rotate_token(room_type: RoomType, actor: User | None = None) -> str:
    """A new secret for the feed URL; the old URL answers 404 from now on. Commits."""
    room_type.ical_token = secrets.token_urlsafe(32)
    audit.record(
        room_type.listing, "calendar_feed_rotated", actor=actor, data={"room_type": room_type.id}
    )
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
    # a night is sold out here only when confirmed bookings take every unit of the room type
    booked = db.session.scalars(
        select(BookingNight.night)
        .where(
            BookingNight.room_type_id == room_type.id,
            BookingNight.night >= today,
            BookingNight.claimed_until >= FOREVER,
        )
        .group_by(BookingNight.night)
        .having(func.sum(BookingNight.rooms) >= room_type.units)
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


#: why a feed could not be read, as the host is told (never the fetched content)
FETCH_REASONS = {
    "bad_scheme": _l("only http and https addresses can be read"),
    "not_found": _l("the address could not be found"),
    "private_address": _l("the address points inside a private network"),
    "connect_failed": _l("the server could not be reached"),
    "tls": _l("the server's certificate could not be verified"),
    "too_slow": _l("the server took too long to answer"),
    "too_large": _l("the calendar is larger than 2 MB"),
    "too_many_redirects": _l("the address redirects too often"),
    "not_ical": _l("the file is not an iCal calendar"),
}


def fetch(url: str) -> bytes:
    """The feed's bytes (at most MAX_FEED_BYTES within FETCH_DEADLINE); raises FetchError.

    Internal addresses are refused unless ICAL_ALLOW_PRIVATE_HOSTS is set (tests only).
    """
    return ical_fetch.fetch(
        url,
        allow_private=bool(current_app.config.get("ICAL_ALLOW_PRIVATE_HOSTS")),
        deadline_seconds=current_app.config.get("ICAL_FETCH_DEADLINE", FETCH_DEADLINE),
        max_bytes=MAX_FEED_BYTES,
    )


def error_message(code: str) -> str:
    """The plain message a host sees for a stored `last_error` code."""
    if not code:
        return ""
    name, _sep, status = code.partition(":")
    if name == "http_status" and status.isdigit():
        reason = _("the server answered %(status)s", status=status)
    else:
        reason = str(FETCH_REASONS.get(name, _l("the calendar could not be read")))
    return _("could not fetch the calendar: %(reason)s", reason=reason)


def _error_code(exc: Exception) -> str:
    if isinstance(exc, ical_fetch.FetchError):
        return f"http_status:{exc.status}" if exc.code == "http_status" else exc.code
    return "not_ical"


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
    #: confirmed bookings here that the feed's new nights overlap
    conflicts: int = 0


def sync_calendar(calendar: ExternalCalendar, now: datetime | None = None) -> SyncResult:
    """Pull one feed and make its blocks match it; commits. Never raises for a bad feed."""
    now = now or utcnow()
    today = business_today(now)
    calendar.last_attempt_at = now
    try:
        nights = parse_nights(fetch(calendar.url), today, today + timedelta(days=HORIZON_DAYS))
    except Exception as exc:  # noqa: BLE001  (any failure of someone else's feed is reported)
        db.session.rollback()
        # a code, never the exception text: parser errors quote what the server sent
        calendar.last_error = _error_code(exc)
        calendar.last_attempt_at = now
        db.session.commit()
        return SyncResult(
            calendar.id, calendar.url, False, error=error_message(calendar.last_error)
        )
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
    added = sorted(nights - taken)
    for night in added:
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
    # the block stands, the booking stands: the host is told and settles it with the guests
    conflicts = calendar_conflicts.overlapping(calendar.room_type_id, added)
    calendar_conflicts.report(calendar, conflicts)
    db.session.commit()
    if conflicts:
        outbox.kick()
    return SyncResult(calendar.id, calendar.url, True, nights=len(nights), conflicts=len(conflicts))


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


# the host's month grid lives in calendar_grid; kept importable from here for its callers
from .calendar_grid import DayCell, booked_item_nights, month_grid  # noqa: E402, F401
