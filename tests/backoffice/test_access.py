"""Every back-office route, walked by people who must not see or change community A's data."""

import io
import re
from datetime import timedelta

import pytest
from PIL import Image

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import (
    Booking,
    ExternalCalendar,
    ListingKind,
    PriceRule,
    PriceRuleKind,
    Role,
)
from marketplace.services.catalogue import calendars, uploads
from tests.factories import (
    login,
    make_booking,
    make_community,
    make_departure,
    make_listing,
    make_user,
)

SECRET_TITLE = "Nhà Bí Mật SECRETTITLE"
SECRET_GUEST = "SECRETGUEST Müller"
SECRET_PASSPORT = "SECRETPASS123"
MARKERS = (SECRET_TITLE, SECRET_GUEST, SECRET_PASSPORT)


def png_bytes(size=(64, 48), color=(20, 120, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def world(app):
    """Community A with everything in it; community B with its own host and cooperative."""
    a = make_community("village-a")
    b = make_community("village-b")
    host_a = make_user(Role.HOST, community=a)
    stay = make_listing(community=a, host=host_a, title=SECRET_TITLE)
    room = stay.room_types[0]
    tour = make_listing(ListingKind.TOUR, community=a, host=host_a, title=SECRET_TITLE)
    departure = make_departure(tour)
    uploads.add_photo(stay, host_a, io.BytesIO(png_bytes()), {"en": "a room"})
    db.session.add(
        PriceRule(
            listing=stay,
            kind=PriceRuleKind.DATE,
            start_date=business_today() + timedelta(days=3),
            end_date=business_today() + timedelta(days=3),
            nightly_price=1,
        )
    )
    db.session.add(ExternalCalendar(room_type=room, url="http://127.0.0.1:9/none.ics"))
    db.session.commit()
    booking = make_booking(
        room,
        check_in=business_today(),
        guest_list=[(SECRET_GUEST, "DE", None, SECRET_PASSPORT)],
    )
    calendars.feed_token(room)
    ids = {
        "listing_id": stay.id,
        "room_type_id": room.id,
        "photo_id": stay.photos[0].id,
        "rule_id": stay.price_rules[0].id,
        "calendar_id": room.external_calendars[0].id,
        "departure_id": departure.id,
        "community_id": a.id,
        "user_id": host_a.id,
        "reference": booking.reference,
        "key": "monthly",
        "token": "not-the-token",
        "message_id": 1,
        "refund_id": 1,
        "change_id": 1,
        "host_id": host_a.id,
        "transfer_id": 1,
        "day": business_today().isoformat(),
    }
    people = {
        "anonymous": None,
        "tourist": make_user(Role.TOURIST),
        "guide_a": make_user(Role.GUIDE, community=a),
        "host_b": make_user(Role.HOST, community=b),
        "coop_b": make_user(Role.COOP, community=b),
    }
    return ids, people


def back_office_rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/host", "/admin")):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                rules.append((rule, method))
    return rules


def build_url(rule, ids) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(ids[m.group(1)]), rule.rule)


@pytest.mark.parametrize("who", ["anonymous", "tourist", "guide_a", "host_b", "coop_b"])
def test_no_back_office_route_gives_away_community_a(app, client, world, who):
    ids, people = world
    if people[who] is not None:
        login(client, people[who])
    rules = back_office_rules(app)
    assert len(rules) > 30
    for rule, method in rules:
        url = build_url(rule, ids)
        data = {
            "listing_id": ids["listing_id"],
            "room_type_id": ids["room_type_id"],
            "community_id": ids["community_id"],
            "guest_id": "1",
            "reason": "x",
            "note": "x",
            "first": business_today().isoformat(),
            "action": "block",
        }
        response = client.open(url, method=method, data=data if method == "POST" else None)
        status = response.status_code
        # the declaration is a binary spreadsheet: read what text there is
        body = response.get_data().decode("utf-8", "replace")
        where = f"{who} {method} {url} -> {status}"
        if who == "anonymous":
            if rule.endpoint == "host.ical_feed":
                assert status == 404, where
            else:
                assert status == 302 and "/account/login" in response.location, where
        elif who == "guide_a" and rule.endpoint == "host.manifest":
            # guides open the lists of the departures they lead: here none, so nothing of A's
            assert status == 200, where
        elif who in ("tourist", "guide_a") and rule.endpoint != "host.ical_feed":
            assert status == 403, where
        elif rule.arguments - {"key"}:
            assert status in (403, 404), where
        else:
            # pages without an id show the visitor's own (empty) world, never A's
            assert status in (200, 302, 400, 403, 404), where
        for marker in MARKERS:
            assert marker not in body, where
    # and nothing of A's changed
    db.session.expire_all()
    booking = db.session.query(Booking).filter_by(reference=ids["reference"]).one()
    assert booking.status.value == "confirmed"
    from marketplace.models import BlockedNight, Listing

    assert db.session.get(Listing, ids["listing_id"]).status.value == "published"
    assert db.session.query(BlockedNight).count() == 0


def test_the_owner_and_the_cooperative_reach_every_page(app, client, world):
    """The same walk as community A's host gets pages, not errors (GET routes)."""
    ids, _people = world
    from marketplace.models import Listing

    host_a = db.session.get(Listing, ids["listing_id"]).host
    login(client, host_a)
    for rule, method in back_office_rules(app):
        if method != "GET" or rule.rule.startswith("/admin") or rule.endpoint == "host.ical_feed":
            continue
        url = build_url(rule, ids)
        response = client.get(url)
        assert response.status_code in (200, 302), f"{url} -> {response.status_code}"
    detail = client.get(f"/host/bookings/{ids['reference']}").get_data(as_text=True)
    assert SECRET_PASSPORT in detail


def test_cooperative_a_sees_its_community_but_never_passports(app, client, world):
    ids, _people = world
    from marketplace.models import Community

    coop_a = make_user(Role.COOP, community=db.session.get(Community, ids["community_id"]))
    login(client, coop_a)
    for rule, method in back_office_rules(app):
        if method != "GET" or rule.endpoint == "host.ical_feed":
            continue
        response = client.get(build_url(rule, ids))
        body = response.get_data().decode("utf-8", "replace")  # spreadsheets are binary
        if rule.endpoint.startswith("host.registration") or rule.rule.startswith(
            ("/admin/jobs", "/admin/refund-check", "/admin/rates")
        ):  # admins' own pages
            assert response.status_code == 403
        else:
            assert response.status_code in (200, 302), f"{rule.rule} {response.status_code}"
        assert SECRET_PASSPORT not in body, rule.rule
