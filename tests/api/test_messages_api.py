"""GET/POST /api/v1/bookings/<reference>/messages for the booking's tourist and host."""

import email
import email.policy
from pathlib import Path

from marketplace.models import ListingKind, Role
from tests.factories import (
    bearer,
    make_booking,
    make_community,
    make_departure,
    make_listing,
    make_user,
)


def _booking():
    community = make_community()
    host = make_user(Role.HOST, community=community)
    tourist = make_user(Role.TOURIST)
    listing = make_listing(community=community, host=host)
    return make_booking(listing.room_types[0], tourist=tourist), tourist, host, community


def test_tourist_and_host_read_and_write(client, outbox):
    booking, tourist, host, _community = _booking()
    url = f"/api/v1/bookings/{booking.reference}/messages"
    empty = client.get(url, headers=bearer(tourist))
    assert empty.status_code == 200 and empty.get_json()["items"] == []

    before = set(Path(outbox).glob("*.eml"))
    sent = client.post(url, json={"body": "Arriving at 6 pm"}, headers=bearer(tourist))
    assert sent.status_code == 201
    assert sent.get_json()["side"] == "traveller"
    mails = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in set(Path(outbox).glob("*.eml")) - before
    ]
    assert [m["To"] for m in mails] == [host.email]

    answer = client.post(url, json={"body": "See you then"}, headers=bearer(host))
    assert answer.status_code == 201 and answer.get_json()["side"] == "host"
    items = client.get(url, headers=bearer(tourist)).get_json()["items"]
    assert [(m["side"], m["body"]) for m in items] == [
        ("traveller", "Arriving at 6 pm"),
        ("host", "See you then"),
    ]


def test_errors_use_the_envelope(client):
    booking, tourist, _host, community = _booking()
    url = f"/api/v1/bookings/{booking.reference}/messages"
    assert client.get(url).status_code == 401
    for outsider in (make_user(Role.TOURIST), make_user(Role.COOP, community=community)):
        response = client.get(url, headers=bearer(outsider))
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
        assert client.post(url, json={"body": "hi"}, headers=bearer(outsider)).status_code == 404
    too_long = client.post(url, json={"body": "x" * 2001}, headers=bearer(tourist))
    assert too_long.status_code == 400
    assert too_long.get_json()["error"] == {
        "code": "too_long",
        "message": too_long.get_json()["error"]["message"],
        "field": "body",
    }
    assert client.post(url, json={"body": 5}, headers=bearer(tourist)).status_code == 400
    assert client.post(url, data="nope", headers=bearer(tourist)).status_code == 400
    unknown = client.get("/api/v1/bookings/XX-000000/messages", headers=bearer(tourist))
    assert unknown.status_code == 404


def test_the_guide_of_a_departure_takes_part(client):
    community = make_community()
    guide = make_user(Role.GUIDE, community=community)
    departure = make_departure(make_listing(ListingKind.TOUR, community=community), guide=guide)
    booking = make_booking(departure=departure, tourist=make_user(Role.TOURIST))
    url = f"/api/v1/bookings/{booking.reference}/messages"
    response = client.post(url, json={"body": "Meet at the gate"}, headers=bearer(guide))
    assert response.status_code == 201 and response.get_json()["side"] == "guide"
