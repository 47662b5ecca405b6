"""Payments without the card network: late money, the policy's refunds, the rules of starting."""

from datetime import UTC, datetime, timedelta

import pytest

from marketplace.extensions import db
from marketplace.models import BookingStatus, CancellationPolicy, RefundStatus, Role
from marketplace.services.payments import (
    cancellations,
    host_payments,
    money_rules,
    payment_status,
    payments,
)
from marketplace.services.shared.errors import ServiceError
from tests.factories import make_community, make_held_booking, make_listing, make_user


def _setup(**listing):
    community = make_community()
    coop = make_user(Role.COOP, community=community)
    return make_listing(community=community, **listing), coop


def test_a_transfer_after_the_hold_lapsed_confirms_when_the_room_is_still_free():
    listing, coop = _setup(units=1)
    now = datetime.now(UTC)
    booking = make_held_booking(listing, now=now)
    later = now + timedelta(hours=2)
    cancellations.expire_holds(now=later)
    assert host_payments.mark_transfer_received(booking, coop, now=later) == "confirmed"
    db.session.expire_all()
    assert booking.status == BookingStatus.CONFIRMED


def test_a_transfer_after_the_room_went_to_someone_else_is_due_back():
    listing, coop = _setup(units=1)
    now = datetime.now(UTC)
    booking = make_held_booking(listing, now=now)
    later = now + timedelta(hours=2)
    other = make_held_booking(listing, now=later, email="binh@example.test")
    assert other.status == BookingStatus.PENDING_PAYMENT
    outcome = host_payments.mark_transfer_received(booking, coop, now=later)
    assert outcome == "sold_out"
    db.session.expire_all()
    assert booking.status == BookingStatus.EXPIRED
    [refund] = booking.payments[-1].refunds
    assert refund.amount == booking.total and refund.status == RefundStatus.PENDING
    assert payment_status.panel_state(booking, now=later)["late_refund"]
    assert money_rules.paid(booking) == 0


@pytest.mark.parametrize(
    ("policy", "days_before", "percent"),
    [
        (CancellationPolicy.MODERATE, 10, 100),
        (CancellationPolicy.MODERATE, 3, 50),
        (CancellationPolicy.STRICT, 10, 50),
        (CancellationPolicy.STRICT, 3, 0),
    ],
)
def test_a_cancelled_transfer_booking_gets_back_what_the_policy_gives(policy, days_before, percent):
    listing, coop = _setup(policy=policy, nightly_price=700_001)
    booking = make_held_booking(listing, start_in_days=days_before, nights=1)
    host_payments.mark_transfer_received(booking, coop)
    refund = cancellations.cancel(booking, reason="plans changed")
    db.session.expire_all()
    assert refund == 700_001 * percent // 100
    refunds = [r for p in booking.payments for r in p.refunds]
    assert sum(r.amount for r in refunds) == refund
    assert money_rules.paid(booking) == booking.total - refund
    # cancelling again is refused and gives nothing more
    with pytest.raises(ServiceError) as excinfo:
        cancellations.cancel(booking, reason="again")
    assert excinfo.value.code == "not_cancellable"
    db.session.expire_all()
    assert sum(r.amount for p in booking.payments for r in p.refunds) == refund


def test_starting_needs_a_live_hold_and_a_pending_booking():
    listing, coop = _setup()
    now = datetime.now(UTC)
    booking = make_held_booking(listing, now=now)
    with pytest.raises(ServiceError) as excinfo:
        payments.start_payment(booking, "vietqr", now=now + timedelta(hours=1))
    assert excinfo.value.code == "hold_expired"
    host_payments.mark_transfer_received(booking, coop, now=now)
    with pytest.raises(ServiceError) as excinfo:
        payments.start_payment(booking, "vietqr", now=now)
    assert excinfo.value.code == "not_payable"


def test_vietqr_is_not_offered_without_a_bank_account():
    community = make_community(bank_bin=None, bank_account_number=None)
    booking = make_held_booking(make_listing(community=community))
    assert "vietqr" not in payments.allowed_methods(booking)
    with pytest.raises(ServiceError) as excinfo:
        payments.start_payment(booking, "vietqr")
    assert excinfo.value.code == "method_not_allowed" and excinfo.value.status == 409
