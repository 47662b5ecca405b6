"""Exchange rates an admin sets by hand, for indicative prices in a visitor's currency.

Every charge stays in VND; these rates only say roughly what a price is in dollars, euros,
yuan or won.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .types import UTCDateTime


class ExchangeRate(db.Model):
    """The current rate of one currency; the audit log keeps the earlier ones."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ISO 4217 code: USD, EUR, CNY, KRW
    currency: Mapped[str] = mapped_column(String(3), unique=True)
    #: dong for one unit of the currency, an exact decimal kept as text ("25450", "18.25"):
    #: SQLite would turn a NUMERIC into a float
    vnd_per_unit: Mapped[str] = mapped_column(String(24))
    #: the admin who set it (None once that account is gone)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    set_by = relationship("User")

    @property
    def rate(self) -> Decimal:
        return Decimal(self.vnd_per_unit)

    def __repr__(self) -> str:
        return f"<ExchangeRate {self.currency} {self.vnd_per_unit}>"
