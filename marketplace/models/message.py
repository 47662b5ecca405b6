"""Conversations between a traveller and the hosts (and guide) of a booking or a listing."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .types import UTCDateTime

#: the longest message accepted, in characters
MESSAGE_MAX_LENGTH = 2000


class Conversation(db.Model):
    """One thread: about a booking (its traveller, hosts and guides), or a question about a
    listing before booking (a signed-in user and the listing's host)."""

    __table_args__ = (
        CheckConstraint(
            "(booking_id IS NULL) <> (traveller_id IS NULL)", name="booking_or_inquiry"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "booking:<id>" or "ask:<listing id>:<user id>": one thread per subject
    subject_key: Mapped[str] = mapped_column(String(64), unique=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    #: the listing asked about; for a booking thread, its first item's listing
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id"))
    #: whose cooperative may read the thread once reported
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    #: who asked, for a thread without a booking (a booking's traveller comes from the booking)
    traveller_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: set when either side reports the thread: the cooperative may then read it
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    report_reason: Mapped[str] = mapped_column(Text, default="")

    booking = relationship("Booking")
    listing = relationship("Listing")
    traveller = relationship("User", foreign_keys=[traveller_id])
    messages = relationship(
        "Message", back_populates="conversation", order_by="Message.id", cascade="all"
    )
    parties = relationship("ConversationParty", back_populates="conversation", cascade="all")


class Message(db.Model):
    """One message: plain text, shown escaped."""

    __table_args__ = (Index("ix_message_conversation", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    #: NULL: the booking's guest, who has no account
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: "traveller", "host" or "guide"
    side: Mapped[str] = mapped_column(String(12))
    #: the name shown beside the message, as it was when sent
    sender_name: Mapped[str] = mapped_column(String(120), default="")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conversation = relationship("Conversation", back_populates="messages")


class ConversationParty(db.Model):
    """A signed-in participant of a thread and how far they have read (the unread count)."""

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: the newest message this participant has seen; NULL: none
    last_read_message_id: Mapped[int | None] = mapped_column()

    conversation = relationship("Conversation", back_populates="parties")
