"""HTTP layer: one blueprint per audience; views validate, call a service, render or redirect."""

import importlib

from flask import Flask

#: blueprints by module; a module listed here that does not exist yet is passed over
BLUEPRINT_MODULES = [
    "system",
    "public",
    "currency",
    "account",
    "tokens",
    "two_factor",
    "booking",
    "trips",
    "refunds",
    "tickets",
    "reviews",
    "messages",
    "checkin",
    "payments",
    "webhooks",
    "media",
    "api",
    "host",
    "admin",
]


def register_blueprints(app: Flask) -> None:
    for name in BLUEPRINT_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        if hasattr(module, "load_views"):
            module.load_views()
        app.register_blueprint(module.bp)
