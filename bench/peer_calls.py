"""Python calls and SQL statements per request of each phase of `bench/peer.py`, counted
in-process: `.venv/bin/python bench/peer_calls.py [--requests 300] [--top 0]`.

Sets our side up as `bench/peer.py` does (a fresh PostgreSQL database, the same catalogue and
tokens) but serves no HTTP: each request goes through Flask's test client while cProfile counts
the Python calls and a SQLAlchemy listener the statements sent (the token lookup's included).
Unlike the rates of `bench/peer.py`, these counts do not move with the load of the machine, so
they show what a change to a path bought. `--top N` also prints the N functions with the most
time of their own, per phase. A benchmark, not a test: nothing here runs in CI.
"""

import argparse
import cProfile
import pstats
import random
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from peer_ours import Ours  # noqa: E402

WARM_UP = 20  # requests of each kind before counting: compiled statements, caches


class InProcess:
    """The part of a `requests.Session` the phases use, through the app's test client."""

    def __init__(self, app):
        self.client = app.test_client()

    def post(self, url, json=None, headers=None, timeout=None):
        return Answer(self.client.post(url, json=json, headers=headers))

    def get(self, url, headers=None, timeout=None):
        return Answer(self.client.get(url, headers=headers))


class Answer:
    def __init__(self, response):
        self.status_code = response.status_code
        self.text = response.get_data(as_text=True)
        self._response = response

    def json(self):
        return self._response.get_json()


def count(ours: Ours, name: str, request, n: int, top: int) -> dict:
    from sqlalchemy import event

    from marketplace.extensions import db

    with ours.app.app_context():
        engine = db.engine
    sent = [0]

    def on_statement(*_args):
        sent[0] += 1

    event.listen(engine, "before_cursor_execute", on_statement)
    profile = cProfile.Profile()
    try:
        profile.enable()
        for _ in range(n):
            request()
        profile.disable()
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
    stats = pstats.Stats(profile)
    if top:
        print(f"--- {name}")
        stats.sort_stats("tottime").print_stats(top)
    return {"calls": stats.total_calls / n, "statements": sent[0] / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="counted requests a phase")
    parser.add_argument("--top", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args()
    n = args.requests

    workdir = Path(tempfile.mkdtemp(prefix="peer-calls-"))
    ours = Ours(workdir, workers=0, serve=False)
    try:
        session = InProcess(ours.app)
        rng = random.Random(1)

        def one_by_one(_clients, jobs, work):
            return [work(session, job) for job in jobs]

        secrets = ours.make_tickets(2 * (n + WARM_UP), 1, run=one_by_one)
        first = iter(secrets[: n + WARM_UP])
        checked_in = secrets[n + WARM_UP :]

        def expect(ok_status):
            ok, status = ok_status
            if not ok:
                raise RuntimeError(f"unexpected answer: {status}")

        phases = {
            "checkin": lambda: expect(ours.checkin(session, next(first))),
            "rescan": lambda: expect(ours.rescan(session, rng.choice(checked_in))),
            "booking": lambda: expect(ours.book(session, rng)),
            "get": lambda: expect(ours.trivial(session)),
        }
        for secret in checked_in:
            expect(ours.checkin(session, secret))
        results = {}
        for name, request in phases.items():
            for _ in range(WARM_UP):
                request()
            results[name] = count(ours, name, request, n, args.top)
        print(f"{n} requests a phase, in-process, PostgreSQL")
        print(f"{'phase':8s} | {'Python calls':>12s} | {'statements':>10s}")
        for name, result in results.items():
            print(f"{name:8s} | {result['calls']:12.0f} | {result['statements']:10.2f}")
    finally:
        ours.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
