"""Engine settings per database, the write lock that keeps capacity exact on both, and
`insert_rows`: rows written once by INSERT statements of their own, not the unit of work."""

import time
from contextlib import contextmanager
from functools import cache, lru_cache

from sqlalchemy import bindparam, event, exc, select, text, union_all
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

_WAITING = "marketplace.database.waiting_inserts"
#: rows sent in one statement at most (a row each in its WITH clause); more go table by table
MOST_TOGETHER = 50


@contextmanager
def inserts_sent_together():
    """Within it, on PostgreSQL, an `insert_rows` without `loaded` waits and leaves with the next
    one that is loaded, or at the end: one statement and one round trip for all of them (the
    waiting ones as INSERTs in its WITH clause; the rows of one table keep their order). For
    rows that nothing in the same transaction reads before then; a failure (a constraint) is
    raised where they leave, and refuses them all. SQLite runs each at once: it has no round
    trips to save and no INSERT inside WITH.
    """
    session = db.session()
    if is_sqlite() or _WAITING in session.info:
        yield
        return
    session.info[_WAITING] = []
    try:
        yield
        if waiting := session.info[_WAITING]:
            last_model, last_rows = waiting.pop()
            _send(session, last_model, last_rows, False, waiting)
    finally:
        session.info.pop(_WAITING, None)  # after a failure the caller rolls back: nothing left


def insert_rows(model, rows: list[dict], *, loaded: bool = False) -> list:
    """INSERT `rows` (column values; defaults filled in) of `model` in the session's
    transaction by one statement, not through the unit of work: for rows that are written once
    and never changed in the same transaction, that costs about half as much per row. Nothing
    pending is flushed first.

    With `loaded`, returns the rows as persistent objects of `model` in the session, every
    column read back by RETURNING (ids, defaults), in the order of `rows`; otherwise [].
    Inside `inserts_sent_together`, rows not `loaded` wait (see there). No rows, no statement.
    """
    if not rows:
        return []  # an INSERT given no parameters would write one row of defaults
    session = db.session()
    waiting = session.info.get(_WAITING)
    if waiting is not None and not loaded:
        waiting.append((model, rows))
        return []
    return _send(session, model, rows, loaded, waiting or [])


def _send(session, model, rows: list[dict], loaded: bool, waiting: list) -> list:
    """`rows` in one statement with the `waiting` ones, unless too many or RETURNING more than
    one row (RETURNING of an INSERT from a SELECT promises no order): then the waiting ones go
    first."""
    if waiting and (loaded and len(rows) > 1 or _count(waiting) + len(rows) > MOST_TOGETHER):
        for other, other_rows in waiting:
            _execute(session, other, other_rows, False, [])
        waiting.clear()
    return _execute(session, model, rows, loaded, waiting)


def _count(waiting: list) -> int:
    return sum(len(rows) for _model, rows in waiting)


def _execute(session, model, rows: list[dict], loaded: bool, waiting: list) -> list:
    """One statement: `rows` of `model`, with the `waiting` (model, rows) ahead of it in its
    WITH clause (then emptied); their observers told."""
    table = model.__table__
    if waiting:
        groups = [
            (m.__table__, _with_defaults(m.__table__, group_rows))
            for m, group_rows in [*waiting, (model, rows)]
        ]
        shape = tuple((t, tuple(group_rows[0]), len(group_rows)) for t, group_rows in groups)
        parameters = {
            _name(number, index, key): value
            for number, (_t, group_rows) in enumerate(groups)
            for index, row in enumerate(group_rows)
            for key, value in row.items()
        }
        result = session.connection().execute(_together(shape, loaded), parameters)
    else:
        statement = _returning(table) if loaded else table.insert()
        result = session.connection().execute(statement, rows)
    if loaded:
        written = result.mappings().all()
        names = _attribute_names(model)
        objects = [model(**{names[key]: value for key, value in row.items()}) for row in written]
        for instance in objects:
            make_transient_to_detached(instance)  # as if loaded: attached without an INSERT
            session.add(instance)
    else:
        written = rows
        objects = []
    sent = [(other, row) for other, other_rows in waiting for row in other_rows]
    sent += [(model, row) for row in written]
    for observer in INSERT_OBSERVERS:
        observer(session, sent)
    waiting.clear()
    return objects


@cache
def _returning(table):
    return table.insert().returning(*table.c, sort_by_parameter_order=True)


@lru_cache(maxsize=128)
def _together(shape: tuple, loaded: bool):
    """The statement for `shape`, ((table, column keys, row count), ...): the last table's
    INSERT with the others' in its WITH clause. Built once per shape with bound parameters, so
    it is compiled once; each INSERT takes its rows from a SELECT of them in their order
    (SQLAlchemy compiles a multi-row VALUES anew every time)."""
    *ahead, (table, keys, count) = shape
    statement = _rows_of(table, keys, count, len(ahead))
    for number, (other, other_keys, other_count) in enumerate(ahead):
        statement = statement.add_cte(
            _rows_of(other, other_keys, other_count, number).cte(f"w{number}")
        )
    return statement.returning(*table.c) if loaded else statement


def _rows_of(table, keys: tuple, count: int, number: int):
    rows = [
        select(*(bindparam(_name(number, index, key), type_=table.c[key].type) for key in keys))
        for index in range(count)
    ]
    source = rows[0] if count == 1 else union_all(*rows)
    # the defaults are in the rows already (_with_defaults)
    return table.insert().from_select(list(keys), source, include_defaults=False)


def _name(number: int, index: int, key: str) -> str:
    return f"w{number}_{index}_{key}"


def _with_defaults(table, rows: list[dict]) -> list[dict]:
    """`rows` with the columns' Python-side defaults filled in: SQLAlchemy fills them for the
    statement it executes, not for the INSERTs in its WITH clause."""
    missing = [c for c in table.c if c.default is not None and any(c.key not in r for r in rows)]
    if not missing:
        return rows
    complete = []
    for row in rows:
        row = dict(row)
        for column in missing:
            if column.key not in row and column.default.is_scalar:
                row[column.key] = column.default.arg
            elif column.key not in row and column.default.is_callable:
                row[column.key] = column.default.arg(None)
        complete.append(row)
    return complete


@cache
def _attribute_names(model) -> dict[str, str]:
    """Column name -> attribute name, for building an object of `model` from a row."""
    return {column.key: attribute for attribute, column in model.__mapper__.columns.items()}


def ping() -> bool:
    db.session.execute(text("SELECT 1"))
    return True
