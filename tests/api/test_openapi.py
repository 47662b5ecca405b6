"""The OpenAPI document describes every /api/v1 route the app serves, and nothing else."""

import re

from marketplace.models import Role
from tests.factories import bearer, make_user


def _documented(client) -> set[tuple[str, str]]:
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    return {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }


def _served(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((path, method))
    return routes


def test_every_api_route_is_documented(app, client):
    served, documented = _served(app), _documented(client)
    assert served - documented == set(), "routes without documentation"
    assert documented - served == set(), "documentation of routes that do not exist"


def test_references_in_the_document_resolve(client):
    document = client.get("/api/v1/openapi.json").get_json()
    text = client.get("/api/v1/openapi.json").get_data(as_text=True)
    for ref in set(re.findall(r'"\$ref": ?"#/([^"]+)"', text)):
        node = document
        for part in ref.split("/"):
            assert part in node, ref
            node = node[part]


def test_the_document_is_generated_with_auth_errors_and_tags(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["servers"] == [{"url": "/api/v1"}]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            label = f"{method} {path}"
            assert operation["summary"] and operation["tags"], label
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    assert answer["content"]["application/json"]["schema"] == error, label
    assert document["paths"]["/communities"]["get"]["security"] == []
    assert document["paths"]["/checkins"]["post"]["security"] == [{"bearer": []}, {"session": []}]
    assert (
        document["paths"]["/bookings/{reference}/cancel"]["post"]["requestBody"]["required"]
        is False
    )


def test_several_problems_come_in_one_envelope(client):
    response = client.post(
        "/api/v1/checkins/sync",
        json={"scans": [{"secret": "", "scanned_at": "yesterday"}], "since": "2026-01-01T10:00"},
        headers=bearer(make_user(Role.GUIDE)),
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == "scans[0].secret" and error["code"] == "required"
    assert set(error["problems"]) == {"scans[0].secret", "scans[0].scanned_at", "since"}


def test_a_body_that_is_not_an_object_is_invalid_json(client):
    for data in ("[1, 2]", "{nope", ""):
        response = client.post(
            "/api/v1/checkins",
            data=data,
            headers={**bearer(make_user(Role.GUIDE)), "Content-Type": "application/json"},
        )
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "invalid_json"
