"""Lock, re-read, decide, write: the one shape of every change to an existing booking.

A booking is the aggregate: its items, payments, refunds and tickets change only while its row is
locked. A unit of work that changes any of them

1. locks the booking row first (`locked_booking`): SELECT ... FOR UPDATE on PostgreSQL; on SQLite
   BEGIN IMMEDIATE, the database's one write lock, since SQLite ignores FOR UPDATE;
2. re-reads everything it decides on (the lock expires what the session had loaded before, so
   a status or a payment read before the lock is never trusted);
3. decides through the aggregate's transition table (`models.states.judge`);
4. writes and commits, releasing the lock.

Two requests that touch one booking therefore run one after the other, and the second decides on
what the first wrote: a cancel and a payment webhook cannot both "win". Placing a booking locks
inventory rows instead (see `bookings`); calling Stripe never happens while a lock is held (its
webhook may come back to us during the call).

`Booking.version` and `Payment.version` are a tripwire: an UPDATE that did not hold the lock and
lost a race fails with StaleDataError instead of silently overwriting the winner.
"""

from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from ...database import begin_write, is_sqlite
from ...extensions import db
from ...models import (
    BankTransfer,
    Booking,
    BookingItem,
    BookingNight,
    CheckIn,
    Departure,
    Guest,
    LedgerEntry,
    Payment,
    Refund,
    RefundAccount,
    RoomType,
    Ticket,
)
from ...models.move_offer import MoveOffer
from ...models.outbox import OutboxMessage
from .errors import NotFound

#: what a booking's lock covers: re-read after taking it
AGGREGATE_PARTS = (
    Booking,
    BookingItem,
    BookingNight,
    Guest,
    Payment,
    Refund,
    RefundAccount,
    LedgerEntry,
    Ticket,
    CheckIn,
    MoveOffer,
    BankTransfer,
    OutboxMessage,
)


def locked_booking(booking_id: int) -> Booking:
    """Lock booking `booking_id` for this transaction and return it freshly read.

    What the session had read of bookings and their parts (payments, items, refunds, tickets)
    is expired first, so what the caller reads from here on is what is committed now. Pending
    changes are flushed first, so none is lost. Raises NotFound.
    """
    return _lock_one(Booking.id == booking_id)


def locked_booking_of_ticket(ticket_id: int) -> Booking:
    """`locked_booking` for the booking a ticket admits to (one query). Raises NotFound."""
    return _lock_one(Booking.id == _booking_id_of_ticket(ticket_id))


def lock_booking_of_unadmitted_ticket(ticket_id: int, secret: str) -> bool:
    """Lock the booking of ticket `ticket_id` when that ticket, under its current `secret`, has
    no check-in yet (a first scan is about to admit it); True if it was locked.

    Locks as `locked_booking` does, reading only the id: the caller reads everything it decides
    on afterwards. A ticket already checked in (a repeat scan, which writes nothing to the
    booking) or a stale secret takes no lock.
    """
    _ready_to_lock()
    query = _unadmitted_ticket_lock(db.engine.dialect.name)
    return db.session.scalar(query, {"ticket_id": ticket_id, "secret": secret}) is not None


@cache
def _unadmitted_ticket_lock(dialect: str):
    """`lock_booking_of_unadmitted_ticket`'s statement, built once (every first scan runs it)."""
    not_admitted = ~select(CheckIn.id).where(CheckIn.ticket_id == Ticket.id).exists()
    booking_id = _booking_id_of_ticket(
        bindparam("ticket_id"), Ticket.secret == bindparam("secret"), not_admitted
    )
    return _for_update(select(Booking.id).where(Booking.id == booking_id), dialect)


def _booking_id_of_ticket(ticket_id: int, *conditions):
    return (
        select(BookingItem.booking_id)
        .join(Ticket, Ticket.booking_item_id == BookingItem.id)
        .where(Ticket.id == ticket_id, *conditions)
        .scalar_subquery()
    )


def _lock_one(condition) -> Booking:
    query = select(Booking).where(condition).execution_options(populate_existing=True)
    booking = db.session.scalar(_locking(query))
    if booking is None:
        raise NotFound(_("No booking with this reference."), "not_found")
    return booking


def _locking(query):
    """`query` (of bookings) made to take their row locks, once the session is ready for it."""
    _ready_to_lock()
    return _for_update(query, db.engine.dialect.name)


def _ready_to_lock() -> None:
    """SQLite's write lock taken, pending changes flushed, what was read of bookings forgotten."""
    begin_write()
    db.session.flush()
    _expire_aggregates()


def _for_update(query, dialect: str):
    """`query` (of bookings) taking their row locks: FOR UPDATE OF booking on PostgreSQL; on
    SQLite the write lock (begin_write) already serialises every writer."""
    return query if dialect == "sqlite" else query.with_for_update(of=Booking)


def _expire_aggregates() -> None:
    """Forget what was read of bookings and what hangs off them (payments, refunds, tickets,
    check-ins, move offers, inventory claims); users, listings and communities stay loaded."""
    for instance in list(db.session.identity_map.values()):
        if isinstance(instance, AGGREGATE_PARTS):
            db.session.expire(instance)


def lock_inventory(room_type_ids=(), departure_ids=()) -> None:
    """Lock rooms and seats as placing a booking does (after begin_write), room types before
    departures, each in id order, so two writers never wait on each other; then count them.
    SQLite: begin_write() already serialises."""
    if is_sqlite():
        return
    for model, ids in ((RoomType, room_type_ids), (Departure, departure_ids)):
        if ids:
            db.session.execute(locking_inventory(select(model.id).where(model.id.in_(ids)))).all()


def locking_inventory(query):
    """`query` (of room types or of departures, after begin_write) made to lock the rows it
    reads, in `lock_inventory`'s order, and to read them as they are now: a caller that loads
    what it is about to hold needs no second statement to lock it."""
    model = query.column_descriptions[0]["entity"]
    query = query.order_by(model.id).execution_options(populate_existing=True)
    return query if is_sqlite() else query.with_for_update(of=model)


def lock(booking: Booking) -> Booking:
    """`locked_booking` for a booking already in hand (its id is all that is trusted)."""
    return locked_booking(booking.id)
