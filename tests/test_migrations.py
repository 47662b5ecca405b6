"""Migrations build the schema from nothing, and match the models (no drift)."""

import uuid

import pytest
from flask_migrate import check, upgrade
from sqlalchemy import create_engine, inspect, text

from config import TestConfig
from marketplace import create_app
from tests.conftest import POSTGRES_URL, _postgres_schema_url


@pytest.fixture
def empty_database_url(tmp_path):
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'migrate.sqlite'}"
        return
    schema = f"mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield _postgres_schema_url(POSTGRES_URL, schema)
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_upgrade_from_nothing_then_no_drift(empty_database_url):
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    settings.update(ENV_NAME="test", SQLALCHEMY_DATABASE_URI=empty_database_url)
    app = create_app(settings)
    with app.app_context():
        upgrade()
        from marketplace.extensions import db

        tables = set(inspect(db.engine).get_table_names())
        assert {"booking", "booking_night", "listing", "ticket", "ledger_entry"} <= tables
        # `flask db check`: raises SystemExit(1) when the models and migrations differ
        check()
        db.engine.dispose()
