"""Where a booking's and a check-in's time goes: `.venv/bin/python bench/peer_profile.py
[--seconds 15]` (needs `.venv/bin/pip install py-spy`).

Starts our side as `bench/peer.py` does (fresh PostgreSQL database, gunicorn with 2 sync
workers), then for each of booking and check-in runs the phase's load while py-spy samples both
workers (wall clock, so waiting on PostgreSQL counts; `--cpu` for on-CPU time only). Only
samples inside a request are kept.
Prints the share of time by library (the frame that was running) and by the deepest frame of our
own code on the stack (that function plus the libraries it called), and keeps the raw stacks in
bench/results/profile-*.txt for a flame graph (e.g. speedscope).
"""

import argparse
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from booking import booking_body  # noqa: E402
from peer_common import Exhausted, run_phase  # noqa: E402

PY_SPY = BENCH.parent / ".venv" / "bin" / "py-spy"
FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^():]+)(?::(?P<line>\d+))?\)$")
LIBRARIES = (
    ("psycopg", "psycopg (PostgreSQL round trips)"),
    ("sqlalchemy", "SQLAlchemy (ORM, SQL compilation)"),
    ("jinja2", "Jinja2"),
    ("werkzeug", "Werkzeug/Flask"),
    ("flask", "Werkzeug/Flask"),
    ("gunicorn", "gunicorn"),
    ("cryptography", "cryptography (Ed25519)"),
    ("babel", "Babel"),
    ("marketplace/", "our code (own frames)"),
)


def library_of(path: str) -> str:
    for needle, label in LIBRARIES:
        if needle in path:
            return label
    return "Python standard library / other"


def parse(raw: Path) -> tuple[Counter, Counter, int]:
    """(samples by library of the running frame, by deepest own frame, samples in requests)."""
    libraries: Counter = Counter()
    own: Counter = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = [FRAME.match(f.strip()) for f in stack.split(";")]
        frames = [f for f in frames if f]
        if not any(f["func"].endswith("wsgi_app") for f in frames):
            continue  # between requests, or the arbiter
        n = int(count)
        total += n
        libraries[library_of(frames[-1]["file"])] += n
        ours = [f for f in frames if "marketplace/" in f["file"]]
        if ours:
            deepest = ours[-1]
            short = deepest["file"].split("marketplace/", 1)[1]
            own[f"{short}:{deepest['func']}"] += n
        else:
            own["(outside our code: routing, auth, serialisation)"] += n
    return libraries, own, total


def profile(
    side, name: str, seconds: float, clients: int, request_once, out: Path, cpu: bool = False
) -> None:
    raw = out / f"profile-{name}{'-cpu' if cpu else ''}.txt"
    spy = subprocess.Popen(
        [
            str(PY_SPY),
            "record",
            "--pid",
            str(side.server.process.pid),
            "--subprocesses",
            *([] if cpu else ["--idle"]),
            "--nonblocking",
            "--rate",
            "200",
            "--duration",
            str(int(seconds)),
            "--format",
            "raw",
            "--output",
            str(raw),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    phase = run_phase(clients, seconds, request_once)
    _, err = spy.communicate(timeout=seconds + 60)
    if not raw.exists():
        raise RuntimeError(f"py-spy wrote nothing: {err.decode()[-500:]}")
    libraries, own, total = parse(raw)
    clock = "on-CPU" if cpu else "wall-clock"
    print(f"\n{name}: {phase.rate:.1f} req/s under py-spy, {total} {clock} samples in requests")
    print("  by library (running frame):")
    for label, n in libraries.most_common(8):
        print(f"    {100 * n / total:5.1f}%  {label}")
    print("  by deepest frame of our code (with what it called):")
    for label, n in own.most_common(10):
        print(f"    {100 * n / total:5.1f}%  {label}")


def statements(side, secrets: list[str], phases=("booking", "checkin"), requests_each=20) -> None:
    """SQL statements one booking and one check-in send, counted in-process (test client)."""
    import random

    from sqlalchemy import event

    from marketplace.extensions import db

    seen: list[str] = []
    with side.app.app_context():
        engine = db.engine

    def count(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split())[:90])

    event.listen(engine, "before_cursor_execute", count)
    logging.disable(logging.INFO)  # the app's request log would drown the listing
    client = side.app.test_client()
    rng = random.Random(7)
    try:
        sends = (
            (
                "booking",
                lambda: client.post(
                    "/api/v1/bookings", json=booking_body(rng, side.catalogue), headers=side.tourist
                ),
            ),
            (
                "checkin",
                lambda: client.post(
                    "/api/v1/checkins", json={"secret": secrets.pop()}, headers=side.scanner
                ),
            ),
        )
        for label, send in (s for s in sends if s[0] in phases):
            send()  # warm caches
            seen.clear()
            status = send().status_code
            one = list(seen)
            for _ in range(requests_each - 1):
                send()
            per = len(seen) / requests_each
            print(f"\n{label}: {per:.1f} SQL statements per request; one request's ({status}):")
            for line in one:
                print(f"    {line}")
    finally:
        event.remove(engine, "before_cursor_execute", count)
        logging.disable(logging.NOTSET)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument(
        "--phase", choices=("booking", "checkin", "both"), default="both", help="what to profile"
    )
    parser.add_argument(
        "--cpu", action="store_true", help="sample only on-CPU time (default: wall clock)"
    )
    args = parser.parse_args()
    if not PY_SPY.exists():
        sys.exit("py-spy is missing: .venv/bin/pip install py-spy")
    from peer_ours import Ours

    workdir = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    side = Ours(workdir, 2)
    try:
        phases = ("booking", "checkin") if args.phase == "both" else (args.phase,)
        tickets = side.make_tickets(args.tickets, args.clients) if "checkin" in phases else []
        statements(side, tickets[-30:], phases)
        secrets = iter(tickets[:-30])
        lock = threading.Lock()

        def first_scan(session, _n, _rng):
            with lock:
                secret = next(secrets, None)
            if secret is None:
                raise Exhausted
            return side.checkin(session, secret)

        if "booking" in phases:
            book = lambda s, _n, r: side.book(s, r)  # noqa: E731
            profile(side, "booking", args.seconds, args.clients, book, out, args.cpu)
        if "checkin" in phases:
            profile(side, "checkin", args.seconds, args.clients, first_scan, out, args.cpu)
    finally:
        side.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
