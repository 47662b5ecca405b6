"""Cross-cutting HTTP behaviour: security headers, request logs, error pages, template helpers."""

import json
import logging
import time
import uuid
from urllib.parse import urlsplit

from flask import Flask, g, jsonify, render_template, request, session, url_for
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DataError, DBAPIError, StatementError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import BadRequest, HTTPException

from .clock import to_business_time
from .i18n import LANGUAGE_NAMES, localized, request_language
from .money import format_vnd

log = logging.getLogger("marketplace.request")

#: seconds a client is asked to wait (Retry-After) while the database cannot be reached
RETRY_AFTER_SECONDS = 30
#: driver messages (PostgreSQL, SQLite) of a database that is down, restarting or too busy
OUTAGE_HINTS = (
    "could not connect",
    "connection refused",
    "connection failed",
    "connection timed out",
    "timeout expired",
    "server closed the connection",
    "terminating connection",
    "the database system is",
    "connection is closed",
    "connection already closed",
    "consuming input failed",
    "could not receive data",
    "could not send data",
    "no connection to the server",
    "ssl connection has been closed",
    "database is locked",
    "unable to open database",
)


def checkout_origin(api_base: str | None) -> str | None:
    """The scheme://host[:port] of a Stripe-compatible server (the emulator's checkout page)."""
    parts = urlsplit(api_base or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def content_security_policy(app: Flask) -> str:
    # a POST that redirects to the checkout page is checked against form-action
    form_targets = ["'self'", "https://checkout.stripe.com"]
    if app.config.get("STRIPE_CHECKOUT_ORIGIN"):
        form_targets.append(app.config["STRIPE_CHECKOUT_ORIGIN"])
    return "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data: blob:",
            "style-src 'self'",
            "script-src 'self'",
            "connect-src 'self'",
            "media-src 'self' blob:",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            f"form-action {' '.join(form_targets)}",
            "frame-ancestors 'none'",
        ]
    )


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/webhooks/"))


def error_body(code: str, message: str, field: str | None = None) -> dict:
    error = {"code": code, "message": message}
    if field:
        error["field"] = field
    return {"error": error}


def is_database_outage(exc: BaseException) -> bool:
    """The database could not be reached or dropped the connection: worth retrying, not a bug."""
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    text = str(exc.orig if exc.orig is not None else exc).lower()
    return any(hint in text for hint in OUTAGE_HINTS)


def is_bad_input(exc: BaseException) -> bool:
    """The database refused a value (a number out of range, a NUL byte): the request's fault.

    The edge (`edge.py`, the parsers) bounds what it knows; this keeps anything it missed from
    becoming a 500. PostgreSQL: SQLSTATE class 22 (data exception); SQLite: a Python int too
    large for its INTEGER.
    """
    if isinstance(exc, DataError | OverflowError):
        return True
    return isinstance(exc, StatementError) and isinstance(exc.orig, OverflowError | ValueError)


def _outage_locale(app: Flask) -> str:
    """The page's language without the database (no account lookup while it is down)."""
    languages = app.config["LANGUAGES"]
    for asked in (request.args.get("lang"), session.get("lang")):
        if asked in languages:
            return asked
    return request_language()


def _outage_response(app: Flask, exc: BaseException):
    """503 with Retry-After: a JSON envelope for /api and /webhooks (senders retry), else a page."""
    from .extensions import db

    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    log.warning("database unavailable on %s %s: %s", request.method, request.path, reason)
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (the connection is gone; the pool replaces it)
        pass
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    with force_locale(_outage_locale(app)):
        message = _("The service is briefly unavailable. Please try again in a minute.")
        if wants_json():
            return jsonify(error_body("unavailable", message)), 503, headers
        # rendered without context processors: Flask-Login's would load the user from the database
        template = app.jinja_env.get_template("errors/unavailable.html")
        page = template.render(message=message, current_locale=get_locale(), request=request)
    return page, 503, headers


#: (endpoint, label, who sees it): a link shows once its endpoint exists and the user may use it
NAV = [
    ("trips.index", _l("My trips"), {"tourist", "host", "guide", "coop", "admin"}),
    ("host.dashboard", _l("Host"), {"host", "coop", "admin"}),
    ("checkin.scanner", _l("Check-in"), {"guide", "host", "coop", "admin"}),
    ("host.manifest", _l("Guest lists"), {"guide"}),
    ("admin.dashboard", _l("Cooperative"), {"coop", "admin"}),
]


def nav_links() -> list[tuple[str, str]]:
    from flask import current_app
    from flask_login import current_user

    if not current_user.is_authenticated:
        return []
    role = current_user.role.value
    return [
        (url_for(endpoint), str(label))
        for endpoint, label, roles in NAV
        if role in roles and endpoint in current_app.view_functions
    ]


def init_app(app: Flask) -> None:
    from . import assets

    assets.init_app(app)  # hashed static URLs, their cache headers, compression, the favicon
    app.config.setdefault(
        "STRIPE_CHECKOUT_ORIGIN", checkout_origin(app.config.get("STRIPE_API_BASE"))
    )
    csp_cache: dict[str, str] = {}

    def csp() -> str:
        # read per response: the checkout origin may be set after start-up (tests, the demo)
        key = app.config.get("STRIPE_CHECKOUT_ORIGIN") or ""
        if key not in csp_cache:
            csp_cache[key] = content_security_policy(app)
        return csp_cache[key]

    @app.before_request
    def _start_timer():
        g.request_started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex[:16]

    @app.after_request
    def _secure_and_log(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", csp())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self)")
        if app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        headers["X-Request-Id"] = g.get("request_id", "")
        started = g.get("request_started")
        if started is not None and not request.path.startswith("/static/"):
            log.info(
                json.dumps(
                    {
                        "request_id": g.get("request_id"),
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                    }
                )
            )
        return response

    def _wait_message() -> str:
        """How long the breached limit still holds, in whole minutes (at least one)."""
        from .extensions import limiter

        try:
            reset_at = limiter.current_limit.reset_at if limiter.current_limit else None
        except Exception:  # no limit state (a 429 raised by hand): the short answer
            reset_at = None
        if not reset_at:
            return _("Too many attempts. Please wait a minute and try again.")
        # reset_at is rounded up to the next whole second
        seconds = max(0.0, reset_at - 1 - time.time())
        minutes = max(1, -int(-seconds // 60))
        return ngettext(
            "Too many attempts. Please wait %(num)d minute and try again.",
            "Too many attempts. Please wait %(num)d minutes and try again.",
            minutes,
        )

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        messages = {
            400: _("The request could not be understood."),
            401: _("Please log in."),
            403: _("You are not allowed to do this."),
            404: _("We could not find this page."),
            405: _("This method is not allowed here."),
            413: _("The upload is too large."),
        }
        message = _wait_message() if exc.code == 429 else messages.get(exc.code, exc.name)
        if wants_json():
            code = {429: "rate_limited", 404: "not_found", 413: "too_large"}.get(
                exc.code, exc.name.lower().replace(" ", "_")
            )
            return jsonify(error_body(code, message)), exc.code
        title = _("Page not found") if exc.code == 404 else _("Sorry")
        return render_template("errors/error.html", title=title, message=message), exc.code

    @app.errorhandler(StatementError)
    @app.errorhandler(PoolTimeout)
    @app.errorhandler(OverflowError)  # SQLite's driver: a number past 64 bits, unwrapped
    def _database_error(exc: Exception):
        if is_database_outage(exc):
            return _outage_response(app, exc)
        if is_bad_input(exc):
            from .extensions import db

            reason = getattr(exc, "orig", None) or exc
            log.warning("refused input on %s %s: %s", request.method, request.path, reason)
            db.session.rollback()
            return _http_error(BadRequest())
        return _unexpected(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error", exc_info=exc)
        from .extensions import db

        db.session.rollback()
        message = _("Something went wrong on our side. Please try again.")
        if wants_json():
            return jsonify(error_body("server_error", message)), 500
        return render_template("errors/error.html", title=_("Sorry"), message=message), 500

    @app.template_filter("dict_without")
    def _dict_without(args, key: str) -> dict:
        return {k: v for k, v in args.items() if k != key}

    @app.context_processor
    def _navigation():
        return {"nav_links": nav_links}

    @app.context_processor
    def _template_helpers():
        locale = str(get_locale() or "vi")
        return {
            "LANGUAGE_NAMES": LANGUAGE_NAMES,
            "current_locale": locale,
            "vnd": lambda amount: format_vnd(amount, locale),
            "tr": lambda texts: localized(texts, locale),
            "local_time": to_business_time,
        }

    from .log_redaction import install as redact_request_logs

    redact_request_logs()  # ticket and feed secrets in URLs never reach the access logs
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
