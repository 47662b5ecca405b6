"""The SQL statements a block of code sends, for tests that hold a path to its round trips."""

from collections.abc import Callable
from contextlib import contextmanager

from sqlalchemy import event

from marketplace.extensions import db


@contextmanager
def statements(keep: Callable[[str], bool] = lambda _statement: True):
    """Every SQL statement sent inside the block that `keep` accepts (a list of SQL texts)."""
    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        if keep(statement):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
