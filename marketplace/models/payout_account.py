"""Where a host's payouts are sent: the bank account the cooperative transfers to."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .types import UTCDateTime


class PayoutAccount(db.Model):
    """One per host; the batch-transfer file for the bank is written from it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    #: the bank's short name as the batch template wants it ("Vietcombank", "BIDV", "Agribank")
    bank_name: Mapped[str] = mapped_column(String(80))
    account_number: Mapped[str] = mapped_column(String(19))
    #: the beneficiary as the bank spells it: capitals without accents ("NGUYEN VAN AN")
    account_name: Mapped[str] = mapped_column(String(70))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    host = relationship("User", foreign_keys=[host_id])
