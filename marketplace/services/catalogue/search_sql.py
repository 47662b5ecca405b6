"""The statements a search runs: the listings that fit, and the page's room types and departures.

Each is one statement whatever the catalogue's size; the rules themselves (what is free, what
fits) are `availability`'s and `booking_rules`', here only put together. The statements are
built once per shape of query (community or not, kind, dates or not) with bound parameters and
kept: building and keying SQLAlchemy statements of this size costs a search several
milliseconds of CPU, as much as the database's own work. See docs/availability.md.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import (
    Integer,
    Select,
    String,
    bindparam,
    false,
    literal,
    select,
    type_coerce,
    union_all,
)

from ...clock import BUSINESS_TZ, business_today
from ...extensions import db
from ...models import (
    Community,
    Departure,
    DepartureStatus,
    Listing,
    ListingKind,
    ListingStatus,
    RoomType,
)
from . import availability
from .booking_rules import BOOKING_CUTOFF, rooms_needed
from .search_query import SearchQuery

#: without dates, tours show their departures of the next days
TOUR_HORIZON_DAYS = 30


def rows(stmt, params: dict | None = None) -> list:
    """Plain rows through the session's connection: no ORM bookkeeping for thousands of rows."""
    return db.session.connection().execute(stmt, params or {}).all()


def parameters(query: SearchQuery, now: datetime) -> dict:
    """The values the statements below bind, for `query` at `now`."""
    if query.dated:
        first, last = query.check_in, query.check_out
    else:
        first = business_today(now)
        last = first + timedelta(days=TOUR_HORIZON_DAYS)
    values = {
        "community": query.community,
        "kind": query.kind,
        "guests": query.guests,
        "now": now,
        # `booking_rules.departure_open`: sales close BOOKING_CUTOFF before the start
        "open_after": now + BOOKING_CUTOFF,
        # departures in the dates, both days included
        "starts": datetime.combine(first, time.min, tzinfo=BUSINESS_TZ),
        "ends": datetime.combine(last + timedelta(days=1), time.min, tzinfo=BUSINESS_TZ),
    }
    if query.dated:
        values.update(
            check_in=query.check_in,
            last_night=date.fromordinal(query.check_out.toordinal() - 1),
            nights=query.nights,
        )
    return values


def listing_conditions(query: SearchQuery) -> list:
    """SQL conditions on Listing: published, and the query's community and kind (bound as
    `community` and `kind`, see `parameters`)."""
    conditions = [Listing.status == ListingStatus.PUBLISHED]
    if query.community:
        conditions.append(
            Listing.community_id.in_(
                select(Community.id).where(Community.slug == bindparam("community"))
            )
        )
    if query.kind:
        conditions.append(Listing.kind == bindparam("kind", type_=Listing.kind.type))
    return conditions


def _departure_window() -> tuple:
    """Departures between `starts` and `ends` still open for booking (`parameters`)."""
    return (
        Departure.starts_at >= bindparam("starts"),
        Departure.starts_at < bindparam("ends"),
        Departure.status == DepartureStatus.SCHEDULED,
        Departure.starts_at > bindparam("open_after"),
    )


def _fits(dated: bool):
    """SQL condition on Listing: it can take the party (a room type or a departure fits)."""
    guests, now = bindparam("guests", type_=Integer), bindparam("now")
    if dated:
        stays = availability.room_types_that_fit(
            guests, bindparam("check_in"), bindparam("last_night"), now
        ).where(RoomType.min_nights <= bindparam("nights"))
    else:
        stays = select(RoomType.listing_id).where(
            RoomType.units >= rooms_needed(guests, RoomType.max_guests)
        )
    tours = select(Departure.listing_id).where(
        *_departure_window(), availability.departure_fits(guests, now)
    )
    # an IN over a UNION keeps the planner's estimate small: PostgreSQL would otherwise
    # JIT-compile the query for a second on an OR of correlated EXISTS; the IN removes
    # duplicates itself, so the UNION need not
    return Listing.id.in_(union_all(stays, tours))


@lru_cache(maxsize=64)
def _candidates(shape: SearchQuery, fitting: bool) -> Select:
    """The statement of `candidate_rows` for queries shaped like `shape` (see `_shape`)."""
    conditions = listing_conditions(shape)
    if fitting:
        conditions.append(_fits(shape.dated))
    # the kind as its text: thousands of rows spared the enum's decoding
    columns = [Listing.id, type_coerce(Listing.kind, String).label("kind")]
    if shape.certification:
        columns.append(Listing.certifications)
    return select(*columns).where(*conditions).order_by(Listing.id)


def _shape(query: SearchQuery) -> SearchQuery:
    """What the statements depend on: whether there is a community, the kind, a certification
    and dates; the values themselves are bound."""
    return SearchQuery(
        community="x" if query.community else None,
        kind=query.kind,
        check_in=date.min if query.dated else None,
        certification="x" if query.certification else None,
    )


def candidate_rows(query: SearchQuery, now: datetime, *, fitting: bool) -> list:
    """Rows (id, kind) of the query's published listings in order; only those that can take
    the party when `fitting`. `kind` is the ListingKind's text."""
    found = rows(_candidates(_shape(query), fitting), parameters(query, now))
    if not query.certification:
        return found
    return [r for r in found if query.certification in (r.certifications or ())]


_ROOM_COLUMNS = (
    RoomType.id,
    RoomType.listing_id,
    RoomType.units,
    RoomType.max_guests,
    RoomType.nightly_price,
    RoomType.min_nights,
)


def _room_rows(listings, dated: bool) -> Select:
    if not dated:
        stmt = select(*_ROOM_COLUMNS, literal(None).label("busiest"), false().label("blocked"))
    else:
        ids = select(RoomType.id).where(RoomType.listing_id.in_(listings))
        first, last = bindparam("check_in"), bindparam("last_night")
        busiest = availability.busiest_nights(first, last, bindparam("now"), ids)
        blocked = availability.blocked_within(first, last, ids)
        stmt = (
            select(
                *_ROOM_COLUMNS,
                busiest.c.rooms.label("busiest"),
                blocked.c.room_type_id.is_not(None).label("blocked"),
            )
            .outerjoin(busiest, busiest.c.room_type_id == RoomType.id)
            .outerjoin(blocked, blocked.c.room_type_id == RoomType.id)
        )
    return stmt.where(RoomType.listing_id.in_(listings)).order_by(
        RoomType.listing_id, RoomType.nightly_price, RoomType.id
    )


def _departure_rows(listings) -> Select:
    return (
        select(
            Departure.id,
            Departure.listing_id,
            Departure.starts_at,
            Departure.capacity,
            Departure.price_per_person,
            Departure.status,
            availability.seats_taken_column(bindparam("now")).label("taken"),
        )
        .where(Departure.listing_id.in_(listings), *_departure_window())
        .order_by(Departure.starts_at, Departure.id)
    )


@lru_cache(maxsize=8)
def _by_ids(kind: ListingKind, dated: bool) -> Select:
    listings = bindparam("ids", expanding=True)
    return _room_rows(listings, dated) if kind == ListingKind.STAY else _departure_rows(listings)


def part_rows(
    kind: ListingKind, listings: "list[int] | Select", query: SearchQuery, now: datetime
) -> list:
    """The room types (stays) or departures (tours) of the listings (ids, or a SELECT of ids).

    Room types come in each listing's order of price, with dates also their busiest night's
    claims (`busiest`, None without any) and whether a night is `blocked`
    (`availability.free_of` makes them free units). Departures are the scheduled ones in the
    dates, else in the next days, in order, each with the seats it has `taken`.
    """
    values = parameters(query, now)
    if isinstance(listings, Select):
        stmt = _room_rows(listings, query.dated) if kind == ListingKind.STAY else None
        return rows(stmt if stmt is not None else _departure_rows(listings), values)
    return rows(_by_ids(kind, query.dated), {**values, "ids": listings})
