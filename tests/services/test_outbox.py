"""The outbox: emitted in the caller's transaction, delivered at least once, acting once."""

from datetime import timedelta
from pathlib import Path

import pytest

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.gateways import mail
from marketplace.models import OutboxMessage, OutboxStatus, SentMail
from marketplace.services.shared import outbox
from marketplace.services.shared.errors import Conflict
from marketplace.services.shared.mail_delivery import send_mail_once

calls: dict[str, int] = {}


def _mail(to: str = "guest@example.test"):
    return mail.build_message("shop@example.test", to, "Hello", "Your booking is confirmed.")


@outbox.handles("test.flaky_mail")
def flaky_mail(payload: dict, message_id: int) -> None:
    """Sends its mail, then fails `payload["fail"]` times (a later step breaks)."""
    calls["flaky"] = calls.get("flaky", 0) + 1
    send_mail_once(message_id, "tourist", _mail(payload["to"]))
    if calls["flaky"] <= payload["fail"]:
        raise RuntimeError(f"step two broke ({calls['flaky']})")


@outbox.handles("test.broken")
def broken(payload: dict, message_id: int) -> None:
    if not payload.get("fixed") and not calls.get("fixed"):
        raise ValueError("the mail server refuses us")


@outbox.handles("test.count")
def count(payload: dict, message_id: int) -> None:
    calls["count"] = calls.get("count", 0) + 1


@pytest.fixture(autouse=True)
def _reset_calls():
    calls.clear()


def _mails(outbox_dir, before: set[Path] = frozenset()) -> list[Path]:
    return sorted(set(Path(outbox_dir).glob("*.eml")) - before)


def test_a_message_of_a_rolled_back_transaction_is_never_delivered():
    message = outbox.emit("test.count", {"n": 1})
    assert message.id is not None and message.status == OutboxStatus.PENDING
    db.session.rollback()
    assert db.session.query(OutboxMessage).count() == 0
    report = outbox.deliver_due()
    assert report.deliveries == [] and calls.get("count") is None


def test_a_repeated_key_is_a_no_op():
    first = outbox.emit("test.count", {"n": 1}, key="refund:7")
    second = outbox.emit("test.count", {"n": 2}, key="refund:7")
    db.session.commit()
    assert first.id == second.id
    again = outbox.emit("test.count", {"n": 3}, key="refund:7")
    db.session.commit()
    assert again.id == first.id and again.payload == {"n": 1}
    assert db.session.query(OutboxMessage).count() == 1


def test_failing_twice_then_succeeding_sends_its_mail_once(app):
    mail_dir = app.config["MAIL_OUTBOX"]
    before = set(_mails(mail_dir))
    message = outbox.emit("test.flaky_mail", {"to": "a@example.test", "fail": 2})
    db.session.commit()
    now = utcnow()

    first = outbox.deliver(message.id, now=now)
    assert first.result == "failed" and "step two broke (1)" in first.error
    assert outbox.deliver(message.id, now=now).result == "skipped"  # waiting out backoff
    now += outbox.backoff(1)
    assert outbox.deliver(message.id, now=now).result == "failed"
    now += outbox.backoff(2)
    assert outbox.deliver(message.id, now=now).result == "done"

    message = db.session.get(OutboxMessage, message.id)
    assert message.status == OutboxStatus.DONE and message.attempts == 3
    assert message.last_error is None and message.done_at is not None
    assert calls["flaky"] == 3
    assert len(_mails(mail_dir, before)) == 1
    assert db.session.query(SentMail).count() == 1
    assert outbox.deliver(message.id, now=now).result == "skipped"


def test_backoff_grows_exponentially_and_is_capped():
    assert outbox.backoff(1) == timedelta(seconds=30)
    assert outbox.backoff(2) == timedelta(seconds=60)
    assert outbox.backoff(4) == timedelta(seconds=240)
    assert outbox.backoff(30) == outbox.MAX_BACKOFF


def test_parked_after_max_attempts_then_retried(app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    message = outbox.emit("test.broken", {})
    db.session.commit()
    now = utcnow()
    results = []
    for _ in range(3):
        results.append(outbox.deliver(message.id, now=now).result)
        now += timedelta(days=1)
    assert results == ["failed", "failed", "parked"]
    message = db.session.get(OutboxMessage, message.id)
    assert message.status == OutboxStatus.PARKED and message.attempts == 3
    assert "the mail server refuses us" in message.last_error
    assert outbox.deliver(message.id, now=now).result == "skipped"
    assert outbox.due_messages(now + timedelta(days=30)) == []

    calls["fixed"] = 1
    outbox.retry(message.id)  # kicks: tests run the queue immediately
    message = db.session.get(OutboxMessage, message.id)
    assert message.status == OutboxStatus.DONE and message.attempts == 1
    with pytest.raises(Conflict) as excinfo:
        outbox.retry(message.id)
    assert excinfo.value.code == "not_parked"


def test_a_message_without_handler_fails_and_waits():
    message = outbox.emit("test.nobody", {})
    db.session.commit()
    delivery = outbox.deliver(message.id)
    assert delivery.result == "failed" and "no handler" in delivery.error


def test_mail_is_sent_once_although_the_job_ran_twice(app):
    mail_dir = app.config["MAIL_OUTBOX"]
    before = set(_mails(mail_dir))
    message = outbox.emit("test.flaky_mail", {"to": "b@example.test", "fail": 0})
    db.session.commit()
    assert outbox.deliver(message.id).result == "done"
    # the worker sent the mail, then died before recording "done": the job runs again
    message = db.session.get(OutboxMessage, message.id)
    message.status = OutboxStatus.PENDING
    message.next_attempt_at = utcnow()  # and its lease ran out
    db.session.commit()
    assert outbox.deliver(message.id).result == "done"
    flaky_mail({"to": "b@example.test", "fail": 0}, message.id)  # and once more, by hand

    assert calls["flaky"] == 3
    files = _mails(mail_dir, before)
    assert len(files) == 1 and "b@example.test" in files[0].read_text()
    assert f"<outbox-{message.id}-tourist@" in files[0].read_text()


def test_a_worker_that_dies_leaves_a_claim_that_runs_again_after_its_lease(app):
    message = outbox.emit("test.count", {})
    db.session.commit()
    now = utcnow()
    # claim as a worker does, then "die" (never report back)
    claimed = db.session.get(OutboxMessage, message.id)
    claimed.attempts = 1
    claimed.next_attempt_at = now + timedelta(seconds=300)
    db.session.commit()
    assert outbox.deliver(message.id, now=now + timedelta(seconds=10)).result == "skipped"
    assert outbox.deliver(message.id, now=now + timedelta(seconds=301)).result == "done"
    assert calls["count"] == 1
    assert db.session.get(OutboxMessage, message.id).attempts == 2


def test_a_worker_dying_on_the_last_attempt_parks_the_message(app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 2)
    message = outbox.emit("test.count", {})
    db.session.commit()
    claimed = db.session.get(OutboxMessage, message.id)
    claimed.attempts = 2
    db.session.commit()
    assert outbox.deliver(message.id).result == "parked"
    message = db.session.get(OutboxMessage, message.id)
    assert message.status == OutboxStatus.PARKED and "worker stopped" in message.last_error
    assert calls.get("count") is None


def test_kick_delivers_at_once_in_tests():
    outbox.emit("test.count", {})
    outbox.emit("test.count", {})
    db.session.commit()
    outbox.kick()
    assert calls["count"] == 2
    assert {m.status for m in db.session.query(OutboxMessage)} == {OutboxStatus.DONE}


def test_drain_command_delivers_due_messages(runner):
    outbox.emit("test.count", {})
    db.session.commit()
    result = runner.invoke(args=["jobs", "drain", "--skip-periodic"])
    assert result.exit_code == 0, result.output
    assert "outbox done: 1" in result.output
    assert calls["count"] == 1


def test_drain_command_runs_every_periodic_job_once(runner):
    result = runner.invoke(args=["jobs", "drain"])
    assert result.exit_code == 0, result.output
    for name in ("expire-holds", "refund-unanswered", "sync-calendars", "erase-passports"):
        assert f"{name}: " in result.output
    assert "FAILED" not in result.output


def test_the_queue_is_redis_when_configured_else_a_sqlite_file(tmp_path, monkeypatch):
    from flask import Flask

    from marketplace import jobs

    monkeypatch.delenv("REDIS_URL", raising=False)
    site = Flask("site", instance_path=str(tmp_path))
    assert jobs.storage_url(site) == f"sqlite:///{tmp_path / 'jobs.sqlite'}"
    site.config["REDIS_URL"] = "redis://cache:6379/0"
    assert jobs.storage_url(site) == "redis://cache:6379/0"
    site.config["JOBS_URL"] = "redis://queue:6379/1"
    assert jobs.storage_url(site) == "redis://queue:6379/1"
    site.config.update(JOBS_URL=None, TESTING=True)
    assert jobs.storage_url(site) == "memory://"
