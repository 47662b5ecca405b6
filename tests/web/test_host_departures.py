"""A tour's departures by day for its host: seats booked, edits, cancelling one or a whole day,
lifting a closure made by mistake, and what hosts are told of move offers."""

import email
import email.policy
import re
from datetime import timedelta
from pathlib import Path

import pytest

from marketplace.clock import business_today, to_business_time
from marketplace.extensions import db
from marketplace.models import (
    AuditEntry,
    Booking,
    BookingStatus,
    Departure,
    DepartureStatus,
    ListingKind,
    Role,
)
from marketplace.models.states import Outcome
from marketplace.services.backoffice import closures
from marketplace.services.payments import cancellations, host_payments
from tests.factories import (
    login,
    make_booking,
    make_community,
    make_departure,
    make_listing,
    make_user,
)

DAY = 9


def _tour(capacity: int = 6):
    """A tour whose host reads English, with one departure on DAY days from now."""
    community = make_community()
    host = make_user(Role.HOST, community=community, locale="en")
    listing = make_listing(ListingKind.TOUR, community=community, host=host)
    day = business_today() + timedelta(days=DAY)
    departure = make_departure(listing, day=day, capacity=capacity)
    return listing, departure, day


def _mails(outbox, before) -> list:
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(set(Path(outbox).glob("*.eml")) - before)
    ]


def _text(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def _fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def test_the_page_lists_departures_by_day_with_seats_booked(client):
    listing, departure, day = _tour(capacity=8)
    later = make_departure(listing, day=day + timedelta(days=1), capacity=4)
    make_booking(departure=departure, participants=3)
    make_booking(departure=departure, participants=2, status=BookingStatus.CANCELLED)
    login(client, listing.host)
    page = client.get(f"/host/listings/{listing.id}/departures")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "3 / 8 seats booked" in html and "0 / 4 seats booked" in html
    assert f'id="day-{day.isoformat()}"' in html and f'id="d{later.id}"' in html
    assert html.count("data-confirm=") == 4  # each departure's cancel and each day's
    assert f"/host/listings/{listing.id}/departures" in client.get("/host/listings").get_data(
        as_text=True
    )


@pytest.mark.parametrize("who", ["other_host", "guide", "tourist"])
def test_others_cannot_see_or_change_the_departures(client, who):
    listing, departure, _day = _tour()
    role = {"other_host": Role.HOST, "guide": Role.GUIDE, "tourist": Role.TOURIST}[who]
    community = listing.community if who == "guide" else make_community()
    login(client, make_user(role, community=community))
    assert client.get(f"/host/listings/{listing.id}/departures").status_code in (403, 404)
    response = client.post(
        f"/host/listings/{listing.id}/departures/{departure.id}/cancel", data={"reason": "x"}
    )
    assert response.status_code in (403, 404)
    assert _fresh(Departure, departure.id).status == DepartureStatus.SCHEDULED


def test_a_stay_has_no_departures_page_and_a_day_must_be_given(client):
    listing = make_listing()
    login(client, listing.host)
    response = client.get(f"/host/listings/{listing.id}/departures")
    assert response.status_code == 302 and response.location.endswith(f"/listings/{listing.id}")
    tour, departure, _day = _tour()
    login(client, tour.host)
    for action in ("cancel", "reopen"):
        for day in ("", "someday"):
            url = f"/host/listings/{tour.id}/days/{action}"
            assert client.post(url, data={"day": day, "reason": "x"}).status_code == 400
    assert _fresh(Departure, departure.id).status == DepartureStatus.SCHEDULED


def test_the_host_edits_time_seats_and_guide(client):
    listing, departure, _day = _tour()
    guide = make_user(Role.GUIDE, community=listing.community)
    login(client, listing.host)
    response = client.post(
        f"/host/listings/{listing.id}/departures/{departure.id}",
        data={"time": "09:15", "capacity": "12", "guide_id": str(guide.id)},
    )
    assert response.status_code == 302
    departure = _fresh(Departure, departure.id)
    assert (departure.capacity, departure.guide_id) == (12, guide.id)
    assert to_business_time(departure.starts_at).strftime("%H:%M") == "09:15"
    entry = db.session.query(AuditEntry).filter_by(subject_type="departure", action="edited").one()
    assert entry.actor_id == listing.host.id and entry.data["after"]["capacity"] == 12


def test_seats_below_those_booked_is_a_form_error_and_nothing_changes(client):
    listing, departure, _day = _tour(capacity=6)
    make_booking(departure=departure, participants=4)
    login(client, listing.host)
    response = client.post(
        f"/host/listings/{listing.id}/departures/{departure.id}",
        data={"time": "07:30", "capacity": "3", "guide_id": ""},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="d{departure.id}-capacity-error"' in html
    assert "4 seats are already booked: keep at least that many." in html
    assert 'value="3"' in html  # what was typed stays
    assert _fresh(Departure, departure.id).capacity == 6


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"time": "25:99", "capacity": "5"}, "time"),
        ({"time": "07:30", "capacity": "lots"}, "capacity"),
        ({"time": "07:30", "capacity": "5", "guide_id": "999999"}, "guide_id"),
    ],
)
def test_bad_edits_are_form_errors(client, data, field):
    listing, departure, _day = _tour()
    login(client, listing.host)
    response = client.post(f"/host/listings/{listing.id}/departures/{departure.id}", data=data)
    assert response.status_code == 400
    assert f'id="d{departure.id}-{field}-error"' in response.get_data(as_text=True)


def test_a_guide_of_another_community_is_refused(client):
    listing, departure, _day = _tour()
    stranger = make_user(Role.GUIDE, community=make_community())
    login(client, listing.host)
    response = client.post(
        f"/host/listings/{listing.id}/departures/{departure.id}",
        data={"time": "07:30", "capacity": "6", "guide_id": str(stranger.id)},
    )
    assert response.status_code == 400
    assert _fresh(Departure, departure.id).guide_id is None


def test_cancelling_one_departure_refunds_and_tells_tourist_and_host_why(client, outbox):
    listing, departure, _day = _tour()
    booking = make_booking(
        departure=departure, participants=2, status=BookingStatus.PENDING_PAYMENT
    )
    host_payments.mark_transfer_received(booking, listing.host)
    login(client, listing.host)
    refused = client.post(
        f"/host/listings/{listing.id}/departures/{departure.id}/cancel", data={"reason": " "}
    )
    assert refused.status_code == 400
    assert f'id="c{departure.id}-reason-error"' in refused.get_data(as_text=True)
    before = set(Path(outbox).glob("*.eml"))
    response = client.post(
        f"/host/listings/{listing.id}/departures/{departure.id}/cancel",
        data={"reason": "Heavy rain on the pass"},
    )
    assert response.status_code == 302
    assert _fresh(Departure, departure.id).status == DepartureStatus.CANCELLED
    booking = _fresh(Booking, booking.id)
    assert booking.status == BookingStatus.CANCELLED and booking.refund_amount == booking.total
    mails = _mails(outbox, before)
    assert {m["To"] for m in mails} == {booking.contact_email, listing.host.email}
    for mail in mails:
        assert "Reason: Heavy rain on the pass" in _text(mail)
    # a double click: already cancelled, nothing more
    again = client.post(
        f"/host/listings/{listing.id}/departures/{departure.id}/cancel",
        data={"reason": "Heavy rain on the pass"},
    )
    assert again.status_code == 302
    assert len(_mails(outbox, before)) == len(mails)


def test_cancelling_a_whole_day_in_one_action(client, outbox):
    listing, morning, day = _tour()
    noon = make_departure(listing, day=day, capacity=6)
    tomorrow = make_departure(listing, day=day + timedelta(days=1), capacity=6)
    paid = make_booking(departure=morning, participants=2, status=BookingStatus.PENDING_PAYMENT)
    host_payments.mark_transfer_received(paid, listing.host)
    held = make_booking(departure=noon, participants=1, status=BookingStatus.PENDING_PAYMENT)
    login(client, listing.host)
    before = set(Path(outbox).glob("*.eml"))
    response = client.post(
        f"/host/listings/{listing.id}/days/cancel?lang=en",
        data={"day": day.isoformat(), "reason": "Storm warning"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 departures cancelled." in html
    assert "1 travellers were offered another departure" in html
    statuses = {d.id: d.status for d in db.session.query(Departure)}
    assert statuses[morning.id] == statuses[noon.id] == DepartureStatus.CANCELLED
    assert statuses[tomorrow.id] == DepartureStatus.SCHEDULED
    assert _fresh(Booking, held.id).status == BookingStatus.CANCELLED
    assert _fresh(Booking, paid.id).status == BookingStatus.CONFIRMED  # offered a move
    to_host = [m for m in _mails(outbox, before) if m["To"] == listing.host.email]
    subjects = " | ".join(m["Subject"] for m in to_host)
    assert "offered another one" in subjects and "was cancelled" in subjects
    assert all("Storm warning" in _text(m) for m in to_host)
    assert "Reopen this day" in html


def test_lifting_a_day_reopens_untouched_departures_and_says_which_stay_cancelled(client):
    listing, empty, day = _tour()
    booked = make_departure(listing, day=day, capacity=6)
    make_booking(departure=booked, participants=2)
    early_leaver = make_departure(listing, day=day, capacity=6)
    gone = make_booking(departure=early_leaver, participants=1)
    cancellations.cancel(gone, reason="changed plans")  # before the closure: not its doing
    login(client, listing.host)
    client.post(
        f"/host/listings/{listing.id}/days/cancel", data={"day": day.isoformat(), "reason": "Flood"}
    )
    response = client.post(
        f"/host/listings/{listing.id}/days/reopen?lang=en",
        data={"day": day.isoformat()},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "2 departures reopened for booking." in html
    assert "1 departure stays cancelled: its guests were already cancelled" in html
    statuses = {d.id: d.status for d in db.session.query(Departure)}
    assert statuses[empty.id] == statuses[early_leaver.id] == DepartureStatus.SCHEDULED
    assert statuses[booked.id] == DepartureStatus.CANCELLED
    lifted = db.session.query(AuditEntry).filter_by(action="closure_lifted").one()
    assert lifted.actor_id == listing.host.id and lifted.data["kept"] == [booked.id]
    reopened = db.session.query(AuditEntry).filter_by(
        subject_type="departure", subject_id=empty.id, to_state="scheduled"
    )
    assert reopened.count() == 1
    # the refusal is a named outcome of the one transition function
    departure = db.session.get(Departure, booked.id)
    assert closures.transition_departure(departure, DepartureStatus.SCHEDULED) is Outcome.REFUSED
    db.session.rollback()


def test_the_cooperative_lifts_a_closure_from_its_page(client):
    listing, departure, day = _tour()
    coop = make_user(Role.COOP, community=listing.community)
    closures.close_listing(listing, coop, day, day, "Landslide")
    login(client, coop)
    page = client.get("/admin/closures").get_data(as_text=True)
    assert f"/admin/closures/listings/{listing.id}/lift" in page
    assert f"/host/listings/{listing.id}/departures" in page  # the same page as the host's
    assert client.get(f"/host/listings/{listing.id}/departures").status_code == 200
    response = client.post(
        f"/admin/closures/listings/{listing.id}/lift?lang=en",
        data={"first": day.isoformat(), "last": day.isoformat()},
        follow_redirects=True,
    )
    assert "1 departure reopened for booking." in response.get_data(as_text=True)
    assert _fresh(Departure, departure.id).status == DepartureStatus.SCHEDULED
    bad = client.post(f"/admin/closures/listings/{listing.id}/lift", data={"first": "soon"})
    assert bad.status_code == 302 and _fresh(Departure, departure.id).status.value == "scheduled"


def _offered(outbox):
    listing, cancelled, day = _tour()
    other = make_departure(listing, day=day + timedelta(days=2), capacity=6)
    booking = make_booking(
        departure=cancelled, participants=2, status=BookingStatus.PENDING_PAYMENT
    )
    host_payments.mark_transfer_received(booking, listing.host)
    closures.cancel_departure(cancelled, listing.host, "Bridge washed away")
    return listing, booking, other


def test_the_hosts_booking_page_says_a_move_waits_for_the_guest(client, outbox):
    listing, booking, other = _offered(outbox)
    login(client, listing.host)
    html = client.get(f"/host/bookings/{booking.reference}").get_data(as_text=True)
    assert "Move offered, waiting for the guest" in html
    assert not re.search(r'class="badge badge-confirmed"', html)
    before = set(Path(outbox).glob("*.eml"))
    closures.accept_move(_fresh(Booking, booking.id), other.id)
    html = client.get(f"/host/bookings/{booking.reference}").get_data(as_text=True)
    assert "Move offered" not in html and "badge-confirmed" in html
    mails = _mails(outbox, before)
    to_host = [m for m in mails if m["To"] == listing.host.email]
    assert len(to_host) == 1 and "moved to another departure" in to_host[0]["Subject"]
    assert "Bridge washed away" not in to_host[0]["Subject"]
    to_tourist = [m for m in mails if m["To"] == booking.contact_email]
    assert len(to_tourist) == 1 and "confirmed" in to_tourist[0]["Subject"]


def test_the_host_is_told_when_the_guest_chooses_a_refund(client, outbox):
    listing, booking, _other = _offered(outbox)
    before = set(Path(outbox).glob("*.eml"))
    closures.refuse_move(_fresh(Booking, booking.id))
    to_host = [m for m in _mails(outbox, before) if m["To"] == listing.host.email]
    subjects = [m["Subject"] for m in to_host]
    assert any("chose a refund" in s for s in subjects), subjects
    assert any("was cancelled" in s for s in subjects), subjects
    cancelled = next(m for m in to_host if "was cancelled" in m["Subject"])
    assert "Reason: Bridge washed away" in _text(cancelled)
