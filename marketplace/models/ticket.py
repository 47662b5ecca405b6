"""QR tickets and check-ins."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .types import UTCDateTime, str_enum


class TicketStatus(enum.StrEnum):
    VALID = "valid"
    VOID = "void"  # the booking was cancelled, or its departure will not run


#: allowed moves of a ticket's status (judged by `models.states.judge`, moved by
#: `services.tickets.move_ticket`): a cancelled booking voids its tickets; a move to another
#: departure makes the voided ticket valid again with new dates and a new secret
TICKET_TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    TicketStatus.VALID: frozenset({TicketStatus.VOID}),
    TicketStatus.VOID: frozenset({TicketStatus.VALID}),
}


class Ticket(db.Model):
    """One per confirmed booking item; its signed token is the QR code's text."""

    __table_args__ = (CheckConstraint("admits >= 1", name="admits_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_item_id: Mapped[int] = mapped_column(ForeignKey("booking_item.id"), unique=True)
    admits: Mapped[int]
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    status: Mapped[TicketStatus] = mapped_column(
        str_enum(TicketStatus, "ticket_status"), default=TicketStatus.VALID
    )
    #: the Ed25519-signed token, exactly the text in the QR code
    secret: Mapped[str] = mapped_column(String(200), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item = relationship("BookingItem", back_populates="ticket")
    checkin = relationship("CheckIn", back_populates="ticket", uselist=False)


class CheckIn(db.Model):
    """The one accepted check-in of a ticket; the unique ticket id makes a second one impossible."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), unique=True)
    #: when the guide scanned (from the device when synced offline)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    device_id: Mapped[str] = mapped_column(String(64), default="")

    ticket = relationship("Ticket", back_populates="checkin")
    by_user = relationship("User")


class Scan(db.Model):
    """Every scan and its result, for the host's view of conflicts and for statistics."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), index=True)
    result: Mapped[str] = mapped_column(String(24))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    device_id: Mapped[str] = mapped_column(String(64), default="")
    offline: Mapped[bool] = mapped_column(default=False)
