"""The ledger: every payment and refund split into host share, community fund and commission.

The platform is the merchant of record (Stripe Connect does not pay out to Vietnam), so hosts are
settled by bank transfer from these entries. All figures are integers: each item's part of a
payment is allocated by largest remainder, and the host gets what the fund and the commission
leave, so the entries of one payment or refund always sum to it exactly.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import func, select

from ..clock import BUSINESS_TZ, utcnow
from ..extensions import db
from ..models import Booking, LedgerAccount, LedgerEntry, Payment, Payout, Refund
from ..money import share


def allocate(amount: int, weights: list[int]) -> list[int]:
    """`amount` split in proportion to `weights` (largest remainder): integers summing to it."""
    if not weights:
        return []
    total = sum(weights)
    if total <= 0:
        return [amount] + [0] * (len(weights) - 1)
    sign = -1 if amount < 0 else 1
    magnitude = abs(amount)
    floors = [magnitude * w // total for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(magnitude * weights[i] % total), i))
    for i in remainders[: magnitude - sum(floors)]:
        floors[i] += 1
    return [sign * part for part in floors]


def _split(booking: Booking, amount: int, when: datetime, **link) -> list[LedgerEntry]:
    items = list(booking.items)
    entries = []
    for item, part in zip(items, allocate(amount, [i.subtotal for i in items]), strict=True):
        if part == 0:
            continue
        community = item.listing.community
        fund = share(part, community.community_fund_rate_bp)
        commission = share(part, community.commission_rate_bp)
        common = {
            "booking_id": booking.id,
            "booking_item_id": item.id,
            "community_id": community.id,
            "occurred_at": when,
            **link,
        }
        for account, value, host_id in (
            (LedgerAccount.HOST, part - fund - commission, item.host_id),
            (LedgerAccount.COMMUNITY_FUND, fund, None),
            (LedgerAccount.PLATFORM, commission, None),
        ):
            if value:
                entries.append(
                    LedgerEntry(account=account, amount=value, host_id=host_id, **common)
                )
    db.session.add_all(entries)
    return entries


def record_payment(payment: Payment, *, now: datetime | None = None) -> list[LedgerEntry]:
    """Entries for money received (in the caller's transaction)."""
    return _split(payment.booking, payment.amount, now or utcnow(), payment_id=payment.id)


def record_refund(refund: Refund, *, now: datetime | None = None) -> list[LedgerEntry]:
    """Negative entries for money given back (in the caller's transaction)."""
    booking = db.session.get(Booking, refund.booking_id)
    return _split(
        booking, -refund.amount, now or utcnow(), payment_id=refund.payment_id, refund_id=refund.id
    )


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one, in business time."""
    start = datetime.combine(date(year, month, 1), time(0), tzinfo=BUSINESS_TZ)
    following = date(year + month // 12, month % 12 + 1, 1)
    return start, datetime.combine(following, time(0), tzinfo=BUSINESS_TZ)


@dataclass
class Statement:
    year: int
    month: int
    received: int = 0
    refunded: int = 0
    lines: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.received - self.refunded


def _statement(year: int, month: int, *conditions) -> Statement:
    start, end = month_bounds(year, month)
    rows = db.session.execute(
        select(LedgerEntry, Booking.reference)
        .join(Booking, Booking.id == LedgerEntry.booking_id)
        .where(LedgerEntry.occurred_at >= start, LedgerEntry.occurred_at < end, *conditions)
        .order_by(LedgerEntry.occurred_at, LedgerEntry.id)
    ).all()
    statement = Statement(year, month)
    for entry, reference in rows:
        if entry.amount >= 0:
            statement.received += entry.amount
        else:
            statement.refunded -= entry.amount
        statement.lines.append(
            {
                "occurred_at": entry.occurred_at,
                "reference": reference,
                "amount": entry.amount,
                "kind": "refund" if entry.refund_id else "payment",
                "settled": entry.payout_id is not None,
            }
        )
    return statement


def host_statement(host_id: int, year: int, month: int) -> Statement:
    """What a host earned in a month: their shares of payments less their shares of refunds."""
    return _statement(
        year, month, LedgerEntry.account == LedgerAccount.HOST, LedgerEntry.host_id == host_id
    )


def community_fund_statement(community_id: int, year: int, month: int) -> Statement:
    """What the village fund received in a month, less its share of refunds."""
    return _statement(
        year,
        month,
        LedgerEntry.account == LedgerAccount.COMMUNITY_FUND,
        LedgerEntry.community_id == community_id,
    )


def totals_by_account(year: int, month: int) -> dict[LedgerAccount, int]:
    start, end = month_bounds(year, month)
    rows = db.session.execute(
        select(LedgerEntry.account, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.occurred_at >= start, LedgerEntry.occurred_at < end)
        .group_by(LedgerEntry.account)
    ).all()
    totals = defaultdict(int, {LedgerAccount(a): int(s or 0) for a, s in rows})
    return {account: totals[account] for account in LedgerAccount}


def run_payouts(period_end: datetime, *, actor=None, now: datetime | None = None) -> list[Payout]:
    """Settle every host's unsettled shares before `period_end`: one Payout each, commit.

    A host whose unsettled balance is not positive (refunds after a payout) is left for a later run.
    """
    now = now or utcnow()
    entries = db.session.scalars(
        select(LedgerEntry).where(
            LedgerEntry.account == LedgerAccount.HOST,
            LedgerEntry.payout_id.is_(None),
            LedgerEntry.occurred_at < period_end,
        )
    ).all()
    by_host: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        by_host[entry.host_id].append(entry)
    payouts = []
    for host_id, host_entries in sorted(by_host.items()):
        amount = sum(e.amount for e in host_entries)
        if amount <= 0:
            continue
        payout = Payout(
            host_id=host_id,
            amount=amount,
            period_end=period_end,
            reference=f"PO-{period_end.astimezone(BUSINESS_TZ):%Y%m%d}-{host_id}",
            created_at=now,
            created_by_id=getattr(actor, "id", None),
        )
        db.session.add(payout)
        db.session.flush()
        for entry in host_entries:
            entry.payout_id = payout.id
        payouts.append(payout)
    db.session.commit()
    return payouts


def parse_month(text: str | None, now: datetime | None = None) -> tuple[int, int]:
    """ "2026-11" as (2026, 11); the current business month when missing or malformed."""
    try:
        year, month = (int(part) for part in (text or "").split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = (now or utcnow()).astimezone(BUSINESS_TZ)
    return today.year, today.month
