"""What a statement would do before it is imported, and matching a stray line by hand.

The preview reads, never writes: each credit line with the booking its memo names and the
outcome it would have now (the import judges again under each booking's lock, so a payment
arriving in between is still caught). Matching by hand takes an unmatched line and a booking
reference and goes through the same judgement as an imported line, under the booking's lock.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...clock import utcnow
from ...database import begin_write, is_sqlite
from ...extensions import db
from ...models import BankTransfer, Booking, TransferOutcome
from ..shared import outbox
from ..shared.errors import Conflict, NotFound
from ..shared.locks import locked_booking
from . import bank_transfers, money_rules
from .bank_statements import ParsedStatement, StatementLine


@dataclass
class PreviewLine:
    line: StatementLine
    outcome: TransferOutcome
    booking: Booking | None
    #: imported before (same bank reference): importing again leaves it as it is
    seen: bool


@dataclass
class Preview:
    lines: list[PreviewLine]
    debits_skipped: int
    other_skipped: int

    def count(self, outcome: TransferOutcome) -> int:
        return sum(1 for p in self.lines if p.outcome == outcome and not p.seen)

    @property
    def new_lines(self) -> int:
        return sum(1 for p in self.lines if not p.seen)


def preview(statement: ParsedStatement, *, scope: set[int] | None = None) -> Preview:
    """Each credit line and what importing it would do now; nothing is written."""
    lines = []
    for line in statement.lines:
        existing = bank_transfers.existing_transfer("statement", line.transfer_id)
        if existing is not None:
            booking = db.session.get(Booking, existing.booking_id) if existing.booking_id else None
            lines.append(PreviewLine(line, existing.outcome, booking, True))
            continue
        booking_id = bank_transfers.booking_id_for(line.memo, scope)
        booking = db.session.get(Booking, booking_id) if booking_id else None
        outcome = bank_transfers.outcome_for(booking, line.amount)
        lines.append(PreviewLine(line, outcome, booking, False))
    db.session.rollback()  # read only: no transaction is left open across the request
    return Preview(lines, statement.debits_skipped, statement.other_skipped)


def _normal(reference: str) -> str:
    return "".join(c for c in (reference or "").upper() if c.isalnum())


def find_bookings(text: str, *, scope: set[int] | None = None, limit: int = 10) -> list[Booking]:
    """Bookings whose reference contains `text` (dash and case ignored), newest first."""
    wanted = _normal(text)[:20]
    if len(wanted) < 3:
        return []
    plain = func.upper(func.replace(Booking.reference, "-", ""))
    query = select(Booking).where(plain.contains(wanted, autoescape=True))
    if scope is not None:
        query = query.where(Booking.community_id.in_(scope or {-1}))
    return list(db.session.scalars(query.order_by(Booking.id.desc()).limit(limit)))


def match_by_hand(
    transfer_id: int,
    reference: str,
    actor,
    *,
    scope: set[int] | None = None,
    now: datetime | None = None,
) -> BankTransfer:
    """Attach an unmatched line to the booking `reference` and act on it as an import would,
    commit; returns the line with its outcome (matched, confirmed, duplicate, refund due...).

    The booking is locked, then the line; both are re-read, so two people matching one line at
    once, or the line and a payment arriving together, end with the money recorded once.
    Raises NotFound `booking_not_found` (field reference) or `transfer_not_found`, Conflict
    `already_matched` when the line was matched or dealt with meanwhile.
    """
    now = now or utcnow()
    wanted = _normal(reference)
    query = select(Booking.id).where(func.upper(func.replace(Booking.reference, "-", "")) == wanted)
    if scope is not None:
        query = query.where(Booking.community_id.in_(scope or {-1}))
    booking_id = db.session.scalar(query) if wanted else None
    if booking_id is None:
        raise NotFound(_("No booking has that reference."), "booking_not_found", "reference")
    begin_write()
    booking = locked_booking(booking_id)
    transfer = _locked_transfer(transfer_id)
    if transfer is None or (scope is not None and transfer.community_id not in scope):
        db.session.rollback()
        raise NotFound(_("This bank line does not exist."), "transfer_not_found")
    if (
        transfer.booking_id is not None
        or transfer.resolved_at is not None
        or transfer.outcome != TransferOutcome.NO_MATCH
    ):
        db.session.rollback()
        raise Conflict(_("This bank line was already matched or dealt with."), "already_matched")
    bank_transfers.judge_and_record(transfer, booking, now=now, actor=actor)
    if transfer.resolved_at is not None:
        transfer.resolved_by_id = getattr(actor, "id", None)
    db.session.commit()
    outbox.kick()
    return transfer


def _locked_transfer(transfer_id: int) -> BankTransfer | None:
    """The line, re-read under a row lock (SQLite: the write lock `begin_write` took)."""
    query = select(BankTransfer).where(BankTransfer.id == transfer_id)
    if not is_sqlite():
        query = query.with_for_update()
    return db.session.scalar(query.execution_options(populate_existing=True))


def still_due(booking: Booking) -> int:
    """What a booking offered for matching still waits for (shown beside it)."""
    return money_rules.due(booking)
