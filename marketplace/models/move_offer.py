"""A tourist's choice after the cooperative cancelled their departure: another run or a refund."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .types import UTCDateTime, str_enum


class MoveOfferStatus(enum.StrEnum):
    #: waiting for the tourist's answer
    OPEN = "open"
    #: the tourist moved to one of the alternatives (`moved_to_id`)
    ACCEPTED = "accepted"
    #: the tourist asked for the refund instead
    REFUSED = "refused"
    #: no answer by the cancelled departure's day (refunded), or the booking ended another way
    LAPSED = "lapsed"


#: allowed moves of a move offer's status (judged by `models.states.judge`, moved by
#: `services.departure_moves.transition_offer`): every answer is final
MOVE_OFFER_TRANSITIONS: dict[MoveOfferStatus, frozenset[MoveOfferStatus]] = {
    MoveOfferStatus.OPEN: frozenset(
        {MoveOfferStatus.ACCEPTED, MoveOfferStatus.REFUSED, MoveOfferStatus.LAPSED}
    ),
    MoveOfferStatus.ACCEPTED: frozenset(),
    MoveOfferStatus.REFUSED: frozenset(),
    MoveOfferStatus.LAPSED: frozenset(),
}


class MoveOffer(db.Model):
    """Other departures offered to a booking whose departure was cancelled; part of the booking's
    aggregate: written only while the booking row is locked (`services.locks`)."""

    __table_args__ = (
        #: one offer per booking and cancelled departure: a repeated closure offers nothing twice
        UniqueConstraint("booking_id", "departure_id", name="uq_move_offer_booking_departure"),
        Index("ix_move_offer_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), index=True
    )
    #: the cancelled departure the booking was on when the offer was made
    departure_id: Mapped[int] = mapped_column(ForeignKey("departure.id", ondelete="CASCADE"))
    #: ids of the departures offered instead, nearest in time first
    alternative_ids: Mapped[list] = mapped_column(JSON, default=list)
    #: the cooperative's reason for cancelling, shown to the tourist
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MoveOfferStatus] = mapped_column(
        str_enum(MoveOfferStatus, "move_offer_status"), default=MoveOfferStatus.OPEN
    )
    #: the departure taken, once ACCEPTED
    moved_to_id: Mapped[int | None] = mapped_column(ForeignKey("departure.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: who answered (the tourist, or None for a guest with the link or the daily job)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    booking = relationship("Booking")
    departure = relationship("Departure", foreign_keys=[departure_id])
    moved_to = relationship("Departure", foreign_keys=[moved_to_id])

    def __repr__(self) -> str:
        return f"<MoveOffer {self.booking_id} {self.status.value}>"
