"""POST/GET /api/v1/bookings: validation with the field, idempotency, visibility, cancellation."""

from datetime import timedelta

import pytest

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import Booking, BookingStatus, ListingKind, Payment, PaymentStatus, Role
from marketplace.services.booking import booking_lifecycle, bookings
from marketplace.services.payments import host_payments
from tests.factories import (
    BOOKING_CONTACT,
    FOREIGN_GUEST,
    bearer,
    make_departure,
    make_listing,
    make_user,
    stay_item,
)


def body(*items, contact=None, guests=None):
    return {
        "items": list(items),
        "contact": contact or dict(BOOKING_CONTACT),
        "guests": guests if guests is not None else [dict(FOREIGN_GUEST)],
    }


def test_places_a_stay_and_a_tour_priced_on_the_server(client):
    tourist = make_user()
    room = make_listing(units=2, nightly_price=400_000).room_types[0]
    tour = make_departure(capacity=8, price_per_person=250_000)
    payload = body(stay_item(room, nights=2), {"departure_id": tour.id, "participants": 2})
    payload["items"][0]["price"] = 1  # whatever a client sends as a price is ignored
    response = client.post("/api/v1/bookings", json=payload, headers=bearer(tourist))
    assert response.status_code == 201, response.json
    data = response.json
    assert data["status"] == "pending_payment" and data["currency"] == "VND"
    assert data["total"] == sum(i["subtotal"] for i in data["items"])
    assert data["items"][1]["subtotal"] == 500_000
    assert data["hold_expires_at"] and data["payment_methods"]
    assert "-" in data["reference"]


def test_idempotency_key_returns_the_same_booking_with_200(client):
    tourist = make_user()
    room = make_listing(units=3).room_types[0]
    headers = {**bearer(tourist), "Idempotency-Key": "retry-1"}
    first = client.post("/api/v1/bookings", json=body(stay_item(room)), headers=headers)
    again = client.post("/api/v1/bookings", json=body(stay_item(room)), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["reference"] == again.json["reference"]
    assert db.session.query(Booking).count() == 1


def test_the_same_key_of_another_user_is_another_booking(client):
    room = make_listing(units=3).room_types[0]
    one = client.post(
        "/api/v1/bookings",
        json=body(stay_item(room)),
        headers={**bearer(make_user()), "Idempotency-Key": "k"},
    )
    two = client.post(
        "/api/v1/bookings",
        json=body(stay_item(room)),
        headers={**bearer(make_user()), "Idempotency-Key": "k"},
    )
    assert one.status_code == two.status_code == 201
    assert one.json["reference"] != two.json["reference"]


def _today_plus(days):
    return (business_today() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    "change,field,code",
    [
        (lambda b: b.pop("items"), "items", "invalid"),
        (
            lambda b: b["items"][0].update(check_in="2020-13-01"),
            "items[0].check_in",
            "invalid_date",
        ),
        (
            lambda b: b["items"][0].update(check_in=_today_plus(-1)),
            "items[0].check_in",
            "past_date",
        ),
        (
            lambda b: b["items"][0].update(check_out=b["items"][0]["check_in"]),
            "items[0].check_out",
            "invalid_range",
        ),
        (
            lambda b: b["items"][0].update(check_out=_today_plus(45)),
            "items[0].check_out",
            "too_long",
        ),
        (lambda b: b["items"][0].update(rooms=0), "items[0].rooms", "invalid"),
        (lambda b: b["items"][0].update(guests=5), "items[0].guests", "too_many_guests"),
        (lambda b: b["items"][0].update(guests="two"), "items[0].guests", "invalid"),
        (lambda b: b["contact"].update(name=""), "contact.name", "invalid"),
        (lambda b: b["contact"].update(email="not-mail"), "contact.email", "invalid_email"),
        (lambda b: b["contact"].update(phone="12"), "contact.phone", "invalid"),
        (lambda b: b["guests"][0].update(nationality="XX"), "guests[0].nationality", "invalid"),
        (lambda b: b["guests"][0].update(full_name=""), "guests[0].full_name", "invalid"),
        (
            lambda b: b["guests"][0].update(passport_number=""),
            "guests[0].passport_number",
            "invalid",
        ),
        (
            lambda b: b["guests"][0].update(date_of_birth="1800-01-01"),
            "guests[0].date_of_birth",
            "invalid",
        ),
        (lambda b: b.update(contact="x"), "contact", "invalid"),
        (lambda b: b.update(items=[42]), "items[0]", "invalid"),
    ],
)
def test_each_validation_error_is_a_400_naming_its_field(client, change, field, code):
    room = make_listing(units=2, max_guests=2).room_types[0]
    payload = body(stay_item(room, start_in_days=10, nights=2))
    change(payload)
    response = client.post("/api/v1/bookings", json=payload, headers=bearer(make_user()))
    assert response.status_code == 400, response.json
    assert response.json["error"]["field"] == field
    assert response.json["error"]["code"] == code
    assert db.session.query(Booking).count() == 0


def test_minimum_nights_and_seats_left(client):
    room = make_listing(units=2, min_nights=2).room_types[0]
    headers = bearer(make_user())
    short = client.post("/api/v1/bookings", json=body(stay_item(room, nights=1)), headers=headers)
    assert short.status_code == 400 and short.json["error"]["field"] == "items[0].check_out"
    departure = make_departure(capacity=2)
    over = client.post(
        "/api/v1/bookings",
        json=body({"departure_id": departure.id, "participants": 3}),
        headers=headers,
    )
    assert over.status_code == 409
    assert over.json["error"] == {
        "code": "sold_out",
        "message": over.json["error"]["message"],
        "field": "items[0].participants",
    }


def test_malformed_json_missing_token_and_wrong_role(client):
    room = make_listing().room_types[0]
    assert client.post("/api/v1/bookings", json=body(stay_item(room))).status_code == 401
    bad = client.post(
        "/api/v1/bookings",
        data="{nope",
        headers={**bearer(make_user()), "Content-Type": "application/json"},
    )
    assert bad.status_code == 400 and bad.json["error"]["code"] == "invalid_json"
    host = make_user(Role.HOST)
    assert (
        client.post(
            "/api/v1/bookings", json=body(stay_item(room)), headers=bearer(host)
        ).status_code
        == 403
    )


def test_unknown_room_is_404_with_field(client):
    response = client.post(
        "/api/v1/bookings",
        json=body({"room_type_id": 999, "check_in": _today_plus(3), "check_out": _today_plus(4)}),
        headers=bearer(make_user()),
    )
    assert (
        response.status_code == 404 and response.json["error"]["field"] == "items[0].room_type_id"
    )


def _book(client, tourist, listing):
    response = client.post(
        "/api/v1/bookings", json=body(stay_item(listing.room_types[0])), headers=bearer(tourist)
    )
    assert response.status_code == 201, response.json
    return response.json["reference"]


def test_visibility_owner_host_coop_admin_see_it_others_get_404(client):
    listing = make_listing(units=2)
    tourist = make_user()
    reference = _book(client, tourist, listing)
    allowed = [
        tourist,
        listing.host,
        make_user(Role.COOP, community=listing.community),
        make_user(Role.ADMIN),
    ]
    for user in allowed:
        response = client.get(f"/api/v1/bookings/{reference}", headers=bearer(user))
        assert response.status_code == 200, user.role
        assert response.json["reference"] == reference and response.json["payments"] == []
    others = [
        make_user(),
        make_user(Role.HOST),
        make_user(Role.COOP, community=make_listing().community),
    ]
    for user in others:
        response = client.get(f"/api/v1/bookings/{reference}", headers=bearer(user))
        assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
        cancel = client.post(f"/api/v1/bookings/{reference}/cancel", json={}, headers=bearer(user))
        assert cancel.status_code == 404
    assert client.get("/api/v1/bookings/XX-NOPE22", headers=bearer(tourist)).status_code == 404


def test_list_is_the_callers_bookings_and_a_hosts_listings(client):
    listing = make_listing(units=3)
    mine, other = make_user(), make_user()
    ref_mine = _book(client, mine, listing)
    ref_other = _book(client, other, listing)
    _book(client, other, make_listing())

    def refs(user):
        return {
            b["reference"]
            for b in client.get("/api/v1/bookings", headers=bearer(user)).json["items"]
        }

    assert refs(mine) == {ref_mine}
    assert refs(listing.host) == {ref_mine, ref_other}


def test_tickets_appear_once_confirmed_and_payments_are_listed(client):
    tourist = make_user()
    reference = _book(client, tourist, make_listing())
    pending = client.get(f"/api/v1/bookings/{reference}", headers=bearer(tourist)).json
    assert "tickets" not in pending
    booking = bookings.get_by_reference(reference)
    db.session.add(
        Payment(
            booking=booking, method="vietqr", status=PaymentStatus.SUCCEEDED, amount=booking.total
        )
    )
    booking_lifecycle.confirm(booking)
    confirmed = client.get(f"/api/v1/bookings/{reference}", headers=bearer(tourist)).json
    assert confirmed["status"] == "confirmed" and isinstance(confirmed["tickets"], list)
    assert confirmed["payments"][0]["amount"] == booking.total
    assert confirmed["hold_expires_at"] is None


def test_cancel_returns_the_refund_and_refuses_twice(client):
    tourist = make_user()
    listing = make_listing(nightly_price=500_000)
    reference = _book(client, tourist, listing)  # 10 days ahead, moderate policy: full refund
    booking = bookings.get_by_reference(reference)
    db.session.add(
        Payment(
            booking=booking, method="stripe", status=PaymentStatus.SUCCEEDED, amount=booking.total
        )
    )
    booking_lifecycle.confirm(booking)
    total = booking.total
    response = client.post(
        f"/api/v1/bookings/{reference}/cancel", json={"reason": "sick"}, headers=bearer(tourist)
    )
    assert response.status_code == 200
    assert response.json == {
        "reference": reference,
        "status": "cancelled",
        "refund_amount": total,
        "currency": "VND",
    }
    again = client.post(f"/api/v1/bookings/{reference}/cancel", json={}, headers=bearer(tourist))
    assert again.status_code == 409 and again.json["error"]["code"] == "not_cancellable"
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CANCELLED


def test_a_host_cancelling_refunds_everything(client):
    tourist = make_user()
    listing = make_listing(ListingKind.STAY, policy="strict")
    reference = _book(client, tourist, listing)  # 10 days ahead: strict would give half
    booking = bookings.get_by_reference(reference)
    db.session.add(
        Payment(
            booking=booking, method="stripe", status=PaymentStatus.SUCCEEDED, amount=booking.total
        )
    )
    db.session.commit()
    response = client.post(
        f"/api/v1/bookings/{reference}/cancel",
        json={"reason": "flood"},
        headers=bearer(listing.host),
    )
    assert response.status_code == 200 and response.json["refund_amount"] == booking.total


def test_the_document_describes_every_booking_route(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {path for path in paths if path.startswith("/bookings")} >= {
        "/bookings",
        "/bookings/{reference}",
        "/bookings/{reference}/cancel",
    }
    assert set(paths["/bookings"]) == {"get", "post"}
    placing = paths["/bookings"]["post"]
    assert {"200", "201", "400", "401", "403", "404", "409", "429"} <= set(placing["responses"])
    assert placing["security"] == [{"bearer": []}]


def test_refunds_are_listed_with_the_payments(client):
    from marketplace.services.payments import payments

    tourist = make_user()
    listing = make_listing(nightly_price=500_000)
    reference = _book(client, tourist, listing)  # 10 days ahead, moderate policy: full refund
    booking = bookings.get_by_reference(reference)
    payments.start_payment(booking, "vietqr")
    host_payments.mark_transfer_received(booking, listing.host)
    response = client.post(
        f"/api/v1/bookings/{reference}/cancel",
        json={"reason": "flooded road"},
        headers=bearer(tourist),
    )
    assert response.status_code == 200
    rows = client.get(f"/api/v1/bookings/{reference}", headers=bearer(tourist)).json["payments"]
    assert [row["kind"] for row in rows] == ["payment", "refund"]
    assert rows[1]["amount"] == response.json["refund_amount"] == booking.total


def test_a_reference_already_taken_is_drawn_again(client, monkeypatch):
    import secrets

    tourist = make_user()
    room = make_listing(units=5).room_types[0]
    first = client.post("/api/v1/bookings", json=body(stay_item(room)), headers=bearer(tourist))
    assert first.status_code == 201, first.json
    taken = first.json["reference"]
    clash = iter(taken.split("-")[1])  # the next reference drawn repeats the first one's code
    drawn = []
    real_choice = secrets.choice

    def choice(alphabet):
        drawn.append(1)
        return next(clash, None) or real_choice(alphabet)

    monkeypatch.setattr(secrets, "choice", choice)
    second = client.post("/api/v1/bookings", json=body(stay_item(room)), headers=bearer(tourist))
    monkeypatch.undo()
    assert second.status_code == 201, second.json
    assert second.json["reference"] != taken and len(drawn) == 12  # refused once, drawn again
    mine = client.get("/api/v1/bookings", headers=bearer(tourist)).json["items"]
    assert {b["reference"] for b in mine} == {taken, second.json["reference"]}
