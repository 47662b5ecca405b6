"""The move offer and the departure as state machines: each answer once, each cancel once."""

from datetime import timedelta
from pathlib import Path

import pytest

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import (
    DEPARTURE_TRANSITIONS,
    MOVE_OFFER_TRANSITIONS,
    AuditEntry,
    Booking,
    BookingStatus,
    Departure,
    DepartureStatus,
    ListingKind,
    MoveOffer,
    MoveOfferStatus,
    Refund,
    Role,
)
from marketplace.models.states import Outcome, judge
from marketplace.services.backoffice import closures, departure_moves
from marketplace.services.catalogue import availability
from marketplace.services.payments import cancellations, host_payments
from marketplace.services.shared.errors import Conflict
from tests.factories import make_booking, make_departure, make_listing, make_user


def _offered(capacity: int = 6):
    """A paid booking of 2 whose departure the cooperative cancels; two other departures."""
    listing = make_listing(ListingKind.TOUR)
    coop = make_user(Role.COOP, community=listing.community)
    today = business_today()
    cancelled = make_departure(listing, day=today + timedelta(days=7), capacity=capacity)
    near = make_departure(listing, day=today + timedelta(days=8), capacity=capacity)
    far = make_departure(listing, day=today + timedelta(days=20), capacity=capacity)
    booking = make_booking(
        departure=cancelled, participants=2, status=BookingStatus.PENDING_PAYMENT
    )
    host_payments.mark_transfer_received(booking, coop)
    result = closures.cancel_departure(cancelled, coop, "Flood on the Ba Be road")
    assert result.offered == [booking.reference]
    return booking, coop, cancelled, near, far


def _fresh(booking) -> Booking:
    db.session.expire_all()
    return db.session.get(Booking, booking.id)


def _offer(booking) -> MoveOffer:
    db.session.expire_all()
    return db.session.query(MoveOffer).filter_by(booking_id=booking.id).one()


def _seats(*departures) -> dict:
    db.session.expire_all()
    return availability.seats_left([db.session.get(Departure, d.id) for d in departures])


@pytest.mark.parametrize(
    ("current", "to", "outcome"),
    [
        (MoveOfferStatus.OPEN, MoveOfferStatus.ACCEPTED, Outcome.APPLIED),
        (MoveOfferStatus.OPEN, MoveOfferStatus.LAPSED, Outcome.APPLIED),
        (MoveOfferStatus.ACCEPTED, MoveOfferStatus.ACCEPTED, Outcome.ALREADY),
        (MoveOfferStatus.REFUSED, MoveOfferStatus.ACCEPTED, Outcome.REFUSED),
        (MoveOfferStatus.LAPSED, MoveOfferStatus.REFUSED, Outcome.REFUSED),
        (MoveOfferStatus.ACCEPTED, MoveOfferStatus.OPEN, Outcome.REFUSED),
    ],
)
def test_the_offer_table(current, to, outcome):
    assert judge(MOVE_OFFER_TRANSITIONS, current, to) is outcome


def test_the_departure_table():
    cancel = (DepartureStatus.SCHEDULED, DepartureStatus.CANCELLED)
    assert judge(DEPARTURE_TRANSITIONS, *cancel) is Outcome.APPLIED
    # lifting a closure reopens; `transition_departure` refuses once guests were touched
    assert judge(DEPARTURE_TRANSITIONS, *reversed(cancel)) is Outcome.APPLIED


def test_the_offer_is_a_row_with_the_alternatives_and_the_reason():
    booking, _coop, cancelled, near, far = _offered()
    offer = _offer(booking)
    assert offer.status == MoveOfferStatus.OPEN and offer.departure_id == cancelled.id
    assert offer.alternative_ids == [near.id, far.id]
    assert offer.reason == "Flood on the Ba Be road" and offer.answered_at is None
    assert _fresh(booking).status == BookingStatus.CONFIRMED
    assert _seats(near, far) == {near.id: 6, far.id: 6}  # nothing taken before an answer


def test_accepting_twice_answers_already_and_changes_nothing():
    booking, _coop, cancelled, near, far = _offered()
    tourist = make_user()
    first = departure_moves.accept_move(booking, near.id, actor=tourist)
    assert first.outcome is Outcome.APPLIED and first.departure.id == near.id
    secret = _fresh(booking).items[0].ticket.secret
    again = departure_moves.accept_move(_fresh(booking), near.id)
    assert again.outcome is Outcome.ALREADY and again.departure.id == near.id
    booking = _fresh(booking)
    assert (
        booking.items[0].ticket.secret == secret and booking.items[0].ticket.status.value == "valid"
    )
    assert _seats(near, far) == {near.id: 4, far.id: 6}
    offer = _offer(booking)
    assert offer.status == MoveOfferStatus.ACCEPTED and offer.moved_to_id == near.id
    assert offer.answered_by_id == tourist.id and offer.answered_at is not None
    with pytest.raises(Conflict) as excinfo:
        departure_moves.accept_move(booking, far.id)
    assert excinfo.value.code == "offer_closed"
    with pytest.raises(Conflict) as excinfo:
        departure_moves.refuse_move(booking)
    assert excinfo.value.code == "offer_closed"
    assert _fresh(booking).status == BookingStatus.CONFIRMED
    audits = db.session.query(AuditEntry).filter_by(subject_type="moveoffer").all()
    assert [(a.from_state, a.to_state) for a in audits] == [("open", "accepted")]


def test_accepting_after_refusing_is_refused_and_takes_no_seat():
    booking, _coop, cancelled, near, far = _offered()
    answer = departure_moves.refuse_move(booking)
    assert answer.outcome is Outcome.APPLIED and answer.refund == 600_000
    with pytest.raises(Conflict) as excinfo:
        departure_moves.accept_move(_fresh(booking), near.id)
    assert excinfo.value.code == "offer_closed"
    booking = _fresh(booking)
    assert (
        booking.status == BookingStatus.CANCELLED and booking.items[0].departure_id == cancelled.id
    )
    assert booking.items[0].ticket.status.value == "void"
    assert _seats(near, far) == {near.id: 6, far.id: 6}
    refunds = db.session.query(Refund).count()
    again = departure_moves.refuse_move(booking)
    assert again.outcome is Outcome.ALREADY and again.refund == 600_000
    assert db.session.query(Refund).count() == refunds
    assert _offer(booking).status == MoveOfferStatus.REFUSED


def test_no_answer_lapses_once_and_then_nothing_is_accepted():
    booking, _coop, cancelled, near, _far = _offered()
    later = cancelled.starts_at + timedelta(hours=1)
    assert departure_moves.refund_unanswered(now=later) == [booking.reference]
    assert departure_moves.refund_unanswered(now=later) == []
    offer = _offer(booking)
    assert offer.status == MoveOfferStatus.LAPSED and offer.answered_by_id is None
    booking = _fresh(booking)
    assert booking.status == BookingStatus.CANCELLED and booking.refund_amount == 600_000
    with pytest.raises(Conflict) as excinfo:
        departure_moves.accept_move(booking, near.id, now=later)
    assert excinfo.value.code == "offer_closed"


def test_an_accepted_offer_does_not_lapse():
    booking, _coop, cancelled, near, _far = _offered()
    departure_moves.accept_move(booking, near.id)
    assert departure_moves.refund_unanswered(now=cancelled.starts_at + timedelta(hours=1)) == []
    assert _fresh(booking).status == BookingStatus.CONFIRMED
    assert _offer(booking).status == MoveOfferStatus.ACCEPTED


def test_a_booking_cancelled_another_way_closes_its_offer():
    booking, coop, _cancelled, near, _far = _offered()
    cancellations.cancel(_fresh(booking), actor=coop, reason="the host", by_host=True)
    assert departure_moves.open_offer(_fresh(booking)) is None
    with pytest.raises(Conflict) as excinfo:
        departure_moves.accept_move(_fresh(booking), near.id)
    assert excinfo.value.code == "offer_closed"
    assert _offer(booking).status == MoveOfferStatus.LAPSED
    assert _seats(near) == {near.id: 6}


def test_a_refusal_left_half_done_is_finished_by_the_daily_run():
    booking, _coop, _cancelled, _near, _far = _offered()
    locked = departure_moves.locks.lock(booking)  # the refusal committed, then the process died
    departure_moves.transition_offer(_offer_row(locked), MoveOfferStatus.REFUSED)
    db.session.commit()
    assert departure_moves.refund_unanswered() == [booking.reference]
    booking = _fresh(booking)
    assert booking.status == BookingStatus.CANCELLED and booking.refund_amount == 600_000


def _offer_row(booking) -> MoveOffer:
    return db.session.query(MoveOffer).filter_by(booking_id=booking.id).one()


def test_moving_to_a_departure_cancelled_meanwhile_is_sold_out(app):
    booking, coop, _cancelled, near, far = _offered()
    closures.cancel_departure(db.session.get(Departure, near.id), coop, "Landslide")
    with pytest.raises(Conflict) as excinfo:
        departure_moves.accept_move(_fresh(booking), near.id)
    assert excinfo.value.code == "sold_out"
    assert _offer(booking).status == MoveOfferStatus.OPEN
    assert departure_moves.accept_move(_fresh(booking), far.id).outcome is Outcome.APPLIED


def test_cancelling_a_cancelled_departure_again_is_already(outbox):
    booking, coop, cancelled, _near, _far = _offered()
    mails = set(Path(outbox).glob("*.eml"))
    departure = db.session.get(Departure, cancelled.id)
    assert closures.transition_departure(departure, DepartureStatus.CANCELLED) is Outcome.ALREADY
    assert closures.transition_departure(departure, DepartureStatus.SCHEDULED) is Outcome.REFUSED
    db.session.rollback()
    again = closures.cancel_departure(departure, coop, "Flood, again")
    assert (again.departures, again.offered, again.cancelled) == (0, [], [])
    assert set(Path(outbox).glob("*.eml")) == mails  # no second round of mails
    assert db.session.query(MoveOffer).count() == 1
    audits = db.session.query(AuditEntry).filter_by(subject_type="departure").all()
    assert [(a.from_state, a.to_state) for a in audits] == [("scheduled", "cancelled")]


def test_closing_a_tour_offers_moves_once(app):
    booking, coop, cancelled, near, far = _offered()
    listing = db.session.get(Departure, near.id).listing
    other = make_booking(departure=near, participants=1)
    day = business_today() + timedelta(days=8)
    result = closures.close_listing(listing, coop, day, day, "Road closed")
    # the only other departure with seats is `far`: the tourist of `near` is offered it
    assert (result.departures, result.offered, result.cancelled) == (1, [other.reference], [])
    again = closures.close_listing(listing, coop, day, day, "Road closed")
    assert (again.departures, again.offered, again.cancelled) == (0, [], [])
    assert _offer(other).alternative_ids == [far.id]
    assert [d.id for d in departure_moves.open_offer(_fresh(booking)).alternatives] == [far.id]
