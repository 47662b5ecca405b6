"""iCal: the feed other channels read, and other channels' feeds blocking our nights."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from icalendar import Calendar

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import BlockedNight, BlockSource, ExternalCalendar
from marketplace.services.catalogue import availability, calendars, listings
from tests.factories import make_booking, make_listing


@pytest.fixture
def feed_server():
    """A local HTTP server: FEEDS[path] = (status, body)."""
    feeds: dict[str, tuple[int, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            status, body = feeds.get(self.path, (404, b"not here"))
            self.send_response(status)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", feeds
    server.shutdown()
    server.server_close()


def airbnb_feed(*ranges) -> bytes:
    """A feed shaped like Airbnb's: all-day VEVENTs with DTEND the morning of departure."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Airbnb Inc//Hosting Calendar//EN"]
    for n, (start, end) in enumerate(ranges):
        lines += [
            "BEGIN:VEVENT",
            f"DTSTAMP:{business_today():%Y%m%d}T000000Z",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            f"UID:airbnb-{n}@airbnb.com",
            "SUMMARY:Reserved",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def test_the_feed_lists_booked_and_blocked_nights_as_all_day_events(client):
    listing = make_listing(units=1)
    room = listing.room_types[0]
    today = business_today()
    make_booking(room, check_in=today + timedelta(days=5), nights=3)
    listings.block_nights(room, listing.host, [today + timedelta(days=10)])
    # a hold awaiting payment and another channel's block are not ours to announce
    from marketplace.models import BookingStatus

    make_booking(
        room, check_in=today + timedelta(days=20), nights=1, status=BookingStatus.PENDING_PAYMENT
    )
    listings.block_nights(room, None, [today + timedelta(days=30)], source=BlockSource.ICAL)

    token = calendars.feed_token(room)
    response = client.get(f"/host/calendar/feed/{token}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    parsed = Calendar.from_ical(response.data)
    assert parsed.get("version") == "2.0" and parsed.get("prodid")
    events = sorted((e.decoded("dtstart"), e.decoded("dtend")) for e in parsed.walk("VEVENT"))
    assert events == [
        (today + timedelta(days=5), today + timedelta(days=8)),
        (today + timedelta(days=10), today + timedelta(days=11)),
    ]
    for event in parsed.walk("VEVENT"):
        assert event.get("uid") and event.get("dtstamp")
    assert client.get("/host/calendar/feed/wrong-token.ics").status_code == 404


def test_import_blocks_the_nights_and_a_resync_follows_the_feed(feed_server):
    base, feeds = feed_server
    room = make_listing(units=1).room_types[0]
    today = business_today()
    first = (today + timedelta(days=3), today + timedelta(days=5))  # nights 3 and 4
    feeds["/airbnb.ics"] = (200, airbnb_feed(first))
    calendar = calendars.add_external(room, room.listing.host, f"{base}/airbnb.ics")

    result = calendars.sync_calendar(calendar)
    assert result.ok and result.nights == 2
    free = availability.free_units_by_night([room], today, today + timedelta(days=6))[room.id]
    assert [free[today + timedelta(days=n)] for n in range(7)] == [1, 1, 1, 0, 0, 1, 1]

    # the other channel's guest moved: the old nights open, the new ones close
    feeds["/airbnb.ics"] = (
        200,
        airbnb_feed((today + timedelta(days=6), today + timedelta(days=7))),
    )
    assert calendars.sync_calendar(calendar).ok
    blocked = sorted(
        b.night for b in db.session.query(BlockedNight).filter_by(room_type_id=room.id)
    )
    assert blocked == [today + timedelta(days=6)]
    # our own feed does not echo the other channel's nights back
    exported = Calendar.from_ical(calendars.export_feed(room))
    assert list(exported.walk("VEVENT")) == []


def test_sync_command_reports_a_broken_feed_and_syncs_the_rest(runner, feed_server):
    base, feeds = feed_server
    today = business_today()
    good_room = make_listing().room_types[0]
    bad_room = make_listing().room_types[0]
    gone_room = make_listing().room_types[0]
    feeds["/good.ics"] = (200, airbnb_feed((today + timedelta(days=1), today + timedelta(days=2))))
    feeds["/garbage.ics"] = (200, b"<html>Service Unavailable</html>")
    db.session.add_all(
        [
            ExternalCalendar(room_type=bad_room, url=f"{base}/garbage.ics"),
            ExternalCalendar(room_type=gone_room, url=f"{base}/missing.ics"),
            ExternalCalendar(room_type=good_room, url=f"{base}/good.ics"),
        ]
    )
    db.session.commit()

    result = runner.invoke(args=["calendars", "sync"])
    assert result.exit_code == 0, result.output
    assert "1 synced, 2 failed" in result.output
    assert "FAILED" in result.output and "404" in result.output
    db.session.expire_all()
    good = db.session.query(ExternalCalendar).filter_by(room_type_id=good_room.id).one()
    bad = db.session.query(ExternalCalendar).filter_by(room_type_id=bad_room.id).one()
    assert good.last_error == "" and good.last_synced_at is not None
    assert bad.last_error and bad.last_synced_at is None
    assert db.session.query(BlockedNight).filter_by(room_type_id=good_room.id).count() == 1


def test_an_external_calendar_needs_a_web_address():
    room = make_listing().room_types[0]
    from marketplace.services.shared.errors import ServiceError

    for url in ("file:///etc/passwd", "javascript:alert(1)", "not a url", ""):
        with pytest.raises(ServiceError) as excinfo:
            calendars.add_external(room, room.listing.host, url)
        assert excinfo.value.code == "invalid_url"


def test_feeds_inside_our_own_network_are_refused(app, feed_server):
    base, _feeds = feed_server
    """The server fetches what hosts type in: loopback and private addresses are never fetched."""
    from marketplace.services.catalogue import calendars

    app.config["ICAL_ALLOW_PRIVATE_HOSTS"] = False
    try:
        for url in (f"{base}/good.ics", "http://10.0.0.5/cal.ics", "http://[::1]/x.ics"):
            with pytest.raises(ValueError, match="private network"):
                calendars.fetch(url)
        with pytest.raises(ValueError, match="http"):
            calendars.fetch("file:///etc/passwd")
    finally:
        app.config["ICAL_ALLOW_PRIVATE_HOSTS"] = True
