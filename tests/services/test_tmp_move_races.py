"""Temporary: race the offer's answers (deleted after running)."""

from datetime import timedelta

import pytest

from marketplace.extensions import db
from marketplace.models import Booking, BookingStatus, Departure, MoveOffer, TicketStatus
from marketplace.services import availability, bookings, closures, departure_moves
from tests.concurrency.racing import Side, load_booking, make_racing_app, race
from tests.services.test_move_offers import _offered


@pytest.fixture(scope="module")
def racing_app(app):
    racing = make_racing_app(app)
    yield racing
    with racing.app_context():
        db.engine.dispose()


def _check(booking_id, cancelled_id, near_id):
    db.session.expire_all()
    booking = db.session.get(Booking, booking_id)
    item = booking.items[0]
    near = db.session.get(Departure, near_id)
    left = availability.seats_left([near])[near.id]
    offer = db.session.query(MoveOffer).filter_by(booking_id=booking_id).one()
    if booking.status == BookingStatus.CANCELLED:
        assert item.ticket.status == TicketStatus.VOID
        assert left == 6, left
        assert offer.status.value in ("refused", "lapsed", "accepted")
    else:
        assert booking.status == BookingStatus.CONFIRMED
        assert item.departure_id == near_id and item.ticket.status == TicketStatus.VALID
        assert left == 4
        assert offer.status.value == "accepted"
    return booking.status, offer.status.value


@pytest.mark.parametrize("round_no", range(6))
@pytest.mark.parametrize("other", ["refuse", "lapse", "cancel"])
def test_accept_races(racing_app, round_no, other):
    booking, coop, cancelled, near, far = _offered()
    bid, cid, nid = booking.id, cancelled.id, near.id
    later = cancelled.starts_at + timedelta(hours=1)
    now = later if other == "lapse" else None
    db.session.commit()
    db.session.remove()
    acts = {
        "refuse": lambda b: departure_moves.refuse_move(b),
        "lapse": lambda b: departure_moves.refund_unanswered(now=later),
        "cancel": lambda b: bookings.cancel(b, reason="x", by_host=True),
    }
    result = race(
        racing_app,
        Side("accept", lambda b: departure_moves.accept_move(b, nid, now=now), lambda: load_booking(bid)),
        Side(other, acts[other], lambda: load_booking(bid)),
        round_no=round_no,
    )
    assert not result.errors(), result.outcomes
    codes = result.codes()
    status, offer = _check(bid, cid, nid)
    print(other, round_no, codes, status, offer)
    if other != "cancel":
        oks = [n for n, c in codes.items() if c == "ok"]
        if other == "lapse":
            lapsed = result.outcomes[[o.name for o in result.outcomes].index("lapse")].value
            assert (codes["accept"] == "ok") != bool(lapsed), (codes, lapsed)
        else:
            assert len(oks) == 1, codes


@pytest.mark.parametrize("round_no", range(4))
def test_double_cancel_departure(racing_app, round_no):
    booking, coop, cancelled, near, far = _offered()
    nid, coop_id = near.id, coop.id
    db.session.commit()
    db.session.remove()

    def act(_):
        from marketplace.models import User

        return closures.cancel_departure(
            db.session.get(Departure, nid), db.session.get(User, coop_id), "again"
        )

    result = race(racing_app, Side("a", act), Side("b", act), round_no=round_no)
    assert not result.errors(), result.outcomes
    values = [o.value for o in result.outcomes]
    assert sorted(v.departures for v in values) == [0, 1]
