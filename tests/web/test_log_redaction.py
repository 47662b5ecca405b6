"""Ticket and calendar-feed secrets in URLs never reach the request logs."""

import logging
import urllib.request

import pytest

from marketplace.log_redaction import REDACTED, RedactSecrets, redact

SECRET = "Zt0pS3cr3tTicketTokenAbc123_-xyz"


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (f'"GET /t/{SECRET} HTTP/1.1" 200', '"GET /t/[redacted] HTTP/1.1" 200'),
        (f"/t/{SECRET}/qr.svg", "/t/[redacted]/qr.svg"),
        ("/t/sw.js", "/t/sw.js"),
        (f"/host/calendar/feed/{SECRET}.ics", "/host/calendar/feed/[redacted].ics"),
        (f"/account/verify?token={SECRET}&next=/", "/account/verify?token=[redacted]&next=/"),
        (f"/trips/AB-123?key={SECRET}", "/trips/AB-123?key=[redacted]"),
        (f"/account/login?next=%2Ft%2F{SECRET}", "/account/login?next=%2Ft%2F[redacted]"),
        ("/listings/homestay-1?month=2026-05", "/listings/homestay-1?month=2026-05"),
    ],
)
def test_redact_keeps_the_shape_and_drops_the_secret(line, kept):
    assert redact(line) == kept


def _record(name, msg, args):
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)


def test_the_filter_rewrites_werkzeug_and_gunicorn_records():
    werkzeug = _record(
        "werkzeug",
        '%s - - [%s] "%s" %s %s',
        ("1.2.3.4", "now", f"GET /t/{SECRET} HTTP/1.1", "200", "-"),
    )
    gunicorn = _record(
        "gunicorn.access",
        '%(h)s "%(r)s" %(s)s "%(f)s"',
        {
            "h": "1.2.3.4",
            "r": f"GET /t/{SECRET}/qr.png HTTP/1.1",
            "s": "200",
            "f": f"https://x/t/{SECRET}",
        },
    )
    for record in (werkzeug, gunicorn):
        assert RedactSecrets().filter(record) is True
        assert SECRET not in record.getMessage() and REDACTED in record.getMessage()


def test_the_app_request_log_has_no_ticket_secret(client, caplog):
    with caplog.at_level(logging.INFO, logger="marketplace.request"):
        client.get(f"/t/{SECRET}")
    lines = [r.getMessage() for r in caplog.records if r.name == "marketplace.request"]
    assert lines and all(SECRET not in line for line in lines)
    assert any("/t/[redacted]" in line for line in lines)


def test_the_development_server_log_has_no_ticket_secret(live_server, caplog):
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        try:
            urllib.request.urlopen(f"{live_server}/t/{SECRET}", timeout=10)
        except urllib.error.HTTPError:
            pass  # an unknown ticket: 404 is fine, the log line is what matters
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/t/[redacted]" in line for line in lines)
    assert all(SECRET not in line for line in lines)
