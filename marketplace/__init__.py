"""Community-tourism marketplace for Lang Son and Bac Kan: the application factory."""

import os
from pathlib import Path

from flask import Flask

from .config import config_for, instance_defaults
from .extensions import babel, csrf, db, limiter, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """templates, static, translations or migrations: inside the package when installed from a
    wheel (setup.py puts them there), else at the top of the source checkout."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def create_app(config=None) -> Flask:
    """Build the app. `config` is an environment name, a settings class, or a dict of overrides."""
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
        static_url_path="/static",
        instance_relative_config=True,
        # one folder per instance when several run from one checkout (deploy/rehearsal.py)
        instance_path=os.environ.get("INSTANCE_PATH") or None,
    )
    if isinstance(config, dict):
        app.config.from_object(config_for(config.get("ENV_NAME")))
        app.config.update(config)
    elif isinstance(config, str) or config is None:
        settings = config_for(config)
        if hasattr(settings, "validate"):
            settings.validate()
        app.config.from_object(settings)
    else:
        app.config.from_object(config)

    _fill_instance_defaults(app)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(resource_dir("translations")))

    from . import date_formats, edge, http, i18n, models  # noqa: F401  (models register tables)
    from .database import IDLE_PING_SECONDS, configure_engine_events, engine_options

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        str(app.config.get("SQLALCHEMY_DATABASE_URI") or ""),
        app.config.get("SQLALCHEMY_ENGINE_OPTIONS"),
        app.config.get("DATABASE_CONNECT_TIMEOUT", 5),
    )
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(resource_dir("migrations")),
        render_as_batch=True,
        compare_type=True,
    )
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    date_formats.install(babel)  # month names and a 24-hour clock in every language
    csrf.init_app(app)
    limiter.init_app(app)

    with app.app_context():
        configure_engine_events(
            db.engine, app.config.get("DATABASE_IDLE_PING_SECONDS", IDLE_PING_SECONDS)
        )

    http.init_app(app)
    edge.init_app(app)  # before the blueprints: their `<int:...>` routes use its converter
    from . import logging_setup, metrics

    logging_setup.init_app(app)  # JSON log lines with a request id
    metrics.init_app(app)  # Prometheus counters, read on /metrics
    _register_blueprints(app)
    if app.config.get("TRUSTED_PROXIES"):
        # the client's address (rate limits) and scheme from the last N proxies' headers;
        # without proxies X-Forwarded-For is never read (anyone could write it)
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from . import jobs

    app.extensions["outbox_kick"] = jobs.kick  # services emit; the queue delivers

    from .cli import register_cli

    register_cli(app)
    return app


def _fill_instance_defaults(app: Flask) -> None:
    """Unset file settings go to the instance folder, created for the default SQLite database."""
    defaults = instance_defaults(app.instance_path)
    for key, value in defaults.items():
        if not app.config.get(key):
            app.config[key] = value
    if app.config["SQLALCHEMY_DATABASE_URI"] == defaults["SQLALCHEMY_DATABASE_URI"]:
        try:
            os.makedirs(app.instance_path, exist_ok=True)
        except OSError:
            pass  # read-only install: SQLite then names the folder it cannot open


def _register_blueprints(app: Flask) -> None:
    from .web import register_blueprints

    register_blueprints(app)
