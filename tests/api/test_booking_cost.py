"""What placing a booking through the API costs the database, and that the quick answer is the
same booking a later read shows."""

import pytest
from sqlalchemy import event

from marketplace.extensions import db
from tests.factories import (
    BOOKING_CONTACT,
    FOREIGN_GUEST,
    bearer,
    make_departure,
    make_listing,
    make_user,
    stay_item,
)

#: one stay or one tour with a guest: the token, what is booked (locked by the statement that
#: reads it), the owner's open holds (their two locks on PostgreSQL), what is free (claims and
#: blocked nights in one statement), the prices, and one INSERT per table (booking, items,
#: nights, guests, audit, outbox); the reference is not looked up first (its UNIQUE constraint
#: refuses a clash). SQLite adds its BEGIN IMMEDIATE and writes the three nights one by one.
MAX_STATEMENTS = {"postgresql": 13, "sqlite": 14}


def _body(item) -> dict:
    return {"items": [item], "contact": dict(BOOKING_CONTACT), "guests": [dict(FOREIGN_GUEST)]}


def _statements(client, payload, headers) -> tuple[object, list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split())[:100])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.post("/api/v1/bookings", json=payload, headers=headers)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return response, seen


@pytest.fixture
def quiet_queue(app, monkeypatch):
    # mail is delivered by the worker, not inside the request: count only the booking's work
    monkeypatch.setitem(app.config, "OUTBOX_KICK", False)


@pytest.mark.parametrize("kind", ["stay", "tour"])
def test_one_booking_sends_few_statements(client, quiet_queue, kind):
    tourist = make_user()
    if kind == "stay":
        item = stay_item(make_listing(units=5).room_types[0], nights=3)
    else:
        item = {"departure_id": make_departure(capacity=9).id, "participants": 2}
    headers = bearer(tourist)
    client.post("/api/v1/bookings", json=_body(item), headers=headers)  # the token's first use
    response, seen = _statements(client, _body(item), headers)
    assert response.status_code == 201, response.json
    assert len(seen) <= MAX_STATEMENTS[db.engine.dialect.name], "\n".join(seen)


@pytest.mark.parametrize("kind", ["stay", "tour"])
def test_the_answer_is_what_reading_the_booking_back_shows(client, quiet_queue, kind):
    tourist = make_user()
    if kind == "stay":
        item = stay_item(make_listing(units=5).room_types[0], nights=2)
    else:
        item = {"departure_id": make_departure(capacity=9).id, "participants": 2}
    placed = client.post("/api/v1/bookings", json=_body(item), headers=bearer(tourist))
    assert placed.status_code == 201, placed.json
    read = client.get(f"/api/v1/bookings/{placed.json['reference']}", headers=bearer(tourist))
    detail_only = {"special_requests", "payments", "tickets"}
    assert placed.json == {k: v for k, v in read.json.items() if k not in detail_only}
