"""Two phones scan one ticket at the same instant, and a scan meets the host's cancel: the ticket
is admitted once, and a cancelled booking is never admitted.

Each side runs in a thread with its own connection (see `racing.race`), several rounds. Runs on
SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
"""

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.models import Booking, BookingStatus, CheckIn, Role, Scan, User
from marketplace.services.booking import tickets
from marketplace.services.checkin import checkin
from marketplace.services.payments import cancellations
from tests.concurrency.racing import Side, fresh_view, race
from tests.factories import make_community, make_listing, make_ticketed_booking, make_user

ROUNDS = 6


@pytest.fixture
def scanning_app(racing_app, app):
    """The racing app, verifying tickets with the test app's signing key (kept in its instance
    folder)."""
    racing_app.instance_path = app.instance_path
    return racing_app


def ticketed():
    """(guide id, host id, booking id, ticket id, QR text) of a confirmed stay starting today."""
    community = make_community()
    listing = make_listing(community=community, units=3)
    guide = make_user(Role.GUIDE, community=community)
    booking = make_ticketed_booking(listing)
    ticket = tickets.tickets_of(booking)[0]
    return guide.id, listing.host_id, booking.id, ticket.id, ticket.secret


def checkins_of(ticket_id: int) -> int:
    return db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.ticket_id == ticket_id))


def scanning(secret: str, guide_id: int, device: str) -> Side:
    return Side(
        device,
        lambda guide: checkin.perform_checkin(secret, guide, device_id=device).result,
        lambda: db.session.get(User, guide_id),
    )


def cancelling(host_id: int, booking_id: int) -> Side:
    def cancel(prepared):
        host, booking = prepared
        return cancellations.cancel(booking, actor=host, reason="flood", by_host=True)

    return Side(
        "cancel",
        cancel,
        lambda: (db.session.get(User, host_id), db.session.get(Booking, booking_id)),
    )


def test_two_phones_scanning_one_ticket_admit_it_once(scanning_app):
    for n in range(ROUNDS):
        guide_id, _, booking_id, ticket_id, secret = ticketed()
        result = race(
            scanning_app,
            scanning(secret, guide_id, "phone-a"),
            scanning(secret, guide_id, "phone-b"),
            round_no=n,
        )
        assert not result.errors(), result.errors()
        answers = sorted(o.value for o in result.outcomes)
        assert answers == ["already_checked_in", "ok"], (n, answers)
        fresh_view()
        assert checkins_of(ticket_id) == 1
        assert db.session.get(Booking, booking_id).status == BookingStatus.CHECKED_IN
        logged = db.session.scalars(select(Scan.result).where(Scan.ticket_id == ticket_id)).all()
        assert sorted(logged) == answers


def test_a_scan_racing_the_hosts_cancel_never_admits_a_cancelled_booking(scanning_app):
    for n in range(ROUNDS):
        guide_id, host_id, booking_id, ticket_id, secret = ticketed()
        result = race(
            scanning_app,
            scanning(secret, guide_id, "scan"),
            cancelling(host_id, booking_id),
            round_no=n,
        )
        assert not result.errors(), result.errors()
        outcomes = {o.name: o for o in result.outcomes}
        fresh_view()
        status = db.session.get(Booking, booking_id).status
        if outcomes["scan"].value == "ok":
            assert outcomes["cancel"].code == "not_cancellable", (n, outcomes)
            assert status == BookingStatus.CHECKED_IN and checkins_of(ticket_id) == 1
        else:
            assert outcomes["scan"].value == "canceled", (n, outcomes)
            assert outcomes["cancel"].code == "ok", (n, outcomes)
            assert status == BookingStatus.CANCELLED and checkins_of(ticket_id) == 0
