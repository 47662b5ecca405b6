"""A repeat scan of a ticket already checked in only reads, and logs its scan."""

from contextlib import contextmanager

from sqlalchemy import event, select

from marketplace.extensions import db
from marketplace.models import Role, Scan
from marketplace.models.states import Outcome
from marketplace.services import checkin, checkin_undo, tickets
from tests.factories import make_community, make_listing, make_ticketed_booking, make_user

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def writes():
    """The INSERT/UPDATE/DELETE statements run inside the block (a list of SQL texts)."""
    seen = []

    def listener(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(WRITES):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def setup_ticket():
    community = make_community()
    listing = make_listing(community=community, units=3)
    guide = make_user(Role.GUIDE, community=community)
    booking = make_ticketed_booking(listing)
    return listing, guide, tickets.tickets_of(booking)[0]


def test_a_repeat_scan_writes_only_its_scan_log_entry(app):
    _, guide, ticket = setup_ticket()
    assert checkin.perform_checkin(ticket.secret, guide).result == "ok"
    with writes() as seen:
        again = checkin.perform_checkin(ticket.secret, guide)
    assert again.result == "already_checked_in"
    assert len(seen) == 1 and "scan" in seen[0].lower().split("into", 1)[1][:12], seen


def test_a_repeat_offline_scan_of_the_same_device_writes_only_its_scan(app):
    _, guide, ticket = setup_ticket()
    first = checkin.perform_checkin(ticket.secret, guide, device_id="phone-a")
    with writes() as seen:
        again = checkin.perform_checkin(
            ticket.secret, guide, scanned_at=first.checked_in_at, device_id="phone-a"
        )
    assert again.result == "ok" and again.duplicate
    assert len(seen) == 1, seen
    assert db.session.scalar(select(Scan.id).order_by(Scan.id.desc()).limit(1))


def test_undo_answers_with_named_outcomes(app):
    listing, guide, ticket = setup_ticket()
    host = listing.host
    assert checkin_undo.undo_checkin(ticket.id, host) is Outcome.ALREADY
    checkin.perform_checkin(ticket.secret, guide)
    assert checkin_undo.undo_checkin(ticket.id, host) is Outcome.APPLIED
    assert checkin_undo.undo_checkin(ticket.id, host) is Outcome.ALREADY
