"""Villages and homestay clusters: the communities that list stays and tours."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .types import UTCDateTime


class Community(db.Model):
    __table_args__ = (
        CheckConstraint("commission_rate_bp BETWEEN 0 AND 10000", name="commission_rate"),
        CheckConstraint("community_fund_rate_bp BETWEEN 0 AND 10000", name="fund_rate"),
        CheckConstraint("commission_rate_bp + community_fund_rate_bp <= 10000", name="rates_sum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    #: {"vi": "...", "en": "..."}
    name: Mapped[dict] = mapped_column(JSON)
    province: Mapped[str] = mapped_column(String(80))
    district: Mapped[str] = mapped_column(String(80), default="")
    #: two letters that start every booking reference of this community, e.g. "HL"
    reference_prefix: Mapped[str] = mapped_column(String(4), unique=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    #: {"vi": "...", "en": "..."}
    story: Mapped[dict] = mapped_column(JSON, default=dict)
    #: codes such as "asean_cbt", "asean_homestay", "unesco_geopark"
    certifications: Mapped[list] = mapped_column(JSON, default=list)
    #: [{"name": {lang: text}, "description": {lang: text}, "distance_km": int}]
    attractions: Mapped[list] = mapped_column(JSON, default=list)
    #: [{lang: text}]
    specialties: Mapped[list] = mapped_column(JSON, default=list)
    #: NAPAS bank identification number of the cooperative's account, for VietQR
    bank_bin: Mapped[str | None] = mapped_column(String(6))
    bank_account_number: Mapped[str | None] = mapped_column(String(19))
    bank_account_name: Mapped[str | None] = mapped_column(String(70))
    #: platform commission in basis points of what the tourist pays (1000 = 10 %)
    commission_rate_bp: Mapped[int] = mapped_column(default=1000)
    #: the village fund's share in basis points
    community_fund_rate_bp: Mapped[int] = mapped_column(default=500)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members = relationship("User", secondary="community_member", back_populates="communities")
    listings = relationship("Listing", back_populates="community")

    def __repr__(self) -> str:
        return f"<Community {self.slug}>"
