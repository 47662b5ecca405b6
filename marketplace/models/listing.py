"""What a community sells: stays with room types, tours with departures, and their calendars."""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from ..i18n import text_fallbacks
from .types import UTCDateTime, str_enum


class ListingKind(enum.StrEnum):
    STAY = "stay"
    TOUR = "tour"


class ListingStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    SUSPENDED = "suspended"


#: allowed moves of a listing's status (judged by `models.states.judge`, moved by
#: `services.listing_review.move_listing`): the host submits a draft, the cooperative approves
#: or sends it back, suspends a live (or waiting) listing and may put it back on sale
LISTING_TRANSITIONS: dict[ListingStatus, frozenset[ListingStatus]] = {
    ListingStatus.DRAFT: frozenset({ListingStatus.PENDING}),
    ListingStatus.PENDING: frozenset(
        {ListingStatus.PUBLISHED, ListingStatus.DRAFT, ListingStatus.SUSPENDED}
    ),
    ListingStatus.PUBLISHED: frozenset({ListingStatus.SUSPENDED}),
    ListingStatus.SUSPENDED: frozenset({ListingStatus.PUBLISHED}),
}


class CancellationPolicy(enum.StrEnum):
    FLEXIBLE = "flexible"
    MODERATE = "moderate"
    STRICT = "strict"


class PaymentMethod(enum.StrEnum):
    STRIPE = "stripe"
    VIETQR = "vietqr"
    PAY_AT_ARRIVAL = "pay_at_arrival"


LISTING_STATUS_TITLES = {
    ListingStatus.DRAFT: _l("Draft"),
    ListingStatus.PENDING: _l("Waiting for approval"),
    ListingStatus.PUBLISHED: _l("Published"),
    ListingStatus.SUSPENDED: _l("Suspended"),
}


class Listing(db.Model):
    __table_args__ = (Index("ix_listing_community_status", "community_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable slug, used in URLs and by the demo seed
    key: Mapped[str] = mapped_column(String(80), unique=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    host_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[ListingKind] = mapped_column(str_enum(ListingKind, "listing_kind"))
    status: Mapped[ListingStatus] = mapped_column(
        str_enum(ListingStatus, "listing_status"), default=ListingStatus.DRAFT
    )
    #: the cooperative's note on approval or rejection, shown to the host
    review_note: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    amenities: Mapped[list] = mapped_column(JSON, default=list)
    certifications: Mapped[list] = mapped_column(JSON, default=list)
    cancellation_policy: Mapped[CancellationPolicy] = mapped_column(
        str_enum(CancellationPolicy, "cancellation_policy"), default=CancellationPolicy.MODERATE
    )
    #: PaymentMethod values this listing accepts
    payment_methods: Mapped[list] = mapped_column(JSON, default=list)
    #: the picture generator's scene for demo listings without uploaded photos
    scene: Mapped[str | None] = mapped_column(String(20))
    #: for tours: how long one departure lasts
    duration_minutes: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    community = relationship("Community", back_populates="listings")
    host = relationship("User")
    texts = relationship("ListingText", back_populates="listing", cascade="all, delete-orphan")
    photos = relationship(
        "ListingPhoto",
        back_populates="listing",
        cascade="all, delete-orphan",
        order_by="ListingPhoto.position",
    )
    room_types = relationship(
        "RoomType", back_populates="listing", cascade="all, delete-orphan", order_by="RoomType.id"
    )
    departures = relationship(
        "Departure",
        back_populates="listing",
        cascade="all, delete-orphan",
        order_by="Departure.starts_at",
    )
    price_rules = relationship("PriceRule", back_populates="listing", cascade="all, delete-orphan")

    def text_for(self, locale: str) -> tuple["ListingText | None", bool]:
        """The text in `locale`, else by `text_fallbacks`, else any; and whether it is a fallback."""
        by_locale = {t.locale: t for t in self.texts}
        if locale in by_locale:
            return by_locale[locale], False
        for fallback in (*text_fallbacks(locale), *by_locale):
            if fallback in by_locale:
                return by_locale[fallback], True
        return None, True

    def accepts(self, method: "PaymentMethod | str") -> bool:
        return PaymentMethod(method).value in (self.payment_methods or [])

    def __repr__(self) -> str:
        return f"<Listing {self.key}>"


class ListingText(db.Model):
    """A listing's words in one language, as the host wrote them."""

    __table_args__ = (UniqueConstraint("listing_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    house_rules: Mapped[str] = mapped_column(Text, default="")
    directions: Mapped[str] = mapped_column(Text, default="")
    #: for tours: where the guide meets the group
    meeting_point: Mapped[str] = mapped_column(Text, default="")

    listing = relationship("Listing", back_populates="texts")


class ListingPhoto(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listing.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    #: file stem under the upload folder; renditions are `{stem}-{width}.jpg`
    stem: Mapped[str] = mapped_column(String(64), unique=True)
    #: the widths rendered, e.g. [360, 720, 1200]
    widths: Mapped[list] = mapped_column(JSON, default=list)
    #: {lang: text}
    alt: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    listing = relationship("Listing", back_populates="photos")


class RoomType(db.Model):
    """A kind of room (or bed) in a stay; `units` of them are sold per night."""

    __table_args__ = (
        CheckConstraint("units >= 0", name="units_non_negative"),
        CheckConstraint("max_guests >= 1", name="max_guests_positive"),
        CheckConstraint("nightly_price >= 0", name="price_non_negative"),
        CheckConstraint("min_nights >= 1", name="min_nights_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listing.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(40), default="")
    #: {lang: text}
    name: Mapped[dict] = mapped_column(JSON)
    units: Mapped[int] = mapped_column(default=1)
    #: guests one unit sleeps
    max_guests: Mapped[int] = mapped_column(default=2)
    #: VND for one unit and one night, before price rules
    nightly_price: Mapped[int]
    min_nights: Mapped[int] = mapped_column(default=1)
    #: a dormitory: each unit is one bed, and quantities read "2 beds", not "2 rooms"
    sold_by_bed: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: secret part of this room type's iCal feed URL
    ical_token: Mapped[str | None] = mapped_column(String(43), unique=True)

    listing = relationship("Listing", back_populates="room_types")
    blocked_nights = relationship(
        "BlockedNight", back_populates="room_type", cascade="all, delete-orphan"
    )
    external_calendars = relationship(
        "ExternalCalendar", back_populates="room_type", cascade="all, delete-orphan"
    )


class PriceRuleKind(enum.StrEnum):
    WEEKEND = "weekend"  # Friday and Saturday nights
    SEASON = "season"  # a date range, e.g. Tet or the Peach Blossom festival
    DATE = "date"  # one night with a price of its own


class PriceRule(db.Model):
    """A change to the nightly price; a date override wins over a season, a season over a weekend."""

    __table_args__ = (
        CheckConstraint("percent IS NULL OR percent > -100", name="percent_range"),
        CheckConstraint("nightly_price IS NULL OR nightly_price >= 0", name="price_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listing.id", ondelete="CASCADE"), index=True
    )
    #: None: every room type of the listing
    room_type_id: Mapped[int | None] = mapped_column(ForeignKey("room_type.id", ondelete="CASCADE"))
    kind: Mapped[PriceRuleKind] = mapped_column(str_enum(PriceRuleKind, "price_rule_kind"))
    name: Mapped[dict] = mapped_column(JSON, default=dict)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]  # inclusive
    #: +20 makes the night 20 % dearer
    percent: Mapped[int | None]
    #: a fixed price for DATE rules
    nightly_price: Mapped[int | None]

    listing = relationship("Listing", back_populates="price_rules")


class BlockSource(enum.StrEnum):
    HOST = "host"
    ICAL = "ical"
    CLOSURE = "closure"


class BlockedNight(db.Model):
    """A night a room type cannot be sold: the host's own use, another channel, a closure."""

    __table_args__ = (UniqueConstraint("room_type_id", "night", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_type.id", ondelete="CASCADE"))
    night: Mapped[date]
    source: Mapped[BlockSource] = mapped_column(
        str_enum(BlockSource, "block_source"), default=BlockSource.HOST
    )
    reason: Mapped[str] = mapped_column(String(200), default="")

    room_type = relationship("RoomType", back_populates="blocked_nights")


class DepartureStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


#: allowed moves of a departure's status (judged by `models.states.judge`, moved by
#: `services.closures.transition_departure`): the cooperative cancels a scheduled run (a flood, a
#: landslide); lifting a closure made by mistake reopens a cancelled run, which
#: `transition_departure` refuses once any of its tourists was cancelled or offered a move
DEPARTURE_TRANSITIONS: dict[DepartureStatus, frozenset[DepartureStatus]] = {
    DepartureStatus.SCHEDULED: frozenset({DepartureStatus.CANCELLED}),
    DepartureStatus.CANCELLED: frozenset({DepartureStatus.SCHEDULED}),
}


class Departure(db.Model):
    """One run of a tour, with a number of seats."""

    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_non_negative"),
        CheckConstraint("price_per_person >= 0", name="price_non_negative"),
        Index("ix_departure_listing_starts", "listing_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int]
    price_per_person: Mapped[int]
    guide_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    status: Mapped[DepartureStatus] = mapped_column(
        str_enum(DepartureStatus, "departure_status"), default=DepartureStatus.SCHEDULED
    )
    #: when it was last cancelled: bookings ended since then were ended by that closure
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    listing = relationship("Listing", back_populates="departures")
    guide = relationship("User")


class ExternalCalendar(db.Model):
    """An iCal feed of another channel (Airbnb, Booking.com) whose nights we block."""

    id: Mapped[int] = mapped_column(primary_key=True)
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_type.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(500))
    last_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: when a fetch was last started (a host's "sync now" waits a few minutes after it)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    room_type = relationship("RoomType", back_populates="external_calendars")
