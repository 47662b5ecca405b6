"""The job queue (Huey): outbox delivery and the periodic jobs that used to be cron lines.

Each app gets a queue of its own (`queue_for(app)`, kept in `app.extensions["jobs"]`): a Huey
instance on the storage its settings name, with the delivery task and the periodic jobs bound to
that app. A second app made in the same process (tests make several) never moves the first app's
queue; `kick()` always uses the current app's.

* JOBS_URL = "redis://..." (or REDIS_URL set and no JOBS_URL): Redis, for production;
* JOBS_URL = "sqlite:///path" or nothing: a SQLite file, `<instance>/jobs.sqlite` by default;
* JOBS_URL = "memory://", and tests by default: in memory, with JOBS_IMMEDIATE (default on in
  tests) running a task the moment it is enqueued.

`flask --app wsgi jobs worker` runs the consumer (its threads run tasks and the periodic
schedule); `flask --app wsgi jobs drain` runs every periodic job and every due outbox message
once, then exits (tests, and small hosts that prefer a cron line). See docs/jobs.md.
"""

import functools
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import Flask, current_app, has_app_context
from flask.cli import with_appcontext
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

log = logging.getLogger(__name__)

QUEUE_NAME = "marketplace"
DEFAULT_DRAIN_SECONDS = 60
_building = threading.Lock()


@dataclass
class Queue:
    """One app's job queue: its Huey instance and the tasks bound to the app."""

    app: Flask
    url: str
    huey: Huey
    #: the task `kick` enqueues: deliver the due outbox messages
    deliver_pending: Callable
    #: name -> periodic task, in the order `drain` runs them
    periodic: dict[str, Callable] = field(default_factory=dict)


#: name -> (huey crontab, function), in the order `drain` runs them (see `periodic`)
PERIODIC: dict[str, tuple] = {}


def storage_url(app: Flask) -> str:
    """Where the queue lives for `app` (see the module docstring)."""
    url = app.config.get("JOBS_URL") or ""
    if url:
        return url
    if app.testing:
        return "memory://"
    redis_url = app.config.get("REDIS_URL") or os.environ.get("REDIS_URL") or ""
    if redis_url.startswith(("redis://", "rediss://", "unix://")):
        return redis_url
    return f"sqlite:///{Path(app.instance_path) / 'jobs.sqlite'}"


def _storage(url: str) -> dict:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"storage_class": RedisStorage, "url": url}
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return {"storage_class": SqliteStorage, "filename": str(path)}
    if url == "memory://":
        return {"storage_class": MemoryStorage}
    raise RuntimeError(f"JOBS_URL {url!r}: use redis://, sqlite:/// or memory://")


def _in_app(app: Flask, function):
    """Run a task inside `app`'s context (a worker thread has none)."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if has_app_context() and current_app._get_current_object() is app:
            return function(*args, **kwargs)
        with app.app_context():
            return function(*args, **kwargs)

    return run


def _build(app: Flask) -> Queue:
    url = storage_url(app)
    immediate = app.config.get("JOBS_IMMEDIATE")
    huey = Huey(
        QUEUE_NAME,
        results=False,
        immediate=bool(app.testing and url == "memory://" if immediate is None else immediate),
        immediate_use_memory=False,
        **_storage(url),
    )
    deliver = huey.task(name="outbox.deliver_pending")(_in_app(app, _deliver_due))
    queue = Queue(app=app, url=url, huey=huey, deliver_pending=deliver)
    for name, (schedule, function) in PERIODIC.items():
        queue.periodic[name] = huey.periodic_task(schedule, name=f"periodic.{name}")(
            _in_app(app, function)
        )
    return queue


def queue_for(app: Flask) -> Queue:
    """`app`'s queue, made on first use from its settings."""
    queue = app.extensions.get("jobs")
    if queue is None:
        with _building:
            queue = app.extensions.get("jobs")
            if queue is None:
                queue = app.extensions["jobs"] = _build(app)
    return queue


def configure(app: Flask) -> Queue:
    """The queue of `app` (kept for callers of the older name; nothing process-wide changes)."""
    return queue_for(app)


def __getattr__(name: str):
    # `jobs.huey`: the current app's Huey instance (tests flush it)
    if name == "huey":
        return queue_for(current_app._get_current_object()).huey
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- outbox ---------------------------------------------------------------------------------


def _deliver_due() -> int:
    """Deliver the outbox messages that are due (the task `kick` enqueues)."""
    from .services.shared import outbox

    report = outbox.deliver_due()
    return len(report.deliveries)


def kick() -> None:
    """Enqueue a delivery of pending outbox messages on the current app's queue; never raises.

    With OUTBOX_KICK off the web process enqueues nothing and leaves delivery to the worker's
    drain (every OUTBOX_DRAIN_SECONDS, a minute by default).
    """
    try:
        app = current_app._get_current_object()
        if not app.config.get("OUTBOX_KICK", True):
            return
        queue_for(app).deliver_pending()
    except Exception:  # noqa: BLE001  (an unreachable queue must not fail a committed request)
        log.warning("could not enqueue outbox delivery", exc_info=True)


# -- periodic jobs --------------------------------------------------------------------------


def periodic(schedule, name: str):
    """A periodic job on `schedule` (huey crontab, UTC), also run once by `jobs drain`."""

    def decorator(function):
        PERIODIC[name] = (schedule, function)
        return function

    return decorator


@periodic(crontab(minute="*"), "drain-outbox")
def drain_outbox() -> str:
    return f"{_deliver_due()} message(s) tried"


@periodic(crontab(minute="*/5"), "expire-holds")
def expire_holds() -> str:
    from .services.payments import cancellations

    return f"expired {cancellations.expire_holds()} hold(s)"


@periodic(crontab(minute="*/15"), "reconcile-checkouts")
def reconcile_checkouts() -> str:
    """Settle paid Checkout Sessions whose webhook never came (confirm, or refund in full)."""
    from .services.payments import stripe_reconcile

    report = stripe_reconcile.reconcile_recent_sessions()
    return ", ".join(f"{key} {value}" for key, value in sorted(report.items())) or "no sessions"


@periodic(crontab(minute="10"), "refund-unanswered")
def refund_unanswered() -> str:
    from .services.backoffice import closures

    return f"refunded {len(closures.refund_unanswered())} booking(s)"


@periodic(crontab(minute="20"), "sync-calendars")
def sync_calendars() -> str:
    from .services.catalogue import calendars

    results = calendars.sync_all()
    failed = sum(1 for r in results if not r.ok)
    return f"{len(results) - failed} synced, {failed} failed"


@periodic(crontab(minute="30", hour="20"), "erase-passports")  # 03:30 in Vietnam
def erase_passports() -> str:
    from .services.backoffice import registration

    return f"passport numbers erased: {registration.erase_passports()}"


@periodic(crontab(minute="45", hour="20"), "check-refunds")  # 03:45 in Vietnam
def check_refunds() -> str:
    """Refunds that do not add up with their bookings and payments, logged at error level."""
    from .services.payments import refund_check

    return f"{refund_check.report_refund_mismatches()} mismatch(es)"


# -- command line ---------------------------------------------------------------------------


@click.group("jobs", help="The job queue: outbox delivery and periodic jobs.")
def jobs_cli():
    pass


def _drain_every(queue: Queue, seconds: float, stop: threading.Event) -> None:
    """Enqueue a delivery every `seconds` (OUTBOX_DRAIN_SECONDS under a minute)."""
    while not stop.wait(seconds):
        try:
            queue.deliver_pending()
        except Exception:  # noqa: BLE001  (the queue may be back on the next round)
            log.warning("could not enqueue the drain", exc_info=True)


@jobs_cli.command("worker", help="Run the queue's consumer (tasks and the periodic schedule).")
@click.option("--workers", "-w", default=2, show_default=True, help="Worker threads.")
@click.option(
    "--periodic/--no-periodic",
    "run_periodic",
    default=True,
    show_default=True,
    help="Run the periodic schedule (one worker of several should; the others --no-periodic).",
)
@with_appcontext
def worker(workers: int, run_periodic: bool):
    app = current_app._get_current_object()
    queue = queue_for(app)
    if queue.huey.immediate or queue.url == "memory://":
        raise click.ClickException("the worker needs JOBS_URL (redis:// or sqlite:///)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    drain_seconds = float(app.config.get("OUTBOX_DRAIN_SECONDS") or DEFAULT_DRAIN_SECONDS)
    schedule = "" if run_periodic else ", no periodic jobs"
    click.echo(f"jobs worker on {queue.url.split('@')[-1]} with {workers} thread(s){schedule}")
    queue.deliver_pending()  # catch up on what was emitted while no worker ran
    stop = threading.Event()
    if drain_seconds < DEFAULT_DRAIN_SECONDS:
        threading.Thread(
            target=_drain_every, args=(queue, drain_seconds, stop), daemon=True
        ).start()
    consumer = queue.huey.create_consumer(
        workers=workers, worker_type="thread", periodic=run_periodic, max_delay=2.0
    )
    try:
        consumer.run()
    finally:
        stop.set()


@jobs_cli.command("drain", help="Run every periodic job and every due outbox message once.")
@click.option("--skip-periodic", is_flag=True, help="Only deliver the outbox.")
@with_appcontext
def drain(skip_periodic: bool):
    from .extensions import db
    from .services.shared import outbox

    queue = queue_for(current_app._get_current_object())
    failures = 0
    if not skip_periodic:
        for name, (_schedule, function) in PERIODIC.items():
            if name == "drain-outbox":
                continue
            try:
                click.echo(f"{name}: {function()}")
            except Exception as exc:  # noqa: BLE001  (one broken job must not stop the others)
                db.session.rollback()
                failures += 1
                log.exception("periodic job %s failed", name)
                click.echo(f"{name}: FAILED {exc}")
    report = outbox.deliver_due()
    for result in ("done", "failed", "parked"):
        click.echo(f"outbox {result}: {report.count(result)}")
    _run_queued_tasks(queue)
    if failures:
        raise click.ClickException(f"{failures} periodic job(s) failed")


def _run_queued_tasks(queue: Queue) -> None:
    """Run what `kick` queued with no worker listening: the outbox is drained, they are no-ops."""
    if queue.huey.immediate:
        return
    for _ in range(10_000):
        task = queue.huey.dequeue()
        if task is None:
            return
        queue.huey.execute(task)
