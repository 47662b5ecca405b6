"""What placing a booking through the API costs the database, and that the quick answer is the
same booking a later read shows."""

import pytest

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
from tests.sql_statements import statements

#: one stay or one tour with a guest: the token, what is booked (locked by the statement that
#: reads it), the owner's open holds (their two locks on PostgreSQL), what is free (claims and
#: blocked nights in one statement), the prices, the booking, its items, and on PostgreSQL one
#: statement for nights, guests, audit entry and outbox message (on SQLite one INSERT per table,
#: plus its BEGIN IMMEDIATE); the reference is not looked up first (its UNIQUE constraint
#: refuses a clash).
MAX_STATEMENTS = {"postgresql": 10, "sqlite": 14}


def _body(item) -> dict:
    return {"items": [item], "contact": dict(BOOKING_CONTACT), "guests": [dict(FOREIGN_GUEST)]}


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
    with statements() as seen:
        response = client.post("/api/v1/bookings", json=_body(item), headers=headers)
    assert response.status_code == 201, response.json
    assert len(seen) <= MAX_STATEMENTS[db.engine.dialect.name], "\n".join(s[:100] for s in seen)


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
