"""What both sides of `bench/peer.py` share: fresh PostgreSQL databases, a gunicorn process,
keep-alive clients that hammer one request for a fixed time (`light_http`), and a race started
at one instant."""

import os
import random
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import light_http
import requests
from booking import free_port, percentile  # noqa: F401  (re-exported for the two sides)

PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


def create_database(prefix: str) -> str:
    """CREATE DATABASE with a unique name; returns the name."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    """A gunicorn process with its log in `workdir`; stopped by `stop()`."""

    def __init__(self, argv: list[str], *, cwd: Path, env: dict, workdir: Path, name: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"gunicorn-{name}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [*argv, "-b", f"127.0.0.1:{self.port}"],
            cwd=cwd,
            env=env,
            stdout=self.log,
            stderr=self.log,
        )

    def wait_up(self, path: str, tries: int = 300) -> None:
        for _ in range(tries):
            if self.process.poll() is not None:
                break
            try:
                if requests.get(self.base + path, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {self.log_path}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@dataclass
class Phase:
    """One phase's outcome: requests, the ones that did not answer as expected, latencies."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict = field(default_factory=dict)
    note: str = ""
    wins: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies, 95) * 1000

    def summary(self) -> dict:
        return {
            "requests": len(self.latencies),
            "seconds": round(self.seconds, 2),
            "req_per_s": round(self.rate, 1),
            "p50_ms": round(percentile(self.latencies, 50) * 1000, 1),
            "p95_ms": round(self.p95_ms, 1),
            "errors": self.errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items(), key=str)},
            "note": self.note,
        }


class Exhausted(Exception):
    """A client has no more work (e.g. every ticket was scanned)."""


def run_phase(clients: int, seconds: float, request_once, headers: dict | None = None) -> Phase:
    """`clients` threads, each with its own keep-alive session, call
    `request_once(session, n, rng) -> (ok, status)` until the deadline or `Exhausted`."""
    lock = threading.Lock()
    result = Phase(seconds)
    started = time.perf_counter()
    deadline = started + seconds
    finished: list[float] = []

    def client(n: int):
        rng = random.Random(n)
        session = light_http.Session()
        session.headers.update(headers or {})
        mine, errors, counts = [], 0, {}
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                ok, status = request_once(session, n, rng)
            except Exhausted:
                break
            except light_http.ERRORS as exc:
                ok, status = False, type(exc).__name__
            mine.append(time.perf_counter() - began)
            errors += not ok
            counts[status] = counts.get(status, 0) + 1
        with lock:
            finished.append(time.perf_counter())
            result.latencies.extend(mine)
            result.errors += errors
            for key, value in counts.items():
                result.statuses[key] = result.statuses.get(key, 0) + value

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # work that ran out early is rated over the time it took, not the phase's length
    result.seconds = min(seconds, max(finished) - started)
    return result


def race(clients: int, request_once, headers: dict | None = None) -> Phase:
    """Every client sends one request at the same instant; `ok` counts the winners."""
    barrier = threading.Barrier(clients)
    lock = threading.Lock()
    result = Phase(0.0)
    sessions = []
    for _ in range(clients):
        session = light_http.Session()
        session.headers.update(headers or {})
        sessions.append(session)
    wins = []
    started = []

    def client(n: int):
        barrier.wait()
        began = time.perf_counter()
        try:
            ok, status = request_once(sessions[n], n, random.Random(n))
        except light_http.ERRORS as exc:
            ok, status = False, type(exc).__name__
        took = time.perf_counter() - began
        with lock:
            started.append(began)
            result.latencies.append(took)
            wins.append(ok)
            result.statuses[status] = result.statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = max(result.latencies) if result.latencies else 0.0
    result.wins = sum(wins)
    return result


def in_parallel(clients: int, jobs: list, work) -> list:
    """Run `work(session, job)` over `jobs` with `clients` threads; results in job order."""
    results: list = [None] * len(jobs)
    cursor = iter(range(len(jobs)))
    lock = threading.Lock()
    failures: list[BaseException] = []

    def client():
        session = requests.Session()
        while not failures:
            with lock:
                index = next(cursor, None)
            if index is None:
                return
            try:
                results[index] = work(session, jobs[index])
            except Exception as exc:  # noqa: BLE001  (raised again below, in the caller's thread)
                failures.append(exc)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results
