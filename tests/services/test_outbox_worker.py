"""A worker killed with SIGKILL in the middle of a job: the job runs again, its mail goes once.

Real subprocesses (`flask jobs worker`, `flask jobs drain`) on a SQLite file, or on PostgreSQL
when TEST_DATABASE_URL is set.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config import TestConfig
from marketplace import create_app
from marketplace.extensions import db
from marketplace.models import OutboxMessage, OutboxStatus, SentMail
from marketplace.services.shared import outbox
from tests.conftest import empty_database

ROOT = Path(__file__).resolve().parents[2]


def _flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "tests.outbox_app:create_app", "jobs", *args]


def _env(folder: Path, url: str) -> dict:
    env = dict(os.environ)
    env.update(
        OUTBOX_TEST_DIR=str(folder),
        OUTBOX_TEST_DATABASE_URL=url,
        PYTHONPATH=str(ROOT),
        MARKETPLACE_ENV="test",
    )
    env.pop("FLASK_APP", None)
    return env


def _wait_for(predicate, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.mark.parametrize("killed", ["worker", "drain"])
def test_a_job_killed_midway_runs_again_and_its_mail_goes_once(tmp_path, killed):
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    with empty_database(tmp_path, "outbox") as url:
        settings.update(ENV_NAME="test", SQLALCHEMY_DATABASE_URI=url)
        side = create_app(settings)
        with side.app_context():
            db.create_all()
            message_id = outbox.emit("test.slow_mail", {"to": "guest@example.test"}).id
            db.session.commit()
        try:
            (tmp_path / "hang").touch()
            log = (tmp_path / "first.log").open("w")
            first = subprocess.Popen(
                _flask(*(["worker"] if killed == "worker" else ["drain", "--skip-periodic"])),
                cwd=ROOT,
                env=_env(tmp_path, url),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_for(lambda: list(tmp_path.glob(f"ran-{message_id}-*")))
            finally:
                os.kill(first.pid, signal.SIGKILL)
                first.wait(timeout=30)
            mails = list((tmp_path / "mail").glob("*.eml"))
            assert len(mails) == 1
            with side.app_context():
                message = db.session.get(OutboxMessage, message_id)
                assert message.status == OutboxStatus.PENDING and message.attempts == 1

            (tmp_path / "hang").unlink()
            time.sleep(1.2)  # the dead worker's lease (1 s in this app) runs out
            second = subprocess.run(
                _flask("drain", "--skip-periodic"),
                cwd=ROOT,
                env=_env(tmp_path, url),
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert second.returncode == 0, second.stdout + second.stderr
            assert "outbox done: 1" in second.stdout

            assert len(list(tmp_path.glob(f"ran-{message_id}-*"))) == 2  # it ran twice
            assert list((tmp_path / "mail").glob("*.eml")) == mails  # and mailed once
            with side.app_context():
                message = db.session.get(OutboxMessage, message_id)
                assert message.status == OutboxStatus.DONE and message.attempts == 2
                assert db.session.query(SentMail).count() == 1
        finally:
            with side.app_context():
                db.session.remove()
                db.drop_all()
                db.engine.dispose()


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")


def test_a_kick_reaches_a_worker_through_redis(app, tmp_path):
    """Production's queue: the web process enqueues in Redis, the worker delivers at once."""
    from marketplace import jobs

    _redis_or_skip()
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    with empty_database(tmp_path, "redis") as url:
        settings.update(
            ENV_NAME="test",
            SQLALCHEMY_DATABASE_URI=url,
            JOBS_URL=REDIS_URL,
            MAIL_OUTBOX=str(tmp_path / "mail"),
        )
        side = create_app(settings)
        env = _env(tmp_path, url) | {"OUTBOX_TEST_JOBS_URL": REDIS_URL}
        worker = None
        try:
            with side.app_context():
                db.create_all()
                jobs.configure(side)
                jobs.huey.flush()
            log = (tmp_path / "worker.log").open("w")
            worker = subprocess.Popen(
                _flask("worker"),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            _wait_for(lambda: "Executing" in (tmp_path / "worker.log").read_text())
            with side.app_context():
                message_id = outbox.emit("test.slow_mail", {"to": "guest@example.test"}).id
                db.session.commit()
                outbox.kick()
            _wait_for(lambda: list(tmp_path.glob(f"ran-{message_id}-*")), timeout=20)
            with side.app_context():
                _wait_for(lambda: _status(message_id) == OutboxStatus.DONE, timeout=10)
            assert len(list((tmp_path / "mail").glob("*.eml"))) == 1
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGINT)  # huey's graceful stop
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
            jobs.configure(app)
            with side.app_context():
                db.session.remove()
                db.drop_all()
                db.engine.dispose()


def _status(message_id: int) -> OutboxStatus:
    db.session.rollback()
    return db.session.get(OutboxMessage, message_id).status
