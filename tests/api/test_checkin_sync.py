"""Offline sync with news for every phone involved, the fresh CSRF token, and undoing a check-in."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import AuditEntry, CheckIn, Role, Scan
from marketplace.models.states import Outcome
from marketplace.services.backoffice import host_bookings
from marketplace.services.booking import tickets
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
    host = make_user(Role.HOST, community=community, name="Hoàng Thị Mai")
    listing = make_listing(community=community, host=host, units=5, max_guests=4)
    first = make_user(Role.GUIDE, community=community, name="Lò Văn Sáng")
    second = make_user(Role.GUIDE, community=community, name="Nông Thị Lan")
    return listing, host, first, second


def at(minutes_ago: int) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat()


def sync(client, user, scans=(), device="", since=None, headers=None):
    body = {"scans": list(scans), "device_id": device}
    if since:
        body["since"] = since
    response = client.post("/api/v1/checkins/sync", json=body, headers=headers or bearer(user))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def secret_of(booking) -> str:
    return tickets.tickets_of(booking)[0].secret


def test_both_phones_hear_of_a_ticket_they_both_scanned_offline(client, place):
    listing, _, first, second = place
    booking = make_ticketed_booking(listing, contact_name="Kim Min-jun")
    code = secret_of(booking)
    a = sync(
        client, first, [{"secret": code, "scanned_at": at(10), "device_id": "phone-a"}], "phone-a"
    )
    assert a["results"][0]["result"] == "ok" and a["news"] == []

    b = sync(
        client, second, [{"secret": code, "scanned_at": at(8), "device_id": "phone-b"}], "phone-b"
    )
    assert b["results"][0]["result"] == "already_checked_in" and b["results"][0]["conflict"]
    (news,) = b["news"]
    assert news["kind"] == "also_scanned" and news["by"] == "Lò Văn Sáng"
    assert news["reference"] == booking.reference and news["contact_name"] == "Kim Min-jun"

    # the first phone learns of it on its next sync, with nothing to send
    later = sync(client, first, device="phone-a", since=a["cursor"])
    (news,) = later["news"]
    assert news["kind"] == "also_scanned" and news["by"] == "Nông Thị Lan"
    # nothing new since then: only the overlap may repeat it, under the same id
    again = sync(client, first, device="phone-a", since=later["cursor"])
    assert {item["id"] for item in again["news"]} <= {news["id"]}
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1


def test_news_stay_with_the_device_and_user_that_scanned(client, place):
    listing, _, first, second = place
    code = secret_of(make_ticketed_booking(listing))
    sync(client, first, [{"secret": code, "scanned_at": at(10), "device_id": "phone-a"}], "phone-a")
    sync(client, second, [{"secret": code, "scanned_at": at(5), "device_id": "phone-b"}], "phone-b")
    # another user naming phone-a's id learns nothing: it scanned nothing under that id
    assert sync(client, second, device="phone-a", since=at(60))["news"] == []
    assert sync(client, first, device="phone-a", since=at(60))["news"] != []
    # no device id, no news
    assert sync(client, first, since=at(60))["news"] == []


def test_an_offline_admission_of_a_booking_cancelled_meanwhile_is_news(client, place):
    listing, host, first, _ = place
    booking = make_ticketed_booking(listing)
    code = secret_of(booking)
    cancellations.cancel_by_host(booking, host, "Landslide")
    body = sync(
        client, first, [{"secret": code, "scanned_at": at(3), "device_id": "phone-a"}], "phone-a"
    )
    assert body["results"][0]["result"] == "canceled"
    (news,) = body["news"]
    assert news["kind"] == "cancelled" and news["reference"] == booking.reference
    assert news["cancelled_at"]
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "admitted_while_cancelled")
        )
        == 1
    )


def test_an_offline_admission_of_a_no_show_is_news_and_audited(client, place):
    listing, host, first, _ = place
    booking = make_ticketed_booking(listing, check_in=business_today() - timedelta(days=1))
    code = secret_of(booking)
    assert host_bookings.mark_no_show(booking, host) is Outcome.APPLIED
    body = sync(
        client, first, [{"secret": code, "scanned_at": at(3), "device_id": "phone-a"}], "phone-a"
    )
    assert body["results"][0]["result"] == "no_show"
    (news,) = body["news"]
    assert news["kind"] == "no_show" and news["reference"] == booking.reference
    db.session.expire_all()
    came = select(func.count(AuditEntry.id)).where(AuditEntry.action == "admitted_after_no_show")
    assert db.session.scalar(came) == 1


@pytest.mark.parametrize("since", ["yesterday", "2026-01-01T00:00:00"])
def test_a_bad_cursor_is_a_400(client, place, since):
    _, _, first, _ = place
    response = client.post(
        "/api/v1/checkins/sync", json={"scans": [], "since": since}, headers=bearer(first)
    )
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "since"


def test_the_session_endpoint_hands_a_fresh_token_that_syncs(client, app, place):
    listing, _, first, _ = place
    code = secret_of(make_ticketed_booking(listing))
    assert client.get("/checkin/session").status_code == 401
    login(client, first)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        stale = client.post(
            "/api/v1/checkins/sync", json={"scans": []}, headers={"X-CSRFToken": "stale"}
        )
        assert stale.status_code == 400 and stale.get_json()["error"]["code"] == "csrf"
        fresh = client.get("/checkin/session")
        assert fresh.status_code == 200 and fresh.headers["Cache-Control"] == "no-store"
        token = fresh.get_json()["csrf_token"]
        body = sync(
            client,
            first,
            [{"secret": code, "scanned_at": at(1), "device_id": "phone-a"}],
            "phone-a",
            headers={"X-CSRFToken": token},
        )
        assert body["results"][0]["result"] == "ok"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_tourist_gets_no_token(client):
    tourist = make_user(Role.TOURIST)
    login(client, tourist)
    assert client.get("/checkin/session").status_code == 403


# --- undoing a check-in ----------------------------------------------------------------------


def undo(client, user, ticket_id):
    return client.post("/api/v1/checkins/undo", json={"ticket_id": ticket_id}, headers=bearer(user))


def test_a_host_undoes_a_check_in_and_may_check_in_again(client, place):
    listing, host, guide, _ = place
    booking = make_ticketed_booking(listing)
    ticket = tickets.tickets_of(booking)[0]
    client.post("/api/v1/checkins", json={"secret": ticket.secret}, headers=bearer(guide))

    response = undo(client, host, ticket.id)
    assert response.status_code == 200 and response.get_json()["outcome"] == "applied"
    db.session.expire_all()
    assert db.session.scalar(select(func.count(CheckIn.id))) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin_undone"))
    assert entry.actor_id == host.id and entry.subject_id == ticket.id
    assert (entry.from_state, entry.to_state) == ("checked_in", "expected")
    assert db.session.scalar(select(func.count(Scan.id))) == 1  # the scan log keeps the scan

    assert undo(client, host, ticket.id).get_json()["outcome"] == "already"
    again = client.post("/api/v1/checkins", json={"secret": ticket.secret}, headers=bearer(guide))
    assert again.get_json()["result"] == "ok"


def test_undo_is_refused_for_a_cancelled_booking_and_forbidden_to_guides(client, place):
    listing, host, guide, _ = place
    booking = make_ticketed_booking(listing)
    ticket = tickets.tickets_of(booking)[0]
    client.post("/api/v1/checkins", json={"secret": ticket.secret}, headers=bearer(guide))
    forbidden = undo(client, guide, ticket.id)
    assert forbidden.status_code == 403 and forbidden.get_json()["error"]["code"] == "forbidden"

    stranger = make_user(Role.HOST, community=make_community())
    assert undo(client, stranger, ticket.id).status_code == 403
    assert undo(client, host, 999_999).status_code == 404
    bad = client.post("/api/v1/checkins/undo", json={"ticket_id": "x"}, headers=bearer(host))
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "ticket_id"


def test_undo_of_a_void_ticket_is_refused(client, place):
    from marketplace.models import Booking, BookingStatus, TicketStatus
    from marketplace.services.shared import locks

    listing, host, guide, _ = place
    booking = make_ticketed_booking(listing)
    ticket = tickets.tickets_of(booking)[0]
    client.post("/api/v1/checkins", json={"secret": ticket.secret}, headers=bearer(guide))
    # a checked-in booking cannot be cancelled; its ticket voided some other way (a closure)
    locked = locks.locked_booking(booking.id)
    tickets.move_ticket(tickets.tickets_of(locked)[0], TicketStatus.VOID, action="voided")
    db.session.commit()
    response = undo(client, host, ticket.id)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "not_undoable"
    db.session.expire_all()
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1
    assert db.session.get(Booking, booking.id).status == BookingStatus.CHECKED_IN
