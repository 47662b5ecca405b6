"""Helpers shared by the host and cooperative back offices: errors, CSV answers, form reading."""

from datetime import date

from flask import Response, abort, current_app, flash
from flask_babel import get_locale

from ..services.shared.errors import Forbidden, NotFound, ServiceError


def locale() -> str:
    return str(get_locale() or "vi")


def languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def or_404(getter, *args):
    """Call a service getter; NotFound becomes a 404 page, Forbidden a 403."""
    try:
        return getter(*args)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)


def attempt(action, *args, success: str | None = None, **kwargs):
    """Run a service action; flash its error (or `success`). Returns (result, error or None).

    NotFound and Forbidden become 404 and 403: a request about someone else's data learns nothing.
    """
    try:
        result = action(*args, **kwargs)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    except ServiceError as exc:
        flash(exc.message, "error")
        return None, exc
    if success:
        flash(success, "success")
    return result, None


def errors_of(exc: ServiceError | None) -> dict[str, str]:
    return {exc.field or "form": exc.message} if exc else {}


def optional_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def csv_response(text: str, filename: str) -> Response:
    return Response(
        text.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
