"""Catalogue reads: communities, the listing search and one listing."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from ...services.catalogue.search_query import MAX_GUESTS, MAX_PER_PAGE, SORTS
from .common import Blank, Input, Output, Whole

Kind = Literal["stay", "tour"]
Sort = Literal[SORTS]
Price = Annotated[Whole, Field(ge=0, le=10**10)]


class DatesQuery(Input):
    check_in: Annotated[date | None, Blank] = None
    check_out: Annotated[date | None, Blank] = Field(
        None, description="After check_in, not in the past, at most 30 nights later"
    )
    guests: Annotated[Annotated[Whole, Field(ge=1, le=MAX_GUESTS)] | None, Blank] = Field(
        None, description="The party (default 1)"
    )


class ListingQuery(DatesQuery):
    community: Annotated[str | None, Blank] = Field(None, description="A community's slug")
    kind: Annotated[Kind | None, Blank] = None
    certification: Annotated[str | None, Blank] = None
    min_price: Annotated[Price | None, Blank] = None
    max_price: Annotated[Price | None, Blank] = None
    sort: Annotated[Sort | None, Blank] = None
    page: Annotated[Annotated[Whole, Field(ge=1, le=10**6)] | None, Blank] = None
    per_page: Annotated[Annotated[Whole, Field(ge=1, le=MAX_PER_PAGE)] | None, Blank] = None


class Community(Output):
    slug: str
    name: str
    province: str
    listing_count: int


class Communities(Output):
    items: list[Community]


class Photo(Output):
    url: str
    width: int


class RoomType(Output):
    id: int
    name: str
    units: int
    max_guests: int
    min_nights: int | None = None
    nightly_price: int | None = None
    available: int | None = Field(None, description="Fewest free units over the nights (dates)")
    total_price: int | None = Field(None, description="One unit, whole stay (with dates)")
    rooms_needed: int | None = None
    bookable: bool | None = None


class Departure(Output):
    id: int
    starts_at: str = Field(json_schema_extra={"format": "date-time"})
    capacity: int
    remaining: int
    price_per_person: int


class Review(Output):
    overall: int = Field(ge=1, le=5)
    text: str | None
    author_name: str | None
    author_country: str | None
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    reply: str | None


class Listing(Output):
    id: int
    key: str | None = None
    kind: Kind
    title: str
    summary: str | None = None
    text_locale: str | None = None
    community: str = Field(description="The community's slug")
    price_from: int | None = Field(
        description="With dates: the cheapest whole stay for the party (price_basis stay); "
        "tours: per person; else the lowest nightly rate"
    )
    price_basis: Literal["stay", "night", "person"] | None = None
    currency: Literal["VND"]
    url: str = Field(json_schema_extra={"format": "uri"})
    certifications: list[str] = []
    amenities: list[str] = []
    payment_methods: list[str] = []
    photos: list[Photo] = []
    latitude: float | None = None
    longitude: float | None = None
    rating: float | None = Field(
        None, description="Average overall stars (1-5) of the visible reviews; null without any"
    )
    review_count: int | None = Field(None, ge=0)
    reviews: list[Review] | None = Field(
        None, description="One listing only: its latest visible reviews"
    )
    room_types: list[RoomType] | None = Field(None, description="Stays")
    departures: list[Departure] | None = Field(
        None, description="Tours: those within the dates, else the next 30 days"
    )


class ListingPage(Output):
    items: list[Listing]
    page: int
    per_page: int
    total: int
