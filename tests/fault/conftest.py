"""Real processes for the fault tests: gunicorn serving `wsgi:app` with the production settings,
the Stripe emulator, `flask jobs worker`, and a proxy that can hold Stripe's answers.

Every process gets its settings through the environment, as a deployment would; each runs in a
session of its own so a test can SIGKILL a whole process group (gunicorn's master and workers).
"""

import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from marketplace.services.booking import ticket_tokens

ROOT = Path(__file__).resolve().parents[2]
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def pytest_configure(config):
    config.addinivalue_line("markers", "fault: kills real processes (gunicorn, job worker)")


@pytest.fixture
def gunicorn_or_skip():
    if importlib.util.find_spec("gunicorn") is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("gunicorn is not installed and REQUIRE_SERVICES=1")
        pytest.skip("gunicorn is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 30, what: str = "a condition"):
    """Poll `predicate` until it returns something truthy; returns it. AssertionError on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = predicate()
        except (OSError, urllib.error.URLError):
            result = None
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def http(method: str, url: str, *, json_body=None, form=None, headers=None, timeout=30):
    """(status, parsed JSON or text) without following redirects or raising for 4xx/5xx."""
    import json
    from urllib.parse import urlencode

    data, head = None, dict(headers or {})
    if json_body is not None:
        data, head["Content-Type"] = json.dumps(json_body).encode(), "application/json"
    elif form is not None:
        data = urlencode(form).encode()
        head["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, method=method, headers=head)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            status, body, kind = response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        status, body, kind = exc.code, exc.read(), exc.headers
    if "json" in (kind.get("Content-Type") or ""):
        return status, json.loads(body)
    return status, body.decode(errors="replace")


class Processes:
    """Started processes, each in a session of its own; all SIGKILLed at the end."""

    def __init__(self, folder: Path):
        self.folder, self.started = folder, []

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log_name = name
        self.started.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the process and everything it started (gunicorn's workers too)."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def close(self) -> None:
        for process in self.started:
            if process.poll() is None:
                self.kill(process)


@pytest.fixture
def processes(tmp_path):
    """Start processes with `processes.start(...)`; all are killed at the end, and their logs
    printed (pytest shows them only when the test failed)."""
    started = Processes(tmp_path)
    yield started
    started.close()
    for process in started.started:
        print(f"--- {process.log_name}.log ---\n{started.log(process.log_name)[-4000:]}")


#: the webhook secret of the production processes and of the emulator that signs for them
FAULT_WEBHOOK_SECRET = "whsec_fault_" + secrets.token_hex(16)


def production_env(database_url: str, folder: Path, **extra: str) -> dict:
    """The environment of a production host (ProductionConfig), with files under `folder`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "MARKETPLACE_"))}
    for name in ("REDIS_URL", "JOBS_URL", "MAIL_SERVER", "TEST_DATABASE_URL", "DATABASE_URL"):
        env.pop(name, None)
    env.update(
        MARKETPLACE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=database_url,
        JOBS_URL=f"sqlite:///{folder / 'jobs.sqlite'}",
        MAIL_OUTBOX=str(folder / "mail"),
        UPLOAD_FOLDER=str(folder / "uploads"),
        TICKET_SIGNING_KEY=ticket_tokens.generate_private_key_text(),
        PASSPORT_KEYS=Fernet.generate_key().decode(),
        # production refuses test keys and the emulator's public webhook secret: a live-looking
        # key (the emulator takes any sk_ key) and a random secret, given to the emulator too
        STRIPE_SECRET_KEY="sk_live_fault_" + secrets.token_hex(12),
        STRIPE_WEBHOOK_SECRET=FAULT_WEBHOOK_SECRET,
        # required in production; never contacted here: rate limits off, jobs in JOBS_URL's file
        REDIS_URL="redis://127.0.0.1:6379/13",
        RATELIMIT_ENABLED="false",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class HoldingProxy:
    """Forwards HTTP to `target`; while `hold` is set, a POST to /v1/refunds reaches Stripe but
    its answer is held back (the caller waits, as on a network that drops the reply)."""

    def __init__(self, target: str):
        self.target = target
        self.hold = threading.Event()
        self.forwarded = threading.Event()
        self.released = threading.Event()
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @Request.application
    def _app(self, request: Request) -> Response:
        url = self.target + request.full_path.rstrip("?")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host",)}
        forward = urllib.request.Request(
            url, data=request.get_data() or None, method=request.method, headers=headers
        )
        try:
            with NO_PROXY.open(forward, timeout=30) as answer:
                status, body, answer_headers = answer.status, answer.read(), answer.headers
        except urllib.error.HTTPError as exc:
            status, body, answer_headers = exc.code, exc.read(), exc.headers
        if request.method == "POST" and request.path == "/v1/refunds" and self.hold.is_set():
            self.forwarded.set()
            self.released.wait(timeout=60)
        keep = ("Content-Type", "Idempotent-Replayed", "Request-Id")
        return Response(
            body, status=status, headers={k: answer_headers[k] for k in keep if k in answer_headers}
        )

    def close(self) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()
