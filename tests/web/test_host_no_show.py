"""No-show: only once the guests are past due, undoable, and what the scanner says about it."""

from datetime import datetime, time, timedelta

from flask_babel import force_locale

from marketplace.clock import BUSINESS_TZ, business_today
from marketplace.extensions import db
from marketplace.models import (
    AuditEntry,
    Booking,
    BookingStatus,
    ListingKind,
    TicketStatus,
)
from marketplace.models.outbox import OutboxMessage
from marketplace.services.backoffice import host_bookings
from marketplace.services.booking import tickets
from marketplace.services.checkin import checkin
from tests.factories import bearer, login, make_departure, make_listing, make_ticketed_booking


def arrived_days_ago(booking: Booking, days: int) -> Booking:
    """The same booking as if its stay had begun `days` ago (bookings cannot be made in the past)."""
    shift = timedelta(days=days)
    booking = db.session.get(Booking, booking.id)
    for item in booking.items:
        item.check_in -= shift
        item.check_out -= shift
        for night in item.nights:
            night.night -= shift
        if item.ticket is not None:
            item.ticket.valid_from -= shift
            item.ticket.valid_until -= shift
    db.session.commit()
    return booking


def status_of(booking: Booking) -> BookingStatus:
    db.session.expire_all()
    return db.session.get(Booking, booking.id).status


def test_no_show_is_refused_on_the_arrival_day_with_a_reason(client):
    booking = make_ticketed_booking()
    host = booking.items[0].listing.host
    login(client, host)
    page = client.get(f"/host/bookings/{booking.reference}?lang=en").get_data(as_text=True)
    assert "Mark no-show" not in page and "A no-show can be marked from" in page
    response = client.post(f"/host/bookings/{booking.reference}/no-show?lang=en")
    assert response.status_code == 302
    shown = client.get(response.location + "?lang=en").get_data(as_text=True)
    assert "Too early: the guests may still come." in shown
    assert status_of(booking) == BookingStatus.CONFIRMED


def test_no_show_the_day_after_then_undo_restores_the_booking_and_sends_no_mail(client):
    booking = arrived_days_ago(make_ticketed_booking(), 1)
    host = booking.items[0].listing.host
    login(client, host)
    page = client.get(f"/host/bookings/{booking.reference}?lang=en").get_data(as_text=True)
    assert "Mark no-show" in page and "data-confirm=" in page
    client.post(f"/host/bookings/{booking.reference}/no-show")
    assert status_of(booking) == BookingStatus.NO_SHOW
    ticket = tickets.tickets_of(db.session.get(Booking, booking.id))[0]
    assert ticket.status == TicketStatus.VOID

    # the scanner says what happened, not "not paid"
    with force_locale("en"):
        result = checkin.perform_checkin(ticket.secret, host)
        assert result.result == checkin.NO_SHOW
        assert "no-show" in result.message

    mails_before = db.session.query(OutboxMessage).count()
    page = client.get(f"/host/bookings/{booking.reference}?lang=en").get_data(as_text=True)
    assert "Undo no-show" in page
    response = client.post(f"/host/bookings/{booking.reference}/no-show/undo?lang=en")
    assert response.status_code == 302
    assert status_of(booking) == BookingStatus.CONFIRMED
    booking = db.session.get(Booking, booking.id)
    assert tickets.tickets_of(booking)[0].status == TicketStatus.VALID
    assert db.session.query(OutboxMessage).count() == mails_before  # no second "confirmed"
    undo = (
        db.session.query(AuditEntry)
        .filter_by(subject_type="booking", subject_id=booking.id, to_state="confirmed")
        .order_by(AuditEntry.id.desc())
        .first()
    )
    assert undo.from_state == "no_show" and undo.actor_id == host.id
    # the ticket admits again (its stay began yesterday and runs today)
    assert checkin.perform_checkin(tickets.tickets_of(booking)[0].secret, host).result == "ok"


def test_undo_of_a_booking_that_is_not_a_no_show_is_refused(client):
    booking = make_ticketed_booking()
    login(client, booking.items[0].listing.host)
    response = client.post(f"/host/bookings/{booking.reference}/no-show/undo?lang=en")
    shown = client.get(response.location + "?lang=en").get_data(as_text=True)
    assert "cannot become confirmed" in shown
    assert status_of(booking) == BookingStatus.CONFIRMED


def test_someone_elses_booking_is_not_found(client):
    booking = arrived_days_ago(make_ticketed_booking(), 1)
    login(client, make_listing().host)
    assert client.post(f"/host/bookings/{booking.reference}/no-show").status_code == 404
    assert client.post(f"/host/bookings/{booking.reference}/no-show/undo").status_code == 404
    assert status_of(booking) == BookingStatus.CONFIRMED


def test_a_tour_no_show_counts_from_the_departure_time():
    tour = make_listing(ListingKind.TOUR)
    departure = make_departure(tour, day=business_today() + timedelta(days=3))
    booking = make_ticketed_booking(tour, departure=departure)
    starts = departure.starts_at
    assert host_bookings.no_show_from(booking) == starts
    assert not host_bookings.may_mark_no_show(booking, starts - timedelta(minutes=1))
    try:
        host_bookings.mark_no_show(booking, tour.host, now=starts - timedelta(minutes=1))
    except Exception as exc:  # noqa: BLE001 - the coded refusal is what is checked
        assert exc.code == "too_early"
    else:
        raise AssertionError("marked before the departure left")
    outcome = host_bookings.mark_no_show(booking, tour.host, now=starts + timedelta(minutes=5))
    assert outcome.value == "applied" and status_of(booking) == BookingStatus.NO_SHOW


def test_a_stay_no_show_counts_from_the_end_of_the_arrival_day():
    booking = make_ticketed_booking()
    first = booking.items[0].check_in
    midnight = datetime.combine(first + timedelta(days=1), time(0), tzinfo=BUSINESS_TZ)
    assert host_bookings.no_show_from(booking) == midnight
    late_evening = datetime.combine(first, time(23, 30), tzinfo=BUSINESS_TZ)
    assert not host_bookings.may_mark_no_show(booking, late_evening)
    assert host_bookings.may_mark_no_show(booking, midnight)


def test_the_scanner_api_and_page_say_no_show(client):
    booking = arrived_days_ago(make_ticketed_booking(), 1)
    host = booking.items[0].listing.host
    host_bookings.mark_no_show(booking, host)
    secret = tickets.tickets_of(db.session.get(Booking, booking.id))[0].secret
    response = client.post(
        "/api/v1/checkins?lang=en", json={"secret": secret}, headers=bearer(host)
    )
    body = response.get_json()
    assert response.status_code == 200 and body["result"] == "no_show"
    assert body["message"] == "This booking was marked as no-show. The host can undo it."
    assert body["booking"]["status"] == "no_show"
    login(client, host)
    page = client.get("/checkin?lang=en").get_data(as_text=True)
    assert "This booking was marked as no-show." in page  # the scanner script's words
