"""A repeat scan of a ticket already checked in only reads (without the booking's lock), and
logs its scan; a first scan locks the booking."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from marketplace.database import is_sqlite
from marketplace.extensions import db
from marketplace.models import Role, Scan
from marketplace.models.states import Outcome
from marketplace.services.booking import tickets
from marketplace.services.checkin import checkin, checkin_undo
from tests.factories import make_community, make_listing, make_ticketed_booking, make_user
from tests.sql_statements import statements

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes():
    """The INSERT/UPDATE/DELETE statements run inside the block (a list of SQL texts)."""
    return statements(lambda statement: statement.lstrip().upper().startswith(WRITES))


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


def test_a_repeat_scan_reads_the_ticket_once(app):
    _, guide, ticket = setup_ticket()
    secret = ticket.secret
    assert checkin.perform_checkin(secret, guide).result == "ok"
    name = guide.name  # the scanner as a request has it, loaded
    with statements() as seen:
        answer = checkin.perform_checkin(secret, guide).to_json()
    assert answer["result"] == "already_checked_in" and answer["checked_in_by"] == name
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    # the lock taken only for a ticket not yet checked in (here it finds nothing to lock: see
    # the test below), then the ticket, booking, listing, check-in and the right to scan
    assert len(reads) == 2, reads
    assert "NOT (EXISTS (SELECT check_in.id" in reads[0] and "check_in" in reads[1], reads


def hold_booking_lock(booking_id: int):
    """Another connection's transaction holding the booking's row lock (PostgreSQL)."""
    connection = db.engine.connect()
    transaction = connection.begin()
    connection.execute(text("SELECT id FROM booking WHERE id = :id FOR UPDATE"), {"id": booking_id})
    return connection, transaction


def test_a_repeat_scan_answers_while_another_phone_holds_the_booking(app):
    if is_sqlite():
        pytest.skip("SQLite has one write lock for the whole database")
    _, guide, ticket = setup_ticket()
    assert checkin.perform_checkin(ticket.secret, guide).result == "ok"
    connection, transaction = hold_booking_lock(ticket.item.booking_id)
    try:
        db.session.execute(text("SET LOCAL lock_timeout = '2s'"))
        again = checkin.perform_checkin(ticket.secret, guide)
    finally:
        transaction.rollback()
        connection.close()
    assert again.result == "already_checked_in"


def test_an_admission_waits_for_the_booking_lock(app):
    if is_sqlite():
        pytest.skip("SQLite has one write lock for the whole database")
    listing, guide, ticket = setup_ticket()
    # admitted and taken back: the booking stays checked in, so admitting again writes only the
    # check-in, and nothing but the booking's lock can make it wait
    assert checkin.perform_checkin(ticket.secret, guide).result == "ok"
    assert checkin_undo.undo_checkin(ticket.id, listing.host) is Outcome.APPLIED
    connection, transaction = hold_booking_lock(ticket.item.booking_id)
    try:
        db.session.execute(text("SET LOCAL lock_timeout = '300ms'"))
        with pytest.raises(OperationalError):
            checkin.perform_checkin(ticket.secret, guide)
        db.session.rollback()
    finally:
        transaction.rollback()
        connection.close()
    assert checkin.perform_checkin(ticket.secret, guide).result == "ok"
