"""What a listing sells: a stay's room types and their prices, a tour's departures.

Kept apart from the listing itself (`listings`: who manages it, its texts and terms, blocked
nights) because these are the units bookings take and prices are quoted from; the host edits
them on their own pages. Access is checked by the caller (`listings.get_listing`).

Each change arrives as typed values (`RoomTypeChange`, `PriceRuleChange`, `DepartureSchedule`,
`DepartureChange`): the page reads the numbers, dates and times with `shared.values`, within
the ranges below; what depends on the listing (its kind, its rooms, the community's guides,
the seats already booked) is decided here.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ...clock import BUSINESS_TZ, to_business_time, utcnow
from ...database import begin_write
from ...extensions import db
from ...i18n import supported
from ...models import (
    Departure,
    DepartureStatus,
    Listing,
    ListingKind,
    PriceRule,
    PriceRuleKind,
    Role,
    RoomType,
    User,
)
from ..shared import audit, locks
from ..shared.errors import NotFound, ServiceError
from . import availability
from .listings import date_range

#: most departures one recurring rule may create
MAX_RECURRING = 120
#: what a page accepts for each number, as (minimum, maximum)
ROOM_UNITS = (0, 500)
ROOM_GUESTS = (1, 50)
ROOM_MIN_NIGHTS = (1, 60)
PRICE = (0, 10**9)
PERCENT = (-90, 500)
SEATS = (1, 500)


@dataclass(frozen=True)
class RoomTypeChange:
    #: the room's name in each language given (trimmed, not empty)
    names: dict[str, str]
    units: int
    max_guests: int
    nightly_price: int
    min_nights: int = 1
    sold_by_bed: bool = False


@dataclass(frozen=True)
class PriceRuleChange:
    """A DATE rule has `start_date` and `nightly_price`; WEEKEND a `percent`; SEASON a `percent`
    and both dates. `room_type_id` None: every room of the listing."""

    kind: PriceRuleKind
    room_type_id: int | None = None
    name: str = ""
    start_date: date | None = None
    end_date: date | None = None
    nightly_price: int | None = None
    percent: int | None = None


@dataclass(frozen=True)
class DepartureSchedule:
    """One departure, or one on each of `weekdays` (Monday 0) from `first_date` to `until`."""

    first_date: date
    time: time
    capacity: int
    price_per_person: int
    weekdays: frozenset[int] = frozenset()
    until: date | None = None
    guide_id: int | None = None


@dataclass(frozen=True)
class DepartureChange:
    time: time
    capacity: int
    guide_id: int | None = None


# --- room types and prices ---------------------------------------------------------------------


def save_room_type(
    listing: Listing, actor: User, change: RoomTypeChange, room_type=None
) -> RoomType:
    """Add (or change) a room type; commits. Raises ServiceError naming the field."""
    if listing.kind != ListingKind.STAY:
        raise ServiceError(_("Tours have departures, not rooms."), "not_a_stay")
    names = {
        lang: name.strip()[:80]
        for lang, name in change.names.items()
        if lang in supported() and name.strip()
    }
    if not names:
        raise ServiceError(_("Name the room."), "name_required", "name-vi")
    if room_type is None:
        room_type = RoomType(
            listing=listing, key=secrets.token_hex(3), nightly_price=change.nightly_price
        )
        db.session.add(room_type)
    room_type.name = names
    room_type.units = change.units
    room_type.max_guests = change.max_guests
    room_type.nightly_price = change.nightly_price
    room_type.min_nights = change.min_nights
    room_type.sold_by_bed = change.sold_by_bed
    db.session.flush()
    audit.record(listing, "room_type_saved", actor=actor, data={"room_type_id": room_type.id})
    db.session.commit()
    return room_type


def add_price_rule(listing: Listing, actor: User, change: PriceRuleChange) -> PriceRule:
    """A weekend rate, a season (Tet, the Peach Blossom festival) or one date's price; commits."""
    room_type_id = change.room_type_id
    if room_type_id is not None and room_type_id not in {rt.id for rt in listing.room_types}:
        raise ServiceError(_("No such room type."), "not_found", "room_type_id")
    rule = PriceRule(listing=listing, kind=change.kind, room_type_id=room_type_id)
    name = change.name.strip()[:80]
    rule.name = {"vi": name, "en": name} if name else {}
    if change.kind == PriceRuleKind.DATE:
        rule.start_date = rule.end_date = change.start_date
        rule.nightly_price = change.nightly_price
    else:
        rule.percent = change.percent
        if change.kind == PriceRuleKind.SEASON:
            rule.start_date, rule.end_date = change.start_date, change.end_date
            date_range(rule.start_date, rule.end_date, "end_date")
    db.session.add(rule)
    db.session.flush()
    audit.record(listing, "price_rule_added", actor=actor, data={"price_rule_id": rule.id})
    db.session.commit()
    return rule


def remove_price_rule(listing: Listing, actor: User, rule_id: int) -> None:
    rule = db.session.get(PriceRule, rule_id)
    if rule is None or rule.listing_id != listing.id:
        raise NotFound(_("No such price rule."), "not_found")
    db.session.delete(rule)
    audit.record(listing, "price_rule_removed", actor=actor, data={"price_rule_id": rule_id})
    db.session.commit()


def departure_days(first: date, weekdays: set[int] | None, until: date | None) -> list[date]:
    """One day, or every day of `weekdays` (Monday 0) from `first` to `until` inclusive."""
    if not weekdays:
        return [first]
    if until is None:
        raise ServiceError(_("Say until when it repeats."), "until_required", "until")
    days = [d for d in date_range(first, until, "until") if d.weekday() in weekdays]
    if len(days) > MAX_RECURRING:
        raise ServiceError(_("Too many departures at once."), "too_many", "until")
    return days


def add_departures(listing: Listing, actor: User, schedule: DepartureSchedule) -> list[Departure]:
    """One-off or recurring ("every Saturday 07:30 until March") departures; commits."""
    if listing.kind != ListingKind.TOUR:
        raise ServiceError(_("Stays have rooms, not departures."), "not_a_tour")
    guide = _guide(listing, schedule.guide_id)
    created = []
    for day in departure_days(schedule.first_date, set(schedule.weekdays), schedule.until):
        departure = Departure(
            listing=listing,
            starts_at=datetime.combine(day, schedule.time, tzinfo=BUSINESS_TZ),
            capacity=schedule.capacity,
            price_per_person=schedule.price_per_person,
            guide=guide,
            status=DepartureStatus.SCHEDULED,
        )
        db.session.add(departure)
        created.append(departure)
    db.session.flush()
    audit.record(listing, "departures_added", actor=actor, data={"count": len(created)})
    db.session.commit()
    return created


def guides_for(listing: Listing) -> list[User]:
    return [u for u in listing.community.members if u.role in (Role.GUIDE, Role.HOST) and u.active]


def _guide(listing: Listing, guide_id: int | None) -> User | None:
    """The guide chosen on a form (none when left empty): a guide or host of the community."""
    if not guide_id:
        return None
    guide = db.session.get(User, guide_id)
    if (
        guide is None
        or guide.role not in (Role.GUIDE, Role.HOST)
        or not guide.is_staff_of(listing.community_id)
    ):
        raise ServiceError(_("Choose a guide of this community."), "invalid_guide", "guide_id")
    return guide


@dataclass
class DepartureRow:
    departure: Departure
    #: seats held by bookings not cancelled nor lapsed
    booked: int


@dataclass
class DepartureDay:
    day: date
    rows: list[DepartureRow]

    @property
    def cancelled(self) -> int:
        return sum(r.departure.status == DepartureStatus.CANCELLED for r in self.rows)

    @property
    def scheduled(self) -> int:
        return len(self.rows) - self.cancelled


def departures_by_day(listing: Listing, first: date, days: int = 31, now=None):
    """The listing's departures from `first` for `days` days, grouped by (business) day."""
    start = datetime.combine(first, time.min, tzinfo=BUSINESS_TZ)
    found = db.session.scalars(
        select(Departure)
        .where(
            Departure.listing_id == listing.id,
            Departure.starts_at >= start,
            Departure.starts_at < start + timedelta(days=days),
        )
        .order_by(Departure.starts_at, Departure.id)
    ).all()
    taken = availability.seats_taken([d.id for d in found], now)
    grouped: dict[date, list[DepartureRow]] = {}
    for departure in found:
        day = to_business_time(departure.starts_at).date()
        grouped.setdefault(day, []).append(DepartureRow(departure, taken.get(departure.id, 0)))
    return [DepartureDay(day, rows) for day, rows in grouped.items()]


def get_departure(listing: Listing, departure_id: int) -> Departure:
    """One departure of `listing` (access to the listing is checked by the caller)."""
    departure = db.session.get(Departure, departure_id)
    if departure is None or departure.listing_id != listing.id:
        raise NotFound(_("No such departure."), "not_found")
    return departure


def update_departure(
    departure: Departure, actor: User, change: DepartureChange, now=None
) -> Departure:
    """Change the time (same day), the seats or the guide of a scheduled departure; commits.

    The seats are decided under the lock placing a booking takes, so none booked meanwhile is
    lost. Raises ServiceError invalid_time, below_booked (capacity), invalid_guide,
    departure_cancelled, departure_past.
    """
    now = now or utcnow()
    at, capacity = change.time, change.capacity
    try:
        begin_write()
        departure = db.session.scalar(
            locks.locking_inventory(select(Departure).where(Departure.id == departure.id))
        )
        if departure.status != DepartureStatus.SCHEDULED:
            raise ServiceError(
                _("This departure is cancelled; it can no longer be changed."),
                "departure_cancelled",
            )
        if departure.starts_at <= now:
            raise ServiceError(_("This departure has already left."), "departure_past")
        guide = _guide(departure.listing, change.guide_id)
        booked = availability.seats_taken([departure.id], now).get(departure.id, 0)
        if capacity < booked:
            raise ServiceError(
                _(
                    "%(n)d seats are already booked: keep at least that many.",
                    n=booked,
                ),
                "below_booked",
                "capacity",
            )
        day = to_business_time(departure.starts_at).date()
        before = {
            "time": to_business_time(departure.starts_at).strftime("%H:%M"),
            "capacity": departure.capacity,
            "guide_id": departure.guide_id,
        }
        departure.starts_at = datetime.combine(day, at, tzinfo=BUSINESS_TZ)
        departure.capacity = capacity
        departure.guide = guide
        after = {"time": at.strftime("%H:%M"), "capacity": capacity, "guide_id": departure.guide_id}
        audit.record(departure, "edited", actor=actor, data={"before": before, "after": after})
        db.session.commit()
    except ServiceError:
        db.session.rollback()
        raise
    return departure
