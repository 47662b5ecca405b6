"""Engine settings per database, and the write lock that keeps capacity exact on both."""

import time
from functools import cache

from sqlalchemy import event, exc, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import make_transient_to_detached

from .extensions import db

#: a pooled connection that sat unused longer than this is pinged before a request gets it
IDLE_PING_SECONDS = 5.0


def engine_options(url: str, options: dict | None = None, connect_timeout: int = 5) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS for `url`: on PostgreSQL a connect timeout, so an unreachable
    server answers 503 within seconds instead of holding a worker. (Connections dropped by a
    database restart are handled by `configure_engine_events`.)"""
    merged = dict(options or {})
    if url.startswith("postgresql"):
        merged["connect_args"] = {
            "connect_timeout": connect_timeout,
            **merged.get("connect_args", {}),
        }
    return merged


def configure_engine_events(engine: Engine, idle_ping_seconds: float = IDLE_PING_SECONDS) -> None:
    """Idle connections pinged (`ping_idle_connections`). SQLite: WAL, a busy timeout and foreign
    keys, so concurrent writers wait instead of failing. PostgreSQL: no JIT; it spent about a
    second compiling each search query, which is short.
    """
    ping_idle_connections(engine, idle_ping_seconds)
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


def ping_idle_connections(engine: Engine, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    """Ping a pooled connection before use when it sat idle longer than `idle_seconds`; one the
    database dropped (a restart, an idle timeout) is replaced before the request sees it.

    A busy connection is trusted: pinging before every request (`pool_pre_ping`) cost a round
    trip each. If the database restarts under load, the request that meets the dead
    connection answers 503 and SQLAlchemy renews the whole pool for the next ones.
    """

    @event.listens_for(engine, "checkin")
    def _note_idle(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # the driver's error types differ: any failure means dead
            raise exc.DisconnectionError() from error  # the pool connects anew and retries


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


def commit_keeping_loaded() -> None:
    """Commit without expiring what the session has loaded, for a caller that goes on using
    objects it has just read or written and knows to be current. Any later change to a booking
    still locks and re-reads it (`services.shared.locks`)."""
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


#: called as `observer(session, [(model, row), ...])` for the rows `insert_rows` writes (the
#: metrics count them at commit, as they count the rows a flush inserts)
INSERT_OBSERVERS: list = []


def insert_rows(model, rows: list[dict], *, loaded: bool = False) -> list:
    """INSERT `rows` (column values; defaults filled in) of `model` in the session's
    transaction by one statement, not through the unit of work: for rows that are written once
    and never changed in the same transaction, that costs about half as much per row. Nothing
    pending is flushed first.

    With `loaded`, returns the rows as persistent objects of `model` in the session, every
    column read back by RETURNING (ids, defaults), in the order of `rows`; otherwise [].
    """
    session = db.session()
    table = model.__table__
    if not loaded:
        session.connection().execute(table.insert(), rows)
        written = rows
        objects = []
    else:
        statement = table.insert().returning(*table.c, sort_by_parameter_order=True)
        written = session.connection().execute(statement, rows).mappings().all()
        names = _attribute_names(model)
        objects = [model(**{names[key]: value for key, value in row.items()}) for row in written]
        for instance in objects:
            make_transient_to_detached(instance)  # as if loaded: attached without an INSERT
            session.add(instance)
    for observer in INSERT_OBSERVERS:
        observer(session, [(model, row) for row in written])
    return objects


@cache
def _attribute_names(model) -> dict[str, str]:
    """Column name -> attribute name, for building an object of `model` from a row."""
    return {column.key: attribute for attribute, column in model.__mapper__.columns.items()}


def ping() -> bool:
    db.session.execute(text("SELECT 1"))
    return True
