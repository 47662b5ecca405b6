"""Messages through HTTP: who may read a thread, one mail per message, unread counts, the host's
phone once confirmed, reported threads for the community's cooperative only."""

import email
import email.policy
import re
from pathlib import Path

import pytest

from marketplace.extensions import db
from marketplace.models import AuditEntry, BookingStatus, Role
from tests.factories import login, make_booking, make_community, make_listing, make_user


def _new_mail(outbox, before):
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(set(Path(outbox).glob("*.eml")) - before)
    ]


def _booked(status=BookingStatus.CONFIRMED, **host_fields):
    community = make_community()
    host = make_user(Role.HOST, community=community, name="Chị Lan", **host_fields)
    tourist = make_user(Role.TOURIST, name="Min-ji", locale="en")
    listing = make_listing(community=community, host=host)
    booking = make_booking(listing.room_types[0], tourist=tourist, status=status)
    return booking, tourist, host, community


def _send(client, path, body):
    return client.post(path, data={"body": body})


def test_traveller_and_host_talk_and_others_get_404(app, client):
    booking, tourist, host, community = _booked()
    path = f"/messages/booking/{booking.reference}"
    login(client, tourist)
    response = _send(client, path, "Can you pick us up at the bus stop?")
    assert response.status_code == 302
    thread = re.search(r"/messages/(\d+)", response.headers["Location"]).group(1)

    host_client = app.test_client()
    login(host_client, host)
    page = host_client.get(f"/messages/{thread}").get_data(as_text=True)
    assert "Can you pick us up at the bus stop?" in page

    stranger = app.test_client()
    login(stranger, make_user(Role.TOURIST))
    assert stranger.get(f"/messages/{thread}").status_code == 404
    assert stranger.get(path).status_code == 404
    assert _send(stranger, f"/messages/{thread}", "hello").status_code == 404
    coop = app.test_client()
    login(coop, make_user(Role.COOP, community=community))
    assert coop.get(f"/messages/{thread}").status_code == 404  # not reported
    assert app.test_client().get(f"/messages/{thread}").status_code == 404


def test_message_is_escaped_and_length_capped(client):
    booking, tourist, _host, _community = _booked()
    login(client, tourist)
    path = f"/messages/booking/{booking.reference}"
    _send(client, path, "<script>alert(1)</script>")
    page = client.get(path).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert _send(client, path, "x" * 2001).status_code == 400
    assert _send(client, path, "   ").status_code == 400


def test_a_message_sends_one_mail_to_the_other_side_in_their_language(app, client, outbox):
    booking, tourist, host, _community = _booked(locale="vi")
    login(client, tourist)
    before = set(Path(outbox).glob("*.eml"))
    _send(client, f"/messages/booking/{booking.reference}", "Is breakfast included?")
    mails = _new_mail(outbox, before)
    assert [m["To"] for m in mails] == [host.email]
    body = mails[0].get_body(("plain",)).get_content()
    assert "Is breakfast included?" in body
    assert "/messages/" in body
    assert "Xin chào Chị Lan," in body  # the host reads Vietnamese


def test_a_guest_with_the_link_writes_and_is_mailed_back(app, client, outbox):
    from marketplace.web.booking_access import booking_key

    community = make_community()
    host = make_user(Role.HOST, community=community, locale="en")
    booking = make_booking(make_listing(community=community, host=host).room_types[0])
    with app.test_request_context():
        key = booking_key(booking)
    path = f"/messages/booking/{booking.reference}"
    assert client.get(path).status_code == 404
    assert client.post(path, data={"body": "Hello from a guest", "key": key}).status_code == 302
    host_client = app.test_client()
    login(host_client, host)
    thread = host_client.get(path)
    assert "Hello from a guest" in thread.get_data(as_text=True)
    before = set(Path(outbox).glob("*.eml"))
    _send(host_client, path, "Welcome!")
    mails = _new_mail(outbox, before)
    assert [m["To"] for m in mails] == [booking.contact_email]
    assert "key=" in mails[0].get_body(("plain",)).get_content()


def test_unread_count_appears_in_the_menu_and_clears_when_read(app, client):
    booking, tourist, host, _community = _booked()
    login(client, tourist)
    _send(client, f"/messages/booking/{booking.reference}", "First")
    _send(client, f"/messages/booking/{booking.reference}", "Second")
    host_client = app.test_client()
    login(host_client, host)
    menu = host_client.get("/trips").get_data(as_text=True)
    assert re.search(r'id="nav-messages">[^<]*<span class="badge unread"[^>]*>2</span>', menu)
    listing_page = host_client.get("/messages?lang=en").get_data(as_text=True)
    assert "2 new" in listing_page
    host_client.get(f"/messages/booking/{booking.reference}")
    assert 'class="badge unread"' not in host_client.get("/trips").get_data(as_text=True)
    # the sender's own messages never count as unread
    assert 'class="badge unread"' not in client.get("/trips").get_data(as_text=True)


@pytest.mark.parametrize(
    ("status", "shown"),
    [(BookingStatus.PENDING_PAYMENT, False), (BookingStatus.CONFIRMED, True)],
)
def test_host_phone_shows_only_once_confirmed(client, status, shown):
    booking, tourist, _host, _community = _booked(status=status, phone="+84 988 111 222")
    login(client, tourist)
    page = client.get(f"/trips/{booking.reference}").get_data(as_text=True)
    assert ("+84 988 111 222" in page) is shown
    assert f"/messages/booking/{booking.reference}" in page


def test_reported_thread_is_readable_by_its_coop_not_another(app, client):
    booking, tourist, _host, community = _booked()
    login(client, tourist)
    response = _send(client, f"/messages/booking/{booking.reference}", "Rude words")
    thread = re.search(r"/messages/(\d+)", response.headers["Location"]).group(1)
    assert client.post(f"/messages/{thread}/report", data={"reason": "insults"}).status_code == 302

    coop = app.test_client()
    login(coop, make_user(Role.COOP, community=community))
    page = coop.get(f"/messages/{thread}")
    assert page.status_code == 200 and "Rude words" in page.get_data(as_text=True)
    assert f"/messages/{thread}" in coop.get("/messages").get_data(as_text=True)
    assert _send(coop, f"/messages/{thread}", "staff cannot write").status_code == 403
    audit = db.session.query(AuditEntry).filter_by(subject_type="conversation").all()
    assert {a.action for a in audit} == {"reported", "read_reported"}

    other = app.test_client()
    login(other, make_user(Role.COOP, community=make_community()))
    assert other.get(f"/messages/{thread}").status_code == 404


def test_ask_the_host_before_booking(app, client, outbox):
    listing = make_listing()
    page = client.get(f"/l/{listing.key}").get_data(as_text=True)
    assert f"/messages/ask/{listing.key}" in page
    assert client.get(f"/messages/ask/{listing.key}").status_code == 302  # log in first
    asker = make_user(Role.TOURIST)
    login(client, asker)
    assert client.get(f"/messages/ask/{listing.key}").status_code == 200
    before = set(Path(outbox).glob("*.eml"))
    response = _send(client, f"/messages/ask/{listing.key}", "Is the road open in winter?")
    thread = re.search(r"/messages/(\d+)", response.headers["Location"]).group(1)
    assert [m["To"] for m in _new_mail(outbox, before)] == [listing.host.email]
    # asking again opens the same thread
    again = client.get(f"/messages/ask/{listing.key}")
    assert again.headers["Location"].endswith(f"/messages/{thread}")
    host_client = app.test_client()
    login(host_client, listing.host)
    assert "Is the road open in winter?" in host_client.get(f"/messages/{thread}").get_data(
        as_text=True
    )
    stranger = app.test_client()
    login(stranger, make_user(Role.TOURIST))
    assert stranger.get(f"/messages/{thread}").status_code == 404


def test_messages_are_rate_limited_per_user(app, client):
    booking, tourist, _host, _community = _booked()
    login(client, tourist)
    path = f"/messages/booking/{booking.reference}"
    app.config["MESSAGE_LIMIT_USER"] = "2 per hour"
    try:
        assert _send(client, path, "one").status_code == 302
        assert _send(client, path, "two").status_code == 302
        assert _send(client, path, "three").status_code == 429
        assert client.get(path).status_code == 200  # reading is not limited
    finally:
        del app.config["MESSAGE_LIMIT_USER"]
