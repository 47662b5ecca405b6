"""The OpenAPI 3.1 description of /api/v1, gathered from the API modules themselves.

Each module of this package documents its own routes in an `OPENAPI_PATHS` dict
({"/path": {"get": {...}}}, paths relative to /api/v1) and may add shared pieces in
`OPENAPI_COMPONENTS`; a test checks that every route is documented.
"""

import importlib
import pkgutil

from flask import jsonify

from . import bp

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string"},
            },
        }
    },
}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def build_document() -> dict:
    paths: dict = {}
    components: dict = {
        "schemas": {"Error": ERROR_SCHEMA},
        "responses": {
            "BadRequest": _error("Invalid input; `field` names the input at fault"),
            "Unauthorized": _error("Missing or bad bearer token"),
            "Forbidden": _error("The token's role may not do this"),
            "NotFound": _error("Unknown, or not yours"),
            "Conflict": _error("State conflict, e.g. sold_out"),
        },
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    }
    package = importlib.import_module(__package__)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__package__}.{info.name}")
        for path, operations in getattr(module, "OPENAPI_PATHS", {}).items():
            paths.setdefault(path, {}).update(operations)
        for section, entries in getattr(module, "OPENAPI_COMPONENTS", {}).items():
            components.setdefault(section, {}).update(entries)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Mountain Homestays public API",
            "version": "1",
            "description": "Catalogue, bookings and check-in for the community tourism "
            "villages of Lang Son and Bac Kan. Money is integer VND.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": dict(sorted(paths.items())),
        "components": components,
    }


@bp.get("/openapi.json")
def openapi():
    """This API's OpenAPI document."""
    return jsonify(build_document())


OPENAPI_PATHS = {
    "/openapi.json": {
        "get": {
            "summary": "This OpenAPI document",
            "tags": ["meta"],
            "responses": {"200": {"description": "The OpenAPI 3.1 document"}},
        }
    }
}
