"""Bounded at the edge: ids past PostgreSQL's integer, NUL bytes and numbers no column holds are
a 404 or a 400, never a 500 (run on SQLite and, with TEST_DATABASE_URL, on PostgreSQL)."""

import io
import re

import pytest

from marketplace.models import Role
from tests.factories import bearer, login, make_community, make_listing, make_user, stay_item

BIG_ID = 2**31
#: (placeholder in a URL rule, a value) for the routes' other arguments
FILLERS = {"reference": "ZZ-NOPE00", "secret": "nope", "slug": "nope", "token": "nope"}


def _urls_with_int_ids(app):
    """Every route with an `<int:...>` argument, each int set to 2^31, with its methods."""
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if conv.regex == r"\d+"]
        if not ints:
            continue
        values = {
            name: BIG_ID if name in ints else FILLERS.get(name, "x") for name in rule.arguments
        }
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m, v=values: str(v[m.group(1)]), rule.rule)
        yield url, sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HOST])
def test_ids_of_2_pow_31_in_urls_are_404(app, client, role):
    community = make_community()
    user = make_user(role, community=community)
    login(client, user)
    urls = list(_urls_with_int_ids(app))
    assert urls, "no route takes an int id"
    for url, methods in urls:
        for method in methods:
            response = client.open(url, method=method, headers=bearer(user))
            assert response.status_code == 404, (method, url, response.status_code)


def test_ids_of_2_pow_31_in_queries_and_json_are_400_or_404(client):
    tourist = make_user()
    room = make_listing().room_types[0]
    item = stay_item(room)
    page = client.get("/book", query_string={**item, "room_type_id": BIG_ID})
    assert page.status_code in (400, 404)
    for value in (BIG_ID, 2**63, 2**64, -(2**63) - 1):
        response = client.post(
            "/api/v1/bookings",
            json={
                "items": [{**item, "room_type_id": value}],
                "contact": {"name": "Emma", "email": "emma@example.test", "phone": "+4915123"},
            },
            headers=bearer(tourist),
        )
        assert response.status_code in (400, 404), (value, response.json)
        assert response.json["error"]["code"]
    departure = client.post(
        "/api/v1/bookings",
        json={"items": [{"departure_id": BIG_ID, "participants": 1}], "contact": {}},
        headers=bearer(tourist),
    )
    assert departure.status_code in (400, 404)


@pytest.mark.parametrize(
    "request_args",
    [
        {"method": "GET", "path": "/search", "query_string": {"q": "Bac\x00Kan"}},
        {"method": "GET", "path": "/api/v1/listings", "query_string": {"q": "\x00"}},
        {"method": "POST", "path": "/account/login", "data": {"email": "a\x00@b.test"}},
        {"method": "POST", "path": "/book", "data": {"name": "Emma\x00", "email": "e@x.test"}},
    ],
)
def test_nul_bytes_in_queries_and_forms_are_400(client, request_args):
    response = client.open(**request_args)
    assert response.status_code == 400


def test_nul_bytes_in_json_are_400_with_the_envelope(client):
    tourist = make_user()
    room = make_listing().room_types[0]
    for body in (
        {"items": [stay_item(room)], "contact": {"name": "Em\x00ma", "email": "e@x.test"}},
        {"items": [stay_item(room)], "contact": {"name\x00": "Emma"}},
        {"items": [stay_item(room)], "special_requests": ["\x00"]},
    ):
        response = client.post("/api/v1/bookings", json=body, headers=bearer(tourist))
        assert response.status_code == 400
        assert response.json["error"]["code"] == "bad_request"


def test_a_bank_amount_of_2_pow_63_is_400(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "BANK_WEBHOOK_TOKEN", "bank-secret")
    good = {"Authorization": "Apikey bank-secret"}
    for amount in (2**63, 2**31, 10**12):
        body = {"id": f"t{amount}", "transferType": "in", "transferAmount": amount, "content": "x"}
        response = client.post("/webhooks/bank", json=body, headers=good)
        assert response.status_code == 400, (amount, response.status_code)


def test_a_statement_line_of_2_pow_63_dong_is_400(client):
    coop = make_user(Role.COOP, community=make_community())
    login(client, coop)
    statement = f"transfer_id,amount,memo,occurred_at\nT1,{2**63},YT-ABC123,2026-01-05\n"
    response = client.post(
        "/admin/reconciliation",
        data={"statement": (io.BytesIO(statement.encode()), "statement.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


@pytest.mark.parametrize("value", [BIG_ID, 2**63, 2**64])
def test_huge_numbers_in_admin_queries_and_forms_are_never_500(client, value):
    admin = make_user(Role.ADMIN)
    login(client, admin)
    listing = make_listing()
    for response in (
        client.get("/admin/statistics", query_string={"community": value, "year": value}),
        client.get("/search", query_string={"guests": value, "page": value, "max_price": value}),
        client.post("/admin/users", data={"community_id": value, "email": "x@example.test"}),
        client.post(f"/host/calendar/{listing.id}", data={"room_type_id": value}),
        client.get("/api/v1/checkins/manifest", query_string={"listing_id": value}),
    ):
        assert response.status_code < 500, (response.request.path, response.status_code)
