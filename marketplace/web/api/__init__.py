"""Public JSON API, version 1: bearer tokens, one error envelope, never a 500 body of HTML.

Input is validated and the OpenAPI document generated from the models of `web/schemas`
(`openapi.endpoint`)."""

from functools import wraps

from flask import Blueprint, g, jsonify
from flask_babel import gettext as _

from ...extensions import csrf
from ...http import error_body
from ...models import Role
from ...services.shared.errors import ServiceError
from ..security import bearer_user

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return jsonify(error_body(exc.code, exc.message, exc.field)), exc.status


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    body = error_body(exc.code, exc.message, exc.field)
    if len(exc.problems) > 1:  # a form-like check found several: all of them, as for pydantic's
        body["error"]["problems"] = {field: str(text) for field, text in exc.problems.items()}
    return jsonify(body), exc.status


def token_required(*roles: Role):
    """401 without a valid token; 403 when its user's role is not in `roles` (admins pass)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = bearer_user()
            if user is None:
                raise ApiError(401, "unauthorized", _("A valid bearer token is required."))
            if roles and user.role != Role.ADMIN and user.role not in roles:
                raise ApiError(403, "forbidden", _("Your role may not do this."))
            g.api_user = user
            return view(*args, **kwargs)

        return wrapped

    return decorator


# the view modules, each adding its routes to `bp` (imported last: they import `bp`)
from . import (  # noqa: E402, F401
    bookings,
    catalogue,
    checkins,
    messages,
    openapi,
    payments,
)
