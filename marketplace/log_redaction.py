"""Secrets in URLs never reach the request logs.

Some addresses carry a secret: ticket pages (/t/<secret>), calendar feeds
(/host/calendar/feed/<token>.ics), mailed links (?token=, ?key=). The app's own request log, the
werkzeug development server and gunicorn's access log (`--access-logfile -`, which also logs the
Referer) all write the URL; a filter on each of those loggers replaces the secret part with
REDACTED before any handler sees the line. Proxies in front (nginx, Caddy) keep their own logs:
configure them the same way (deploy/README or the proxy's log format).
"""

import logging
import re

REDACTED = "[redacted]"

#: (pattern, replacement): a path segment after a secret-bearing prefix, a secret query value
_RULES = [
    # ticket pages and their QR/manifest, but not the service worker /t/sw.js
    (re.compile(r"(/t/)(?!sw\.js\b)[^/\s?#\"']+"), r"\1" + REDACTED),
    (re.compile(r"(%2Ft%2F)(?!sw\.js\b)[^%\s&\"']+", re.IGNORECASE), r"\1" + REDACTED),
    (re.compile(r"(/calendar/feed/)[^/\s?#\"']+?(\.ics)"), r"\1" + REDACTED + r"\2"),
    (re.compile(r"(/calendar/feed/)[^/\s?#\"'.]+"), r"\1" + REDACTED),
    (
        re.compile(r"([?&](?:token|key|secret|signature|code)=)[^&\s#\"']+", re.IGNORECASE),
        r"\1" + REDACTED,
    ),
]

#: loggers that write request URLs
REQUEST_LOGGERS = ("marketplace.request", "werkzeug", "gunicorn.access")


def redact(text: str) -> str:
    """`text` with the secret parts of any URLs in it replaced."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites a record's message with `redact` (the formatted message: gunicorn and werkzeug
    pass the URL as an argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  (a malformed record is left to logging's own report)
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install(names=REQUEST_LOGGERS) -> None:
    """Put the filter on each request logger once (idempotent: every app factory call)."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
