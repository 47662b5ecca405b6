"""The booking form, the trip page, cancelling from it, and My trips."""

import email
import email.policy
import re
from pathlib import Path

from marketplace.extensions import db
from marketplace.models import Booking, BookingStatus
from marketplace.services.booking import bookings
from tests.factories import login, make_listing, make_user, stay_item


def form_data(item, **overrides):
    data = {
        **item,
        "name": "Emma Schmidt",
        "email": "emma@example.test",
        "phone": "+49 151 2345 6789",
        "full_name": "Emma Schmidt",
        "nationality": "DE",
        "date_of_birth": "1990-05-01",
        "passport_number": "C01X00T47",
        "special_requests": "Vegetarian",
        "form_token": "token-1",
    }
    data.update(overrides)
    return data


def test_form_shows_item_price_breakdown_and_policy_in_the_visitors_language(client):
    listing = make_listing(units=1, nightly_price=400_000, policy="flexible")
    item = stay_item(listing.room_types[0], nights=2)
    page = client.get("/book", query_string={**item, "lang": "en"}).get_data(as_text=True)
    assert listing.text_for("en")[0].title in page
    assert page.count("Night of") == 2
    assert "Full refund if you cancel at least 1 day before arrival" in page
    assert '<option value="KR">South Korea</option>' in page
    assert re.search(r'name="form_token" type="hidden" value="[\w-]{20,}"', page)
    vi = client.get("/book", query_string={**item, "lang": "vi"}).get_data(as_text=True)
    assert "Hàn Quốc" in vi


def test_form_refuses_a_bad_item_with_its_message(client):
    room = make_listing().room_types[0]
    response = client.get(
        "/book", query_string={**stay_item(room), "check_in": "2001-01-01", "lang": "en"}
    )
    assert response.status_code == 400
    assert "The arrival date is in the past." in response.get_data(as_text=True)
    assert (
        client.get(
            "/book",
            query_string={
                "room_type_id": 9999,
                "check_in": "2099-01-01",
                "check_out": "2099-01-02",
            },
        ).status_code
        == 404
    )


def test_guest_books_then_a_double_click_makes_no_second_booking(client, outbox):
    room = make_listing(units=2).room_types[0]
    data = form_data(stay_item(room))
    first = client.post("/book", data=data)
    assert first.status_code == 302
    reference = first.headers["Location"].rsplit("/", 1)[-1]
    second = client.post("/book", data=data)
    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]
    assert db.session.query(Booking).count() == 1
    booking = bookings.get_by_reference(reference)
    assert booking.tourist_id is None and booking.guests[0].passport_number == "C01X00T47"
    assert booking.special_requests == "Vegetarian"
    # the same browser sees its booking without an account, and is offered one
    page = client.get(f"/trips/{reference}?lang=en").get_data(as_text=True)
    assert reference in page and "Create an account" in page and "Awaiting payment" in page


def test_form_errors_show_next_to_their_fields(client):
    room = make_listing(units=2).room_types[0]
    response = client.post(
        "/book?lang=en", data=form_data(stay_item(room), passport_number="", phone="1")
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="phone-error"' in page
    assert db.session.query(Booking).count() == 0
    response = client.post("/book", data=form_data(stay_item(room), passport_number=""))
    assert 'id="passport_number-error"' in response.get_data(as_text=True)
    vietnamese = client.post(
        "/book", data=form_data(stay_item(room), nationality="VN", passport_number="")
    )
    assert vietnamese.status_code == 302


def test_sold_out_is_shown_on_the_form(client):
    room = make_listing(units=1).room_types[0]
    assert client.post("/book", data=form_data(stay_item(room))).status_code == 302
    again = client.post("/book?lang=en", data=form_data(stay_item(room), form_token="other"))
    assert again.status_code == 409
    assert "no longer available" in again.get_data(as_text=True)


def test_another_visitor_gets_404_and_the_signed_link_opens_it(client, app):
    room = make_listing(units=2).room_types[0]
    location = client.post("/book", data=form_data(stay_item(room))).headers["Location"]
    reference = location.rsplit("/", 1)[-1]
    stranger = app.test_client()
    assert stranger.get(location).status_code == 404
    login(stranger, make_user())
    assert stranger.get(location).status_code == 404
    with app.test_request_context():
        from marketplace.web.booking_access import booking_key

        key = booking_key(bookings.get_by_reference(reference))
    assert app.test_client().get(f"{location}?key={key}").status_code == 200
    assert app.test_client().get(f"{location}?key=forged").status_code == 404


def test_cancel_shows_the_refund_first_then_cancels(client):
    room = make_listing(units=1, policy="moderate").room_types[0]
    reference = (
        client.post("/book", data=form_data(stay_item(room))).headers["Location"].rsplit("/", 1)[-1]
    )
    confirm_page = client.get(f"/trips/{reference}/cancel?lang=en").get_data(as_text=True)
    assert "Nothing has been paid yet" in confirm_page
    response = client.post(f"/trips/{reference}/cancel", data={"reason": "changed plans"})
    assert response.status_code == 302
    db.session.expire_all()
    booking = bookings.get_by_reference(reference)
    assert booking.status == BookingStatus.CANCELLED and booking.cancel_reason == "changed plans"
    page = client.get(f"/trips/{reference}?lang=en").get_data(as_text=True)
    assert "Cancelled" in page and "Cancel this booking" not in page


def test_my_trips_after_signing_up_with_the_booking_email(client, outbox):
    room = make_listing(units=2).room_types[0]
    reference = (
        client.post("/book", data=form_data(stay_item(room))).headers["Location"].rsplit("/", 1)[-1]
    )
    before = set(Path(outbox).glob("*.eml"))
    client.post(
        "/account/signup",
        data={"name": "Emma", "email": "emma@example.test", "password": "long-enough-1"},
    )
    # the booking joins once the address is confirmed by the link in the mail
    [path] = set(Path(outbox).glob("*.eml")) - before
    mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text = mail.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"/account/verify\?token=\S+", text).group(0)
    client.get(link)
    page = client.get("/trips?lang=en").get_data(as_text=True)
    assert reference in page and "Upcoming" in page


def test_my_trips_needs_a_login(client):
    response = client.get("/trips")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_logged_in_tourist_books_under_their_account(client):
    tourist = make_user(name="An")
    login(client, tourist)
    room = make_listing(units=2).room_types[0]
    page = client.get("/book", query_string=stay_item(room)).get_data(as_text=True)
    assert tourist.email in page
    response = client.post("/book", data=form_data(stay_item(room), email=tourist.email))
    reference = response.headers["Location"].rsplit("/", 1)[-1]
    assert bookings.get_by_reference(reference).tourist_id == tourist.id
    assert reference in client.get("/trips").get_data(as_text=True)


def test_emails_go_to_the_tourist_with_the_link_and_to_the_host(client, outbox):
    before = set(Path(outbox).glob("*.eml"))
    room = make_listing(units=2).room_types[0]
    client.post("/book", data=form_data(stay_item(room)))
    new = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in set(Path(outbox).glob("*.eml")) - before
    ]
    assert len(new) == 2
    tourist_mail = next(m for m in new if m["To"] == "emma@example.test")
    text = tourist_mail.get_body(("plain",)).get_content()
    # built in the request: url_for with the request's host, the signed key for the guest
    assert "http://localhost/trips/" in text and "key=" in text


def test_cancel_page_shows_the_refund_of_what_was_paid(client):
    from marketplace.models import Payment, PaymentStatus
    from marketplace.money import format_vnd

    room = make_listing(units=1, policy="strict", nightly_price=500_000).room_types[0]
    location = client.post("/book", data=form_data(stay_item(room, start_in_days=10))).headers[
        "Location"
    ]
    booking = bookings.get_by_reference(location.rsplit("/", 1)[-1])
    db.session.add(
        Payment(
            booking=booking, method="stripe", status=PaymentStatus.SUCCEEDED, amount=booking.total
        )
    )
    db.session.commit()
    page = client.get(f"{location}/cancel?lang=en").get_data(as_text=True)
    half = format_vnd(booking.total // 2, "en")
    assert f"If you cancel now, you get back {half}." in page


def test_a_tour_is_booked_through_the_form_too(client):
    from tests.factories import make_departure

    departure = make_departure(capacity=5, price_per_person=250_000)
    item = {"departure_id": departure.id, "participants": 2}
    page = client.get("/book", query_string={**item, "lang": "en"}).get_data(as_text=True)
    assert "2 people" in page and "Per person" in page
    response = client.post("/book", data=form_data(item))
    assert response.status_code == 302
    booking = bookings.get_by_reference(response.headers["Location"].rsplit("/", 1)[-1])
    assert booking.total == 500_000
    detail = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "2 people" in detail


FIELDS = (
    "name",
    "email",
    "phone",
    "full_name",
    "nationality",
    "date_of_birth",
    "passport_number",
)


def test_an_empty_form_shows_every_error_at_once_next_to_its_field(client):
    room = make_listing(units=2).room_types[0]
    empty = {**stay_item(room), "form_token": "token-1"}
    response = client.post("/book?lang=en", data=empty)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for name in FIELDS:
        assert f'id="{name}-error"' in page, name
        assert f'aria-describedby="{name}-error"' in page, name
    assert "Please check 7 fields:" in page and 'id="form-errors"' in page
    assert "Enter your name." in page and "Enter a valid email address." in page
    assert db.session.query(Booking).count() == 0


def test_errors_come_together_and_good_values_stay(client):
    room = make_listing(units=2).room_types[0]
    data = form_data(stay_item(room), email="not-an-email", phone="1", passport_number="")
    page = client.post("/book?lang=en", data=data).get_data(as_text=True)
    wrong = {name for name in FIELDS if f'id="{name}-error"' in page}
    assert wrong == {"email", "phone", "passport_number"}
    # what was typed is still there, right or wrong
    assert 'value="Emma Schmidt"' in page and 'value="not-an-email"' in page
    assert 'value="1990-05-01"' in page and '<option selected value="DE">' in page
    assert "Vegetarian" in page
    # fixed, the same form books
    assert client.post("/book", data=form_data(stay_item(room))).status_code == 302


def test_required_fields_are_marked_for_the_browser(client):
    room = make_listing().room_types[0]
    page = client.get("/book", query_string=stay_item(room)).get_data(as_text=True)
    for name in ("name", "email", "phone", "full_name", "nationality"):
        assert re.search(rf'<(input|select)[^>]*id="{name}"[^>]*required', page), name


def _stay_on(client, room, **item):
    location = client.post("/book", data=form_data(stay_item(room, **item))).headers["Location"]
    return bookings.get_by_reference(location.rsplit("/", 1)[-1]), location


def test_dates_name_their_month_and_times_use_24_hours(client, app):
    from babel.dates import format_skeleton

    from marketplace.clock import to_business_time

    room = make_listing(units=2).room_types[0]
    booking, location = _stay_on(client, room)
    item = booking.items[0]
    for lang in app.config["LANGUAGES"]:
        page = client.get(f"{location}?lang={lang}").get_data(as_text=True)
        for day in (item.check_in, item.check_out):
            assert format_skeleton("yMMMd", day, locale=lang) in page, (lang, day)
        assert " AM" not in page and " PM" not in page
        # the hold's end, on a 24-hour clock
        clock = format_skeleton("Hm", to_business_time(booking.hold_expires_at), locale=lang)
        assert clock in page, lang
    en = client.get(f"{location}?lang=en").get_data(as_text=True)
    assert re.search(r"until \w{3} \d{1,2}, \d{4}, \d{2}:\d{2} \(Vietnam time\)", en)
    vi = client.get(f"{location}?lang=vi").get_data(as_text=True)
    assert f"{item.check_in.day} thg {item.check_in.month}, {item.check_in.year}" in vi


def test_check_out_is_the_day_after_the_last_night_everywhere(client, app):
    from marketplace.models import Role
    from marketplace.services.payments import host_payments
    from tests.factories import make_community

    community = make_community()
    host = make_user(Role.HOST, community=community)
    room = make_listing(units=2, community=community, host=host).room_types[0]
    booking, location = _stay_on(client, room)
    host_payments.mark_transfer_received(booking, host)
    item = booking.items[0]
    last_night = item.check_out.toordinal() - 1
    from datetime import date

    from babel.dates import format_skeleton

    check_out = format_skeleton("yMMMd", item.check_out, locale="en")
    last = format_skeleton("yMMMd", date.fromordinal(last_night), locale="en")
    page = client.get(f"{location}?lang=en").get_data(as_text=True)
    assert "Your ticket" in page  # the ticket panel too says check-out, not the last night
    assert f"Check-out day {check_out}" in page and last not in page
    host_client = app.test_client()
    login(host_client, host)
    host_page = host_client.get(f"/host/bookings/{booking.reference}?lang=en")
    assert f"Check-out day {check_out}" in host_page.get_data(as_text=True)


def test_dormitory_beds_are_counted_as_beds(app, client):
    listing = make_listing(units=6, max_guests=1)
    room = listing.room_types[0]
    db.session.commit()
    host_client = app.test_client()
    login(host_client, listing.host)
    dormitory = {
        "name-vi": "Giường tập thể",
        "name-en": "Dorm bed",
        "units": "6",
        "max_guests": "1",
        "nightly_price": "180000",
        "min_nights": "1",
        "sold_by_bed": "1",
    }
    saved = host_client.post(f"/host/listings/{listing.id}/room-types/{room.id}", data=dormitory)
    assert saved.status_code == 302
    db.session.expire_all()
    assert room.sold_by_bed
    item = {**stay_item(room), "rooms": 2, "guests": 2}
    form = client.get("/book", query_string={**item, "lang": "en"}).get_data(as_text=True)
    assert "2 beds" in form and "2 rooms" not in form
    _booking, location = _stay_on(client, room, guests=1)
    one = client.get(f"{location}?lang=en").get_data(as_text=True)
    assert "1 bed ·" in one and "1 room" not in one
    dates = {k: v for k, v in item.items() if k in ("check_in", "check_out")}
    offer = client.get(f"/l/{listing.key}", query_string={**dates, "guests": 3, "lang": "en"})
    assert "for 3 beds" in offer.get_data(as_text=True)
    rooms = make_listing(units=2).room_types[0]
    page = client.get("/book", query_string={**stay_item(rooms), "lang": "en"})
    assert "1 room" in page.get_data(as_text=True)
