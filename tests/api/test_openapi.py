"""The OpenAPI document describes every /api/v1 route the app serves, and nothing else."""

import re


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
