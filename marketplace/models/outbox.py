"""The transactional outbox: side effects written in the same transaction as the change they follow.

A service adds an `OutboxMessage` beside its own writes; a worker of the job queue delivers it
after the commit, at least once, and the handler acts once (mail by `SentMail`, Stripe by
idempotency keys). A message that keeps failing is parked where an admin sees it.
"""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db
from .types import UTCDateTime, str_enum


class OutboxStatus(enum.StrEnum):
    #: waiting for its turn (new, or failed and waiting for `next_attempt_at`)
    PENDING = "pending"
    #: its handler succeeded
    DONE = "done"
    #: it failed OUTBOX_MAX_ATTEMPTS times: an admin looks, fixes the cause and retries it
    PARKED = "parked"


OUTBOX_TRANSITIONS: dict[OutboxStatus, frozenset[OutboxStatus]] = {
    OutboxStatus.PENDING: frozenset({OutboxStatus.DONE, OutboxStatus.PARKED}),
    OutboxStatus.PARKED: frozenset({OutboxStatus.PENDING}),
    OutboxStatus.DONE: frozenset(),
}

OUTBOX_STATUS_TITLES = {
    OutboxStatus.PENDING: _l("pending"),
    OutboxStatus.DONE: _l("done"),
    OutboxStatus.PARKED: _l("parked"),
}


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: what the handler does, e.g. "mail.booking_event"; one handler per topic
    topic: Mapped[str] = mapped_column(String(80))
    #: the handler's arguments: ids and small values only (the handler re-reads the rows)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    #: a second emit with the same key is a no-op (e.g. "refund:42")
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    #: deliveries started (a worker killed mid-run counts: its lease ran out)
    attempts: Mapped[int] = mapped_column(default=0)
    #: not delivered before this; while a worker runs it, the end of that worker's lease
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.topic} {self.status}>"


class SentMail(db.Model):
    """A mail already handed to SMTP (or the mail folder) for one part of one outbox message.

    Delivery is at least once; this row makes the mail go out once per (message, part).
    """

    __tablename__ = "sent_mail"
    __table_args__ = (UniqueConstraint("outbox_id", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"))
    #: which of the message's mails, e.g. "tourist" or "host:7"
    part: Mapped[str] = mapped_column(String(80))
    recipient: Mapped[str] = mapped_column(String(254))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
