"""Engine settings per database, and the write lock that keeps capacity exact on both."""

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from .extensions import db


def engine_options(url: str, options: dict | None = None, connect_timeout: int = 5) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS for `url`: `pool_pre_ping` everywhere, so connections dropped by a
    database restart are replaced instead of failing a request; on PostgreSQL a connect timeout,
    so an unreachable server answers 503 within seconds instead of holding a worker."""
    merged = {"pool_pre_ping": True, **(options or {})}
    if url.startswith("postgresql"):
        merged["connect_args"] = {
            "connect_timeout": connect_timeout,
            **merged.get("connect_args", {}),
        }
    return merged


def configure_engine_events(engine: Engine) -> None:
    """SQLite: WAL, a busy timeout and foreign keys, so concurrent writers wait instead of failing.

    PostgreSQL: no JIT; it spent about a second compiling each search query, which is short.
    """
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _no_jit(dbapi_connection, _record):
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET jit = off")
            dbapi_connection.commit()  # SET is transactional: keep it past the pool's rollback

        return
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def begin_write() -> None:
    """Take the database's write lock now, before reading what we are about to change.

    On SQLite, pysqlite delays BEGIN until the first write, so two requests can both read the
    last room as free; BEGIN IMMEDIATE takes the writer lock first. On PostgreSQL callers lock
    the rows that become less available with SELECT ... FOR UPDATE instead (see inventory).
    """
    if not is_sqlite():
        return
    connection = db.session.connection()
    raw = connection.connection.driver_connection
    if not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def ping() -> bool:
    db.session.execute(text("SELECT 1"))
    return True
