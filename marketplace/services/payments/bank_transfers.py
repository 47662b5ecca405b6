"""Bank transfers in: statement CSV lines and bank notifications, matched to bookings.

Banks put their own words around the memo ("MBVCB.3278907687.HL7K3Q9X.CT tu ..."), so the
booking reference is searched inside it, with or without its dash. Each line ends as one
outcome; all but `matched` and `confirmed` wait in a queue for a person. A line already seen (same source and
transfer id) is left as it was, so importing a statement again changes nothing.

A transfer a host already recorded by hand ("transfer received") is the same money as the bank's
line that follows: the line confirms that payment (CONFIRMED) instead of paying the booking twice.
Reading statement files is `bank_statements`; the preview and matching by hand, `bank_matching`.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...clock import utcnow
from ...database import begin_write
from ...extensions import db
from ...models import (
    BankTransfer,
    Booking,
    BookingStatus,
    PaymentMethod,
    PaymentStatus,
    TransferOutcome,
)
from ..shared import audit, outbox
from ..shared.errors import ServiceError
from ..shared.locks import locked_booking
from ..shared.references import ALPHABET, LENGTH
from . import money_rules, payments
from .bank_statements import (
    MAX_TRANSFER,
    ParsedStatement,
    StatementLine,
    parse_rows,
    parse_when,
    read_csv,
)

#: two letters, an optional dash or space, six reference characters, not inside a longer word
_REFERENCE_RE = re.compile(rf"(?<![A-Z0-9])([A-Z]{{2}})[- ]?([{ALPHABET}]{{{LENGTH}}})(?![A-Z0-9])")


#: the longest transfer id kept (BankTransfer.transfer_id)
TRANSFER_ID_LENGTH = 80


@dataclass
class LineResult:
    line: int
    transfer: BankTransfer
    new: bool


def find_references(memo: str) -> list[str]:
    """Booking references written in a memo, dash restored, in order of appearance."""
    text = (memo or "").upper()
    return [f"{prefix}-{code}" for prefix, code in _REFERENCE_RE.findall(text)]


def booking_id_for(memo: str, scope: set[int] | None = None) -> int | None:
    """The first booking named in `memo`; with `scope`, only bookings of those communities (a
    cooperative's statement never reaches another village's booking)."""
    for reference in find_references(memo):
        query = select(Booking.id).where(Booking.reference == reference)
        if scope is not None:
            query = query.where(Booking.community_id.in_(scope or {-1}))
        booking_id = db.session.scalar(query)
        if booking_id is not None:
            return booking_id
    return None


def outcome_for(booking: Booking | None, amount: int) -> TransferOutcome:
    """How a line is judged (the booking is locked): money for a cancelled or expired booking,
    or for one already paid, is taken and given back in full (the refund queue). The bank's line
    for a transfer a host recorded by hand confirms that payment, whatever became of the booking.
    """
    if booking is None:
        return TransferOutcome.NO_MATCH
    if money_rules.awaiting_bank_line(booking, amount) is not None:
        return TransferOutcome.CONFIRMED
    if booking.status in (BookingStatus.CANCELLED, BookingStatus.NO_SHOW):
        return TransferOutcome.ERROR
    still_due = money_rules.due(booking)
    if still_due <= 0:
        return TransferOutcome.DUPLICATE
    if amount < still_due:
        return TransferOutcome.PARTIAL
    if amount > still_due:
        return TransferOutcome.OVERPAID
    return TransferOutcome.MATCHED


#: outcomes whose money is recorded at once: kept, or decided back in full
RECORDED = frozenset({TransferOutcome.MATCHED, TransferOutcome.DUPLICATE, TransferOutcome.ERROR})


def record_transfer(
    source: str,
    transfer_id: str,
    amount: int,
    memo: str,
    *,
    occurred_at=None,
    raw=None,
    now=None,
    scope: set[int] | None = None,
) -> tuple[BankTransfer, bool]:
    """Match one incoming transfer and act on it, commit; returns (transfer, new).

    `scope` (community ids; None: every community) limits which bookings the memo may name:
    a line naming another community's booking stays NO_MATCH and is queued for the importer's
    own community.

    The booking named in the memo is locked before it is judged, so a transfer and a card
    payment (or two transfers) arriving together are never both kept: the second is a duplicate,
    recorded and put in the refund queue. A transfer seen before from the same source comes back
    unchanged with new=False.
    """
    now = now or utcnow()
    begin_write()
    existing = existing_transfer(source, transfer_id)
    if existing is not None:
        db.session.rollback()
        return existing, False
    booking_id = booking_id_for(memo, scope)
    booking = locked_booking(booking_id) if booking_id is not None else None
    if (existing := existing_transfer(source, transfer_id)) is not None:
        db.session.rollback()  # the same line, delivered twice at once: the other one won
        return existing, False
    transfer = BankTransfer(
        source=source,
        transfer_id=transfer_id,
        amount=amount,
        memo=(memo or "")[:300],
        occurred_at=occurred_at,
        outcome=TransferOutcome.NO_MATCH,
        community_id=_home(scope),
        raw=raw or {},
        created_at=now,
    )
    db.session.add(transfer)
    judge_and_record(transfer, booking, now=now)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return existing_transfer(source, transfer_id), False
    outbox.kick()
    return transfer, True


def judge_and_record(transfer: BankTransfer, booking: Booking | None, *, now, actor=None):
    """Judge a line against its booking (locked by the caller) and act: record the money it
    keeps or gives back, or confirm a payment a host recorded. Returns the outcome."""
    outcome = outcome_for(booking, transfer.amount)
    transfer.outcome = outcome
    if booking is None:
        return outcome
    transfer.booking_id = booking.id
    transfer.community_id = booking.community_id
    line_ref = f"{transfer.source}:{transfer.transfer_id}"
    if outcome == TransferOutcome.CONFIRMED:
        payment = money_rules.awaiting_bank_line(booking, transfer.amount)
        payment.provider_ref = line_ref  # the payment now names the bank line that proves it
        audit.record(payment, "bank_confirmed", actor=actor, data={"transfer": line_ref})
        transfer.resolved_at = now
        return outcome
    recorded = outcome in RECORDED and not (
        outcome == TransferOutcome.DUPLICATE
        and _same_money_seen(booking, transfer.source, transfer.amount)
    )
    if recorded:
        _payment, settled = payments.record_bank_payment(
            booking, transfer.amount, transfer_id=line_ref, actor=actor, now=now
        )
        if settled in ("sold_out", "cancelled"):
            # paid after the hold lapsed and the units went: the refund queue gives it back
            transfer.outcome = TransferOutcome.ERROR
        elif settled == "paid_twice":
            transfer.outcome = TransferOutcome.DUPLICATE
        transfer.resolved_at = now
    return transfer.outcome


def _home(scope: set[int] | None) -> int | None:
    """The community whose queue gets an unmatched line of a scoped import."""
    return min(scope) if scope else None


def _same_money_seen(booking: Booking, source: str, amount: int) -> bool:
    """A transfer of this amount is already recorded from another channel (the bank's
    notification, or a host's "transfer received"): likely the same money, so a person checks."""
    return any(
        p.method == PaymentMethod.VIETQR
        and p.status == PaymentStatus.SUCCEEDED
        and p.amount == amount
        and not (p.provider_ref or "").startswith(f"{source}:")
        for p in booking.payments
    )


def existing_transfer(source: str, transfer_id: str) -> BankTransfer | None:
    return db.session.scalar(
        select(BankTransfer).where(
            BankTransfer.source == source, BankTransfer.transfer_id == transfer_id
        )
    )


def import_statement(
    text: str, *, now: datetime | None = None, scope: set[int] | None = None
) -> list[LineResult]:
    """Import a bank statement CSV (title rows, then a header row, then one line a transfer).

    See `import_lines`; raises ServiceError `invalid_statement` (field file) before anything
    is written when no header is found or an amount cannot be read.
    """
    return import_lines(parse_rows(read_csv(text)), now=now, scope=scope)


def import_lines(
    statement: ParsedStatement, *, now: datetime | None = None, scope: set[int] | None = None
) -> list[LineResult]:
    """Record each credit line of a read statement, committing each line.

    `scope`: the importer's community ids (None for an admin): only their bookings can be
    matched. A line seen before is reported with new=False and changes nothing.
    """
    results = []
    for line in statement.lines:
        transfer, new = record_line(line, now=now, scope=scope)
        results.append(LineResult(line.line, transfer, new))
    return results


def record_line(line: StatementLine, *, now=None, scope=None) -> tuple[BankTransfer, bool]:
    return record_transfer(
        "statement",
        line.transfer_id,
        line.amount,
        line.memo,
        occurred_at=line.occurred_at,
        raw=line.raw,
        now=now,
        scope=scope,
    )


def receive_notification(data: dict, *, now: datetime | None = None) -> tuple[BankTransfer, bool]:
    """A bank notification (transfer id, amount, memo) as Vietnamese notification services send.

    Accepts {"id", "transferAmount", "content", "transactionDate", "transferType"} or
    {"transfer_id", "amount", "memo"}. Outgoing transfers are refused.
    Raises ServiceError `invalid_notification` naming the field.
    """
    if str(data.get("transferType", "in")).lower() != "in":
        raise ServiceError(
            _("Only incoming transfers are taken."), "invalid_notification", "transferType"
        )
    transfer_id = str(data.get("id") or data.get("transfer_id") or "").strip()
    if not transfer_id:
        raise ServiceError(_("The transfer id is missing."), "invalid_notification", "id")
    if len(transfer_id) > TRANSFER_ID_LENGTH:
        raise ServiceError(_("The transfer id is too long."), "invalid_notification", "id")
    amount = data.get("transferAmount", data.get("amount"))
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_TRANSFER:
        raise ServiceError(
            _("The amount must be a positive whole number of dong."),
            "invalid_notification",
            "transferAmount",
        )
    memo = str(data.get("content") or data.get("memo") or "")
    when = parse_when(str(data.get("transactionDate") or data.get("occurred_at") or ""))
    return record_transfer(
        "notification", transfer_id, amount, memo, occurred_at=when, raw=data, now=now
    )


def queue(community_ids: set[int] | None = None) -> list[BankTransfer]:
    """Lines waiting for a person: not yet resolved (matched and confirmed lines are).

    With `community_ids`, only lines of those communities (lines of no community, such as an
    unmatched bank notification, are for the admins, who pass None).
    """
    query = select(BankTransfer).where(
        BankTransfer.outcome.not_in((TransferOutcome.MATCHED, TransferOutcome.CONFIRMED)),
        BankTransfer.resolved_at.is_(None),
    )
    if community_ids is not None:
        query = query.where(BankTransfer.community_id.in_(community_ids or {-1}))
    return list(db.session.scalars(query.order_by(BankTransfer.created_at, BankTransfer.id)))


def resolve(transfer: BankTransfer, actor, *, now: datetime | None = None) -> None:
    """A person dealt with the line (matched it by hand, sent money back): off the queue, commit."""
    transfer.resolved_at = now or utcnow()
    transfer.resolved_by_id = getattr(actor, "id", None)
    db.session.commit()
