"""The tourist's confirmation mail: ticket link and QR code, host phone and place, calendar file."""

import email
import email.policy
import re
from pathlib import Path

import icalendar
import pytest

from marketplace.extensions import db
from marketplace.models import Role
from marketplace.services.payments import host_payments
from tests.factories import make_community, make_held_booking, make_listing, make_user


def _new_mails(outbox, before):
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(set(Path(outbox).glob("*.eml")) - before)
    ]


@pytest.fixture
def confirmed(outbox):
    community = make_community(district="Hữu Lũng", latitude=21.65, longitude=106.35)
    host = make_user(Role.HOST, community=community, name="Hoàng Thị Lan", phone="+84 912 000 111")
    listing = make_listing(community=community, host=host)
    for text in listing.texts:
        text.directions = "Take the path left of the school."
    db.session.commit()
    booking = make_held_booking(listing, email="emma@example.test")
    booking.locale = "en"
    db.session.commit()
    before = set(Path(outbox).glob("*.eml"))
    assert host_payments.mark_transfer_received(booking, host) == "confirmed"
    [mail] = [m for m in _new_mails(outbox, before) if m["To"] == "emma@example.test"]
    return booking, mail


def test_the_confirmation_carries_the_ticket_qr_host_and_calendar(confirmed):
    booking, mail = confirmed
    item = booking.items[0]
    text = mail.get_body(("plain",)).get_content()
    html_part = mail.get_body(("html",))
    html = html_part.get_content()
    # the ticket link in both parts
    ticket_url = re.search(r"https?://\S+/t/" + re.escape(item.ticket.secret), text).group(0)
    assert ticket_url in html
    # the QR code: a PNG sent with the HTML and shown by its Content-ID
    [image] = [p for p in mail.walk() if p.get_content_type() == "image/png"]
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html
    assert image.get_content().startswith(b"\x89PNG")
    assert html_part.get_content_type() == "text/html"
    # the host's phone and the place
    for part in (text, html):
        assert "+84 912 000 111" in part and "Hoàng Thị Lan" in part
        assert "Hữu Lũng" in part and "Take the path left of the school." in part
    # the calendar file: the stay from check-in day to check-out day
    [ics] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert ics.get_filename() == f"{booking.reference}.ics"
    [event] = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert event.decoded("dtstart") == item.check_in
    assert event.decoded("dtend") == item.check_out
    assert "Hữu Lũng" in str(event["location"]) and booking.reference in str(event["description"])
    # dates with the month's name, check-out as check-out
    assert re.search(r"Check-out day \w{3} \d{1,2}, \d{4}", text)


def test_the_qr_in_the_mail_is_the_ticket(confirmed):
    booking, mail = confirmed
    from marketplace.gateways import qr

    [image] = [p for p in mail.walk() if p.get_content_type() == "image/png"]
    assert image.get_content() == qr.render_png(booking.items[0].ticket.secret)


def test_the_mail_before_payment_has_no_ticket_and_no_host_phone(outbox):
    before = set(Path(outbox).glob("*.eml"))
    host = make_user(Role.HOST, phone="+84 912 000 222")
    make_held_booking(make_listing(host=host), email="kim@example.test")
    [mail] = [m for m in _new_mails(outbox, before) if m["To"] == "kim@example.test"]
    assert not [p for p in mail.walk() if p.get_content_type() in ("image/png", "text/calendar")]
    assert "+84 912 000 222" not in mail.get_body(("plain",)).get_content()


def test_a_tour_goes_in_the_calendar_at_its_departure_time(outbox):
    from datetime import timedelta

    from marketplace.models import ListingKind
    from marketplace.services.booking import bookings
    from marketplace.services.booking.booking_requests import Contact, TourRequest
    from tests.factories import make_departure

    community = make_community()
    host = make_user(Role.HOST, community=community, phone="+84 912 000 333")
    tour = make_listing(ListingKind.TOUR, community=community, host=host)
    for text in tour.texts:
        text.meeting_point = "In front of the cave ticket office"
    departure = make_departure(tour)
    booking, _created = bookings.place_booking(
        [TourRequest(departure.id, 2)], Contact("Kim Min-ji", "minji@example.test", "+82 10 1234")
    )
    booking.locale = "ko"
    db.session.commit()
    before = set(Path(outbox).glob("*.eml"))
    host_payments.mark_transfer_received(booking, host)
    [mail] = [m for m in _new_mails(outbox, before) if m["To"] == "minji@example.test"]
    [ics] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    [event] = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")
    starts = event.decoded("dtstart")
    assert starts == departure.starts_at
    assert event.decoded("dtend") - starts == timedelta(minutes=tour.duration_minutes)
    assert "In front of the cave ticket office" in str(event["location"])
    text = mail.get_body(("plain",)).get_content()
    assert "+84 912 000 333" in text
    # Korean, with the month by name and a 24-hour clock
    assert "07:30" in text and "년" in text and "오전" not in text
