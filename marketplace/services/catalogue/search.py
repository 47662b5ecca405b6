"""Finding what can really be booked: one code path for the result pages, listing pages and API.

A search runs a fixed number of statements whatever the catalogue's size (`search_sql`): the
fitting listings in order (one statement with `availability.room_types_that_fit` /
`departure_fits` as SQL conditions), then for the page's dozen listings only: their room types
with each one's busiest night and blocked nights, or their departures with the seats taken (one
statement each), price rules (`pricing.rules_by_listing`), the listings with texts, photos,
community and room types, and their ratings. Sorting or filtering by price builds every
candidate in Python instead (each needs its price). See docs/availability.md. The query itself
(`SearchQuery`, `parse_query`) is in `search_query`.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...clock import utcnow
from ...extensions import db
from ...models import Community, Listing, ListingKind, ListingStatus
from . import availability, pricing, review_stats, search_sql
from .booking_rules import rooms_needed
from .search_query import SearchQuery


@dataclass(slots=True)
class RoomOffer:
    """A room type for the query: how many are free and what the stay costs."""

    room_type: object
    #: fewest free units over the nights; None without dates
    available: int | None
    #: one unit for the whole stay; None without dates
    total_price: int | None
    #: units the party needs (guests / sleeps per unit, rounded up)
    rooms_needed: int
    #: None when the room can take the party, else why not
    problem: str | None = None

    @property
    def bookable(self) -> bool:
        return self.problem is None

    @property
    def party_price(self) -> int | None:
        return None if self.total_price is None else self.total_price * self.rooms_needed


@dataclass
class DepartureOffer:
    departure: object
    remaining: int


@dataclass
class Offer:
    """A listing as the query sees it."""

    listing_id: int
    kind: ListingKind
    rooms: list[RoomOffer] = field(default_factory=list)
    departures: list[DepartureOffer] = field(default_factory=list)
    listing: Listing | None = None
    #: cheapest bookable whole stay for the party, price per person for tours, or the
    #: lowest nightly rate without dates
    price: int | None = None
    #: "stay", "person" or "night": what `price` is for
    price_basis: str = "night"
    #: public reviews: average overall stars (one decimal, None without any) and their count
    rating: float | None = None
    review_count: int = 0

    @property
    def available(self) -> bool:
        if self.kind == ListingKind.STAY:
            return any(room.bookable for room in self.rooms)
        return bool(self.departures)


@dataclass
class SearchPage:
    query: SearchQuery
    offers: list[Offer]
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def search(query: SearchQuery, now: datetime | None = None) -> SearchPage:
    """Published listings that can take the party on the dates, priced, sorted, one page.

    In the default order the database finds what fits (`search_sql.candidate_rows`) and only
    the page is built in Python; sorting or filtering by price
    builds every candidate, as each needs its price.
    """
    now = now or utcnow()
    start = (query.page - 1) * query.per_page
    by_price = query.sort in ("price_low", "price_high")
    if by_price or query.min_price is not None or query.max_price is not None:
        offers = [
            o
            for o in _offers(search_sql.candidate_rows(query, now, fitting=False), query, now)
            if o.available
        ]
        _price(offers, query)
        offers = [o for o in offers if _in_price_range(o.price, query)]
        if by_price:
            sign = -1 if query.sort == "price_high" else 1
            offers.sort(key=lambda o: (o.price is None, sign * (o.price or 0), o.listing_id))
        elif query.sort == "rating":
            offers = review_stats.by_rating(offers, now, id_of=lambda o: o.listing_id)
        total = len(offers)
        page = offers[start : start + query.per_page]
    else:
        rows = search_sql.candidate_rows(query, now, fitting=True)
        if query.sort == "rating":
            rows = review_stats.by_rating(rows, now)
        total = len(rows)
        page = _offers(rows[start : start + query.per_page], query, now, scoped=False)
    _price(page, query)
    _attach_listings(page)
    _rate(page, now)
    return SearchPage(query=query, offers=page, total=total)


def offer_for(listing: Listing, query: SearchQuery, now: datetime | None = None) -> Offer:
    """One listing for the query, whether or not it can take the party (listing page, API)."""
    now = now or utcnow()
    rows = [_ListingRow(listing.id, listing.kind)]
    offer = _offers(rows, query, now, keep_unavailable=True, scoped=False)[0]
    _price([offer], query)
    _use_models(offer, listing)
    _rate([offer], now)
    return offer


def alternatives(listing: Listing, query: SearchQuery, limit: int = 4) -> list[Offer]:
    """Free stays of the same community for the same dates: the cluster sells together."""
    community = db.session.get(Community, listing.community_id)
    around = SearchQuery(
        community=community.slug,
        kind=ListingKind.STAY,
        check_in=query.check_in,
        check_out=query.check_out,
        guests=query.guests,
        per_page=limit + 1,
    )
    return [o for o in search(around).offers if o.listing_id != listing.id][:limit]


def published_listing(key_or_id) -> Listing | None:
    """A published listing by its key or id, with what its page shows, in a few queries."""
    column = Listing.id if isinstance(key_or_id, int) else Listing.key
    return db.session.scalar(
        select(Listing)
        .where(column == key_or_id, Listing.status == ListingStatus.PUBLISHED)
        .options(*_LISTING_LOADS, selectinload(Listing.room_types))
    )


# -- the building blocks ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ListingRow:
    id: int
    kind: ListingKind


_LISTING_LOADS = (
    selectinload(Listing.texts),
    selectinload(Listing.photos),
    joinedload(Listing.community),
)


def _offers(
    rows: list,
    query: SearchQuery,
    now: datetime,
    *,
    keep_unavailable: bool = False,
    scoped: bool = True,
) -> list[Offer]:
    """Offers for the rows (anything with `id` and `kind`); `scoped` puts the query's conditions
    into SQL instead of id lists."""
    offers = {r.id: Offer(listing_id=r.id, kind=ListingKind(r.kind)) for r in rows}
    for kind, build in ((ListingKind.STAY, _room_offers), (ListingKind.TOUR, _departure_offers)):
        ids = [o.listing_id for o in offers.values() if o.kind == kind]
        if not ids:
            continue
        if scoped:
            among = select(Listing.id).where(
                *search_sql.listing_conditions(query), Listing.kind == kind
            )
        else:
            among = ids
        for part in build(among, query, now, keep_unavailable):
            listing_id = (
                part.room_type.listing_id if kind == ListingKind.STAY else part.departure.listing_id
            )
            if listing_id in offers:
                getattr(
                    offers[listing_id], "rooms" if kind == ListingKind.STAY else "departures"
                ).append(part)
    return list(offers.values())


def _room_offers(listings, query: SearchQuery, now: datetime, _keep=False) -> list[RoomOffer]:
    """Every room type of the listings (ids, or a SELECT of ids), judged for the party."""
    dated, nights, guests = query.dated, query.nights, query.guests
    offers = []
    for rt in search_sql.part_rows(ListingKind.STAY, listings, query, now):
        needed = rooms_needed(guests, rt.max_guests)
        available = availability.free_of(rt.units, rt.busiest, rt.blocked) if dated else None
        if rt.units < needed:
            problem = "too_small"
        elif dated and nights < rt.min_nights:
            problem = "min_nights"
        elif dated and available < needed:
            problem = "sold_out"
        else:
            problem = None
        offers.append(RoomOffer(rt, available, None, needed, problem))
    return offers


def _departure_offers(
    listings, query: SearchQuery, now: datetime, keep_full: bool
) -> list[DepartureOffer]:
    """Scheduled departures of the listings (ids, or a SELECT of ids) in the dates, else in
    the next days, with their seats left; full ones only when `keep_full`."""
    offers = []
    for d in search_sql.part_rows(ListingKind.TOUR, listings, query, now):
        left = availability.left_of(d.status, d.capacity, d.taken)
        if keep_full or left >= query.guests:
            offers.append(DepartureOffer(d, left))
    return offers


def _price(offers: list[Offer], query: SearchQuery) -> None:
    """Fill each offer's price (and its rooms' stay totals) once; rules in one query."""
    todo = [o for o in offers if o.price is None]
    stays = [o for o in todo if o.kind == ListingKind.STAY and o.rooms]
    rules = pricing.rules_by_listing([o.listing_id for o in stays]) if query.dated else {}
    for offer in todo:
        if offer.kind == ListingKind.TOUR:
            prices = [d.departure.price_per_person for d in offer.departures]
            offer.price, offer.price_basis = (min(prices) if prices else None), "person"
            continue
        if not query.dated:
            prices = [r.room_type.nightly_price for r in offer.rooms if r.bookable]
            offer.price, offer.price_basis = (min(prices) if prices else None), "night"
            continue
        for room in offer.rooms:
            quote = pricing.quote_stay(
                room.room_type, query.check_in, query.check_out, rules=rules[offer.listing_id]
            )
            room.total_price = quote.total
        prices = [r.party_price for r in offer.rooms if r.bookable]
        offer.price, offer.price_basis = (min(prices) if prices else None), "stay"


def _in_price_range(price: int | None, query: SearchQuery) -> bool:
    if price is None:
        return False
    if query.min_price is not None and price < query.min_price:
        return False
    return query.max_price is None or price <= query.max_price


def _attach_listings(offers: list[Offer]) -> None:
    ids = [o.listing_id for o in offers]
    if not ids:
        return
    listings = {
        listing.id: listing
        for listing in db.session.scalars(
            select(Listing)
            .where(Listing.id.in_(ids))
            .options(*_LISTING_LOADS, selectinload(Listing.room_types))
        )
    }
    for offer in offers:
        _use_models(offer, listings[offer.listing_id])


def _rate(offers: list[Offer], now: datetime) -> None:
    found = review_stats.ratings([o.listing_id for o in offers], now) if offers else {}
    for offer in offers:
        rating = found.get(offer.listing_id, review_stats.NO_RATING)
        offer.rating, offer.review_count = rating.average, rating.count


def _use_models(offer: Offer, listing: Listing) -> None:
    """Swap the light rows the search worked on for the models pages and the API show."""
    offer.listing = listing
    room_types = {rt.id: rt for rt in listing.room_types}
    for room in offer.rooms:
        room.room_type = room_types[room.room_type.id]
