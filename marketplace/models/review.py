"""Reviews after a stay or a tour: the traveller reviews the listing, the host reviews the guest.

Both sides write blind: a review is shown only once its counterpart (same booking, same
listing, the other direction) is written or the review window has closed (`window_closes_at`),
so neither answers the other. The cooperative may hide a review; it is never deleted.
"""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .types import UTCDateTime, str_enum


class ReviewDirection(enum.StrEnum):
    #: the traveller about the listing (stars shown on the listing page)
    LISTING = "listing"
    #: the host about the guest (seen by hosts and staff)
    GUEST = "guest"


class ReviewStatus(enum.StrEnum):
    VISIBLE = "visible"
    #: hidden by the cooperative for breaking the rules; the author sees why
    HIDDEN = "hidden"


#: The only moves a review can make: staff hide it, or show it again.
REVIEW_TRANSITIONS: dict[ReviewStatus, frozenset[ReviewStatus]] = {
    ReviewStatus.VISIBLE: frozenset({ReviewStatus.HIDDEN}),
    ReviewStatus.HIDDEN: frozenset({ReviewStatus.VISIBLE}),
}

REVIEW_STATUS_TITLES = {
    ReviewStatus.VISIBLE: _l("Visible"),
    ReviewStatus.HIDDEN: _l("Hidden by the cooperative"),
}

_STARS = "BETWEEN 1 AND 5"


class Review(db.Model):
    __table_args__ = (
        UniqueConstraint("booking_id", "listing_id", "direction", name="uq_review_once"),
        CheckConstraint(f"overall {_STARS}", name="overall_stars"),
        CheckConstraint(f"cleanliness IS NULL OR cleanliness {_STARS}", name="cleanliness_stars"),
        CheckConstraint(f"accuracy IS NULL OR accuracy {_STARS}", name="accuracy_stars"),
        CheckConstraint(f"hospitality IS NULL OR hospitality {_STARS}", name="hospitality_stars"),
        CheckConstraint(f"guiding IS NULL OR guiding {_STARS}", name="guiding_stars"),
        Index("ix_review_listing_shown", "listing_id", "direction", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id"), index=True)
    #: the listing reviewed (LISTING), or the host's listing the guest stayed at (GUEST)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    direction: Mapped[ReviewDirection] = mapped_column(
        str_enum(ReviewDirection, "review_direction")
    )
    status: Mapped[ReviewStatus] = mapped_column(
        str_enum(ReviewStatus, "review_status"), default=ReviewStatus.VISIBLE
    )
    #: stars 1-5; the sub-scores only for LISTING reviews (guiding for tours, hospitality for stays)
    overall: Mapped[int]
    cleanliness: Mapped[int | None]
    accuracy: Mapped[int | None]
    hospitality: Mapped[int | None]
    guiding: Mapped[int | None]
    #: plain text in any language, escaped when shown
    text: Mapped[str] = mapped_column(Text, default="")
    #: first name of the author as shown publicly, copied when written
    author_name: Mapped[str] = mapped_column(String(60), default="")
    #: ISO 3166-1 alpha-2 of the booking's first guest, copied when written; None: not known
    author_country: Mapped[str | None] = mapped_column(String(2))
    #: end of the review window (14 days after check-out or the tour day): shown from then on
    window_closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: when the counterpart was written, so both are shown (blind until then)
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the host's one public answer to a LISTING review
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: why the cooperative hid it; shown to the author
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    booking = relationship("Booking")
    listing = relationship("Listing")
    author = relationship("User", foreign_keys=[author_id])

    def is_public(self, now: datetime) -> bool:
        """Shown to everyone: not hidden, and no longer blind."""
        return self.status == ReviewStatus.VISIBLE and (
            self.revealed_at is not None or self.window_closes_at <= now
        )

    def __repr__(self) -> str:
        return f"<Review {self.direction.value} {self.booking_id}/{self.listing_id}>"
