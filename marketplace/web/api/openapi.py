"""Validation of the API's input with the pydantic models of `web/schemas`, and the OpenAPI 3.1
document generated from the same models (spectree).

`endpoint(...)` decorates a view: it reads the view's `json` / `query` / `headers` parameters'
annotations, validates the request against them before the view runs (a problem answers 400 in
the error envelope, `invalid_json` for a body that is not a JSON object) and passes the validated
models to the view. Answers are not validated at run time (their models are documentation; the
API tests check every answer against the document).
"""

from collections.abc import Callable
from functools import partial

from flask import jsonify
from flask_babel import gettext as _
from spectree import Response, SpecTree, Tag
from spectree.plugins.flask_plugin import FlaskPlugin
from spectree.utils import get_request_model_hints

from ..schemas.common import Error
from ..schemas.errors import error_body
from . import ApiError, bp

PREFIX = bp.url_prefix
#: who may call: a partner's bearer token, or (the check-in page) a session with a CSRF header
BEARER = {"bearer": []}
SESSION = {"session": []}
TAGS = {
    "meta": Tag(name="meta", description="This document"),
    "catalogue": Tag(name="catalogue", description="Communities and listings; no token needed"),
    "bookings": Tag(
        name="bookings", description="A tourist's bookings; a host's: those of their listings"
    ),
    "payments": Tag(name="payments", description="Stripe Checkout, VietQR, pay at arrival"),
    "messages": Tag(name="messages", description="A booking's messages between its parties"),
    "check-in": Tag(name="check-in", description="Guides, hosts and cooperatives scanning tickets"),
}
SECURITY_SCHEMES = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "`flask --app wsgi tokens create EMAIL` prints one; it carries the "
        "user's role and communities.",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "The check-in page: a logged-in scanner's session, with the page's CSRF "
        "token in an `X-CSRFToken` header.",
    },
}


class _DocumentingFlaskPlugin(FlaskPlugin):
    """Spectree's Flask plugin without run-time validation of answers: a view's answer is sent
    as it is (an answer model that lags behind must not turn into a 500 for a client)."""

    def validate_response(self, resp, resp_model, skip_validation, force_resp_serialize):
        return super().validate_response(resp, None, True, False)


spec = SpecTree(
    backend=_DocumentingFlaskPlugin,
    mode="strict",
    title="Mountain Homestays public API",
    version="1",
    description="Catalogue, bookings and check-in for the community tourism villages of Lang Son "
    "and Bac Kan. Money is integer VND; dates YYYY-MM-DD; times ISO 8601 with offset (the "
    "business day is Asia/Ho_Chi_Minh). Every error is "
    '`{"error": {"code", "message", "field"}}`, the message in the request\'s language.',
    validation_error_status=400,
    validation_error_model=Error,
    # one name per model: the names in web/schemas are unique
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
)


def _check_input(models: dict, body_required: bool, req, resp, problem, instance, adapter):
    """Spectree's hook after validating the input: answer in the API's error envelope."""
    if "json" in models and (body_required or req.get_data()):
        if not isinstance(req.get_json(silent=True), dict):
            raise ApiError(400, "invalid_json", _("The body must be a JSON object."))
    if problem is not None:
        model = next((m for m in models.values() if m.__name__ == problem.title), None)
        body = error_body(problem, getattr(model, "error_codes", None))
        raise _Invalid(body)


class _Invalid(Exception):
    def __init__(self, body: dict):
        super().__init__(body["error"]["message"])
        self.body = body


@bp.errorhandler(_Invalid)
def _invalid(exc: _Invalid):
    return jsonify(exc.body), 400


def endpoint(
    *,
    tag: str,
    answers: dict[int, tuple[object, str]],
    errors: dict[int, str] | None = None,
    security: list | None = None,
    body_required: bool = True,
    path_parameters: dict[str, str] | None = None,
) -> Callable:
    """Validate a view's input (its `json`, `query`, `headers` annotations) and document it.

    `answers` maps a success status to (model, description); `errors` a status to its meaning,
    answered with the error envelope.
    """

    def decorate(view):
        models = dict(get_request_model_hints(view))
        codes = {f"HTTP_{status}": answer for status, answer in answers.items()}
        codes.update({f"HTTP_{status}": (Error, text) for status, text in (errors or {}).items()})
        if models and 400 not in (errors or {}):
            codes["HTTP_400"] = (Error, "Invalid input; `field` names the input at fault")
        if not models and 400 not in (errors or {}):
            WITHOUT_INPUT.add(view.__name__)  # spectree adds a 400 to every operation
        if not body_required:
            OPTIONAL_BODIES.add(view.__name__)
        return spec.validate(
            operation_id=view.__name__,
            resp=Response(**codes),
            tags=[TAGS[tag]],
            security=security,
            before=partial(_check_input, models, body_required),
            after=_nothing,
            path_parameter_descriptions=path_parameters,
        )(view)

    return decorate


def _nothing(*_args) -> None:
    """Answers are not validated at run time (see `_DocumentingFlaskPlugin`)."""


#: operations (by operationId: the view's name) whose JSON body may be left out
OPTIONAL_BODIES: set[str] = set()
#: operations that read no input, so never answer 400
WITHOUT_INPUT: set[str] = set()


def document() -> dict:
    """The OpenAPI document: spectree's, with paths relative to the server /api/v1."""
    generated = spec.spec
    paths = {}
    for path, operations in sorted(generated["paths"].items()):
        if not path.startswith(PREFIX):
            continue
        for operation in operations.values():
            _tidy(operation)
        paths[path.removeprefix(PREFIX)] = operations
    components = dict(generated["components"], securitySchemes=SECURITY_SCHEMES)
    return {
        "openapi": "3.1.0",
        "info": generated["info"],
        "servers": [{"url": PREFIX}],
        "tags": generated["tags"],
        "paths": paths,
        "components": components,
    }


def _tidy(operation: dict) -> None:
    if not operation.get("description"):
        operation.pop("description", None)
    if not operation.get("security"):
        operation["security"] = []  # no token needed
    if operation["operationId"] in WITHOUT_INPUT:
        operation["responses"].pop("400", None)
    body = operation.get("requestBody")
    if body and operation["operationId"] in OPTIONAL_BODIES:
        body["required"] = False
    for parameter in operation.get("parameters", []):
        if not parameter.get("description"):
            parameter.pop("description", None)
        _not_null(parameter["schema"])


def _not_null(schema: dict) -> None:
    """An optional URL argument or header is left out, never null: `X | None` reads as X."""
    variants = schema.get("anyOf", [])
    if {"type": "null"} in variants and len(variants) == 2:
        del schema["anyOf"]
        schema.update(next(v for v in variants if v != {"type": "null"}))
    schema.pop("title", None)
    if schema.get("default", 0) is None:
        del schema["default"]


@bp.get("/openapi.json")
@endpoint(tag="meta", answers={200: (None, "The OpenAPI 3.1 document")})
def openapi():
    """This OpenAPI document"""
    return jsonify(document())
