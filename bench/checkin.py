"""Cost of judging one scan: `.venv/bin/python bench/checkin.py [N] [--database URL]`.

Server: `verify_ticket` alone, and a whole `POST /api/v1/checkins` (token auth, signature,
rules, the CheckIn insert, the booking transition, the scan log, commit) on a SQLite file (or the
database of `--database URL`, emptied first), then a repeat scan of each ticket; with the SQL
statements each sends. `--server-only` skips the browser.
Browser: `verifyTicket` in Debian Chromium, timed with performance.now() over N tokens in a page
of the app, with WebCrypto's Ed25519 and with the vendored @noble/ed25519 fallback.
"""

import argparse
import logging
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from marketplace import create_app  # noqa: E402
from marketplace.clock import business_today  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.models import Role  # noqa: E402
from marketplace.services.accounts import accounts  # noqa: E402
from marketplace.services.booking import ticket_tokens, tickets  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
BROWSER_SCRIPT = """
async ([tokens, publicKey, forceFallback]) => {
  if (forceFallback) {
    const original = crypto.subtle.importKey.bind(crypto.subtle);
    crypto.subtle.importKey = async (format, key, algorithm, ...rest) => {
      if ((algorithm?.name ?? algorithm) === "Ed25519") {
        throw new DOMException("Ed25519 is not supported", "NotSupportedError");
      }
      return original(format, key, algorithm, ...rest);
    };
  }
  const { verifyTicket } = await import("/static/js/ticket-verify.js");
  for (const token of tokens.slice(0, 20)) await verifyTicket(token, publicKey);  // warm-up
  const started = performance.now();
  let genuine = 0;
  for (const token of tokens) if (await verifyTicket(token, publicKey)) genuine += 1;
  return { ms: performance.now() - started, genuine };
}
"""


def build_app(tmp: str, database: str | None = None):
    app = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": database or f"sqlite:///{tmp}/bench.sqlite",
            "RATELIMIT_ENABLED": False,
        }
    )
    app.instance_path = tmp
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def make_tickets(n: int):
    """A community with one guide and `n` confirmed one-night stays starting today."""
    from tests.factories import make_community, make_listing, make_ticketed_booking, make_user

    community = make_community()
    listing = make_listing(community=community, units=n, max_guests=4)
    guide = make_user(Role.GUIDE, community=community)
    secrets = [
        tickets.tickets_of(make_ticketed_booking(listing, nights=1))[0].secret for _ in range(n)
    ]
    return guide, secrets


def bench_server(app, guide, secrets) -> None:
    key = tickets.verifying_key()
    for secret in secrets[:20]:
        ticket_tokens.verify_ticket(secret, key)
    started = time.perf_counter()
    for secret in secrets:
        ticket_tokens.verify_ticket(secret, key)
    verify_us = (time.perf_counter() - started) / len(secrets) * 1e6
    print(f"server verify_ticket:        {verify_us:8.1f} µs per token ({len(secrets)} tokens)")

    token = accounts.create_token(guide)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    for label, expect in (("ok", "ok"), ("repeat", "already_checked_in")):
        durations = []
        statements.clear()
        for secret in secrets:
            began = time.perf_counter()
            body = client.post(
                "/api/v1/checkins", json={"secret": secret}, headers=headers
            ).get_json()
            durations.append(time.perf_counter() - began)
            assert body["result"] == expect, body
        durations.sort()
        print(
            f"server POST /checkins ({label}):{' ' * (7 - len(label))}"
            f"{statistics.mean(durations) * 1e3:8.2f} ms mean, "
            f"{durations[len(durations) // 2] * 1e3:.2f} ms median, "
            f"{durations[int(len(durations) * 0.95)] * 1e3:.2f} ms p95, "
            f"{len(statements) / len(secrets):.1f} SQL statements ({db.engine.dialect.name})"
        )


def bench_browser(app, secrets) -> None:
    from playwright.sync_api import sync_playwright

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with app.app_context():
        public_key = tickets.public_key()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for label, fallback in (("WebCrypto Ed25519", False), ("@noble/ed25519", True)):
                page = browser.new_page()
                page.goto(f"{base}/account/login")
                result = page.evaluate(BROWSER_SCRIPT, [secrets, public_key, fallback])
                assert result["genuine"] == len(secrets), result
                per_token = result["ms"] / len(secrets)
                print(
                    f"browser verifyTicket ({label}): {per_token * 1000:8.1f} µs per token "
                    f"({len(secrets)} tokens, Chromium {browser.version})"
                )
                page.close()
            browser.close()
    finally:
        server.shutdown()


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=300, help="tickets (300)")
    parser.add_argument("--database", help="a database URL to use instead of a SQLite file")
    parser.add_argument("--server-only", action="store_true", help="skip the browser")
    args = parser.parse_args()
    n = args.n
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(tmp, args.database)
        with app.app_context():
            guide, secrets = make_tickets(n)
            print(f"{n} tickets of {len(secrets[0])} characters, business day {business_today()}")
            if not args.server_only:
                bench_browser(app, secrets)
            bench_server(app, guide, secrets)


if __name__ == "__main__":
    main()
