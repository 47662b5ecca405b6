"""Every allowed transition and the refused ones, hold expiry, refunds on cancelling, emails."""

import email
import email.policy
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import (
    BOOKING_TRANSITIONS,
    AuditEntry,
    BookingStatus,
    CancellationPolicy,
    Payment,
    PaymentStatus,
    Role,
)
from marketplace.models.states import Outcome
from marketplace.services.booking import booking_events, booking_lifecycle, bookings
from marketplace.services.booking.booking_requests import Contact, StayRequest
from marketplace.services.catalogue import availability
from marketplace.services.payments import cancellations, money_rules
from tests.factories import make_listing, make_user

CONTACT = Contact("Emma Schmidt", "emma@example.test", "+49 151 2345 6789")
S = BookingStatus


def hold(units=2, start_in_days=10, nights=2, policy=CancellationPolicy.MODERATE, now=None, **kw):
    room = make_listing(units=units, policy=policy, **kw).room_types[0]
    check_in = business_today() + timedelta(days=start_in_days)
    request = StayRequest(room.id, check_in, check_in + timedelta(days=nights), 1, 1)
    booking, _ = bookings.place_booking([request], CONTACT, now=now)
    return booking


#: a path from a new hold to each state
PATHS = {
    S.PENDING_PAYMENT: [],
    S.CONFIRMED: [S.CONFIRMED],
    S.CHECKED_IN: [S.CONFIRMED, S.CHECKED_IN],
    S.COMPLETED: [S.CONFIRMED, S.CHECKED_IN, S.COMPLETED],
    S.CANCELLED: [S.CANCELLED],
    S.EXPIRED: [S.EXPIRED],
    S.NO_SHOW: [S.CONFIRMED, S.NO_SHOW],
}
ALLOWED = [(a, b) for a, targets in BOOKING_TRANSITIONS.items() for b in targets]
REFUSED = [(a, b) for a in S for b in S if a != b and b not in BOOKING_TRANSITIONS[a]]


def at(state):
    booking = hold()
    for step in PATHS[state]:
        booking_lifecycle.transition(booking, step)
    db.session.commit()
    return booking


@pytest.mark.parametrize("source,target", ALLOWED, ids=lambda s: s.value)
def test_each_allowed_transition_moves_and_is_audited(source, target):
    booking = at(source)
    assert booking_lifecycle.transition(booking, target, reason="test") is Outcome.APPLIED
    db.session.commit()
    assert booking.status == target
    last = db.session.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
    assert (last.from_state, last.to_state) == (source.value, target.value)


@pytest.mark.parametrize("source,target", REFUSED, ids=lambda s: s.value)
def test_each_other_move_is_refused(source, target):
    booking = at(source)
    assert booking_lifecycle.transition(booking, target) is Outcome.REFUSED
    db.session.commit()
    db.session.expire_all()
    assert booking.status == source


def test_hold_expiry_frees_at_once_and_the_cli_marks_it(runner):
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    lapsed = hold(units=1, now=long_ago)
    fresh = hold(units=1)
    room = lapsed.items[0].room_type
    item = lapsed.items[0]
    assert availability.free_units([room], item.check_in, item.check_out)[room.id] == 1
    result = runner.invoke(args=["bookings", "expire"])
    assert result.exit_code == 0 and "expired 1 hold" in result.output
    db.session.expire_all()
    assert lapsed.status == S.EXPIRED and fresh.status == S.PENDING_PAYMENT
    assert runner.invoke(args=["bookings", "expire"]).output.startswith("expired 0")


def test_hold_lasts_hold_minutes(app):
    now = datetime.now(UTC)
    booking = hold(now=now)
    assert booking.hold_expires_at == now + timedelta(minutes=app.config["HOLD_MINUTES"])


def pay(booking, amount=None):
    db.session.add(
        Payment(
            booking=booking,
            method="stripe",
            status=PaymentStatus.SUCCEEDED,
            amount=booking.total if amount is None else amount,
        )
    )
    db.session.commit()


@pytest.mark.parametrize(
    "policy,days_before,percent",
    [
        (CancellationPolicy.FLEXIBLE, 2, 100),
        (CancellationPolicy.FLEXIBLE, 1, 100),
        (CancellationPolicy.FLEXIBLE, 0, 0),
        (CancellationPolicy.MODERATE, 6, 100),
        (CancellationPolicy.MODERATE, 5, 100),
        (CancellationPolicy.MODERATE, 4, 50),
        (CancellationPolicy.MODERATE, 0, 50),
        (CancellationPolicy.STRICT, 8, 50),
        (CancellationPolicy.STRICT, 7, 50),
        (CancellationPolicy.STRICT, 6, 0),
    ],
)
def test_cancelling_refunds_by_policy_at_the_boundaries(policy, days_before, percent):
    booking = hold(policy=policy, start_in_days=days_before, nightly_price=450_000)
    pay(booking)
    assert money_rules.refundable(booking) == booking.total * percent // 100
    assert cancellations.cancel(booking, reason="plans changed") == booking.total * percent // 100
    assert booking.refund_amount == booking.total * percent // 100
    assert booking.status == S.CANCELLED


def test_boundary_follows_the_vietnamese_day_not_utc():
    # 5 days before by the UTC date (full refund), but 23:30 UTC is 4 days before in Vietnam
    booking = hold(policy=CancellationPolicy.MODERATE, start_in_days=6)
    pay(booking)
    check_in = booking.items[0].check_in
    late_evening_utc = datetime.combine(check_in - timedelta(days=5), datetime.min.time(), UTC)
    late_evening_utc += timedelta(hours=23, minutes=30)
    today = business_today(late_evening_utc)
    assert money_rules.refund_share(booking, booking.total, by_host=False, today=today) == (
        booking.total // 2
    )


def test_unpaid_hold_cancels_with_nothing_to_refund():
    booking = hold()
    assert cancellations.cancel(booking) == 0


def test_emails_on_received_confirmed_cancelled_in_each_recipients_language(outbox, app):
    host = make_user(Role.HOST, locale="en", name="Dung")
    before = set(Path(outbox).glob("*.eml"))
    booking = hold(host=host)  # tourist's booking in Vietnamese (the default)
    booking_lifecycle.confirm(booking)
    cancellations.cancel(booking)
    messages = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(set(Path(outbox).glob("*.eml")) - before)
    ]
    assert len(messages) == 6
    to_tourist = [m for m in messages if m["To"] == CONTACT.email]
    to_host = [m for m in messages if m["To"] == host.email]
    assert [m["Subject"] for m in to_host] == [
        f"New booking {booking.reference}",
        f"Booking {booking.reference} is confirmed",
        f"Booking {booking.reference} was cancelled",
    ]
    assert all(booking.reference in m["Subject"] for m in to_tourist)
    assert to_tourist[0]["Subject"] != f"Booking {booking.reference} received"  # Vietnamese
    body = to_tourist[0].get_body(("plain",)).get_content()
    html = to_tourist[0].get_body(("html",)).get_content()
    assert "key=" in body and f"/trips/{booking.reference}" in body and "<a href=" in html
    assert app.config["BASE_URL"] in body  # no request: the link is built on BASE_URL


def test_unknown_event_is_refused():
    with pytest.raises(ValueError):
        booking_events.announce(hold(), "teleported")


def test_mail_leaves_through_the_outbox_once_delivered(app, outbox):
    from marketplace.models.outbox import OutboxMessage, OutboxStatus

    before = set(Path(outbox).glob("*.eml"))
    booking = hold()
    [message] = db.session.query(OutboxMessage).filter_by(topic="mail.booking_event").all()
    assert message.payload == {"booking_id": booking.id, "event": "received"}
    assert message.status == OutboxStatus.DONE
    new = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in set(Path(outbox).glob("*.eml")) - before
    ]
    assert sorted(m["To"] for m in new) == sorted(
        [CONTACT.email, booking.items[0].listing.host.email]
    )
