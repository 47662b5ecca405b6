"""Each app has a job queue of its own: making a second app (as tests/concurrency and the worker
tests do) leaves the first app's `kick` and periodic jobs where they were."""

from config import TestConfig
from marketplace import create_app, jobs
from marketplace.extensions import db
from marketplace.models import OutboxMessage
from marketplace.services.shared import outbox
from tests import stripe_support

app_server = stripe_support.app_server
stripe_server = stripe_support.stripe_server


def _attempts(message_id: int) -> int:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id).attempts


def test_a_second_app_does_not_take_over_the_first_apps_queue(app, tmp_path):
    first = jobs.queue_for(app)
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    settings.update(ENV_NAME="test", JOBS_URL=f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    other = create_app(settings)
    with other.app_context():
        second = jobs.queue_for(other)
        assert jobs.huey is second.huey and not second.huey.immediate

    assert jobs.queue_for(app) is first and jobs.huey is first.huey
    assert first.huey.immediate and first.url == "memory://"
    message = outbox.emit("test.no_handler", {})
    db.session.commit()
    outbox.kick()  # immediate on the test app's queue: tried before kick returns
    assert _attempts(message.id) == 1
    assert len(second.huey) == 0  # nothing went to the other app's queue


def test_kick_can_be_switched_off_for_web_processes(app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_KICK", False)
    message = outbox.emit("test.no_handler", {})
    db.session.commit()
    outbox.kick()
    assert _attempts(message.id) == 0  # left to the worker's drain


def test_every_periodic_job_is_scheduled_on_the_apps_queue(app):
    queue = jobs.queue_for(app)
    assert list(queue.periodic) == list(jobs.PERIODIC)
    assert {"drain-outbox", "reconcile-checkouts", "check-refunds"} <= set(queue.periodic)
    scheduled = {task.name for task in queue.huey._registry.periodic_tasks}
    assert scheduled == {f"periodic.{name}" for name in jobs.PERIODIC}


def test_drain_runs_the_checkout_reconciliation_and_the_refund_check(runner, stripe_server):
    result = runner.invoke(args=["jobs", "drain"])
    assert result.exit_code == 0, result.output
    assert "reconcile-checkouts: checked 0" in result.output
    assert "check-refunds: 0 mismatch(es)" in result.output
    assert "FAILED" not in result.output and "stripe_unreachable" not in result.output
