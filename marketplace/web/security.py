"""Guards for views: role checks as decorators, safe redirects."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, request
from flask_login import current_user, login_required

from ..models import Role
from ..services.accounts import accounts


def roles_required(*roles: Role):
    """Log in first; then 403 unless the user has one of `roles` (admins always pass)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role != Role.ADMIN and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next(target: str | None, default: str) -> str:
    """`target` if it stays on this site (a path, no scheme or host), else `default`."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target


def next_param() -> str | None:
    return request.args.get("next") or request.form.get("next")


#: where a request keeps the user of its token once looked up (a rate limit's key and the view
#: both ask; the WSGI environ lives exactly as long as the request)
BEARER_CACHE = "marketplace.bearer_user"


def bearer_user():
    """The user of the request's `Authorization: Bearer` token, or None; one query per request."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    cached = request.environ.get(BEARER_CACHE)
    if cached is not None and cached[0] == header:
        return cached[1]
    user = accounts.user_for_token(header.removeprefix("Bearer ").strip())
    request.environ[BEARER_CACHE] = (header, user)
    return user
