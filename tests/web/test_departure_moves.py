"""A cancelled departure: the tourist moves to another one of the same tour, or is refunded."""

import email
import email.policy
from datetime import timedelta
from pathlib import Path

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import (
    AuditEntry,
    Booking,
    BookingStatus,
    Departure,
    ListingKind,
    MoveOffer,
    MoveOfferStatus,
    Payment,
    Refund,
    Role,
)
from marketplace.services.backoffice import closures
from marketplace.services.catalogue import availability
from marketplace.services.payments import host_payments, money_rules
from tests.factories import make_booking, make_departure, make_listing, make_user


def _closed_tour(outbox=None, capacity: int = 6, locale: str = "en"):
    """A paid booking of 2 on a departure the cooperative then cancels; two other departures."""
    listing = make_listing(ListingKind.TOUR)
    coop = make_user(Role.COOP, community=listing.community)
    today = business_today()
    cancelled = make_departure(listing, day=today + timedelta(days=7), capacity=capacity)
    near = make_departure(listing, day=today + timedelta(days=8), capacity=capacity)
    far = make_departure(listing, day=today + timedelta(days=20), capacity=capacity)
    booking = make_booking(
        departure=cancelled,
        participants=2,
        status=BookingStatus.PENDING_PAYMENT,
        locale=locale,
    )
    host_payments.mark_transfer_received(booking, coop)
    before = set(Path(outbox).glob("*.eml")) if outbox else set()
    result = closures.cancel_departure(cancelled, coop, "Flood on the Ba Be road")
    return booking, coop, cancelled, near, far, result, before


def _offer_id(booking) -> int:
    return db.session.query(MoveOffer.id).filter_by(booking_id=booking.id).scalar()


def _guest_client(client, booking):
    """A tourist who booked without an account follows the link of their email."""
    from marketplace.web.booking_access import booking_key

    with client.application.test_request_context():
        key = booking_key(booking)
    return f"/trips/{booking.reference}?key={key}&lang=en"


def test_the_tourist_is_offered_other_departures_by_mail_and_on_the_booking_page(client, outbox):
    booking, _coop, cancelled, near, far, result, before = _closed_tour(outbox, locale="vi")
    assert result.offered == [booking.reference] and result.cancelled == []
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED
    assert db.session.get(Departure, cancelled.id).status.value == "cancelled"
    offer = closures.open_offer(db.session.get(Booking, booking.id))
    assert [d.id for d in offer.alternatives] == [near.id, far.id]  # the nearest first
    assert offer.item.ticket.status.value == "void"  # no check-in on the cancelled day

    mails = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(set(Path(outbox).glob("*.eml")) - before)
    ]
    # the tourist chooses; the host is told, with the reason
    to_tourist = [m for m in mails if m["To"] == booking.contact_email]
    assert len(to_tourist) == 1 and len(mails) == 2
    body = to_tourist[0].get_body(("plain",)).get_content()
    assert "Flood on the Ba Be road" in body and f"/trips/{booking.reference}" in body
    assert "departure" not in to_tourist[0]["Subject"]  # in the tourist's language (Vietnamese)

    page = client.get(_guest_client(client, booking))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count(f'action="/trips/{booking.reference}/move"') == 2
    assert f'value="{near.id}"' in html and f"/trips/{booking.reference}/refund-instead" in html
    assert f"/trips/{booking.reference}/cancel" not in html  # the choice replaces cancelling


def test_moving_takes_the_new_seats_reissues_the_ticket_and_moves_no_money(client):
    booking, _coop, cancelled, near, _far, _result, _ = _closed_tour()
    old_secret = booking.items[0].ticket.secret
    money_before = (db.session.query(Payment).count(), db.session.query(Refund).count())
    client.get(_guest_client(client, booking))
    response = client.post(f"/trips/{booking.reference}/move", data={"departure_id": near.id})
    assert response.status_code == 302
    db.session.expire_all()
    booking = db.session.get(Booking, booking.id)
    item = booking.items[0]
    assert booking.status == BookingStatus.CONFIRMED
    assert item.departure_id == near.id and item.check_in == business_today() + timedelta(days=8)
    assert item.subtotal == booking.total == 600_000  # the price paid stands
    assert money_rules.paid(booking) == booking.total
    assert (db.session.query(Payment).count(), db.session.query(Refund).count()) == money_before
    assert availability.seats_left([db.session.get(Departure, near.id)])[near.id] == 4
    ticket = item.ticket
    assert ticket.status.value == "valid" and ticket.secret != old_secret
    assert ticket.valid_from == item.check_in
    assert client.get(f"/t/{old_secret}").status_code == 404
    assert client.get(f"/t/{ticket.secret}").status_code == 200
    assert db.session.query(AuditEntry).filter_by(action="moved", subject_id=booking.id).count()
    assert closures.open_offer(booking) is None  # answered: no second move
    page = client.get(f"/trips/{booking.reference}").get_data(as_text=True)
    assert "refund-instead" not in page


def test_an_alternative_sold_out_meanwhile_is_a_409_and_the_booking_stays_as_it_was(client):
    booking, _coop, cancelled, near, far, _result, _ = _closed_tour(capacity=2)
    make_booking(departure=near, participants=2)  # someone else takes the last seats
    old_secret = booking.items[0].ticket.secret
    client.get(_guest_client(client, booking))
    response = client.post(f"/trips/{booking.reference}/move", data={"departure_id": near.id})
    assert response.status_code == 409
    assert "has just filled up" in response.get_data(as_text=True)
    db.session.expire_all()
    booking = db.session.get(Booking, booking.id)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.items[0].departure_id == cancelled.id
    assert booking.items[0].ticket.secret == old_secret
    assert availability.seats_left([db.session.get(Departure, far.id)])[far.id] == 2
    # the page still offers the departure that has seats, and the refund
    assert [d.id for d in closures.open_offer(booking).alternatives] == [far.id]


def test_refund_instead_cancels_with_everything_paid_given_back(client):
    booking, _coop, cancelled, _near, _far, _result, _ = _closed_tour()
    client.get(_guest_client(client, booking))
    response = client.post(f"/trips/{booking.reference}/refund-instead")
    assert response.status_code == 302
    db.session.expire_all()
    booking = db.session.get(Booking, booking.id)
    assert booking.status == BookingStatus.CANCELLED
    assert booking.refund_amount == booking.total == 600_000
    assert booking.cancel_reason == "Flood on the Ba Be road"
    assert booking.items[0].ticket.status.value == "void"
    refunds = db.session.query(Refund).count()
    # a double click: answered already, the same page again and no second refund
    again = client.post(f"/trips/{booking.reference}/refund-instead")
    assert again.status_code == 302
    assert db.session.query(Refund).count() == refunds
    assert db.session.get(MoveOffer, _offer_id(booking)).status == MoveOfferStatus.REFUSED
    # moving after the refund is refused clearly, and takes no seat
    response = client.post(f"/trips/{booking.reference}/move", data={"departure_id": _near.id})
    assert response.status_code == 409
    assert "You have already chosen a refund." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).items[0].departure_id == cancelled.id


def test_no_answer_by_the_departure_day_is_a_full_refund():
    booking, _coop, cancelled, _near, _far, _result, _ = _closed_tour()
    assert closures.refund_unanswered() == []  # not yet the day
    later = cancelled.starts_at + timedelta(hours=1)
    assert closures.refund_unanswered(now=later) == [booking.reference]
    db.session.expire_all()
    booking = db.session.get(Booking, booking.id)
    assert booking.status == BookingStatus.CANCELLED and booking.refund_amount == 600_000


def test_a_hosts_view_of_the_offer_has_no_buttons(client):
    from tests.factories import login

    booking, coop, *_ = _closed_tour()
    login(client, coop)
    html = client.get(f"/trips/{booking.reference}").get_data(as_text=True)
    assert "move-offer" in html and "/move" not in html
    assert (
        client.post(f"/trips/{booking.reference}/move", data={"departure_id": 1}).status_code == 302
    )
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).items[0].departure.status.value == "cancelled"


def test_the_daily_command_refunds_what_is_due(runner):
    booking, _coop, cancelled, *_ = _closed_tour()
    result = runner.invoke(args=["bookings", "refund-unanswered"])
    assert result.exit_code == 0 and "refunded 0 booking(s)" in result.output
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED


def test_the_same_choice_twice_moves_once_and_another_choice_is_refused(client):
    booking, _coop, cancelled, near, far, _result, _ = _closed_tour()
    client.get(_guest_client(client, booking))
    first = client.post(f"/trips/{booking.reference}/move", data={"departure_id": near.id})
    db.session.expire_all()
    secret = db.session.get(Booking, booking.id).items[0].ticket.secret
    again = client.post(f"/trips/{booking.reference}/move", data={"departure_id": near.id})
    assert (first.status_code, again.status_code) == (302, 302)
    other = client.post(f"/trips/{booking.reference}/move", data={"departure_id": far.id})
    assert other.status_code == 409
    assert "You have already moved to another departure." in other.get_data(as_text=True)
    refund = client.post(f"/trips/{booking.reference}/refund-instead")
    assert refund.status_code == 409
    db.session.expire_all()
    booking = db.session.get(Booking, booking.id)
    assert booking.status == BookingStatus.CONFIRMED and booking.items[0].departure_id == near.id
    assert booking.items[0].ticket.secret == secret  # not re-issued by the repeat
    assert (
        db.session.query(AuditEntry).filter_by(action="moved", subject_id=booking.id).count() == 1
    )
    seats = availability.seats_left(
        [db.session.get(Departure, near.id), db.session.get(Departure, far.id)]
    )
    assert seats == {near.id: 4, far.id: 6}
    assert db.session.get(MoveOffer, _offer_id(booking)).status == MoveOfferStatus.ACCEPTED


def test_a_departure_not_offered_is_a_404_and_a_lapsed_offer_a_409(client):
    booking, _coop, cancelled, near, _far, _result, _ = _closed_tour()
    client.get(_guest_client(client, booking))
    response = client.post(f"/trips/{booking.reference}/move", data={"departure_id": cancelled.id})
    assert response.status_code == 404
    closures.refund_unanswered(now=cancelled.starts_at + timedelta(hours=1))
    response = client.post(f"/trips/{booking.reference}/move", data={"departure_id": near.id})
    assert response.status_code == 409
    assert "This offer is no longer open." in response.get_data(as_text=True)
    page = client.get(f"/trips/{booking.reference}").get_data(as_text=True)
    assert "move-offer" not in page
