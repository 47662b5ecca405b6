"""Logs as JSON lines, each with the id of the request it belongs to.

LOG_FORMAT=json (the default in production) puts one JSON object per line on stderr, which
journald keeps and any log shipper reads without a parser of its own. Every line carries
`request_id`: the `X-Request-ID` nginx passes (it makes one per request, deploy/nginx), or one
made here when the header is missing or not a plain token; the response echoes it, so a
client's complaint, nginx's access log and these lines meet on one id.

The request log (`marketplace.request`, http.py) writes its fields as a JSON message after
log_redaction has removed ticket and feed secrets from the path; the formatter lifts those
fields to the top level, so redaction still applies to what is written.
"""

import json
import logging
import re
import uuid

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

#: an incoming id is kept only when it is a plain token (no spaces, quotes or newlines)
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (None outside a request) to every record a handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class LineFormatter(JsonFormatter):
    """python-json-logger's formatter; a message that is itself a JSON object is merged in."""

    def __init__(self):
        super().__init__(
            FIELDS,
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            timestamp=False,
        )

    def process_log_record(self, log_record):
        message = log_record.get("message")
        if isinstance(message, str) and message.startswith("{"):
            try:
                fields = json.loads(message)
            except ValueError:
                fields = None
            if isinstance(fields, dict):
                log_record["message"] = "request"
                for key, value in fields.items():
                    log_record.setdefault(key, value)
        return log_record


def json_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(LineFormatter())
    handler.addFilter(RequestIdFilter())
    return handler


def install_json_logging(level: int = logging.INFO) -> None:
    """Make the root logger's plain stream handlers write JSON lines (idempotent).

    Only handlers of exactly `logging.StreamHandler` (what basicConfig makes) change; others
    (a test runner's capture, a file handler someone configured) are left as they are.
    """
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(json_handler())
    for handler in root.handlers:
        if type(handler) is not logging.StreamHandler:
            continue
        if not isinstance(handler.formatter, LineFormatter):
            handler.setFormatter(LineFormatter())
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())
    root.setLevel(min(root.level or level, level))


def init_app(app: Flask) -> None:
    """Request ids for every request; JSON lines unless LOG_FORMAT says text (or tests run)."""

    @app.before_request
    def _request_id():
        # runs after http.py's timer: the same id, replaced when it is no plain token
        given = request.headers.get("X-Request-ID") or ""
        g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex

    log_format = (app.config.get("LOG_FORMAT") or "").lower()
    if log_format == "json" and not app.testing:
        install_json_logging()
