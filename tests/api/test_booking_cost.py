"""What placing a booking through the API costs the database, and that the quick answer is the
same booking a later read shows."""

from datetime import date, timedelta

import pytest

from marketplace.extensions import db
from marketplace.models import PriceRule, PriceRuleKind
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

#: one stay or one tour with a guest: the token, what is booked with its listing and price
#: rules (locked by the statement that reads it), the owner's open holds (their two locks on
#: PostgreSQL), what is free (claims and blocked nights in one statement), the booking, its
#: items, and on PostgreSQL one
#: statement for nights, guests, audit entry and outbox message (on SQLite one INSERT per table,
#: plus its BEGIN IMMEDIATE); the reference is not looked up first (its UNIQUE constraint
#: refuses a clash).
MAX_STATEMENTS = {"postgresql": 9, "sqlite": 13}


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


def test_a_booking_is_priced_by_its_listings_rules_as_they_are_now(client, quiet_queue):
    # the rules are read with the room type, under its lock: one listing with two texts and
    # two rules (rows the join multiplies) prices each night once, and a rule added after a
    # first booking prices the next one
    listing = make_listing(units=5, nightly_price=500_000)
    item = stay_item(listing.room_types[0], start_in_days=20, nights=2)
    first_night = date.fromisoformat(item["check_in"])
    second_night = first_night + timedelta(days=1)
    for night, price in ((second_night, 777_000), (first_night + timedelta(days=5), 1)):
        db.session.add(
            PriceRule(
                listing=listing, kind=PriceRuleKind.DATE, start_date=night, nightly_price=price
            )
        )
    db.session.commit()
    headers = bearer(make_user())

    placed = client.post("/api/v1/bookings", json=_body(item), headers=headers)
    assert placed.status_code == 201, placed.json
    assert [line["price"] for line in placed.json["items"][0]["price_lines"]] == [
        500_000,
        777_000,
    ]
    assert placed.json["total"] == 1_277_000

    db.session.add(
        PriceRule(
            listing=listing, kind=PriceRuleKind.DATE, start_date=first_night, nightly_price=600_000
        )
    )
    db.session.commit()
    again = client.post("/api/v1/bookings", json=_body(item), headers=headers)
    assert again.status_code == 201, again.json
    assert again.json["total"] == 1_377_000
