"""HTTP layer: one blueprint per audience; views validate, call a service, render or redirect."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import account, public, system
    from .api import bp as api_bp

    app.register_blueprint(system.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(api_bp)
