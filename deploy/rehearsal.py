"""Rehearse the multi-machine deployment on loopback, then check what must hold across machines.

nginx (its config built from deploy/nginx/marketplace.conf) in front of two gunicorn instances
(deploy/gunicorn.conf.py, each with its own instance folder and metrics folder), one fresh
PostgreSQL database, Redis (a database number of its own), a job worker and an S3 server (moto).
Then:

1. 40 clients race through nginx for the last rooms of a homestay; one instance is SIGKILLed in
   the middle. Exactly the units are sold; a client that saw a 5xx or a dropped connection
   retries with its Idempotency-Key, and no client is left with a 5xx.
2. A photo uploaded through one instance is served by the other (S3).
3. A session made on one instance is valid on the other (signed cookie, shared SECRET_KEY).
4. The login rate limit counts attempts made on both instances together (Redis).
5. An offline scanner's sync goes through the proxy and checks a ticket in.
6. Request ids, /metrics, the worker's outbox delivery, and nothing written to instance folders.

Prints each check with its figures; exits 1 on any failure; removes its processes, database,
Redis keys and files. Driven by deploy/rehearsal.sh (CI). Settings: REHEARSAL_DATABASE_URL (a
PostgreSQL server URL; default postgres@127.0.0.1:5432), REHEARSAL_REDIS_DB (default 9; 9 and
10 are used), REHEARSAL_UNITS (rooms on sale, default 60).
"""

import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402  (after the path: the project's own modules come next)
from PIL import Image  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

CLIENTS = 40
UNITS = int(os.environ.get("REHEARSAL_UNITS", "60"))
REDIS_DB = int(os.environ.get("REHEARSAL_REDIS_DB", "9"))
SERVER_URL = os.environ.get(
    "REHEARSAL_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
LOGIN_LIMIT = 6
#: bookings each client places on a homestay of its own before the race (throughput figure)
THROUGHPUT_EACH = 3
AWS = {
    "AWS_ACCESS_KEY_ID": "rehearsal",
    "AWS_SECRET_ACCESS_KEY": "rehearsal",
    "AWS_DEFAULT_REGION": "us-east-1",
}
PASSWORD = "correct-horse-1"


class Failed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if result := predicate():
                return result
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.1)
    raise Failed(f"timed out after {timeout:.0f} s waiting for {what}")


def nginx_config(template: str, prefix: Path, port: int, upstreams: list[int]) -> str:
    """The deploy template on loopback: plain HTTP on `port`, our instances as the upstream,
    logs and temporary files under `prefix` (no root-only path)."""
    servers = "\n".join(
        f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in upstreams
    )
    site = re.sub(
        r"(# BEGIN upstream servers\n.*?upstream marketplace_web \{\n)(.*?)(    keepalive)",
        lambda m: m.group(1) + servers + "\n" + m.group(3),
        template,
        flags=re.S,
    )
    site = re.sub(r"# BEGIN redirect\n.*?# END redirect\n", "", site, flags=re.S)
    site = re.sub(
        r"# BEGIN tls\n.*?# END tls\n", f"    listen 127.0.0.1:{port};\n", site, flags=re.S
    )
    site = site.replace("/var/log/nginx/", f"{prefix}/logs/")
    if site.count(f"listen 127.0.0.1:{port}") != 1 or servers not in site:
        raise Failed("deploy/nginx/marketplace.conf lost its BEGIN/END markers")
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {name}_temp_path {prefix}/temp/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}daemon off;\nworker_processes 2;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/logs/error.log warn;\n"
        "events { worker_connections 512; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"{temp}\n    access_log {prefix}/logs/access.log;\n{site}\n}}\n"
    )


class Rig:
    """Everything started, so that `close` can take it all down again."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="rehearsal-"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.database = f"rehearsal_{uuid.uuid4().hex[:10]}"
        server = make_url(SERVER_URL)
        self.admin = create_engine(server, isolation_level="AUTOCOMMIT")
        self.url = server.set(database=self.database).render_as_string(hide_password=False)
        self.moto = None
        self.bucket = "rehearsal-media"
        self.redis_urls = (
            f"redis://127.0.0.1:6379/{REDIS_DB}",
            f"redis://127.0.0.1:6379/{REDIS_DB + 1}",
        )

    # -- start --------------------------------------------------------------------------

    def start_s3(self) -> None:
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request lines

        os.environ.update(AWS)
        self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.moto.start()
        host, port = self.moto.get_host_and_port()
        self.s3_url = f"http://{host}:{port}"
        import boto3

        self.s3 = boto3.client("s3", endpoint_url=self.s3_url, region_name="us-east-1")
        self.s3.create_bucket(Bucket=self.bucket)

    def create_database(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.database}"'))
        self.database_created = True

    def flush_redis(self) -> None:
        import redis

        for url in self.redis_urls:
            redis.Redis.from_url(url).flushdb()

    def env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "MARKETPLACE_"))}
        for name in ("TEST_DATABASE_URL", "MAIL_SERVER", "UPLOAD_FOLDER", "INSTANCE_PATH"):
            env.pop(name, None)
        env.update(AWS)
        env.update(self.shared_env)
        env.update(extra)
        return env

    def prepare_env(self) -> None:
        from cryptography.fernet import Fernet

        from marketplace.services.booking import ticket_tokens

        self.ticket_key = ticket_tokens.generate_private_key_text()
        self.shared_env = {
            "MARKETPLACE_ENV": "production",
            "INSTANCES": "2",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": self.url,
            "REDIS_URL": self.redis_urls[0],
            "JOBS_URL": self.redis_urls[1],
            "STORAGE_S3_BUCKET": self.bucket,
            "STORAGE_S3_ENDPOINT_URL": self.s3_url,
            "TICKET_SIGNING_KEY": self.ticket_key,
            "PASSPORT_KEYS": Fernet.generate_key().decode(),
            "STRIPE_SECRET_KEY": "sk_live_rehearsal_" + secrets.token_hex(8),
            "STRIPE_WEBHOOK_SECRET": "whsec_rehearsal_" + secrets.token_hex(8),
            "MAIL_OUTBOX": str(self.folder / "mail"),
            "TRUSTED_PROXIES": "1",
            # every client comes from 127.0.0.1: the per-address hold limit would stop the race
            "HOLD_LIMIT_ADDRESS": "100000 per hour",
            "MAX_OPEN_HOLDS": "0",
            "LOGIN_LIMIT_ACCOUNT": f"{LOGIN_LIMIT} per 15 minutes",
            "OUTBOX_DRAIN_SECONDS": "2",
            "WEB_WORKERS": "2",
            "WEB_THREADS": "4",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }

    def seed(self) -> dict:
        """Tables and data, written in-process with the production key for tickets."""
        from config import TestConfig
        from marketplace import create_app
        from marketplace.extensions import db
        from marketplace.models import Role
        from marketplace.services.accounts import accounts
        from tests.factories import make_listing, make_ticketed_booking, make_user, stay_item

        settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
        settings.update(
            ENV_NAME="test",
            SQLALCHEMY_DATABASE_URI=self.url,
            TICKET_SIGNING_KEY=self.ticket_key,
            MAIL_OUTBOX=str(self.folder / "seed-mail"),
            UPLOAD_FOLDER=str(self.folder / "seed-uploads"),
        )
        self.side = create_app(settings)
        self.side.instance_path = str(self.folder / "seed-instance")
        with self.side.app_context():
            db.create_all()
            listing = make_listing(units=UNITS, max_guests=2, nightly_price=450_000)
            host = listing.host
            tourists = [make_user(Role.TOURIST) for _ in range(CLIENTS)]
            ticketed = make_ticketed_booking(make_listing(units=2, max_guests=4))
            # one homestay per client for the throughput run: no two bookings share a lock
            spread = [
                make_listing(
                    units=THROUGHPUT_EACH, community=listing.community, host=host, max_guests=2
                )
                for _ in range(CLIENTS)
            ]
            seeded = {
                "listing_id": listing.id,
                "room_type_id": listing.room_types[0].id,
                "item": stay_item(listing.room_types[0], start_in_days=30, nights=2),
                "host_email": host.email,
                "tokens": [accounts.create_token(t, name="rehearsal") for t in tourists],
                "victim_email": tourists[0].email,
                "spread_items": [
                    stay_item(other.room_types[0], start_in_days=40, nights=2) for other in spread
                ],
                "ticket_secret": ticketed.items[0].ticket.secret,
                "scanner_token": accounts.create_token(
                    ticketed.items[0].listing.host, name="scanner"
                ),
            }
            db.session.commit()
        return seeded

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def start_web(self, name: str, port: int) -> None:
        instance = self.folder / f"instance-{name}"
        metrics = self.folder / f"metrics-{name}"
        instance.mkdir()
        metrics.mkdir()
        env = self.env(INSTANCE_PATH=str(instance), PROMETHEUS_MULTIPROC_DIR=str(metrics))
        self.start(
            name,
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{port}", "wsgi:app"],
            env,
        )

    def start_worker(self) -> None:
        instance = self.folder / "instance-worker"
        instance.mkdir()
        env = self.env(INSTANCE_PATH=str(instance))
        self.start(
            "worker", [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker"], env
        )

    def start_nginx(self, port: int, upstreams: list[int]) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise Failed("nginx is not installed (apt-get install nginx)")
        prefix = self.folder / "nginx"
        for part in ("logs", "temp"):
            (prefix / part).mkdir(parents=True, exist_ok=True)
        template = (ROOT / "deploy" / "nginx" / "marketplace.conf").read_text()
        config = prefix / "nginx.conf"
        config.write_text(nginx_config(template, prefix, port, upstreams))
        check = subprocess.run(
            [nginx, "-t", "-q", "-p", str(prefix), "-e", "stderr", "-c", str(config)],
            capture_output=True,
            text=True,
        )
        if check.returncode != 0:
            raise Failed(f"nginx -t: {check.stderr.strip()}")
        self.start("nginx", [nginx, "-p", str(prefix), "-e", "stderr", "-c", str(config)], {})

    def kill(self, name: str) -> None:
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- stop ---------------------------------------------------------------------------

    def close(self, keep_files: bool = False) -> None:
        for name in list(self.processes):
            self.kill(name)
        if getattr(self, "side", None) is not None:
            from marketplace.extensions import db

            with self.side.app_context():
                db.session.remove()
                db.engine.dispose()
        if getattr(self, "database_created", False):
            with self.admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
        self.admin.dispose()
        try:
            self.flush_redis()
        except Exception:  # noqa: BLE001  (Redis gone: nothing of ours is left in it either)
            pass
        if self.moto is not None:
            self.moto.stop()
        if not keep_files:
            shutil.rmtree(self.folder, ignore_errors=True)


# -- clients ------------------------------------------------------------------------------


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = self.errors_5xx = self.dropped = self.retries = 0
        self.failed = 0
        self.references: set[str] = set()
        self.sold_out = 0
        self.other: list[str] = []

    def add(self, **counts) -> None:
        with self.lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)


def race_client(base: str, token: str, item: dict, tally: Tally, stop: threading.Event) -> None:
    """Book one room after another until sold out; retry 5xx and dropped connections with the
    same Idempotency-Key (a retry of a booking that did go through answers that booking)."""
    from tests.factories import BOOKING_CONTACT, FOREIGN_GUEST

    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    body = {"items": [item], "contact": dict(BOOKING_CONTACT), "guests": [dict(FOREIGN_GUEST)]}
    while not stop.is_set():
        key = uuid.uuid4().hex
        for attempt in range(8):
            if attempt:
                tally.add(retries=1)
                time.sleep(0.2 * attempt)
            tally.add(requests=1)
            try:
                answer = session.post(
                    f"{base}/api/v1/bookings",
                    json=body,
                    headers=headers | {"Idempotency-Key": key},
                    timeout=30,
                )
            except requests.RequestException:
                tally.add(dropped=1)
                continue
            if answer.status_code >= 500:
                tally.add(errors_5xx=1)
                continue
            if answer.status_code in (200, 201):
                with tally.lock:
                    tally.references.add(answer.json()["reference"])
                break
            if answer.status_code == 409:
                tally.add(sold_out=1)
                return
            with tally.lock:
                tally.other.append(f"{answer.status_code} {answer.text[:200]}")
            return
        else:
            tally.add(failed=1)
            return


# -- browser-like sessions (production cookies are Secure; this rig speaks plain HTTP) ------


def insecure_cookies(session: requests.Session) -> None:
    for cookie in session.cookies:
        cookie.secure = False


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    insecure_cookies(session)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    if not found:
        raise Failed(f"no CSRF token on {url} ({page.status_code})")
    return found.group(1)


def log_in(session: requests.Session, base: str, email: str, password: str) -> int:
    token = csrf_token(session, f"{base}/account/login")
    answer = session.post(
        f"{base}/account/login",
        data={"email": email, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    insecure_cookies(session)
    return answer.status_code


# -- the rehearsal ------------------------------------------------------------------------


def main() -> int:
    started = time.monotonic()
    rig = Rig()
    lines: list[str] = []
    problems: list[str] = []

    def report(ok: bool, what: str) -> None:
        lines.append(f"{'ok  ' if ok else 'FAIL'}  {what}")
        print(lines[-1], flush=True)
        if not ok:
            problems.append(what)

    try:
        rig.start_s3()
        rig.create_database()
        rig.flush_redis()
        rig.prepare_env()
        seeded = rig.seed()
        ports = {"web1": free_port(), "web2": free_port()}
        proxy_port = free_port()
        for name, port in ports.items():
            rig.start_web(name, port)
        rig.start_worker()
        rig.start_nginx(proxy_port, list(ports.values()))
        direct = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        site = f"http://127.0.0.1:{proxy_port}"
        for name, base in direct.items():
            wait_for(lambda b=base: requests.get(f"{b}/healthz", timeout=2).ok, 60, name)
        wait_for(lambda: requests.get(f"{site}/healthz", timeout=2).ok, 20, "nginx")
        wait_for(lambda: "jobs worker on" in rig.log("worker"), 30, "the job worker")
        print(
            f"-- up in {time.monotonic() - started:.1f} s: nginx :{proxy_port} -> "
            f"gunicorn :{ports['web1']} and :{ports['web2']} (2 workers x 4 threads each), "
            f"1 job worker, PostgreSQL {rig.database}, Redis db {REDIS_DB}/{REDIS_DB + 1}, "
            f"S3 {rig.s3_url}",
            flush=True,
        )

        check_request_ids(site, report)
        check_sessions_and_photos(rig, direct, seeded, report)
        check_login_limit(direct, seeded, report)
        check_throughput(site, seeded, report)
        check_race(rig, site, seeded, report)
        check_scanner_sync(site, seeded, report)
        check_metrics(direct, site, report)
        check_worker_and_folders(rig, report)
    except Failed as exc:
        report(False, str(exc))
    except Exception as exc:  # noqa: BLE001  (reported with the logs, then cleaned up)
        import traceback

        traceback.print_exc()
        report(False, f"{type(exc).__name__}: {exc}")
    finally:
        if problems:
            for name in rig.processes:
                tail = rig.log(name)[-2500:]
                print(f"--- {name}.log (end) ---\n{tail}", file=sys.stderr)
        rig.close()
    elapsed = time.monotonic() - started
    print(f"-- rehearsal took {elapsed:.1f} s")
    print(f"rehearsal: {len(lines) - len(problems)} passed, {len(problems)} failed")
    return 1 if problems else 0


def check_request_ids(site: str, report) -> None:
    made = requests.get(f"{site}/healthz", timeout=5).headers.get("X-Request-Id", "")
    given = requests.get(
        f"{site}/healthz", headers={"X-Request-ID": "rehearsal-0001"}, timeout=5
    ).headers.get("X-Request-Id")
    report(
        bool(re.fullmatch(r"[0-9a-f]{32}", made)) and given == "rehearsal-0001",
        f"X-Request-ID made by nginx ({made}) and passed through (rehearsal-0001 -> {given})",
    )


def check_sessions_and_photos(rig: Rig, direct: dict, seeded: dict, report) -> None:
    host = requests.Session()
    status = log_in(host, direct["web1"], seeded["host_email"], PASSWORD)
    dashboard = host.get(f"{direct['web2']}/host/bookings", allow_redirects=False, timeout=10)
    report(
        status == 302 and dashboard.status_code == 200,
        f"session made on web1 (login {status}) is valid on web2 (host dashboard "
        f"{dashboard.status_code})",
    )
    picture = io.BytesIO()
    Image.new("RGB", (900, 600), (40, 110, 70)).save(picture, "JPEG")
    token = csrf_token(host, f"{direct['web1']}/host/listings/{seeded['listing_id']}")
    upload = host.post(
        f"{direct['web1']}/host/listings/{seeded['listing_id']}/photos",
        data={"csrf_token": token},
        files={"photo": ("terraces.jpg", picture.getvalue(), "image/jpeg")},
        allow_redirects=False,
        timeout=30,
    )
    keys = [o["Key"] for o in rig.s3.list_objects_v2(Bucket=rig.bucket).get("Contents", [])]
    name = sorted(keys)[0].split("/", 1)[1] if keys else "missing.jpg"
    served = requests.get(f"{direct['web2']}/media/{name}", timeout=10)
    stored = (
        rig.s3.get_object(Bucket=rig.bucket, Key=f"photos/{name}")["Body"].read() if keys else b""
    )
    report(
        upload.status_code in (302, 303)
        and served.status_code == 200
        and served.content == stored
        and "immutable" in served.headers.get("Cache-Control", ""),
        f"photo uploaded through web1 ({upload.status_code}, {len(keys)} renditions in S3) "
        f"served by web2 ({served.status_code}, {len(served.content)} bytes, "
        f"{served.headers.get('Cache-Control')})",
    )


def check_login_limit(direct: dict, seeded: dict, report) -> None:
    session = requests.Session()
    token = csrf_token(session, f"{direct['web1']}/account/login")
    statuses = []
    for attempt in range(LOGIN_LIMIT + 2):
        base = direct["web1" if attempt % 2 == 0 else "web2"]
        answer = session.post(
            f"{base}/account/login",
            data={"email": seeded["victim_email"], "password": "wrong-guess", "csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )
        insecure_cookies(session)
        statuses.append(answer.status_code)
    expected = [200] * LOGIN_LIMIT + [429, 429]
    report(
        statuses == expected,
        f"login limit ({LOGIN_LIMIT} per account) counted across web1 and web2 alternately: "
        f"{statuses}",
    )


def book_n(base: str, token: str, item: dict, count: int, tally: Tally) -> None:
    from tests.factories import BOOKING_CONTACT, FOREIGN_GUEST

    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    body = {"items": [item], "contact": dict(BOOKING_CONTACT), "guests": [dict(FOREIGN_GUEST)]}
    for _ in range(count):
        tally.add(requests=1)
        answer = session.post(f"{base}/api/v1/bookings", json=body, headers=headers, timeout=30)
        if answer.status_code == 201:
            with tally.lock:
                tally.references.add(answer.json()["reference"])
        else:
            with tally.lock:
                tally.other.append(f"{answer.status_code} {answer.text[:200]}")


def check_throughput(site: str, seeded: dict, report) -> None:
    """Both instances up, 40 clients each booking rooms of its own homestay (no shared lock)."""
    tally = Tally()
    began = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for token, item in zip(seeded["tokens"], seeded["spread_items"], strict=True):
            pool.submit(book_n, site, token, item, THROUGHPUT_EACH, tally)
    seconds = time.monotonic() - began
    wanted = CLIENTS * THROUGHPUT_EACH
    report(
        len(tally.references) == wanted and not tally.other,
        f"throughput: {wanted} bookings on {CLIENTS} homestays through nginx, 2 instances: "
        f"{len(tally.references)} placed, {len(tally.references) / seconds:.1f} bookings/s "
        f"over {seconds:.1f} s" + (f"; refused: {tally.other[:3]}" if tally.other else ""),
    )


def check_race(rig: Rig, site: str, seeded: dict, report) -> None:
    from marketplace.extensions import db
    from marketplace.models import Booking, BookingItem, BookingNight

    tally = Tally()
    stop = threading.Event()
    killed_at: list[int] = []

    def killer():
        # web2 dies mid-race: once about a third of the rooms are gone
        while not stop.is_set() and len(tally.references) < UNITS // 3:
            time.sleep(0.02)
        killed_at.append(len(tally.references))
        killed_at.append(time.monotonic())
        rig.kill("web2")

    began = time.monotonic()
    threading.Thread(target=killer, daemon=True).start()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for token in seeded["tokens"]:
            pool.submit(race_client, site, token, seeded["item"], tally, stop)
    stop.set()
    seconds = time.monotonic() - began
    with rig.side.app_context():
        db.session.remove()
        bookings = db.session.scalar(
            select(func.count(Booking.id))
            .join(BookingItem)
            .where(BookingItem.room_type_id == seeded["room_type_id"])
        )
        nights = db.session.execute(
            select(BookingNight.night, func.sum(BookingNight.rooms))
            .where(BookingNight.room_type_id == seeded["room_type_id"])
            .group_by(BookingNight.night)
        ).all()
    per_night = sorted({int(n) for _, n in nights})
    report(
        len(tally.references) == UNITS == bookings and per_night == [UNITS],
        f"race: {CLIENTS} clients, {tally.requests} booking requests through nginx, "
        f"sold {len(tally.references)} = units {UNITS} (database: {bookings} bookings, rooms "
        f"per night {per_night}), {tally.sold_out} clients told sold out, "
        f"{UNITS / seconds:.1f} bookings/s over {seconds:.1f} s",
    )
    if len(killed_at) == 2:
        before = killed_at[0] / max(killed_at[1] - began, 1e-3)
        print(
            f"      throughput: {before:.1f} bookings/s with 2 instances (first {killed_at[0]}), "
            f"{(UNITS - killed_at[0]) / max(began + seconds - killed_at[1], 1e-3):.1f} "
            "bookings/s after the kill (1 instance, failover and retries included)",
            flush=True,
        )
    report(
        tally.failed == 0 and not tally.other and killed_at,
        f"web2 SIGKILLed after {killed_at[0] if killed_at else '?'} bookings: clients saw "
        f"{tally.errors_5xx} 5xx and {tally.dropped} dropped connections, all absorbed by "
        f"{tally.retries} retries with the same Idempotency-Key; left failing: {tally.failed}"
        + (f"; unexpected answers: {tally.other[:3]}" if tally.other else ""),
    )
    after = [requests.get(f"{site}/healthz", timeout=10).status_code for _ in range(20)]
    report(
        after == [200] * 20, f"nginx keeps answering with web2 down: 20 requests -> {set(after)}"
    )


def check_scanner_sync(site: str, seeded: dict, report) -> None:
    scan = {
        "secret": seeded["ticket_secret"],
        "scanned_at": datetime.now(UTC).isoformat(),
        "device_id": "rehearsal-phone",
    }
    answer = requests.post(
        f"{site}/api/v1/checkins/sync",
        json={"scans": [scan], "device_id": "rehearsal-phone"},
        headers={"Authorization": f"Bearer {seeded['scanner_token']}"},
        timeout=15,
    )
    results = answer.json().get("results", []) if answer.ok else []
    outcome = results[0].get("result") or results[0].get("code") if results else None
    report(
        answer.status_code == 200 and len(results) == 1 and outcome in ("ok", "checked_in"),
        f"offline scanner sync through nginx: {answer.status_code}, result {outcome!r}",
    )


def check_metrics(direct: dict, site: str, report) -> None:
    text_answer = requests.get(f"{direct['web1']}/metrics", timeout=10)
    body = text_answer.text
    placed = re.search(r"^marketplace_bookings_placed_total (\S+)$", body, re.M)
    proxied = requests.get(f"{site}/metrics", timeout=10).status_code
    report(
        text_answer.status_code == 200
        and placed is not None
        and "marketplace_job_queue_depth" in body
        and "marketplace_http_request_duration_seconds_bucket" in body
        and proxied == 404,
        f"/metrics on web1 (loopback): {text_answer.status_code}, bookings placed by its "
        f"workers {placed.group(1) if placed else '?'}; through nginx: {proxied}",
    )


def check_worker_and_folders(rig: Rig, report) -> None:
    from marketplace.extensions import db
    from marketplace.models import OutboxMessage, OutboxStatus

    def delivered():
        with rig.side.app_context():
            db.session.remove()
            return not db.session.scalar(
                select(func.count(OutboxMessage.id)).where(
                    OutboxMessage.status == OutboxStatus.PENDING
                )
            )

    try:
        wait_for(delivered, 45, "the outbox to drain")
        drained = True
    except Failed:
        drained = False
    with rig.side.app_context():
        done = db.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.status == OutboxStatus.DONE)
        )
    mails = len(list((rig.folder / "mail").glob("*.eml")))
    report(drained, f"job worker (Redis queue) delivered the outbox: {done} done, {mails} mails")
    written = sorted(
        str(p.relative_to(rig.folder)) for p in rig.folder.glob("instance-*/**/*") if p.is_file()
    )
    report(not written, f"nothing written to the instance folders: {written or 'empty'}")

    import json

    logged = []
    for name in ("web1", "web2"):
        for line in rig.log(name).splitlines():
            if '"rehearsal-0001"' in line:
                try:
                    logged.append(json.loads(line))
                except ValueError:
                    pass
    first = logged[0] if logged else {}
    report(
        first.get("path") == "/healthz" and first.get("status") == 200,
        f"JSON log line for request rehearsal-0001: {json.dumps(first)[:160]}",
    )


if __name__ == "__main__":
    sys.exit(main())
