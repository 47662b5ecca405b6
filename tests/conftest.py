"""Fixtures: one app and schema per run, every test starts from empty tables.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set; there it
works in a schema of its own, dropped at the end, so parallel runs do not meet.
"""

import os
import threading
import time
import uuid
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from werkzeug.serving import make_server

from config import TestConfig
from marketplace import create_app
from marketplace.extensions import db, limiter

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def _postgres_schema_url(base_url: str, schema: str) -> str:
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def empty_database(sqlite_dir, prefix: str = "test"):
    """A database URL with nothing in it: a SQLite file, or a PostgreSQL schema dropped afterwards."""
    if not POSTGRES_URL:
        yield f"sqlite:///{sqlite_dir / f'{prefix}.sqlite'}"
        return
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _postgres_schema_url(POSTGRES_URL, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with empty_database(tmp_path_factory.mktemp("db")) as url:
        yield url


class FreshContextClient(FlaskClient):
    """Each request in an app context of its own, as in production.

    Tests hold an app context for their factories; without this, requests would share its `g`
    (cached locale, logged-in user) and its database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    settings.update(
        ENV_NAME="test",
        SQLALCHEMY_DATABASE_URI=database_url,
        UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")),
        MAIL_OUTBOX=str(tmp_path_factory.mktemp("outbox")),
    )
    app = create_app(settings)
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(app):
    """Empty every table after each test, so each test sees only what it made."""
    ctx = app.app_context()
    ctx.push()
    yield
    db.session.remove()
    _empty_tables()
    limiter.reset()
    ctx.pop()


def _empty_tables(attempts: int = 5) -> None:
    """TRUNCATE can deadlock with a request the live server is still answering for a page a
    browser test just closed (each takes the tables' locks in its own order); PostgreSQL then
    aborts one of them, and if it was ours, try again."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    for attempt in range(attempts):
        try:
            with db.engine.begin() as conn:
                if db.engine.dialect.name == "postgresql":
                    joined = ", ".join(f'"{name}"' for name in tables)
                    conn.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))
                else:
                    for name in tables:
                        conn.execute(text(f'DELETE FROM "{name}"'))
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


@pytest.fixture(scope="session")
def live_server(app):
    """The test app served over HTTP in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """The folder where development mail is written."""
    return app.config["MAIL_OUTBOX"]


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres_only skip on SQLite; the PostgreSQL run of CI executes them."""
    for item in items:
        if "postgres_only" in item.keywords and not POSTGRES_URL:
            item.add_marker(pytest.mark.skip(reason="needs TEST_DATABASE_URL (PostgreSQL)"))
