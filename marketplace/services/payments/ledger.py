"""The ledger: every payment and refund split into host share, community fund and commission.

The platform is the merchant of record (Stripe Connect does not pay out to Vietnam), so hosts are
settled by bank transfer from these entries. All figures are integers: each item's part of a
payment is allocated by largest remainder, and the host gets what the fund and the commission
leave, so the SHARE entries of one payment or refund always sum to it exactly.

Cash at arrival never passes through the platform: the host who took it holds it. Each item's
host therefore also gets a CASH_COLLECTED entry of minus their item's part, so their balance is
what the platform owes them less what they hold: minus the fund's and the commission's part.
Payout runs net that against their card and transfer shares (or wait until it is covered).
A refund of cash is given back by the host, out of the cash they collected (they are the one
who met the guest and holds the money): it reverses the shares and, with a CASH_RETURNED entry,
the cash collected. Every other refund is sent by the platform (Stripe, or a transfer by hand).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from ...clock import BUSINESS_TZ, utcnow
from ...database import begin_write, is_sqlite
from ...extensions import db
from ...models import (
    Booking,
    BookingItem,
    BookingStatus,
    LedgerAccount,
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentMethod,
    Payout,
    Refund,
)
from ...money import share

#: Bookings whose items will earn nothing more: their shares are paid out whatever the date.
FINAL_STATUSES = frozenset(
    {BookingStatus.COMPLETED, BookingStatus.CANCELLED, BookingStatus.NO_SHOW}
)


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


def _split(
    booking: Booking, amount: int, when: datetime, *, cash: bool, **link
) -> list[LedgerEntry]:
    """Entries for `amount` (negative for a refund) over the booking's items.

    With `cash`, each item's host also holds (or gives back) their item's part.
    """
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
        rows = [
            (LedgerAccount.HOST, LedgerKind.SHARE, part - fund - commission, item.host_id),
            (LedgerAccount.COMMUNITY_FUND, LedgerKind.SHARE, fund, None),
            (LedgerAccount.PLATFORM, LedgerKind.SHARE, commission, None),
        ]
        if cash:
            kind = LedgerKind.CASH_COLLECTED if part > 0 else LedgerKind.CASH_RETURNED
            rows.append((LedgerAccount.HOST, kind, -part, item.host_id))
        for account, kind, value, host_id in rows:
            if value:
                entries.append(
                    LedgerEntry(account=account, kind=kind, amount=value, host_id=host_id, **common)
                )
    db.session.add_all(entries)
    return entries


def _shares_recorded(*conditions) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                LedgerEntry.kind == LedgerKind.SHARE, *conditions
            )
        )
    )


def record_payment(payment: Payment, *, now: datetime | None = None) -> list[LedgerEntry]:
    """Entries for money received (in the caller's transaction, under the booking's lock).

    Cash at arrival adds what each host collected. A payment already in the ledger is not
    recorded twice (returns []).
    """
    if _shares_recorded(LedgerEntry.payment_id == payment.id, LedgerEntry.refund_id.is_(None)):
        return []
    return _split(
        payment.booking,
        payment.amount,
        now or utcnow(),
        cash=payment.method == PaymentMethod.PAY_AT_ARRIVAL,
        payment_id=payment.id,
    )


def _refund_parts(refund: Refund) -> tuple[Booking, bool]:
    booking = db.session.get(Booking, refund.booking_id)
    payment = db.session.get(Payment, refund.payment_id)
    return booking, payment.method == PaymentMethod.PAY_AT_ARRIVAL


def record_refund(refund: Refund, *, now: datetime | None = None) -> list[LedgerEntry]:
    """Negative entries for money decided back (caller's transaction, under the booking's lock).

    A refund of cash is given back by the hosts who collected it (CASH_RETURNED). A refund
    already counted is not counted twice (returns []); one reversed by `reverse_refund` (given
    up, then retried) is counted again.
    """
    if _shares_recorded(LedgerEntry.refund_id == refund.id):
        return []
    booking, cash = _refund_parts(refund)
    return _split(
        booking,
        -refund.amount,
        now or utcnow(),
        cash=cash,
        payment_id=refund.payment_id,
        refund_id=refund.id,
    )


def reverse_refund(refund: Refund, *, now: datetime | None = None) -> list[LedgerEntry]:
    """Positive entries cancelling a counted refund that was given up (it failed for good).

    Caller's transaction, under the booking's lock. Returns [] when it is not counted.
    """
    if _shares_recorded(LedgerEntry.refund_id == refund.id) != -refund.amount:
        return []
    booking, cash = _refund_parts(refund)
    # a cash refund not given back after all: the host holds the cash again (CASH_COLLECTED)
    return _split(
        booking,
        refund.amount,
        now or utcnow(),
        cash=cash,
        payment_id=refund.payment_id,
        refund_id=refund.id,
    )


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one, in business time."""
    start = datetime.combine(date(year, month, 1), time(0), tzinfo=BUSINESS_TZ)
    following = date(year + month // 12, month % 12 + 1, 1)
    return start, datetime.combine(following, time(0), tzinfo=BUSINESS_TZ)


@dataclass
class Statement:
    """A month of one account. For a host: shares earned, refunded, and cash they took."""

    year: int
    month: int
    received: int = 0
    refunded: int = 0
    #: cash the host collected from guests less cash they gave back: money they already hold
    cash_collected: int = 0
    lines: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        """What the platform owes for the month (negative: the host owes it, from cash)."""
        return self.received - self.refunded - self.cash_collected


def _line_kind(entry: LedgerEntry) -> str:
    if entry.kind != LedgerKind.SHARE:
        return entry.kind.value
    return "refund" if entry.refund_id else "payment"


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
        if entry.kind != LedgerKind.SHARE:
            statement.cash_collected -= entry.amount
        elif entry.refund_id is None:
            statement.received += entry.amount
        else:
            statement.refunded -= entry.amount
        statement.lines.append(
            {
                "occurred_at": entry.occurred_at,
                "reference": reference,
                "amount": entry.amount,
                "kind": _line_kind(entry),
                "settled": entry.payout_id is not None,
            }
        )
    return statement


def host_statement(host_id: int, year: int, month: int) -> Statement:
    """A host's month: their shares of payments less refunds, less the cash they collected."""
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
    """Each account's shares of the month; they sum to what was paid less what was refunded."""
    start, end = month_bounds(year, month)
    rows = db.session.execute(
        select(LedgerEntry.account, func.sum(LedgerEntry.amount))
        .where(
            LedgerEntry.occurred_at >= start,
            LedgerEntry.occurred_at < end,
            LedgerEntry.kind == LedgerKind.SHARE,
        )
        .group_by(LedgerEntry.account)
    ).all()
    totals = defaultdict(int, {LedgerAccount(a): int(s or 0) for a, s in rows})
    return {account: totals[account] for account in LedgerAccount}


def cash_held_by_hosts(year: int, month: int) -> int:
    """Cash hosts collected in the month less cash they gave back: it never reached the platform."""
    start, end = month_bounds(year, month)
    return -int(
        db.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                LedgerEntry.occurred_at >= start,
                LedgerEntry.occurred_at < end,
                LedgerEntry.kind != LedgerKind.SHARE,
            )
        )
    )


def unsettled_balance(host_id: int) -> int:
    """What the platform owes the host now, over all months not yet paid out (may be negative)."""
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                LedgerEntry.account == LedgerAccount.HOST,
                LedgerEntry.host_id == host_id,
                LedgerEntry.payout_id.is_(None),
            )
        )
    )


def last_day_of(period_end: datetime) -> date:
    """The last business day before the exclusive instant `period_end`."""
    return (period_end - timedelta(microseconds=1)).astimezone(BUSINESS_TZ).date()


def _payable_entries(period_end: datetime) -> list[LedgerEntry]:
    """Unsettled host entries before `period_end` that a payout may settle, locked.

    A share counts once its item is over (a stay's check-out day or a tour's day on or before
    the period's last day, in business time) or its booking is final (completed, cancelled,
    no-show: nothing more is earned on it). Refund entries always count: they only lower
    what is paid. Locked (PostgreSQL FOR UPDATE, SQLite the write lock) so two runs at once
    cannot settle the same entries twice.
    """
    query = (
        select(LedgerEntry)
        .join(Booking, Booking.id == LedgerEntry.booking_id)
        .outerjoin(BookingItem, BookingItem.id == LedgerEntry.booking_item_id)
        .where(
            LedgerEntry.account == LedgerAccount.HOST,
            LedgerEntry.payout_id.is_(None),
            LedgerEntry.occurred_at < period_end,
            or_(
                LedgerEntry.refund_id.is_not(None),
                LedgerEntry.booking_item_id.is_(None),
                Booking.status.in_(FINAL_STATUSES),
                BookingItem.check_out <= last_day_of(period_end),
            ),
        )
        .order_by(LedgerEntry.id)
    )
    begin_write()
    if not is_sqlite():
        query = query.with_for_update(of=LedgerEntry)
    return list(db.session.scalars(query))


def run_payouts(period_end: datetime, *, actor=None, now: datetime | None = None) -> list[Payout]:
    """Settle every host's payable shares before `period_end`: one Payout each, commit.

    See `_payable_entries` for what is payable. A host whose payable balance is not positive
    (refunds after a payout, cash they collected covering the fund and commission they owe)
    is left for a later run, where newer shares net against it.
    """
    now = now or utcnow()
    by_host: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in _payable_entries(period_end):
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
