"""Backups: a custom-format dump restores into a fresh database that the app reads (PostgreSQL)."""

import os
import subprocess
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import TestConfig
from marketplace import create_app
from marketplace.extensions import db
from marketplace.models import Booking
from marketplace.ops_cli import expired, libpq_target
from tests.factories import make_booking, make_listing


def test_retention_keeps_recent_dumps_and_always_the_newest():
    now = datetime(2026, 2, 10, 19, 0, tzinfo=UTC)
    names = [f"marketplace-{now - timedelta(days=d):%Y%m%dT%H%M%SZ}.dump" for d in (1, 5, 20, 30)]
    assert expired(names + ["notes.txt"], 14, now) == sorted(names[2:])
    assert expired(names[3:], 14, now) == []  # the only dump stays however old


def _app_on(url: str, tmp_path):
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    settings.update(
        ENV_NAME="test",
        SQLALCHEMY_DATABASE_URI=url,
        BACKUP_FOLDER=str(tmp_path / "backups"),
        UPLOAD_FOLDER=str(tmp_path / "uploads"),
        MAIL_OUTBOX=str(tmp_path / "mail"),
    )
    return create_app(settings)


@pytest.mark.postgres_only
def test_restore_drill(tmp_path):
    """Make a booking, dump with `flask backup run`, restore into a new database, read it back."""
    base = make_url(os.environ["TEST_DATABASE_URL"])
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    source_name, restored_name = (f"drill_{uuid.uuid4().hex[:10]}" for _ in range(2))
    source = base.set(database=source_name).render_as_string(hide_password=False)
    restored = base.set(database=restored_name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{source_name}"'))
        conn.execute(text(f'CREATE DATABASE "{restored_name}"'))
    apps = []
    try:
        first = _app_on(source, tmp_path)
        apps.append(first)
        with first.app_context():
            db.create_all()
            booking = make_booking(make_listing(units=2).room_types[0])
            reference, total = booking.reference, booking.total
            result = first.test_cli_runner().invoke(args=["backup", "run", "--keep-days", "7"])
            assert result.exit_code == 0, result.output
        dumps = list((tmp_path / "backups").glob("marketplace-*.dump"))
        assert len(dumps) == 1 and dumps[0].stat().st_size > 0

        dsn, env = libpq_target(restored)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", dsn, str(dumps[0])],
            env=os.environ | env,
            check=True,
            capture_output=True,
        )
        second = _app_on(restored, tmp_path)
        apps.append(second)
        with second.app_context():
            again = db.session.query(Booking).filter_by(reference=reference).one()
            assert again.total == total and again.status == booking.status
        assert second.test_client().get("/healthz").status_code == 200
    finally:
        for app in apps:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        with admin.connect() as conn:
            for name in (source_name, restored_name):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
