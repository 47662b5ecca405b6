"""Accounts, roles, community membership and API tokens."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .types import UTCDateTime, str_enum


class Role(enum.StrEnum):
    TOURIST = "tourist"
    HOST = "host"
    GUIDE = "guide"
    #: the village cooperative's staff: approves listings and sees its community's figures
    COOP = "coop"
    #: platform staff: everything, every community
    ADMIN = "admin"

    @property
    def title(self) -> str:
        return str(ROLE_TITLES[self])


ROLE_TITLES = {
    Role.TOURIST: _l("Tourist"),
    Role.HOST: _l("Host"),
    Role.GUIDE: _l("Guide"),
    Role.COOP: _l("Cooperative"),
    Role.ADMIN: _l("Administrator"),
}

community_member = Table(
    "community_member",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("community_id", ForeignKey("community.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: stored lower-cased; the login name
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), default=Role.TOURIST)
    #: the language chosen in the switcher, used for pages and emails
    locale: Mapped[str | None] = mapped_column(String(8))
    phone: Mapped[str | None] = mapped_column(String(32))
    #: ISO 3166-1 alpha-2
    nationality: Mapped[str | None] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when the owner opened the link mailed to `email`; until then no guest booking joins
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: part of the login id kept in session and remember-me cookies; raising it (password change
    #: or reset) ends every session and remember-me cookie made before
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: the TOTP secret as a Fernet token (crypto.encrypt; services/accounts/two_factor.py); set at
    #: enrolment, in force once confirmed
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    #: when the first code confirmed the secret; NULL: two-factor sign-in is off
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the 30-second time step of the last accepted code, so one code signs in only once
    totp_last_step: Mapped[int | None] = mapped_column()
    #: SHA-256 hashes of the unused recovery codes, one per line
    totp_recovery_hashes: Mapped[str | None] = mapped_column(Text)

    communities = relationship("Community", secondary=community_member, back_populates="members")
    tokens = relationship("ApiToken", back_populates="user", cascade="all, delete-orphan")

    def get_id(self) -> str:
        """Flask-Login's id: "user id:session version", so old cookies stop loading the user."""
        return f"{self.id}:{self.session_version or 1}"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive (suspended) accounts
        return self.active

    @property
    def community_ids(self) -> set[int]:
        return {c.id for c in self.communities}

    def is_staff_of(self, community_id: int) -> bool:
        """Admins everywhere; cooperative staff, hosts and guides in their own communities."""
        if self.role == Role.ADMIN:
            return True
        return (
            self.role in (Role.COOP, Role.HOST, Role.GUIDE) and community_id in self.community_ids
        )

    def manages(self, community_id: int) -> bool:
        """May approve listings and see the figures of that community."""
        return self.role == Role.ADMIN or (
            self.role == Role.COOP and community_id in self.community_ids
        )

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"


class ApiToken(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the bearer token; the token itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", back_populates="tokens")
