"""The pretix side of `bench/peer.py`.

pretix (PyPI `pretix`, Django) is installed into its own virtual environment under
bench/.peer/pretix (git-ignored). Every run gets a fresh PostgreSQL database and data folder,
a pretix.cfg (no Celery: tasks run in the request; Redis db 11 as its cache, as pretix
recommends for production), `migrate`, then a setup script makes an organizer, an event with a
product on an unlimited quota, three race products on quotas of 10, a check-in list and a team
API token. gunicorn serves `pretix.wsgi` with the same number of sync workers as ours.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from peer_common import Server, create_database, drop_database, in_parallel

BENCH = Path(__file__).resolve().parent
VENV = BENCH / ".peer" / "pretix"
PYTHON = VENV / "bin" / "python"
REDIS_CACHE = os.environ.get("BENCH_PRETIX_REDIS", "redis://127.0.0.1:6379/11")
POSITIONS = 10  # tickets per order, as ours books 10 rooms per booking

SETUP = r"""
import json
from datetime import timedelta

import django

django.setup()

from django.utils.timezone import now
from django_scopes import scopes_disabled

from pretix.base.models import CheckinList, Event, Item, Organizer, Quota, Team

with scopes_disabled():
    organizer = Organizer.objects.create(name="Bench", slug="bench")
    event = Event.objects.create(
        organizer=organizer, name="Bench", slug="bench", currency="EUR", live=True,
        date_from=now().replace(hour=23, minute=0), presale_start=now() - timedelta(days=1),
    )
    event.set_defaults()
    item = Item.objects.create(event=event, name="Ticket", default_price=10, admission=True)
    quota = Quota.objects.create(event=event, name="All", size=None)
    quota.items.add(item)
    racers = []
    for n in range(3):
        racer = Item.objects.create(event=event, name=f"Last seats {n}", default_price=10, admission=True)
        last = Quota.objects.create(event=event, name=f"Last {n}", size=10)
        last.items.add(racer)
        racers.append(racer.pk)
    checkin_list = CheckinList.objects.create(event=event, name="Entry", all_products=True)
    team = Team.objects.create(
        organizer=organizer, name="Bench", all_events=True,
        all_event_permissions=True, all_organizer_permissions=True,
    )
    token = team.tokens.create(name="bench")
    print("SETUP " + json.dumps({
        "organizer": organizer.slug, "event": event.slug, "item": item.pk,
        "racers": racers, "list": checkin_list.pk, "token": token.token,
    }))
"""


def ensure_installed() -> None:
    """pretix and gunicorn in bench/.peer/pretix; installed from PyPI when missing."""
    if PYTHON.exists():
        probe = subprocess.run([str(PYTHON), "-c", "import pretix, gunicorn"], capture_output=True)
        if probe.returncode == 0:
            return
    print("installing pretix from PyPI into bench/.peer/pretix (a few minutes) ...", flush=True)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    log = VENV.parent / "install.log"
    with open(log, "w") as out:
        done = subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "pretix", "gunicorn"], stdout=out, stderr=out
        )
    if done.returncode != 0:
        raise RuntimeError(f"pip install pretix failed; see {log}")


def flush_cache() -> None:
    """A fresh database reuses primary keys: a cache of the last run would lie about them."""
    import redis

    redis.Redis.from_url(REDIS_CACHE).flushdb()


class Pretix:
    name = "pretix"
    health_path = "/healthcheck/"

    def __init__(self, workdir: Path, workers: int):
        self.workdir = workdir / f"pretix-{int(time.time() * 1000)}"
        self.workdir.mkdir(parents=True)
        self.database = create_database("bench_peer_pretix")
        self.server = None
        try:
            self._configure()
            self.server = Server(
                [str(VENV / "bin" / "gunicorn"), "-w", str(workers), "pretix.wsgi"],
                cwd=self.workdir,
                env=self.env,
                workdir=self.workdir,
                name="pretix",
            )
            self.server.wait_up(self.health_path)
        except Exception:
            self.close()
            raise
        self.base = self.server.base
        self.api = f"{self.base}/api/v1/organizers/{self.ids['organizer']}"
        self.event_api = f"{self.api}/events/{self.ids['event']}"
        self.auth = {"Authorization": f"Token {self.ids['token']}"}

    def _configure(self) -> None:
        data = self.workdir / "data"
        data.mkdir()
        config = self.workdir / "pretix.cfg"
        config.write_text(
            "[pretix]\ninstance_name=bench\nurl=http://127.0.0.1\ncurrency=EUR\n"
            f"datadir={data}\necb_rates=off\n\n"
            "[django]\nsecret=bench-not-secret\ndebug=off\n\n"
            f"[database]\nbackend=postgresql\nname={self.database}\nuser=postgres\n"
            "host=127.0.0.1\nport=5432\n\n"
            f"[redis]\nlocation={REDIS_CACHE}\n\n"
            "[mail]\nfrom=bench@example.test\nhost=127.0.0.1\nport=1\n"
        )
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))},
            "PRETIX_CONFIG_FILE": str(config),
            "DJANGO_SETTINGS_MODULE": "pretix.settings",
        }
        flush_cache()
        began = time.perf_counter()
        self._python(["-m", "pretix", "migrate", "--noinput"], "migrate")
        print(f"  pretix: migrated in {time.perf_counter() - began:.0f} s", flush=True)
        script = self.workdir / "setup.py"
        script.write_text(SETUP)
        out = self._python([str(script)], "setup")
        line = next(x for x in out.splitlines() if x.startswith("SETUP "))
        self.ids = json.loads(line[len("SETUP ") :])

    def _python(self, argv: list[str], what: str) -> str:
        done = subprocess.run(
            [str(PYTHON), *argv], cwd=self.workdir, env=self.env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"pretix {what} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
            )
        return done.stdout

    # --- preparation ----------------------------------------------------------------------

    def _order(self, item: int, count: int, paid: bool) -> dict:
        body = {
            "email": "guest@example.test",
            "locale": "en",
            "sales_channel": "web",
            "positions": [{"item": item, "attendee_name": "Bench Guest"} for _ in range(count)],
        }
        if paid:
            body.update(status="p", payment_provider="manual")
        return body

    def make_tickets(self, count: int, clients: int) -> list[str]:
        """Paid orders of 10 positions through the API; returns the position secrets."""

        def buy(session, _job):
            made = session.post(
                f"{self.event_api}/orders/",
                json=self._order(self.ids["item"], POSITIONS, paid=True),
                headers=self.auth,
                timeout=120,
            )
            if made.status_code != 201:
                raise RuntimeError(f"pretix order failed: {made.status_code} {made.text[:300]}")
            return [p["secret"] for p in made.json()["positions"]]

        orders = in_parallel(clients, list(range(-(-count // POSITIONS))), buy)
        return [secret for order in orders for secret in order][:count]

    def race_departure(self) -> int:
        return self.ids["racers"].pop(0)

    # --- one request of each phase: (answered as expected, status) ---------------------------

    def checkin(self, session, secret: str, expect: str = "ok"):
        response = session.post(
            f"{self.api}/checkinrpc/redeem/",
            json={"secret": secret, "lists": [self.ids["list"]]},
            headers=self.auth,
            timeout=60,
        )
        body = (
            response.json()
            if response.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        result = body.get("reason") or body.get("status") or response.status_code
        return result == expect, result

    def rescan(self, session, secret: str):
        return self.checkin(session, secret, expect="already_redeemed")

    def book(self, session, _rng):
        response = session.post(
            f"{self.event_api}/orders/",
            json=self._order(self.ids["item"], 1, paid=False),
            headers=self.auth,
            timeout=60,
        )
        return response.status_code == 201, response.status_code

    def race_once(self, session, item: int):
        response = session.post(
            f"{self.event_api}/orders/",
            json=self._order(item, 1, paid=False),
            headers=self.auth,
            timeout=60,
        )
        return response.status_code == 201, response.status_code

    def trivial(self, session):
        response = session.get(f"{self.base}/api/v1/organizers/", headers=self.auth, timeout=60)
        return response.status_code == 200, response.status_code

    def health(self, session):
        response = session.get(f"{self.base}{self.health_path}", timeout=60)
        return response.status_code == 200, response.status_code

    def close(self) -> None:
        try:
            if self.server is not None:
                self.server.stop()
        finally:
            drop_database(self.database)
