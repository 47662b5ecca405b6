"""The ledger: each payment and refund splits exactly; monthly statements add up."""

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from marketplace.clock import BUSINESS_TZ
from marketplace.extensions import db
from marketplace.models import LedgerAccount, LedgerEntry, LedgerKind, Payout, Refund, Role
from marketplace.services.payments import cancellations, host_payments, ledger, payments
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
    host_payments.mark_transfer_received(booking, coop)
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
            host_payments.accept_pay_at_arrival(booking, coop, now=now)
            host_payments.record_cash(booking, coop, booking.total - 1_000, now=now)
            paid += booking.total - 1_000
        else:
            host_payments.mark_transfer_received(booking, coop, now=now)
            paid += booking.total
        if day % 3 == 1:
            # cancelled later the same month: the policy gives some or all of it back
            refund = cancellations.cancel(
                booking, reason="plans changed", now=now + timedelta(hours=1)
            )
            refunded += refund
    assert refunded > 0
    totals = ledger.totals_by_account(2026, 3)
    assert sum(totals.values()) == paid - refunded
    statements = [ledger.host_statement(h.id, 2026, 3) for h in hosts]
    hosts_total = sum(s.total for s in statements)
    cash_held = sum(s.cash_collected for s in statements)
    assert cash_held == ledger.cash_held_by_hosts(2026, 3) > 0
    fund = ledger.community_fund_statement(community.id, 2026, 3)
    # hosts are owed their shares less the cash they hold
    assert hosts_total + cash_held == totals[LedgerAccount.HOST]
    assert fund.total == totals[LedgerAccount.COMMUNITY_FUND]
    assert hosts_total + cash_held + fund.total + totals[LedgerAccount.PLATFORM] == paid - refunded
    # each payment's and each refund's shares sum to it exactly
    for payment_id, amount in db.session.execute(
        select(LedgerEntry.payment_id, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.refund_id.is_(None), LedgerEntry.kind == LedgerKind.SHARE)
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
    host_payments.mark_transfer_received(booking, coop)
    period_end = datetime.now(UTC) + timedelta(days=30)  # after the stay
    first = ledger.run_payouts(period_end, actor=coop)
    assert len(first) == 1 and first[0].host_id == listing.host_id
    host_share = db.session.scalar(
        select(func.sum(LedgerEntry.amount)).where(LedgerEntry.account == LedgerAccount.HOST)
    )
    assert first[0].amount == host_share
    assert ledger.run_payouts(period_end, actor=coop) == []
    assert db.session.scalar(select(func.count(Payout.id))) == 1


# --- cash the host collected -----------------------------------------------------------------

T0 = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam on 2 March


def _host_entries(host_id):
    return db.session.scalars(
        select(LedgerEntry).where(
            LedgerEntry.account == LedgerAccount.HOST, LedgerEntry.host_id == host_id
        )
    ).all()


def _paid_in_cash(listing, coop, *, now=T0, start_in_days=10, amount=None):
    booking = make_held_booking(listing, start_in_days=start_in_days, now=now)
    payments.start_payment(booking, "pay_at_arrival", now=now)
    host_payments.accept_pay_at_arrival(booking, coop, now=now)
    host_payments.record_cash(booking, coop, amount or booking.total, now=now)
    return booking


def test_cash_collected_by_the_host_shows_what_they_owe_the_fund_and_the_platform():
    community = make_community(commission_rate_bp=1000, community_fund_rate_bp=500)
    coop = make_user(Role.COOP, community=community)
    listing = make_listing(community=community, nightly_price=500_000)
    booking = _paid_in_cash(listing, coop)
    entries = _host_entries(listing.host_id)
    by_kind = {e.kind: e.amount for e in entries}
    assert by_kind == {LedgerKind.SHARE: 850_000, LedgerKind.CASH_COLLECTED: -1_000_000}
    assert ledger.unsettled_balance(listing.host_id) == -150_000
    statement = ledger.host_statement(listing.host_id, 2026, 3)
    assert (statement.received, statement.cash_collected, statement.total) == (
        850_000,
        1_000_000,
        -150_000,
    )
    assert {line["kind"] for line in statement.lines} == {"payment", "cash_collected"}
    # the shares of the platform and the fund still sum to the payment
    assert sum(ledger.totals_by_account(2026, 3).values()) == booking.total
    # after the stay, a payout run pays nothing: the host holds the money already
    assert ledger.run_payouts(datetime(2026, 4, 1, tzinfo=UTC)) == []
    assert ledger.unsettled_balance(listing.host_id) == -150_000


def test_what_a_host_owes_from_cash_nets_against_their_transfer_shares():
    community = make_community(commission_rate_bp=1000, community_fund_rate_bp=500)
    coop = make_user(Role.COOP, community=community)
    listing = make_listing(community=community, units=3, nightly_price=500_000)
    _paid_in_cash(listing, coop)
    by_bank = make_held_booking(listing, now=T0)
    host_payments.mark_transfer_received(by_bank, coop, now=T0)
    [payout] = ledger.run_payouts(datetime(2026, 4, 1, tzinfo=UTC))
    assert payout.amount == 850_000 - 150_000
    assert ledger.unsettled_balance(listing.host_id) == 0


def test_a_cash_refund_is_given_back_by_the_host_and_reverses_what_they_collected():
    community = make_community(commission_rate_bp=1000, community_fund_rate_bp=500)
    coop = make_user(Role.COOP, community=community)
    listing = make_listing(community=community, nightly_price=500_000)
    booking = _paid_in_cash(listing, coop, start_in_days=40)
    refund = cancellations.cancel(booking, reason="plans changed", now=T0 + timedelta(hours=1))
    assert refund == booking.total  # moderate policy, long before arrival: all of it
    by_kind = defaultdict(int)
    for entry in _host_entries(listing.host_id):
        by_kind[entry.kind] += entry.amount
    assert by_kind[LedgerKind.CASH_RETURNED] == 1_000_000
    # the host gave it all back: nothing held, nothing owed, nothing earned
    assert ledger.unsettled_balance(listing.host_id) == 0
    assert sum(ledger.totals_by_account(2026, 3).values()) == 0
    assert ledger.cash_held_by_hosts(2026, 3) == 0


def test_a_refund_is_counted_once_and_again_only_after_it_was_reversed():
    community = make_community()
    coop = make_user(Role.COOP, community=community)
    listing = make_listing(community=community)
    booking = _paid_in_cash(listing, coop, start_in_days=40)
    cancellations.cancel(booking, reason="plans changed", now=T0)
    [refund] = db.session.scalars(select(Refund)).all()
    assert ledger.record_refund(refund, now=T0) == []  # already counted
    assert ledger.record_payment(refund.payment, now=T0) == []
    reversed_entries = ledger.reverse_refund(refund, now=T0)
    assert sum(e.amount for e in reversed_entries if e.kind == LedgerKind.SHARE) == refund.amount
    assert ledger.reverse_refund(refund, now=T0) == []
    db.session.commit()
    assert ledger.unsettled_balance(listing.host_id) < 0  # holds the cash again
    assert ledger.record_refund(refund, now=T0)
    db.session.commit()
    assert ledger.unsettled_balance(listing.host_id) == 0


# --- payouts wait until the stay is over -----------------------------------------------------


def _business_midnight(day):
    return datetime.combine(day, time(0), tzinfo=BUSINESS_TZ)


def test_host_shares_are_paid_out_only_once_the_stay_is_over():
    community = make_community(commission_rate_bp=1000, community_fund_rate_bp=500)
    coop = make_user(Role.COOP, community=community)
    listing = make_listing(community=community, nightly_price=500_000)
    booking = make_held_booking(listing, start_in_days=10, nights=2, now=T0)
    host_payments.mark_transfer_received(booking, coop, now=T0)
    check_out = booking.items[0].check_out
    assert ledger.run_payouts(_business_midnight(check_out)) == []  # the last night is not over
    [payout] = ledger.run_payouts(_business_midnight(check_out + timedelta(days=1)))
    assert payout.amount == 850_000


def test_refunds_count_at_once_and_final_bookings_are_paid_whatever_the_date():
    community = make_community(commission_rate_bp=1000, community_fund_rate_bp=500)
    coop = make_user(Role.COOP, community=community)
    listing = make_listing(community=community, units=3, nightly_price=500_000)
    future = make_held_booking(listing, start_in_days=60, nights=2, now=T0)
    host_payments.mark_transfer_received(future, coop, now=T0)
    cancelled = make_held_booking(listing, start_in_days=60, nights=2, now=T0)
    host_payments.mark_transfer_received(cancelled, coop, now=T0)
    # moderate policy close to arrival keeps half: the host earns their share of the half kept
    kept = cancelled.total - cancellations.cancel(
        cancelled, now=_business_midnight(cancelled.items[0].check_in - timedelta(days=2))
    )
    assert 0 < kept < cancelled.total
    # a partial refund of the booking still to come (e.g. paid twice) counts at once
    payment = future.payments[0]
    extra = Refund(payment_id=payment.id, booking_id=future.id, amount=100_000, created_at=T0)
    db.session.add(extra)
    db.session.flush()
    ledger.record_refund(extra, now=T0)
    db.session.commit()
    before_the_stays = _business_midnight(future.items[0].check_in)
    [payout] = ledger.run_payouts(before_the_stays)
    assert payout.amount == kept * 85 // 100 - 85_000
    # the future stay's share waits for its stay
    waiting = ledger.unsettled_balance(listing.host_id)
    assert waiting == 850_000
    later = _business_midnight(future.items[0].check_out + timedelta(days=1))
    [second] = ledger.run_payouts(later)
    assert second.amount == waiting
