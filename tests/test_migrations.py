"""Migrations build the schema from nothing, and match the models (no drift)."""

import pytest
from flask_migrate import check, upgrade
from sqlalchemy import inspect

from config import TestConfig
from marketplace import create_app
from tests.conftest import empty_database


@pytest.fixture
def empty_database_url(tmp_path):
    with empty_database(tmp_path, prefix="mig") as url:
        yield url


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
