"""Bookings, their items, the inventory they claim, and the guests who come."""

import enum
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..crypto import EncryptedString
from ..extensions import db
from .types import UTCDateTime, str_enum

#: `claimed_until` of a confirmed booking: it holds its inventory for good.
FOREVER = datetime(9999, 12, 31, tzinfo=UTC)


class BookingStatus(enum.StrEnum):
    PENDING_PAYMENT = "pending_payment"
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    NO_SHOW = "no_show"


#: The only moves a booking can make; anything else is refused.
BOOKING_TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    BookingStatus.PENDING_PAYMENT: frozenset(
        {BookingStatus.CONFIRMED, BookingStatus.CANCELLED, BookingStatus.EXPIRED}
    ),
    # an expired hold paid late is confirmed if the inventory is still free
    BookingStatus.EXPIRED: frozenset({BookingStatus.CONFIRMED}),
    BookingStatus.CONFIRMED: frozenset(
        {BookingStatus.CHECKED_IN, BookingStatus.CANCELLED, BookingStatus.NO_SHOW}
    ),
    BookingStatus.CHECKED_IN: frozenset({BookingStatus.COMPLETED}),
    BookingStatus.COMPLETED: frozenset(),
    BookingStatus.CANCELLED: frozenset(),
    # a no-show marked by mistake is undone: the booking is confirmed again
    BookingStatus.NO_SHOW: frozenset({BookingStatus.CONFIRMED}),
}

BOOKING_STATUS_TITLES = {
    BookingStatus.PENDING_PAYMENT: _l("Awaiting payment"),
    BookingStatus.CONFIRMED: _l("Confirmed"),
    BookingStatus.CHECKED_IN: _l("Checked in"),
    BookingStatus.COMPLETED: _l("Completed"),
    BookingStatus.CANCELLED: _l("Cancelled"),
    BookingStatus.EXPIRED: _l("Expired"),
    BookingStatus.NO_SHOW: _l("No-show"),
}

#: Statuses whose items hold inventory (a pending one only until its hold lapses).
HOLDING_STATUSES = frozenset(
    {BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN}
)


class Booking(db.Model):
    __table_args__ = (
        CheckConstraint("total >= 0", name="total_non_negative"),
        CheckConstraint("refund_amount >= 0", name="refund_non_negative"),
        Index("ix_booking_status_hold", "status", "hold_expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: short, read aloud on the phone and typed into a bank memo, e.g. HL-7K3Q9X
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    tourist_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254), index=True)
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    #: language of the tourist's emails
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    status: Mapped[BookingStatus] = mapped_column(
        str_enum(BookingStatus, "booking_status"), default=BookingStatus.PENDING_PAYMENT
    )
    #: VND, fixed when the booking is made and never recomputed
    total: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="VND")
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the method the tourist chose last (PaymentMethod value)
    payment_method: Mapped[str | None] = mapped_column(String(20))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: VND due back to the tourist under the cancellation policy
    refund_amount: Mapped[int] = mapped_column(default=0)
    special_requests: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: bumped by every UPDATE; one that lost a race without the lock fails (services.locks)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    community = relationship("Community")
    tourist = relationship("User", foreign_keys=[tourist_id])
    items = relationship(
        "BookingItem",
        back_populates="booking",
        cascade="all, delete-orphan",
        order_by="BookingItem.id",
    )
    guests = relationship("Guest", back_populates="booking", cascade="all, delete-orphan")
    payments = relationship("Payment", back_populates="booking", order_by="Payment.id")

    def is_holding(self, now: datetime) -> bool:
        if self.status == BookingStatus.PENDING_PAYMENT:
            return self.hold_expires_at is not None and self.hold_expires_at > now
        return self.status in HOLDING_STATUSES

    def __repr__(self) -> str:
        return f"<Booking {self.reference} {self.status.value}>"


class BookingItem(db.Model):
    """One thing bought: some rooms of a room type for some nights, or seats on a departure."""

    __table_args__ = (
        CheckConstraint("(room_type_id IS NULL) <> (departure_id IS NULL)", name="stay_or_tour"),
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("guests >= 1", name="guests_positive"),
        CheckConstraint("subtotal >= 0", name="subtotal_non_negative"),
        Index("ix_booking_item_departure_claim", "departure_id", "claimed_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), index=True
    )
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id"), index=True)
    #: the listing's host when booked: each provider of a trip keeps its own item
    host_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    room_type_id: Mapped[int | None] = mapped_column(ForeignKey("room_type.id"))
    departure_id: Mapped[int | None] = mapped_column(ForeignKey("departure.id"))
    #: first night (stays) or departure day (tours)
    check_in: Mapped[date]
    #: morning of departure (stays); the tour day itself for tours
    check_out: Mapped[date]
    #: rooms for a stay, seats for a tour
    quantity: Mapped[int]
    #: people: the stay's guests, or the tour's participants
    guests: Mapped[int]
    #: VND per night or per person as priced at booking: [{"date": "...", "price": int}]
    price_lines: Mapped[list] = mapped_column(JSON, default=list)
    subtotal: Mapped[int]
    #: holds the departure's seats while later than now (see FOREVER)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    booking = relationship("Booking", back_populates="items")
    listing = relationship("Listing")
    room_type = relationship("RoomType")
    departure = relationship("Departure")
    nights = relationship("BookingNight", back_populates="item", cascade="all, delete-orphan")
    ticket = relationship("Ticket", back_populates="item", uselist=False)

    @property
    def is_stay(self) -> bool:
        return self.room_type_id is not None

    @property
    def night_count(self) -> int:
        return (self.check_out - self.check_in).days


class BookingNight(db.Model):
    """Rooms of one room type claimed for one night: the per-night inventory ledger.

    Availability of a night is `units - sum(rooms where claimed_until > now) - blocked`; a hold
    lapses by time alone, so no job has to run for an expired hold to free its rooms.
    """

    __table_args__ = (
        CheckConstraint("rooms >= 1", name="rooms_positive"),
        Index("ix_booking_night_room_night", "room_type_id", "night", "claimed_until"),
        #: searches read every room type's claims over a few nights (docs/availability.md)
        Index("ix_booking_night_night", "night", "room_type_id", "claimed_until", "rooms"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("booking_item.id", ondelete="CASCADE"), index=True
    )
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_type.id"))
    night: Mapped[date]
    rooms: Mapped[int]
    claimed_until: Mapped[datetime] = mapped_column(UTCDateTime)

    item = relationship("BookingItem", back_populates="nights")


class Guest(db.Model):
    """A person in the party, as the host must register foreign guests with the police."""

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(120))
    #: ISO 3166-1 alpha-2
    nationality: Mapped[str] = mapped_column(String(2))
    date_of_birth: Mapped[date | None]
    #: foreign guests only; erased a set time after departure. Stored as a Fernet token
    #: (marketplace/crypto.py, keys PASSPORT_KEYS); code reads and writes the plain number
    passport_number: Mapped[str | None] = mapped_column(EncryptedString())
    #: "M" or "F", asked of foreign guests for the temporary-residence declaration
    sex: Mapped[str | None] = mapped_column(String(1))
    #: when the host declared the stay for temporary residence
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    booking = relationship("Booking", back_populates="guests")


class IdempotencyKey(db.Model):
    """A client's retry key (API header or booking-form token) and the booking it made."""

    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "user:<id>" for the API, "form" for the booking form's one-time token
    scope: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(120))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(db.Model):
    """Every state change of a booking, payment, listing or ticket: who, when, from what to what."""

    __table_args__ = (Index("ix_audit_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    subject_type: Mapped[str] = mapped_column(String(24))
    subject_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
