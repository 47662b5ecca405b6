"""POST /api/v1/checkins, the manifest and offline sync, through HTTP."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import AuditEntry, BookingStatus, CheckIn, Role, Scan
from marketplace.services.accounts import accounts
from marketplace.services.booking import bookings, ticket_tokens, tickets
from marketplace.services.payments import cancellations
from tests.factories import (
    bearer,
    login,
    make_community,
    make_listing,
    make_ticketed_booking,
    make_user,
)


@pytest.fixture
def place():
    community = make_community()
    listing = make_listing(community=community, units=5, max_guests=4)
    guide = make_user(Role.GUIDE, community=community, name="Lò Văn Sáng")
    return community, listing, guide


def scan(client, user, secret, **extra):
    response = client.post(
        "/api/v1/checkins", json={"secret": secret, **extra}, headers=bearer(user)
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def secret_of(booking) -> str:
    return tickets.tickets_of(booking)[0].secret


def test_ok_checks_in_and_moves_the_booking(client, place):
    _, listing, guide = place
    booking = make_ticketed_booking(listing, guests=3, contact_name="Kim Min-jun")
    body = scan(client, guide, secret_of(booking), listing_id=listing.id)
    assert body["result"] == "ok"
    assert body["booking"]["contact_name"] == "Kim Min-jun" and body["booking"]["admits"] == 3
    assert body["checked_in_at"] and body["first_checked_in_at"] == body["checked_in_at"]
    db.session.expire_all()
    assert bookings.get_by_reference(booking.reference).status == BookingStatus.CHECKED_IN
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1
    assert db.session.scalar(select(Scan.result)) == "ok"


def test_a_second_scan_says_when_and_by_whom(client, place):
    community, listing, guide = place
    host = listing.host
    booking = make_ticketed_booking(listing)
    first = scan(client, guide, secret_of(booking))
    again = scan(client, host, secret_of(booking))
    assert again["result"] == "already_checked_in"
    assert again["checked_in_by"] == "Lò Văn Sáng"
    assert again["first_checked_in_at"] == first["checked_in_at"]
    assert again["checked_in_at"] is None
    assert db.session.scalar(select(func.count(Scan.id))) == 2


def test_forged_tampered_and_unknown_codes_are_invalid(client, place):
    _, listing, guide = place
    secret = secret_of(make_ticketed_booking(listing))
    tampered = secret[:20] + ("A" if secret[20] != "A" else "B") + secret[21:]
    ticket = tickets.tickets_of(make_ticketed_booking(listing))[0]
    unknown = ticket_tokens.sign_ticket(
        ticket_tokens.TicketClaims(ticket.id + 1000, ticket.valid_from, ticket.valid_until, 2),
        tickets.signing_key(),
    )
    for code in (tampered, unknown, "hello", "x" * 300, "ZZ-NOPE42"):
        body = scan(client, guide, code)
        assert body["result"] == "invalid" and body["booking"] is None, code
    assert db.session.scalar(select(func.count(Scan.id)).where(Scan.result == "invalid")) == 5


def test_a_cancelled_booking_is_canceled(client, place):
    _, listing, guide = place
    booking = make_ticketed_booking(listing)
    secret = secret_of(booking)
    cancellations.cancel(booking, reason="rain")
    assert scan(client, guide, secret)["result"] == "canceled"


def test_an_unpaid_booking_typed_by_reference_is_unpaid(client, place):
    _, listing, guide = place
    booking = make_ticketed_booking(listing, confirm=False)
    body = scan(client, guide, booking.reference.lower().replace("-", ""))
    assert body["result"] == "unpaid"


def test_a_paid_booking_typed_by_reference_checks_in(client, place):
    _, listing, guide = place
    booking = make_ticketed_booking(listing)
    assert scan(client, guide, booking.reference)["result"] == "ok"


def test_a_ticket_for_another_day_is_wrong_date(client, place):
    _, listing, guide = place
    booking = make_ticketed_booking(listing, check_in=business_today() + timedelta(days=3))
    assert scan(client, guide, secret_of(booking))["result"] == "wrong_date"


def test_the_last_night_is_valid_and_the_departure_morning_is_not(place):
    from marketplace.services.checkin import checkin

    _, listing, guide = place
    start = business_today() + timedelta(days=2)
    booking = make_ticketed_booking(listing, check_in=start, nights=2)
    noon = lambda day: datetime(day.year, day.month, day.day, 5, tzinfo=UTC)  # noqa: E731
    secret = secret_of(booking)
    departure_day = checkin.perform_checkin(secret, guide, now=noon(start + timedelta(days=2)))
    assert departure_day.result == "wrong_date"
    last_night = checkin.perform_checkin(secret, guide, now=noon(start + timedelta(days=1)))
    assert last_night.result == "ok"


def test_a_ticket_for_another_listing_is_wrong_listing(client, place):
    community, listing, guide = place
    other = make_listing(community=community)
    booking = make_ticketed_booking(listing)
    assert scan(client, guide, secret_of(booking), listing_id=other.id)["result"] == "wrong_listing"


def test_a_guide_of_another_community_is_forbidden(client, place):
    _, listing, _ = place
    stranger = make_user(Role.GUIDE, community=make_community())
    body = scan(client, stranger, secret_of(make_ticketed_booking(listing)))
    assert body["result"] == "forbidden" and body["booking"] is None


def test_tourists_and_anonymous_callers_cannot_scan(client, place):
    _, listing, _ = place
    secret = secret_of(make_ticketed_booking(listing))
    tourist = make_user(Role.TOURIST)
    response = client.post("/api/v1/checkins", json={"secret": secret}, headers=bearer(tourist))
    assert response.status_code == 403
    response = client.post("/api/v1/checkins", json={"secret": secret})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "secret"),
        ({"secret": 5}, "secret"),
        ({"secret": "x", "listing_id": "abc"}, "listing_id"),
    ],
)
def test_bad_input_names_the_field(client, place, body, field):
    response = client.post("/api/v1/checkins", json=body, headers=bearer(place[2]))
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


def test_ten_simultaneous_scans_give_one_ok(app, place):
    _, listing, guide = place
    booking = make_ticketed_booking(listing)
    secret = secret_of(booking)
    token = accounts.create_token(guide)
    barrier = threading.Barrier(10)
    results: list = []

    def scan_once():
        with app.app_context():
            client = app.test_client()
            barrier.wait()
            response = client.post(
                "/api/v1/checkins",
                json={"secret": secret},
                headers={"Authorization": f"Bearer {token}"},
            )
            results.append((response.status_code, response.get_json()))
            db.session.remove()

    threads = [threading.Thread(target=scan_once) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [200] * 10
    codes = sorted(body["result"] for _, body in results)
    assert codes == ["already_checked_in"] * 9 + ["ok"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1
    assert db.session.scalar(select(func.count(Scan.id))) == 10


def test_the_manifest_lists_the_days_tickets_with_the_public_key(client, place):
    community, listing, guide = place
    arrived = make_ticketed_booking(listing, contact_name="Anna Müller")
    expected = make_ticketed_booking(listing, guests=4)
    make_ticketed_booking(listing, check_in=business_today() + timedelta(days=4))
    scan(client, guide, secret_of(arrived))
    response = client.get(
        f"/api/v1/checkins/manifest?listing_id={listing.id}", headers=bearer(guide)
    )
    body = response.get_json()
    assert response.status_code == 200
    assert body["date"] == business_today().isoformat() and body["listing_id"] == listing.id
    assert body["public_key"] == tickets.public_key()
    rows = {row["booking_reference"]: row for row in body["tickets"]}
    assert set(rows) == {arrived.reference, expected.reference}
    assert (
        rows[arrived.reference]["checked_in_at"]
        and rows[arrived.reference]["contact_name"] == "Anna Müller"
    )
    assert (
        rows[expected.reference]["checked_in_at"] is None
        and rows[expected.reference]["admits"] == 4
    )
    stranger = make_user(Role.HOST, community=make_community())
    response = client.get(
        f"/api/v1/checkins/manifest?listing_id={listing.id}", headers=bearer(stranger)
    )
    assert response.status_code == 403
    response = client.get("/api/v1/checkins/manifest?listing_id=999999", headers=bearer(guide))
    assert response.status_code == 404
    response = client.get("/api/v1/checkins/manifest?date=tomorrow", headers=bearer(guide))
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "date"


def around_now(listing):
    """A stay from yesterday to tomorrow morning: scans minutes apart stay valid across midnight."""
    return make_ticketed_booking(listing, check_in=business_today() - timedelta(days=1), nights=3)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def test_sync_accepts_a_repeated_batch_without_turning_ok_into_already(client, place):
    _, listing, guide = place
    secret = secret_of(around_now(listing))
    scanned = iso(datetime.now(UTC) - timedelta(minutes=5))
    batch = {"scans": [{"secret": secret, "scanned_at": scanned, "device_id": "phone-a"}]}
    first = client.post("/api/v1/checkins/sync", json=batch, headers=bearer(guide)).get_json()
    again = client.post("/api/v1/checkins/sync", json=batch, headers=bearer(guide)).get_json()
    assert first["results"][0]["result"] == "ok"
    assert again["results"][0]["result"] == "ok" and again["results"][0]["duplicate"] is True
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1


def test_sync_keeps_the_earliest_scan_and_reports_conflicts(client, place):
    _, listing, guide = place
    other_guide = make_user(Role.GUIDE, community=place[0], name="Hoàng Thị Mai")
    first_secret = secret_of(around_now(listing))
    second_secret = secret_of(around_now(listing))
    now = datetime.now(UTC)
    # online, a minute ago, on phone A
    assert scan(client, guide, first_secret, device_id="phone-a")["result"] == "ok"
    # phone B was offline: it scanned the first ticket earlier, and the second twice
    batch = {
        "scans": [
            {
                "secret": second_secret,
                "scanned_at": iso(now - timedelta(minutes=3)),
                "device_id": "phone-b",
            },
            {
                "secret": first_secret,
                "scanned_at": iso(now - timedelta(minutes=20)),
                "device_id": "phone-b",
            },
            {
                "secret": second_secret,
                "scanned_at": iso(now - timedelta(minutes=9)),
                "device_id": "phone-b",
            },
        ]
    }
    response = client.post("/api/v1/checkins/sync", json=batch, headers=bearer(other_guide))
    results = response.get_json()["results"]
    assert [r["result"] for r in results] == ["already_checked_in", "ok", "ok"]
    assert results[1]["conflict"] is True  # phone A had admitted it too; the earlier scan wins
    assert results[0]["conflict"] is False  # the same phone twice is no conflict
    assert results[0]["first_checked_in_at"] == results[2]["checked_in_at"]
    db.session.expire_all()
    winner = db.session.scalar(
        select(CheckIn)
        .join(CheckIn.ticket)
        .where(CheckIn.device_id == "phone-b")
        .order_by(CheckIn.checked_in_at)
    )
    assert winner.by_user.name == "Hoàng Thị Mai"
    assert winner.checked_in_at == datetime.fromisoformat(batch["scans"][1]["scanned_at"])
    conflicts = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "checkin_conflict")
    ).all()
    assert len(conflicts) == 1
    later = client.post(
        "/api/v1/checkins/sync",
        json={"scans": [{"secret": first_secret, "scanned_at": iso(now), "device_id": "phone-c"}]},
        headers=bearer(guide),
    ).get_json()["results"][0]
    assert later["result"] == "already_checked_in" and later["conflict"] is True
    assert later["checked_in_by"] == "Hoàng Thị Mai"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "scans"),
        ({"scans": [{"secret": "x"}]}, "scans[0].scanned_at"),
        ({"scans": [{"secret": "x", "scanned_at": "2026-12-20T10:00:00"}]}, "scans[0].scanned_at"),
        ({"scans": ["x"]}, "scans[0]"),
    ],
)
def test_sync_refuses_bad_scans_naming_the_field(client, place, body, field):
    response = client.post("/api/v1/checkins/sync", json=body, headers=bearer(place[2]))
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


def test_a_logged_in_guide_scans_with_the_session_and_csrf_header(app, client, place):
    _, listing, guide = place
    secret = secret_of(make_ticketed_booking(listing))
    login(client, guide)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post("/api/v1/checkins", json={"secret": secret})
        assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "csrf"
        page = client.get("/checkin").get_data(as_text=True)
        token = page.split('name="csrf-token" content="')[1].split('"')[0]
        response = client.post(
            "/api/v1/checkins", json={"secret": secret}, headers={"X-CSRFToken": token}
        )
        assert response.get_json()["result"] == "ok"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
