"""The job queue (Huey): outbox delivery and the periodic jobs that used to be cron lines.

One `huey` per process, its storage chosen from the app's settings by `configure(app)`:

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
from pathlib import Path

import click
from flask import Flask, current_app, has_app_context
from flask.cli import with_appcontext
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

log = logging.getLogger(__name__)

huey = Huey("marketplace", results=False, storage_class=MemoryStorage, immediate_use_memory=False)
_state: dict = {}


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


def configure(app: Flask) -> None:
    """Point the process's queue at `app`'s storage (once per app; cheap to call again)."""
    if _state.get("app") is app:
        return
    url = storage_url(app)
    if url.startswith(("redis://", "rediss://", "unix://")):
        storage = RedisStorage(huey.name, url=url)
    elif url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        storage = SqliteStorage(huey.name, filename=str(path))
    elif url == "memory://":
        storage = MemoryStorage(huey.name)
    else:
        raise RuntimeError(f"JOBS_URL {url!r}: use redis://, sqlite:/// or memory://")
    immediate = app.config.get("JOBS_IMMEDIATE")
    huey.storage = storage
    huey.immediate = bool(app.testing and url == "memory://" if immediate is None else immediate)
    _state.update(app=app, url=url)


def _in_app(function):
    """Run a task inside the configured app's context (a worker thread has none)."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        with _state["app"].app_context():
            return function(*args, **kwargs)

    return run


# -- outbox ---------------------------------------------------------------------------------


def _deliver_due() -> int:
    from .services import outbox

    report = outbox.deliver_due()
    return len(report.deliveries)


@huey.task(name="outbox.deliver_pending")
@_in_app
def deliver_pending() -> int:
    """Deliver the outbox messages that are due (enqueued by `kick`)."""
    return _deliver_due()


def kick() -> None:
    """Enqueue a delivery of pending outbox messages; never raises (the minute drain catches up)."""
    try:
        configure(current_app._get_current_object())
        deliver_pending()
    except Exception:  # noqa: BLE001  (an unreachable queue must not fail a committed request)
        log.warning("could not enqueue outbox delivery", exc_info=True)


# -- periodic jobs --------------------------------------------------------------------------

#: name -> task, in the order `drain` runs them
PERIODIC: dict[str, object] = {}


def periodic(schedule, name: str):
    """A periodic task on `schedule` (huey crontab, UTC), also run once by `jobs drain`."""

    def decorator(function):
        task = huey.periodic_task(schedule, name=f"periodic.{name}")(_in_app(function))
        PERIODIC[name] = task
        return task

    return decorator


@periodic(crontab(minute="*"), "drain-outbox")
def drain_outbox() -> str:
    return f"{_deliver_due()} message(s) tried"


@periodic(crontab(minute="*/5"), "expire-holds")
def expire_holds() -> str:
    from .services import bookings

    return f"expired {bookings.expire_holds()} hold(s)"


@periodic(crontab(minute="10"), "refund-unanswered")
def refund_unanswered() -> str:
    from .services import closures

    return f"refunded {len(closures.refund_unanswered())} booking(s)"


@periodic(crontab(minute="20"), "sync-calendars")
def sync_calendars() -> str:
    from .services import calendars

    results = calendars.sync_all()
    failed = sum(1 for r in results if not r.ok)
    return f"{len(results) - failed} synced, {failed} failed"


@periodic(crontab(minute="30", hour="20"), "erase-passports")  # 03:30 in Vietnam
def erase_passports() -> str:
    from .services import registration

    return f"passport numbers erased: {registration.erase_passports()}"


@periodic(crontab(minute="*/15"), "reconcile-checkouts")
def reconcile_checkouts() -> str:
    """Placeholder: compare open Stripe Checkout Sessions with our payments (lead fills it)."""
    return "nothing to do"


@periodic(crontab(minute="*/15"), "check-refunds")
def check_refunds() -> str:
    """Placeholder: follow refunds still pending at Stripe (lead fills it)."""
    return "nothing to do"


# -- command line ---------------------------------------------------------------------------


@click.group("jobs", help="The job queue: outbox delivery and periodic jobs.")
def jobs_cli():
    pass


@jobs_cli.command("worker", help="Run the queue's consumer (tasks and the periodic schedule).")
@click.option("--workers", "-w", default=2, show_default=True, help="Worker threads.")
@with_appcontext
def worker(workers: int):
    app = current_app._get_current_object()
    configure(app)
    if huey.immediate or _state["url"] == "memory://":
        raise click.ClickException("the worker needs JOBS_URL (redis:// or sqlite:///)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo(f"jobs worker on {_state['url'].split('@')[-1]} with {workers} thread(s)")
    deliver_pending()  # catch up on what was emitted while no worker ran
    consumer = huey.create_consumer(
        workers=workers, worker_type="thread", periodic=True, max_delay=2.0
    )
    consumer.run()


@jobs_cli.command("drain", help="Run every periodic job and every due outbox message once.")
@click.option("--skip-periodic", is_flag=True, help="Only deliver the outbox.")
@with_appcontext
def drain(skip_periodic: bool):
    from .services import outbox

    configure(current_app._get_current_object())
    failures = 0
    if not skip_periodic:
        for name, task in PERIODIC.items():
            if name == "drain-outbox":
                continue
            try:
                click.echo(f"{name}: {task.call_local()}")
            except Exception as exc:  # noqa: BLE001  (one broken job must not stop the others)
                failures += 1
                log.exception("periodic job %s failed", name)
                click.echo(f"{name}: FAILED {exc}")
    report = outbox.deliver_due()
    for result in ("done", "failed", "parked"):
        click.echo(f"outbox {result}: {report.count(result)}")
    _run_queued_tasks()
    if failures:
        raise click.ClickException(f"{failures} periodic job(s) failed")


def _run_queued_tasks() -> None:
    """Run what `kick` queued with no worker listening: the outbox is drained, they are no-ops."""
    if huey.immediate:
        return
    for _ in range(10_000):
        task = huey.dequeue()
        if task is None:
            return
        huey.execute(task)
