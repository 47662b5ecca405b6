"""A change to a community's money settings, waiting for a second person's approval."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .types import UTCDateTime, str_enum


class SettingChangeStatus(enum.StrEnum):
    #: asked for, not applied: waits for an admin who is not the requester
    PENDING = "pending"
    #: an admin approved it and the new values were applied in the same transaction
    APPROVED = "approved"
    #: an admin turned it down; nothing was applied
    REJECTED = "rejected"


#: allowed moves of a setting change's status (judged by `models.states.judge`, moved by
#: `services.money_settings`): every decision is final
SETTING_CHANGE_TRANSITIONS: dict[SettingChangeStatus, frozenset[SettingChangeStatus]] = {
    SettingChangeStatus.PENDING: frozenset(
        {SettingChangeStatus.APPROVED, SettingChangeStatus.REJECTED}
    ),
    SettingChangeStatus.APPROVED: frozenset(),
    SettingChangeStatus.REJECTED: frozenset(),
}


class SettingChange(db.Model):
    """Commission, fund rate or receiving bank account of a community, as asked and as decided."""

    __table_args__ = (Index("ix_setting_change_community_status", "community_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    #: the cooperative staff member or admin who asked for the change
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the settings when the change was asked for: {"commission_rate_bp": 1000, "bank_bin": ...}
    old_values: Mapped[dict] = mapped_column(JSON, default=dict)
    #: every money setting as it will be once approved (same keys as `old_values`)
    new_values: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[SettingChangeStatus] = mapped_column(
        str_enum(SettingChangeStatus, "setting_change_status"),
        default=SettingChangeStatus.PENDING,
    )
    #: the admin who approved or rejected it
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the admin's reason, shown to the cooperative
    note: Mapped[str] = mapped_column(Text, default="")

    community = relationship("Community")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    def __repr__(self) -> str:
        return f"<SettingChange {self.id} {self.status.value}>"
