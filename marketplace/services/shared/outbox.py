"""The outbox: emit a side effect in the caller's transaction, deliver it after the commit.

A service that must mail, refund or expire something after a state change calls `emit()` beside
its own writes and commits as usual; a message in a transaction that rolls back never existed.
Then `kick()` asks the job queue to deliver soon (the worker's minute drain catches it anyway).

A handler registered with `@handles(topic)` is called as `handler(payload, message_id)`, at least
once: a worker may die after the effect and before the message is marked done. So handlers act
once by themselves: mail through `mail_delivery.send_mail_once` (de-duplicated by outbox id),
Stripe with an idempotency key derived from the message id or the object id, state changes
through a state machine that answers "already" on a repeat. A handler commits what it writes.

Delivery claims a message (attempts + 1, a lease of OUTBOX_LEASE_SECONDS) in a short locked
transaction, runs the handler with no lock held, then marks it done in another short one. A
failure waits OUTBOX_RETRY_SECONDS * 2**(attempts - 1) (capped); after OUTBOX_MAX_ATTEMPTS the
message is parked with its error until an admin retries it.
"""

import importlib
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_request_context
from flask_babel import gettext as _
from sqlalchemy import select

from ...clock import utcnow
from ...database import begin_write, insert_rows
from ...extensions import db
from ...models.outbox import OUTBOX_TRANSITIONS, OutboxMessage, OutboxStatus
from ...models.states import Outcome, judge
from .errors import Conflict, NotFound

log = logging.getLogger(__name__)

Handler = Callable[[dict, int], Any]

DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_RETRY_SECONDS = 30
DEFAULT_LEASE_SECONDS = 300
MAX_BACKOFF = timedelta(hours=6)

#: modules that register handlers, imported before the first delivery (a worker may not have
#: imported the web views that import them); add yours here
HANDLER_MODULES: list[str] = [
    "marketplace.mailing.booking_mail",
    "marketplace.mailing.account_mail",
    "marketplace.mailing.settings_mail",
    "marketplace.mailing.message_mail",
    "marketplace.mailing.listing_mail",
    "marketplace.mailing.calendar_mail",
    "marketplace.services.payments.checkout_pages",
    "marketplace.services.payments.refunds",
]

_handlers: dict[str, Handler] = {}


# -- emitting -------------------------------------------------------------------------------


def emit(topic: str, payload: dict, *, key: str | None = None) -> OutboxMessage:
    """Add a message to the caller's transaction (no commit); returns it, flushed (it has an id).

    With `key`, a message already emitted with that key (committed, or earlier in this
    transaction) is returned instead and nothing is added: emitting twice is a no-op.
    """
    if key is not None:
        return _emit_keyed(topic, payload, key)
    db.session.flush()  # what the caller wrote so far goes first, as the message follows it
    row = {"topic": topic, "payload": payload, "next_attempt_at": utcnow()}
    (message,) = insert_rows(OutboxMessage, [row], loaded=True)
    return message


def _emit_keyed(topic: str, payload: dict, key: str) -> OutboxMessage:
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    now = utcnow()
    # ON CONFLICT DO NOTHING: a concurrent emit of the same key waits for the other transaction,
    # then inserts nothing, without aborting the caller's transaction as a failed INSERT would.
    statement = (
        insert(OutboxMessage)
        .values(
            topic=topic,
            payload=payload,
            dedupe_key=key,
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    db.session.flush()
    db.session.execute(statement)
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key == key)).one()


# -- handlers -------------------------------------------------------------------------------


def handles(topic: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of `topic` (one handler per topic).

    Raises ValueError when another function already handles `topic`.
    """

    def decorator(handler: Handler) -> Handler:
        existing = _handlers.get(topic)
        if existing is not None and _name(existing) != _name(handler):
            raise ValueError(f"{topic!r} is already handled by {_name(existing)}")
        _handlers[topic] = handler
        return handler

    return decorator


def _name(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def handler_for(topic: str) -> Handler | None:
    if topic not in _handlers:
        for module in HANDLER_MODULES:
            importlib.import_module(module)
    return _handlers.get(topic)


# -- delivering -----------------------------------------------------------------------------


@dataclass
class Delivery:
    """What one call of `deliver` did: "done", "failed" (will retry), "parked" or "skipped"."""

    message_id: int
    result: str
    error: str | None = None


def _setting(name: str, default: int) -> int:
    return int(current_app.config.get(name) or default)


def max_attempts() -> int:
    return _setting("OUTBOX_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: 30 s, 1 min, 2 min, ... (capped)."""
    base = _setting("OUTBOX_RETRY_SECONDS", DEFAULT_RETRY_SECONDS)
    return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _locked(message_id: int) -> OutboxMessage | None:
    """Start a write transaction and read the message under its lock (both databases)."""
    db.session.rollback()  # a fresh transaction: what we read next is the committed state
    begin_write()
    return db.session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _move(message: OutboxMessage, to: OutboxStatus) -> Outcome:
    outcome = judge(OUTBOX_TRANSITIONS, message.status, to)
    if outcome is Outcome.APPLIED:
        message.status = to
    return outcome


def deliver(message_id: int, *, now: datetime | None = None) -> Delivery:
    """Run one message's handler if it is pending and due; mark it done, retry later or park it.

    Safe to call from several workers at once: the claim is taken under a row lock, and a message
    claimed by another worker is skipped until that worker's lease runs out.
    """
    now = now or utcnow()
    message = _locked(message_id)
    if message is None or message.status != OutboxStatus.PENDING or message.next_attempt_at > now:
        db.session.rollback()
        return Delivery(message_id, "skipped")
    if message.attempts >= max_attempts():
        # the last claim never reported back: its worker died (SIGKILL, out of memory)
        _park(message, message.last_error or "the worker stopped during the last attempt", now)
        db.session.commit()
        return Delivery(message_id, "parked", message.last_error)
    message.attempts += 1
    message.next_attempt_at = now + timedelta(
        seconds=_setting("OUTBOX_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
    )
    topic, payload, attempt = message.topic, dict(message.payload or {}), message.attempts
    db.session.commit()  # the claim is visible to other workers; no lock held from here

    try:
        handler = handler_for(topic)
        if handler is None:
            raise LookupError(f"no handler for topic {topic!r}")
        handler(payload, message_id)
    except Exception as exc:  # noqa: BLE001  (any failure is recorded and retried)
        db.session.rollback()
        log.warning("outbox message %s (%s) failed: %s", message_id, topic, exc)
        return _record_failure(message_id, attempt, _describe(exc), now)
    db.session.rollback()  # whatever the handler left uncommitted is not ours to commit

    message = _locked(message_id)
    if message is not None and message.status == OutboxStatus.PENDING:
        _move(message, OutboxStatus.DONE)
        message.done_at = utcnow()
        message.last_error = None
    db.session.commit()
    return Delivery(message_id, "done")


def _describe(exc: Exception) -> str:
    lines = traceback.format_exception_only(type(exc), exc)
    return "".join(lines).strip()[:2000]


def _park(message: OutboxMessage, error: str, now: datetime) -> None:
    _move(message, OutboxStatus.PARKED)
    message.last_error = error
    message.next_attempt_at = now


def _record_failure(message_id: int, attempt: int, error: str, now: datetime) -> Delivery:
    message = _locked(message_id)
    if message is None or message.status != OutboxStatus.PENDING:
        db.session.rollback()
        return Delivery(message_id, "skipped", error)
    if attempt >= max_attempts():
        _park(message, error, now)
        result = "parked"
    else:
        message.last_error = error
        message.next_attempt_at = now + backoff(attempt)
        result = "failed"
    db.session.commit()
    return Delivery(message_id, result, error)


def due_messages(now: datetime | None = None, *, limit: int = 100) -> list[int]:
    """Ids of pending messages whose time has come, oldest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .where(OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
    )


@dataclass
class DrainReport:
    deliveries: list[Delivery] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for d in self.deliveries if d.result == result)


def deliver_due(now: datetime | None = None, *, limit: int = 500) -> DrainReport:
    """Deliver every due message once, including those their handlers emit on the way."""
    report = DrainReport()
    tried: set[int] = set()
    while len(tried) < limit:
        batch = [i for i in due_messages(now or utcnow()) if i not in tried]
        db.session.rollback()
        if not batch:
            break
        for message_id in batch[: limit - len(tried)]:
            tried.add(message_id)
            report.deliveries.append(deliver(message_id, now=now))
    return report


# -- operating ------------------------------------------------------------------------------


def retry(message_id: int, *, now: datetime | None = None) -> OutboxMessage:
    """Put a parked message back in the queue with a fresh set of attempts, due now, and kick.

    Raises NotFound for an unknown id, Conflict(code="not_parked") unless it is parked.
    """
    message = _locked(message_id)
    if message is None:
        db.session.rollback()
        raise NotFound(_("No such job."), "not_found")
    if _move(message, OutboxStatus.PENDING) is not Outcome.APPLIED:
        db.session.rollback()
        raise Conflict(_("Only a parked job can be retried."), "not_parked")
    message.attempts = 0
    message.next_attempt_at = now or utcnow()
    db.session.commit()
    kick()
    return message


def messages(statuses: tuple[OutboxStatus, ...], *, limit: int = 200) -> list[OutboxMessage]:
    """Messages in `statuses`, most recent first (the admin's jobs page)."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status.in_(statuses))
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def kick() -> None:
    """Ask the job queue to deliver pending messages soon; call it after the commit.

    Never raises: if the queue is unreachable the worker's minute drain delivers them anyway.
    In tests (immediate mode) delivery happens here, before kick returns; so does the enqueue
    outside a request (a command may exit right after). In a request a thread of the process
    enqueues, so the answer does not wait on the queue and a burst of kicks costs one enqueue.
    The job queue plugs itself in at start-up (`app.extensions["outbox_kick"]`), so services
    never import it.
    """
    app = current_app._get_current_object()
    hook = app.extensions.get("outbox_kick")
    if hook is None:
        return
    if app.testing or app.config.get("JOBS_IMMEDIATE") or not has_request_context():
        hook()
        return
    kicker = app.extensions.get("outbox_kicker")
    if kicker is None or kicker.pid != os.getpid():
        with _kicker_lock:
            kicker = app.extensions.get("outbox_kicker")
            if kicker is None or kicker.pid != os.getpid():  # none yet, or the parent's
                kicker = app.extensions["outbox_kicker"] = Kicker(app, hook)
    kicker.wanted.set()


_kicker_lock = threading.Lock()


class Kicker:
    """One thread per process that runs the queue's hook after kicks.

    A kick sets `wanted` after its commit; the thread clears it and then enqueues, so every
    commit is followed by an enqueue that starts after it (the delivery task reads what is due
    when it runs). Kicks that come while it enqueues, or within GAP after, share the next one.
    """

    #: seconds between two enqueues of one process
    GAP = 0.05

    def __init__(self, app, hook: Callable[[], None]):
        self.app = app
        self.hook = hook
        self.pid = os.getpid()
        self.wanted = threading.Event()
        threading.Thread(target=self._run, name="outbox-kick", daemon=True).start()

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            try:
                with self.app.app_context():
                    self.hook()
            except Exception:  # noqa: BLE001  (the minute drain delivers what a failed kick left)
                log.warning("outbox kick failed", exc_info=True)
            time.sleep(self.GAP)
