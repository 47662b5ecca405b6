"""The ledger: each payment and refund splits exactly; monthly statements add up."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.models import LedgerAccount, LedgerEntry, Payout, Role
from marketplace.services import bookings, ledger, payments
from tests.factories import make_community, make_held_booking, make_listing, make_user


def test_allocate_always_sums_exactly():
    assert ledger.allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert ledger.allocate(-100, [1, 1, 1]) == [-34, -33, -33]
    for amount in (1, 7, 999_999, 1_234_567):
        for weights in ([3, 5, 11], [1], [500_000, 300_000], [0, 0]):
            assert sum(ledger.allocate(amount, weights)) == amount


def test_a_payment_splits_into_host_fund_and_commission_by_the_community_rates():
    community = make_community(commission_rate_bp=1200, community_fund_rate_bp=333)
    listing = make_listing(community=community, nightly_price=333_333)
    booking = make_held_booking(listing, nights=1)
    coop = make_user(Role.COOP, community=community)
    payments.mark_transfer_received(booking, coop)
    entries = db.session.scalars(select(LedgerEntry)).all()
    by_account = {e.account: e.amount for e in entries}
    assert sum(by_account.values()) == 333_333
    assert by_account[LedgerAccount.PLATFORM] == 40_000  # 12 % of 333 333, rounded half up
    assert by_account[LedgerAccount.COMMUNITY_FUND] == 11_100  # 3.33 %
    assert by_account[LedgerAccount.HOST] == 333_333 - 40_000 - 11_100
    host_entry = next(e for e in entries if e.account == LedgerAccount.HOST)
    assert host_entry.host_id == listing.host_id


def test_a_month_of_mixed_payments_and_refunds_sums_to_paid_minus_refunded():
    start = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam on 1 March
    community = make_community(commission_rate_bp=1000, community_fund_rate_bp=500)
    coop = make_user(Role.COOP, community=community)
    hosts = [make_user(Role.HOST, community=community) for _ in range(3)]
    listings = [
        make_listing(community=community, host=host, units=10, nightly_price=price)
        for host, price in zip(hosts, (456_789, 1_000_001, 333_333), strict=True)
    ]
    paid = refunded = 0
    for day in range(28):
        now = start + timedelta(days=day, hours=day % 5)
        listing = listings[day % 3]
        booking = make_held_booking(
            listing, start_in_days=20 + day % 9, nights=1 + day % 3, now=now
        )
        if day % 4 == 0:
            # cash at arrival, part of it
            payments.start_payment(booking, "pay_at_arrival", now=now)
            payments.accept_pay_at_arrival(booking, coop, now=now)
            payments.record_cash(booking, coop, booking.total - 1_000, now=now)
            paid += booking.total - 1_000
        else:
            payments.mark_transfer_received(booking, coop, now=now)
            paid += booking.total
        if day % 3 == 1:
            # cancelled later the same month: the policy gives some or all of it back
            refund = bookings.cancel(booking, reason="plans changed", now=now + timedelta(hours=1))
            refunded += refund
    assert refunded > 0
    totals = ledger.totals_by_account(2026, 3)
    assert sum(totals.values()) == paid - refunded
    hosts_total = sum(ledger.host_statement(h.id, 2026, 3).total for h in hosts)
    fund = ledger.community_fund_statement(community.id, 2026, 3)
    assert hosts_total == totals[LedgerAccount.HOST]
    assert fund.total == totals[LedgerAccount.COMMUNITY_FUND]
    assert hosts_total + fund.total + totals[LedgerAccount.PLATFORM] == paid - refunded
    # each payment's and each refund's entries sum to it exactly
    for payment_id, amount in db.session.execute(
        select(LedgerEntry.payment_id, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.refund_id.is_(None))
        .group_by(LedgerEntry.payment_id)
    ):
        assert amount == db.session.get(payments.Payment, payment_id).amount
    # nothing of March shows in April
    assert sum(ledger.totals_by_account(2026, 4).values()) == 0


def test_a_payout_run_settles_host_shares_once():
    community = make_community()
    coop = make_user(Role.COOP, community=community)
    listing = make_listing(community=community)
    booking = make_held_booking(listing)
    payments.mark_transfer_received(booking, coop)
    period_end = datetime.now(UTC) + timedelta(minutes=1)
    first = ledger.run_payouts(period_end, actor=coop)
    assert len(first) == 1 and first[0].host_id == listing.host_id
    host_share = db.session.scalar(
        select(func.sum(LedgerEntry.amount)).where(LedgerEntry.account == LedgerAccount.HOST)
    )
    assert first[0].amount == host_share
    assert ledger.run_payouts(period_end, actor=coop) == []
    assert db.session.scalar(select(func.count(Payout.id))) == 1
