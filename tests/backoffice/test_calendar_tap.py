"""The host's calendar by tapping days, per room type; the iCal export of a multi-unit room type;
"sync now"; and another site's calendar overlapping a confirmed booking here."""

import email
import email.policy
from datetime import timedelta
from pathlib import Path

from icalendar import Calendar

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import (
    BlockedNight,
    BlockSource,
    Booking,
    BookingStatus,
    ExternalCalendar,
    PriceRule,
    PriceRuleKind,
    RoomType,
)
from marketplace.services.catalogue import availability, calendar_sync_now, calendars, pricing
from marketplace.services.shared.errors import ServiceError
from tests.backoffice.test_calendars import airbnb_feed, feed_server  # noqa: F401  (fixture)
from tests.factories import login, make_booking, make_listing


def two_room_listing(units: int = 1):
    listing = make_listing(units=units, nightly_price=500_000)
    listing.host.locale = "en"  # the messages below are read in English
    listing.room_types.append(
        RoomType(
            key="family",
            name={"vi": "Phòng gia đình", "en": "Family room"},
            units=1,
            max_guests=4,
            nightly_price=800_000,
            min_nights=1,
        )
    )
    db.session.commit()
    return listing, listing.room_types[0], listing.room_types[1]


def nights_post(client, listing, room, action, nights, **extra):
    data = {"room_type_id": room.id, "action": action, "night": [n.isoformat() for n in nights]}
    data.update(extra)
    return client.post(f"/host/calendar/{listing.id}/nights", data=data)


def test_tapped_days_close_open_and_price_one_room_type_only(client):
    listing, double, family = two_room_listing()
    day = business_today() + timedelta(days=20)
    picked = [day, day + timedelta(days=2), day + timedelta(days=4)]
    login(client, listing.host)

    response = nights_post(client, listing, double, "block", picked)
    assert response.status_code == 302 and response.location.endswith(f"#room-{double.id}")
    last = day + timedelta(days=4)
    free = availability.free_units_by_night([double, family], day, last)
    assert list(free[double.id].values()) == [0, 1, 0, 1, 0]
    assert list(free[family.id].values()) == [1, 1, 1, 1, 1]

    nights_post(client, listing, double, "free", picked[1:])
    free = availability.free_units_by_night([double], day, last)[double.id]
    assert list(free.values()) == [0, 1, 1, 1, 1]

    response = nights_post(client, listing, family, "price", picked[:2], price="950.000")
    assert response.status_code == 302
    family_quote = pricing.quote_stay(family, day, day + timedelta(days=3))
    double_quote = pricing.quote_stay(double, day, day + timedelta(days=3))
    assert [x["price"] for x in family_quote.lines] == [950_000, 800_000, 950_000]
    assert [x["price"] for x in double_quote.lines] == [500_000] * 3

    page = client.get(f"/host/calendar/{listing.id}?month={day:%Y-%m}").get_data(as_text=True)
    assert f'value="{day.isoformat()}" id="n-{double.id}-{day.isoformat()}"' in page
    assert 'class="cal-price cal-own-price">950k' in page

    # an empty price puts the nights back on the usual price
    nights_post(client, listing, family, "price", picked[:2], price="")
    assert pricing.quote_stay(family, day, day + timedelta(days=1)).total == 800_000


def test_a_room_type_price_wins_over_a_listing_wide_one_whatever_the_order(client):
    listing, double, family = two_room_listing()
    day = business_today() + timedelta(days=30)
    login(client, listing.host)
    nights_post(client, listing, family, "price", [day], price="1200000")
    # a listing-wide date price added afterwards still applies to the other room type only
    db.session.add(
        PriceRule(
            listing_id=listing.id,
            kind=PriceRuleKind.DATE,
            start_date=day,
            end_date=day,
            nightly_price=300_000,
        )
    )
    db.session.commit()
    one_night = (day, day + timedelta(days=1))
    assert pricing.quote_stay(family, *one_night).total == 1_200_000
    assert pricing.quote_stay(double, *one_night).total == 300_000
    rules = pricing.rules_by_listing([listing.id])[listing.id]
    for ordering in (rules, list(reversed(rules))):
        applicable = [r for r in ordering if r.room_type_id in (None, family.id)]
        assert pricing.night_price(800_000, day, applicable) == 1_200_000


def test_bad_picks_answer_400_and_keep_the_ticked_days(client):
    listing, double, _family = two_room_listing()
    login(client, listing.host)
    later = business_today() + timedelta(days=9)
    cases = [
        ({"night": [later.isoformat()], "action": "price", "price": "cheap"}, "whole number"),
        ({"night": ["2026-02-30"], "action": "block"}, "YYYY-MM-DD"),
        (
            {"night": [(business_today() - timedelta(days=1)).isoformat()], "action": "block"},
            "Past",
        ),
        ({"action": "block"}, "YYYY-MM-DD"),
        ({"night": [later.isoformat()], "action": "explode"}, "Choose what to do"),
    ]
    for data, message in cases:
        response = client.post(
            f"/host/calendar/{listing.id}/nights",
            data={"room_type_id": double.id, "month": f"{later:%Y-%m}", **data},
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert message in page, (data, message)
    response = client.post(
        f"/host/calendar/{listing.id}/nights",
        data={
            "room_type_id": double.id,
            "month": f"{later:%Y-%m}",
            "action": "price",
            "night": [later.isoformat()],
            "price": "-5",
        },
    )
    assert response.status_code == 400
    assert f'value="{later.isoformat()}" id="n-{double.id}-{later.isoformat()}" checked' in (
        response.get_data(as_text=True)
    )
    assert db.session.query(BlockedNight).count() == 0
    assert db.session.query(PriceRule).count() == 0


def test_another_hosts_calendar_and_room_types_are_not_found(client):
    listing, double, _family = two_room_listing()
    other, other_room, _ = two_room_listing()
    login(client, listing.host)
    day = business_today() + timedelta(days=5)
    assert client.get(f"/host/calendar/{other.id}").status_code == 404
    assert nights_post(client, other, other_room, "block", [day]).status_code == 404
    assert nights_post(client, listing, other_room, "block", [day]).status_code == 404
    assert client.post(f"/host/calendar/{other.id}/sync").status_code == 404
    assert db.session.query(BlockedNight).count() == 0


def exported_nights(room) -> list:
    parsed = Calendar.from_ical(calendars.export_feed(room))
    nights = []
    for event in parsed.walk("VEVENT"):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        nights += [start + timedelta(days=n) for n in range((end - start).days)]
    return sorted(nights)


def test_a_multi_unit_room_type_is_exported_only_when_no_unit_is_free(client):
    room = make_listing(units=3).room_types[0]
    day = business_today() + timedelta(days=15)
    make_booking(room, check_in=day, nights=2)  # one of three rooms, two nights
    assert exported_nights(room) == []
    make_booking(room, check_in=day, nights=1, rooms=2, guests=4)  # the other two, first night
    assert exported_nights(room) == [day]
    # the URL other sites already read keeps answering
    response = client.get(f"/host/calendar/feed/{calendars.feed_token(room)}.ics")
    assert response.status_code == 200 and day.strftime("%Y%m%d").encode() in response.data


def test_sync_now_fetches_at_once_and_rests_before_another_fetch(client, feed_server):  # noqa: F811
    base, feeds = feed_server
    listing, double, family = two_room_listing()
    today = business_today()
    feeds["/a.ics"] = (200, airbnb_feed((today + timedelta(days=3), today + timedelta(days=5))))
    feeds["/b.ics"] = (500, b"down")
    calendars.add_external(double, listing.host, f"{base}/a.ics")
    calendars.add_external(family, listing.host, f"{base}/b.ics")
    login(client, listing.host)

    response = client.post(f"/host/calendar/{listing.id}/sync", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Calendar fetched: 2 nights closed." in page
    assert "the server answered 500" in page
    assert db.session.query(BlockedNight).filter_by(room_type_id=double.id).count() == 2

    # the remote site is not fetched again at once, however often the host clicks
    feeds["/a.ics"] = (200, airbnb_feed())
    response = client.post(f"/host/calendar/{listing.id}/sync", follow_redirects=True)
    assert "fetched a moment ago" in response.get_data(as_text=True)
    assert db.session.query(BlockedNight).filter_by(room_type_id=double.id).count() == 2

    # after the rest, it is fetched again
    later = calendar_sync_now.utcnow() + timedelta(seconds=calendar_sync_now.SYNC_NOW_INTERVAL + 1)
    results = calendar_sync_now.sync_now(listing, listing.host, now=later)
    assert [r.ok for r in results] == [True, False]
    assert db.session.query(BlockedNight).filter_by(room_type_id=double.id).count() == 0


def test_sync_now_without_imported_calendars_says_so(client):
    listing, _double, _family = two_room_listing()
    login(client, listing.host)
    page = client.post(f"/host/calendar/{listing.id}/sync", follow_redirects=True)
    assert "imports no other calendar" in page.get_data(as_text=True)
    try:
        calendar_sync_now.sync_now(listing, listing.host)
    except ServiceError as exc:
        assert exc.code == "no_calendars"
    else:
        raise AssertionError("expected no_calendars")


def _mails(folder, before) -> list:
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(set(Path(folder).glob("*.eml")) - before)
    ]


def test_an_import_over_a_confirmed_booking_blocks_warns_and_never_cancels(
    client,
    outbox,
    feed_server,  # noqa: F811
):
    base, feeds = feed_server
    listing, double, _family = two_room_listing()
    today = business_today()
    booking = make_booking(double, check_in=today + timedelta(days=6), nights=2)
    feeds["/airbnb.ics"] = (
        200,
        airbnb_feed((today + timedelta(days=7), today + timedelta(days=9))),  # nights 7 and 8
    )
    calendar = calendars.add_external(double, listing.host, f"{base}/airbnb.ics")
    before = set(Path(outbox).glob("*.eml"))

    result = calendars.sync_calendar(calendar)
    assert result.ok and result.nights == 2 and result.conflicts == 1
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED
    blocked = db.session.query(BlockedNight).filter_by(source=BlockSource.ICAL).all()
    assert sorted(b.night for b in blocked) == [
        today + timedelta(days=7),
        today + timedelta(days=8),
    ]

    [mail] = [m for m in _mails(outbox, before) if m["To"] == listing.host.email]
    text = mail.get_body(("plain",)).get_content()
    assert booking.reference in text and "nothing was cancelled" in text
    assert f"/host/calendar/{listing.id}" in text

    # a second sync of the same feed mails nothing new
    before = set(Path(outbox).glob("*.eml"))
    assert calendars.sync_calendar(db.session.get(ExternalCalendar, calendar.id)).conflicts == 0
    assert _mails(outbox, before) == []

    login(client, listing.host)
    dashboard = client.get("/host/").get_data(as_text=True)
    assert 'id="calendar-conflicts"' in dashboard and booking.reference in dashboard
    page = client.get(f"/host/calendar/{listing.id}").get_data(as_text=True)
    assert 'id="calendar-conflicts"' in page

    # once the other site drops its nights, the warning goes
    feeds["/airbnb.ics"] = (200, airbnb_feed())
    calendars.sync_calendar(db.session.get(ExternalCalendar, calendar.id))
    assert 'id="calendar-conflicts"' not in client.get("/host/").get_data(as_text=True)


def test_a_booking_that_is_only_held_raises_no_warning(outbox, feed_server):  # noqa: F811
    base, feeds = feed_server
    room = make_listing(units=1).room_types[0]
    room.listing.host.locale = "en"
    today = business_today()
    make_booking(
        room, check_in=today + timedelta(days=4), nights=1, status=BookingStatus.PENDING_PAYMENT
    )
    feeds["/x.ics"] = (200, airbnb_feed((today + timedelta(days=4), today + timedelta(days=5))))
    calendar = calendars.add_external(room, room.listing.host, f"{base}/x.ics")
    before = set(Path(outbox).glob("*.eml"))
    assert calendars.sync_calendar(calendar).conflicts == 0
    assert _mails(outbox, before) == []
