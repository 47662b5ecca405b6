"""Racing two (or more) service calls on one booking, and the books a person would call correct.

Each side runs in a thread with an app context of its own, so it has its own session and its own
database connection. A side first reads what a request would have read (the view loads the
booking, its payments and tickets), then all sides wait at a barrier and call the service at the
same instant: both have read before either writes, which is how a cancel and a webhook both "win"
when a service decides on what it read before locking.
"""

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.extensions import db
from marketplace.models import (
    Booking,
    BookingItem,
    BookingStatus,
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    Ticket,
    TicketStatus,
)
from marketplace.services.shared.errors import ServiceError

POOL = 8
#: seconds one side waits after the barrier, by round: the first rounds start both at once, the
#: later ones let one side (the first in even rounds, the second in odd ones) start a little
#: later, so the rounds together sample more ways the two can interleave
STAGGER = (0, 0, 0.002, 0.002, 0.006, 0.006, 0.015, 0.015, 0.04, 0.04)
PAID_STATES = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)


def make_racing_app(app):
    """The test app's settings and database, with a pool that gives every thread a connection."""
    settings = {key: app.config[key] for key in app.config if key.isupper()}
    settings["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "pool_size": POOL,
        "max_overflow": 0,
        "pool_timeout": 60,
    }
    settings["ENV_NAME"] = "test"
    return create_app(settings)


@dataclass
class Side:
    """One request of the race: `prepare()` reads (before the barrier), `act(prepared)` writes."""

    name: str
    act: Callable
    prepare: Callable = lambda: None
    #: call `act` again and again until the other sides are done (a job that may run at any
    #: moment of the other's unit of work: every call is one more point of its timeline)
    repeat: bool = False


@dataclass
class Outcome:
    name: str
    #: "ok", a ServiceError code, or "error:<Type>" for anything else
    code: str
    value: object = None
    detail: str = ""
    #: seconds the service call took
    elapsed: float = 0.0


@dataclass
class Race:
    outcomes: list[Outcome] = field(default_factory=list)

    def codes(self) -> dict[str, str]:
        return {o.name: o.code for o in self.outcomes}

    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.code.startswith("error:")]


def _short(exc: BaseException) -> str:
    """The exception and the deepest line of our own code it passed through."""
    ours = [
        f"{frame.filename.rsplit('/', 3)[-2]}/{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
        f" {frame.name}"
        for frame in traceback.extract_tb(exc.__traceback__)
        if "/marketplace/" in frame.filename
    ]
    message = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[0]
    return f"{message[:300]} (at {ours[-1] if ours else '?'})"


def race(racing_app, *sides: Side, round_no: int = 0, timeout: float = 60) -> Race:
    """Run every side in its own thread and connection, each calling its service at once
    (in round `round_no`, one side a little later: see STAGGER)."""
    barrier = threading.Barrier(len(sides))
    delays = [0.0] * len(sides)
    delays[round_no % len(sides)] = STAGGER[round_no % len(STAGGER)]
    result = Race()
    connections: set[int] = set()
    guard = threading.Lock()

    others_done = threading.Event()
    once = [side for side in sides if not side.repeat]
    finished = []

    def call(side: Side, prepared) -> Outcome:
        started = time.perf_counter()
        try:
            value = side.act(prepared)
            return Outcome(side.name, "ok", value, elapsed=time.perf_counter() - started)
        except ServiceError as exc:
            db.session.rollback()
            return Outcome(side.name, exc.code, detail=str(exc))

    def run(side: Side, delay: float):
        outcomes = []
        connection_id = None
        with racing_app.app_context():
            try:
                # checked out now and kept until the unit of work ends
                connection_id = id(db.session.connection().connection.dbapi_connection)
                prepared = side.prepare()
                barrier.wait(timeout=timeout)
                if delay:
                    time.sleep(delay)
                outcomes.append(call(side, prepared))
                while side.repeat and not others_done.is_set():
                    time.sleep(0.001)
                    outcomes.append(call(side, prepared))
            except Exception as exc:  # noqa: BLE001  (every other exception fails the test)
                outcomes.append(
                    Outcome(side.name, f"error:{type(exc).__name__}", detail=_short(exc))
                )
                connection_id = None
                barrier.abort()
            finally:
                db.session.remove()
            with guard:
                result.outcomes.extend(outcomes)
                if connection_id is not None:
                    connections.add(connection_id)
                if not side.repeat:
                    finished.append(side)
                    if len(finished) == len(once):
                        others_done.set()

    threads = [
        threading.Thread(target=run, args=(side, delay))
        for side, delay in zip(sides, delays, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout * 2)
    hung = [side.name for side, thread in zip(sides, threads, strict=True) if thread.is_alive()]
    if hung:
        pytest.fail(f"these sides never finished (a deadlock?): {hung}")
    if not result.errors():
        assert len(connections) == len(sides), "every side had a connection of its own"
    return result


def assert_no_unexpected(result: Race, allowed: dict[str, set[str]]) -> None:
    """Each side ended "ok" or with one of its expected ServiceError codes; nothing else."""
    problems = []
    for outcome in result.outcomes:
        if outcome.code not in allowed[outcome.name]:
            problems.append(f"{outcome.name} -> {outcome.code} {outcome.detail}")
    assert not problems, "unexpected outcome(s):\n" + "\n".join(problems)


def load_booking(booking_id: int) -> Booking:
    """What a request reads before it acts: the booking, its payments, refunds and tickets."""
    booking = db.session.get(Booking, booking_id)
    booking.status  # noqa: B018  (loaded on purpose)
    for payment in booking.payments:
        list(payment.refunds)
    for item in booking.items:
        item.ticket  # noqa: B018
        item.departure  # noqa: B018
    return booking


# --- the books --------------------------------------------------------------------------------


@dataclass
class Books:
    booking: Booking
    #: sum of succeeded payments
    paid: int
    #: sum of refunds that did not fail
    refunded: int
    ledger: int
    valid_tickets: int
    succeeded_payments: int
    refund_rows: int

    @property
    def kept(self) -> int:
        return self.paid - self.refunded


def books_of(booking_id: int) -> Books:
    booking = db.session.get(Booking, booking_id)
    payments = db.session.scalars(select(Payment).where(Payment.booking_id == booking_id)).all()
    refunds = db.session.scalars(select(Refund).where(Refund.booking_id == booking_id)).all()
    ledger = db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.booking_id == booking_id, LedgerEntry.kind == LedgerKind.SHARE
        )
    )
    valid = db.session.scalar(
        select(func.count(Ticket.id))
        .join(BookingItem, Ticket.booking_item_id == BookingItem.id)
        .where(BookingItem.booking_id == booking_id, Ticket.status == TicketStatus.VALID)
    )
    succeeded = [p for p in payments if p.status == PaymentStatus.SUCCEEDED]
    kept_refunds = [r for r in refunds if r.status != RefundStatus.FAILED]
    return Books(
        booking=booking,
        paid=sum(p.amount for p in succeeded),
        refunded=sum(r.amount for r in kept_refunds),
        ledger=ledger,
        valid_tickets=valid,
        succeeded_payments=len(succeeded),
        refund_rows=len(kept_refunds),
    )


def book_violations(booking_id: int) -> list[str]:
    """Every rule about money and tickets that the booking's rows break (empty when sound).

    The scenarios of this package cancel early enough (or as the host) for a full refund, so a
    cancelled booking keeps nothing.
    """
    books = books_of(booking_id)
    booking = books.booking
    ref, status = booking.reference, booking.status
    problems = []
    payments = db.session.scalars(select(Payment).where(Payment.booking_id == booking_id)).all()
    for payment in payments:
        refunds = [r for r in payment.refunds]
        failed = [r for r in refunds if r.status == RefundStatus.FAILED]
        live = sum(r.amount for r in refunds if r.status != RefundStatus.FAILED)
        if failed:
            problems.append(
                f"{ref}: payment {payment.id} has {len(failed)} failed refund(s): "
                + "; ".join(r.reason for r in failed)
            )
        if refunds and payment.status != PaymentStatus.SUCCEEDED:
            problems.append(f"{ref}: refund of a {payment.status.value} payment {payment.id}")
        if live != payment.amount_refunded:
            problems.append(
                f"{ref}: payment {payment.id} says {payment.amount_refunded} refunded, "
                f"its refund rows sum to {live}"
            )
        if live > payment.amount:
            problems.append(f"{ref}: payment {payment.id} refunded {live} of {payment.amount}")
    if books.ledger != books.paid - books.refunded:
        problems.append(
            f"{ref}: ledger sums to {books.ledger}, paid {books.paid} - refunded {books.refunded}"
        )
    if status in (BookingStatus.CANCELLED, BookingStatus.EXPIRED):
        if books.valid_tickets:
            problems.append(f"{ref}: {status.value} with {books.valid_tickets} valid ticket(s)")
        if books.kept:
            problems.append(
                f"{ref}: {status.value} but keeps {books.kept} of {books.paid} paid "
                f"(refunded {books.refunded})"
            )
    elif status == BookingStatus.PENDING_PAYMENT:
        if books.kept:
            problems.append(f"{ref}: still pending with {books.kept} received")
    elif status in PAID_STATES:
        if books.kept > booking.total:
            problems.append(f"{ref}: keeps {books.kept} for a total of {booking.total}")
        if books.valid_tickets != len(booking.items):
            problems.append(
                f"{ref}: {status.value} with {books.valid_tickets} valid ticket(s) "
                f"for {len(booking.items)} item(s)"
            )
    return problems


def fresh_view() -> None:
    """End the test's own read so it sees what the racing threads committed."""
    db.session.rollback()
    db.session.expire_all()


def assert_books(booking_ids) -> list[Books]:
    fresh_view()
    problems = [p for booking_id in booking_ids for p in book_violations(booking_id)]
    assert not problems, "\n".join(problems)
    return [books_of(booking_id) for booking_id in booking_ids]
