"""Bounds at the edge: ids that fit the database, no NUL bytes, numbers no column can hold.

One place for what every view would otherwise repeat: a URL `int` converter that stops at
PostgreSQL's integer (a larger id is a 404, not an overflow), and a check before each request
that answers 400 for a NUL byte in the query string, the form or the JSON body, and for a JSON
number beyond 64 bits.
"""

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

#: largest value of a PostgreSQL `integer` column (every id here)
MAX_ID = 2**31 - 1
#: no column holds more (BIGINT); a JSON number past it is refused
MAX_JSON_INT = 2**63 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` up to MAX_ID unless a route says otherwise: a larger id matches no route."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _has_nul(values) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def _json_out_of_bounds(value, depth: int = 0) -> bool:
    """A NUL byte in a string or key, or an integer no column can hold, anywhere in `value`."""
    if depth > 64:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) > MAX_JSON_INT
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_json_out_of_bounds(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return any(
            "\x00" in key or _json_out_of_bounds(item, depth + 1) for key, item in value.items()
        )
    return False


def check_request_bounds() -> None:
    """Abort 400 for a NUL byte in the query string, form or JSON, or an out-of-range JSON int."""
    if _has_nul(request.args) or "\x00" in request.path:
        abort(400)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if _has_nul(request.form):
            abort(400)
    elif request.is_json:
        data = request.get_json(silent=True)
        if data is not None and _json_out_of_bounds(data):
            abort(400)


def init_app(app: Flask) -> None:
    """Install the converter (before any blueprint adds a route) and the request check."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(check_request_bounds)
