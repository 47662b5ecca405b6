"""Rows written together (`database.inserts_sent_together`): on PostgreSQL one statement and one
round trip for what waits, with every default filled in, all or nothing; on SQLite each at once.
"""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.clock import utcnow
from marketplace.database import MOST_TOGETHER, insert_rows, inserts_sent_together
from marketplace.extensions import db
from marketplace.models import AuditEntry, Guest, OutboxMessage, OutboxStatus
from tests.sql_statements import statements


def _on_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _entry(number: int) -> dict:
    # `at`, `data` and `note` left to their defaults
    return {"subject_type": "booking", "subject_id": number, "action": "test"}


def _message(topic: str) -> dict:
    return {"topic": topic, "payload": {"n": 1}, "next_attempt_at": utcnow()}


def test_waiting_rows_leave_with_the_next_loaded_one_in_one_statement(app):
    with statements() as seen, inserts_sent_together():
        insert_rows(AuditEntry, [_entry(1), _entry(2)])
        (message,) = insert_rows(OutboxMessage, [_message("together")], loaded=True)
    db.session.commit()

    assert len(seen) == (1 if _on_postgres() else 2)
    assert message.id and message.status == OutboxStatus.PENDING and message.attempts == 0
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.subject_id)).all()
    assert [e.subject_id for e in entries] == [1, 2]
    assert all(e.at is not None and e.data == {} and e.note == "" for e in entries)


def test_rows_still_waiting_at_the_end_leave_then(app):
    with statements() as seen, inserts_sent_together():
        insert_rows(AuditEntry, [_entry(1)])
        insert_rows(OutboxMessage, [_message("a"), _message("b")])
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == (
            0 if _on_postgres() else 2
        )
    db.session.commit()

    assert len(seen) == (2 if _on_postgres() else 3)  # the count above, then one statement
    topics = db.session.scalars(select(OutboxMessage.topic).order_by(OutboxMessage.id)).all()
    assert topics == ["a", "b"]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_a_refused_row_refuses_them_all(app):
    with pytest.raises(IntegrityError), inserts_sent_together():
        insert_rows(AuditEntry, [_entry(1)])
        insert_rows(Guest, [{"booking_id": 987654, "full_name": "Nobody", "nationality": "VN"}])
        insert_rows(OutboxMessage, [_message("never")], loaded=True)
    db.session.rollback()

    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_loaded_rows_come_back_in_their_order_after_the_waiting_ones(app):
    with inserts_sent_together():
        insert_rows(AuditEntry, [_entry(1)])
        messages = insert_rows(
            OutboxMessage, [_message("first"), _message("second"), _message("third")], loaded=True
        )
    db.session.commit()

    assert [m.topic for m in messages] == ["first", "second", "third"]
    assert [m.id for m in messages] == sorted(m.id for m in messages)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_many_waiting_rows_go_table_by_table(app):
    many = MOST_TOGETHER + 10
    with statements() as seen, inserts_sent_together():
        insert_rows(AuditEntry, [_entry(n) for n in range(many)])
        (message,) = insert_rows(OutboxMessage, [_message("after many")], loaded=True)
    db.session.commit()

    assert len(seen) == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == many
    assert message.topic == "after many"


def test_outside_it_each_insert_leaves_at_once(app):
    with statements() as seen:
        insert_rows(AuditEntry, [_entry(1)])
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1
    db.session.rollback()
    assert len(seen) == 2


def test_no_rows_write_nothing(app):
    with statements() as seen, inserts_sent_together():
        assert insert_rows(AuditEntry, []) == []
        insert_rows(AuditEntry, [_entry(1)])
        assert insert_rows(Guest, []) == []
    db.session.commit()

    assert len(seen) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1
