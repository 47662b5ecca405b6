"""Cross-cutting HTTP behaviour: security headers, request logs, error pages, template helpers."""

import json
import logging
import time
import uuid

from flask import Flask, g, jsonify, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from .clock import to_business_time
from .i18n import LANGUAGE_NAMES, localized
from .money import format_vnd

log = logging.getLogger("marketplace.request")


def content_security_policy(app: Flask) -> str:
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


#: (endpoint, label, who sees it): a link shows once its endpoint exists and the user may use it
NAV = [
    ("trips.index", _l("My trips"), {"tourist", "host", "guide", "coop", "admin"}),
    ("host.dashboard", _l("Host"), {"host", "coop", "admin"}),
    ("checkin.scanner", _l("Check-in"), {"guide", "host", "coop", "admin"}),
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
    csp = content_security_policy(app)

    @app.before_request
    def _start_timer():
        g.request_started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex[:16]

    @app.after_request
    def _secure_and_log(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", csp)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(self), geolocation=()")
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

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        messages = {
            400: _("The request could not be understood."),
            401: _("Please log in."),
            403: _("You are not allowed to do this."),
            404: _("We could not find this page."),
            405: _("This method is not allowed here."),
            413: _("The upload is too large."),
            429: _("Too many attempts. Please wait a minute and try again."),
        }
        message = messages.get(exc.code, exc.name)
        if wants_json():
            code = {429: "rate_limited", 404: "not_found", 413: "too_large"}.get(
                exc.code, exc.name.lower().replace(" ", "_")
            )
            return jsonify(error_body(code, message)), exc.code
        title = _("Page not found") if exc.code == 404 else _("Sorry")
        return render_template("errors/error.html", title=title, message=message), exc.code

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

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
