"""Money in and out: payments, refunds, the ledger that splits them, and bank transfers."""

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .listing import PaymentMethod
from .types import UTCDateTime, str_enum


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"  # created, waiting for the tourist or the bank
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"  # the checkout expired or the hold lapsed
    #: money arrived but did not match (amount, currency): an admin decides
    FLAGGED = "flagged"


PAYMENT_TRANSITIONS: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    PaymentStatus.PENDING: frozenset(
        {
            PaymentStatus.SUCCEEDED,
            PaymentStatus.FAILED,
            PaymentStatus.CANCELLED,
            PaymentStatus.FLAGGED,
        }
    ),
    PaymentStatus.FAILED: frozenset({PaymentStatus.SUCCEEDED}),
    PaymentStatus.CANCELLED: frozenset({PaymentStatus.SUCCEEDED, PaymentStatus.FLAGGED}),
    PaymentStatus.FLAGGED: frozenset({PaymentStatus.SUCCEEDED}),
    PaymentStatus.SUCCEEDED: frozenset(),
}


class Payment(db.Model):
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_non_negative"),
        CheckConstraint("amount_refunded >= 0", name="refunded_non_negative"),
        UniqueConstraint("method", "provider_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id"), index=True)
    method: Mapped[PaymentMethod] = mapped_column(str_enum(PaymentMethod, "payment_method"))
    status: Mapped[PaymentStatus] = mapped_column(
        str_enum(PaymentStatus, "payment_status"), default=PaymentStatus.PENDING
    )
    #: VND expected (pending) or received (succeeded)
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="VND")
    amount_refunded: Mapped[int] = mapped_column(default=0)
    #: Stripe Checkout Session id, or the bank's transfer id
    provider_ref: Mapped[str | None] = mapped_column(String(120))
    #: Stripe PaymentIntent id, needed to refund
    provider_payment_id: Mapped[str | None] = mapped_column(String(120))
    checkout_url: Mapped[str | None] = mapped_column(String(500))
    flag_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    succeeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: bumped by every UPDATE; one that lost a race without the lock fails (services.locks)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    booking = relationship("Booking", back_populates="payments")
    refunds = relationship("Refund", back_populates="payment", order_by="Refund.id")


class RefundStatus(enum.StrEnum):
    #: decided (counted in the ledger); not yet confirmed by Stripe or paid by a person
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    #: given up on: its money is no longer counted as refunded
    FAILED = "failed"


REFUND_TRANSITIONS: dict[RefundStatus, frozenset[RefundStatus]] = {
    RefundStatus.PENDING: frozenset({RefundStatus.SUCCEEDED, RefundStatus.FAILED}),
    RefundStatus.FAILED: frozenset({RefundStatus.PENDING}),
    RefundStatus.SUCCEEDED: frozenset(),
}


class Refund(db.Model):
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), index=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id"), index=True)
    amount: Mapped[int]
    status: Mapped[RefundStatus] = mapped_column(
        str_enum(RefundStatus, "refund_status"), default=RefundStatus.PENDING
    )
    #: Stripe refund id; for bank transfers, the transfer made back by hand
    provider_ref: Mapped[str | None] = mapped_column(String(120), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: why the last attempt to send it failed (Stripe down); it is tried again
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: refunds sent by hand (transfer, cash): when and by whom it was recorded as sent
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: the bank's reference of the transfer back (or the receipt number of cash handed back)
    bank_reference: Mapped[str] = mapped_column(String(60), default="", server_default="")

    payment = relationship("Payment", back_populates="refunds")


class RefundAccount(db.Model):
    """Where the tourist wants money sent back by hand: one bank account per booking."""

    __table_args__ = (UniqueConstraint("booking_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    #: NAPAS bank identification number (services.transfer_details.BANK_NAMES)
    bank_bin: Mapped[str] = mapped_column(String(8))
    account_number: Mapped[str] = mapped_column(String(30))
    #: as the bank knows them: upper case, without diacritics
    account_holder: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: None when a guest without an account gave it through their booking link
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: staff could not send to it (the bank refused): the tourist is asked again
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejected_note: Mapped[str] = mapped_column(String(300), default="", server_default="")


class LedgerAccount(enum.StrEnum):
    HOST = "host"
    COMMUNITY_FUND = "community_fund"
    PLATFORM = "platform"


class LedgerKind(enum.StrEnum):
    #: a part of a payment (positive) or of a refund (negative) owed to an account
    SHARE = "share"
    #: HOST account, negative: cash the host took from the guest, so already holds
    CASH_COLLECTED = "cash_collected"
    #: HOST account, positive: cash of a refund the host gives back out of what they collected
    CASH_RETURNED = "cash_returned"


class LedgerEntry(db.Model):
    """One share of a payment (positive) or a refund (negative); the shares of one sum to it.

    Cash at arrival adds a CASH_COLLECTED entry per item on its host's account: the host holds
    the money, so their balance shows the fund's and the platform's part as owed (services.ledger).
    """

    __table_args__ = (Index("ix_ledger_account_when", "account", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    account: Mapped[LedgerAccount] = mapped_column(str_enum(LedgerAccount, "ledger_account"))
    kind: Mapped[LedgerKind] = mapped_column(
        str_enum(LedgerKind, "ledger_kind"), default=LedgerKind.SHARE, server_default="share"
    )
    #: VND; negative for refunds
    amount: Mapped[int]
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id"), index=True)
    booking_item_id: Mapped[int | None] = mapped_column(ForeignKey("booking_item.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"))
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refund.id"))
    host_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    #: set when a payout run settled this host share
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("payout.id"))


class Payout(db.Model):
    """A bank transfer to a host settling their ledger shares up to a date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    amount: Mapped[int]
    period_end: Mapped[datetime] = mapped_column(UTCDateTime)
    reference: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class ProcessedEvent(db.Model):
    """A provider event already acted on; recorded in the same transaction as its effect."""

    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TransferOutcome(enum.StrEnum):
    MATCHED = "matched"
    NO_MATCH = "no_match"
    DUPLICATE = "duplicate"
    ERROR = "error"  # e.g. the booking was cancelled: a refund is due
    PARTIAL = "partial"
    OVERPAID = "overpaid"
    #: the bank's line for a transfer a person already recorded as received: linked, not paid twice
    CONFIRMED = "confirmed"


class BankTransfer(db.Model):
    """A line of a bank statement or a bank notification, and what became of it."""

    __table_args__ = (UniqueConstraint("source", "transfer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # "statement" or "notification"
    transfer_id: Mapped[str] = mapped_column(String(80))
    amount: Mapped[int]
    memo: Mapped[str] = mapped_column(String(300), default="")
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[TransferOutcome] = mapped_column(str_enum(TransferOutcome, "transfer_outcome"))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    raw: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
