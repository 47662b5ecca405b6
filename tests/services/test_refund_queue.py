"""Refunds sent by hand: the tourist's account, the queue, "sent" recorded once."""

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.models import AuditEntry, PaymentMethod, Refund, RefundStatus, Role, User
from marketplace.models.states import Outcome
from marketplace.services.payments import cancellations, host_payments, payments, refund_queue
from tests.concurrency.racing import Side, make_racing_app, race
from tests.factories import make_community, make_held_booking, make_listing, make_user

ACCOUNT = {
    "bank_bin": "970436",
    "account_number": "0123 456 789",
    "account_holder": "Nguyễn Văn Đức",
}


def bank_paid_then_cancelled(community=None):
    """A booking paid by bank transfer, then cancelled by its host: all of it is due back."""
    community = community or make_community()
    coop = make_user(Role.COOP, community=community)
    listing = make_listing(community=community)
    booking = make_held_booking(listing)
    host_payments.mark_transfer_received(booking, coop)
    cancellations.cancel(booking, reason="flooded road", by_host=True)
    [refund] = db.session.scalars(select(Refund).where(Refund.booking_id == booking.id)).all()
    return booking, refund, coop


def test_a_host_cancel_of_a_bank_paid_booking_waits_for_the_tourists_account():
    booking, refund, coop = bank_paid_then_cancelled()
    assert refund.status == RefundStatus.PENDING and refund.amount == booking.total
    assert refund_queue.needs_account(booking)
    assert refund_queue.refunds_of(booking)["rows"][0]["state"] == "waiting_for_account"
    [due] = refund_queue.due_refunds(coop)
    assert due.refund.id == refund.id and not due.sendable
    with pytest.raises(refund_queue.Conflict) as excinfo:
        refund_queue.record_refund_sent(refund.id, coop, "FT2603")
    assert excinfo.value.code == "no_refund_account"


def test_the_account_is_cleaned_then_the_refund_is_sent_once():
    booking, refund, coop = bank_paid_then_cancelled()
    account = refund_queue.set_refund_account(booking, **ACCOUNT)
    assert (account.account_number, account.account_holder) == ("0123456789", "NGUYEN VAN DUC")
    assert refund_queue.refunds_of(booking)["rows"][0]["state"] == "to_be_sent"
    assert refund_queue.record_refund_sent(refund.id, coop, " FT26 03 ") is Outcome.APPLIED
    assert refund_queue.record_refund_sent(refund.id, coop, "FT2603") is Outcome.ALREADY
    db.session.expire_all()
    refund = db.session.get(Refund, refund.id)
    assert refund.status == RefundStatus.SUCCEEDED
    assert refund.bank_reference == "FT26 03" and refund.paid_by_id == coop.id
    assert refund.paid_at is not None
    assert refund_queue.due_refunds(coop) == []
    moves = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.subject_type == "refund", AuditEntry.to_state == "succeeded"
        )
    ).all()
    assert len(moves) == 1 and moves[0].actor_id == coop.id


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("bank_bin", {"bank_bin": "999999"}),
        ("account_number", {"account_number": "12ab"}),
        ("account_number", {"account_number": "12345"}),
        ("account_holder", {"account_holder": "  "}),
        ("account_holder", {"account_holder": "李小龍"}),
    ],
)
def test_a_wrong_account_is_refused_on_its_field(field, values):
    booking, _refund, _coop = bank_paid_then_cancelled()
    with pytest.raises(refund_queue.ServiceError) as excinfo:
        refund_queue.set_refund_account(booking, **{**ACCOUNT, **values})
    assert excinfo.value.field == field
    assert refund_queue.refund_account(booking.id) is None


def test_no_account_is_taken_when_nothing_is_due():
    booking = make_held_booking()
    with pytest.raises(refund_queue.Conflict) as excinfo:
        refund_queue.set_refund_account(booking, **ACCOUNT)
    assert excinfo.value.code == "no_refund_due"


def test_another_communitys_cooperative_neither_sees_nor_sends_it():
    booking, refund, coop = bank_paid_then_cancelled()
    refund_queue.set_refund_account(booking, **ACCOUNT)
    other = make_user(Role.COOP, community=make_community())
    host = booking.items[0].listing.host
    assert refund_queue.due_refunds(other) == [] and refund_queue.due_refunds(host) == []
    assert len(refund_queue.due_refunds(make_user(Role.ADMIN))) == 1
    for stranger in (other, host):
        with pytest.raises(refund_queue.NotFound):
            refund_queue.record_refund_sent(refund.id, stranger, "FT1")
    assert db.session.get(Refund, refund.id).status == RefundStatus.PENDING


def test_a_refused_account_is_asked_again_and_the_refund_stays_due():
    booking, refund, coop = bank_paid_then_cancelled()
    refund_queue.set_refund_account(booking, **ACCOUNT)
    refund_queue.reject_refund_account(refund.id, coop, "account closed")
    assert refund_queue.needs_account(booking)
    with pytest.raises(refund_queue.Conflict):
        refund_queue.record_refund_sent(refund.id, coop, "FT1")
    refund_queue.set_refund_account(booking, **{**ACCOUNT, "account_number": "9988776655"})
    assert refund_queue.record_refund_sent(refund.id, coop, "FT2") is Outcome.APPLIED


def test_a_cash_refund_is_given_back_by_the_host_without_a_bank_account():
    community = make_community()
    coop = make_user(Role.COOP, community=community)
    booking = make_held_booking(make_listing(community=community), start_in_days=40)
    payments.start_payment(booking, "pay_at_arrival")
    host_payments.accept_pay_at_arrival(booking, coop)
    host_payments.record_cash(booking, coop, booking.total)
    cancellations.cancel(booking, reason="plans changed")
    [refund] = db.session.scalars(select(Refund)).all()
    assert refund.payment.method == PaymentMethod.PAY_AT_ARRIVAL
    assert not refund_queue.needs_account(booking)
    [due] = refund_queue.due_refunds(coop)
    assert due.by_cash and due.sendable
    assert refund_queue.record_refund_sent(refund.id, coop, "receipt 12") is Outcome.APPLIED


@pytest.fixture
def racing_app(app):
    racer = make_racing_app(app)
    yield racer
    with racer.app_context():
        db.engine.dispose()


def test_two_sent_clicks_at_the_same_instant_record_it_once(racing_app):
    for n in range(3):
        booking, refund, coop = bank_paid_then_cancelled()
        refund_queue.set_refund_account(booking, **ACCOUNT)
        refund_id, coop_id = refund.id, coop.id

        def prepare(refund_id=refund_id, coop_id=coop_id):
            assert db.session.get(Refund, refund_id).status == RefundStatus.PENDING  # read first
            return db.session.get(User, coop_id)

        def click(actor, refund_id=refund_id, n=n):
            return refund_queue.record_refund_sent(refund_id, actor, f"FT{n}")

        result = race(
            racing_app, Side("first", click, prepare), Side("second", click, prepare), round_no=n
        )
        assert sorted(o.value for o in result.outcomes) == [Outcome.ALREADY, Outcome.APPLIED]
        db.session.expire_all()
        moves = select(AuditEntry).where(
            AuditEntry.subject_type == "refund",
            AuditEntry.subject_id == refund_id,
            AuditEntry.to_state == "succeeded",
        )
        assert len(db.session.scalars(moves).all()) == 1
