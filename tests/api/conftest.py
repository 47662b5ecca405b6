"""Every answer of /api/v1 in these tests is checked against the app's own OpenAPI document.

The `client` here is the suite's client, plus: for each request to a documented operation, the
status must be one the operation documents, and a JSON body must match that status's schema
(jsonschema, draft 2020-12, the document's components as the root for `$ref`s). A test that
meets an undocumented status or shape fails, naming the operation.
"""

import re

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import FreshContextClient

OPENAPI = "/api/v1/openapi.json"


class ContractViolation(AssertionError):
    pass


class OpenApiContract:
    def __init__(self, document: dict):
        self.document = document
        self.base = document["servers"][0]["url"]
        self.operations = []
        for path, operations in document["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path)) + "$")
            for method, operation in operations.items():
                self.operations.append((pattern, method.upper(), path, operation))
        self.validators: dict[int, Draft202012Validator] = {}

    def operation(self, method: str, path: str):
        if not path.startswith(self.base + "/"):
            return None, None
        relative = path.removeprefix(self.base)
        for pattern, verb, template, operation in self.operations:
            if verb == method and pattern.match(relative):
                return template, operation
        return None, None

    def check(self, method: str, path: str, response) -> None:
        template, operation = self.operation(method, path)
        if operation is None:
            return  # not an operation of the API (a 404 or 405 of routing): nothing to hold it to
        label = f"{method} {template} -> {response.status_code}"
        documented = operation["responses"]
        answer = documented.get(str(response.status_code)) or documented.get("default")
        if answer is None:
            raise ContractViolation(f"{label}: status not documented ({sorted(documented)})")
        schema = (answer.get("content") or {}).get("application/json", {}).get("schema")
        if schema is None:
            return
        if not response.is_json:
            raise ContractViolation(f"{label}: documented as JSON, got {response.content_type}")
        errors = sorted(
            self._validator(schema).iter_errors(response.get_json()), key=lambda e: e.path
        )
        if errors:
            where = "/".join(str(p) for p in errors[0].absolute_path)
            raise ContractViolation(
                f"{label}: body does not match at '{where}': {errors[0].message}"
            )

    def _validator(self, schema: dict) -> Draft202012Validator:
        key = id(schema)
        if key not in self.validators:
            root = {**schema, "components": self.document["components"]}
            self.validators[key] = Draft202012Validator(
                root, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
        return self.validators[key]


@pytest.fixture(scope="session")
def openapi_contract(app) -> OpenApiContract:
    with app.app_context():
        response = FreshContextClient(app, app.response_class).get(OPENAPI)
    assert response.status_code == 200
    return OpenApiContract(response.get_json())


class ContractClient(FreshContextClient):
    """The suite's client; each /api/v1 answer is held to the OpenAPI document."""

    contract: OpenApiContract

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        request = response.request
        if request.method != "HEAD" and request.path != OPENAPI:
            self.contract.check(request.method, request.path, response)
        return response


@pytest.fixture
def client(app, openapi_contract):
    client = ContractClient(app, app.response_class, use_cookies=True)
    client.contract = openapi_contract
    return client
