"""Peer benchmark: `.venv/bin/python bench/peer.py [--seconds 20] [--clients 16] [--runs 1]
[--peer pretix]`.

Each run starts gunicorn (2 sync workers) on a fresh PostgreSQL database of its own (created on
127.0.0.1:5432 as user postgres, dropped afterwards) and drives it with keep-alive clients:
  checkin   first scans of distinct valid tickets (bought through the API beforehand)
  rescan    scans of tickets already checked in
  booking   sustained booking creation through the API
  race      40 clients at one instant for the last 10 places, 3 rounds (sold must be 10 each)
  get       a trivial authenticated GET (ours: /api/v1/communities)
  healthz   the ceiling of the same server (ours: /healthz)
With `--peer pretix` the same phases run against pretix (installed from PyPI into bench/.peer/)
through its REST API, and the table shows both and the ratio ours/peer. The peer's figures are
kept in bench/results/peer-pretix.json; `--reuse-peer` takes them from there instead of setting
pretix up again (it does not change when our code does). Results go to bench/results/peer.json.
A benchmark, not a test: nothing here runs in CI.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from peer_common import Exhausted, Phase, race, run_phase  # noqa: E402

PHASES = ("checkin", "rescan", "booking", "race", "get", "healthz")
RACE_CLIENTS = 40
RACE_ROUNDS = 3


def run_side(side, args) -> dict[str, Phase]:
    """Every phase once against a started side."""
    began = time.perf_counter()
    secrets = side.make_tickets(args.tickets, args.clients)
    print(
        f"  {side.name}: {len(secrets)} tickets ready in {time.perf_counter() - began:.0f} s",
        flush=True,
    )
    phases: dict[str, Phase] = {}

    cursor = iter(secrets)
    lock = threading.Lock()
    admitted: list[str] = []

    def first_scan(session, _n, _rng):
        with lock:
            secret = next(cursor, None)
        if secret is None:
            raise Exhausted
        ok, status = side.checkin(session, secret)
        if ok:
            with lock:
                admitted.append(secret)
        return ok, status

    phases["checkin"] = run_phase(args.clients, args.seconds, first_scan)
    if len(admitted) == len(secrets):
        phases["checkin"].note = f"all {len(secrets)} tickets scanned"
    pool = admitted or secrets
    phases["rescan"] = run_phase(
        args.clients, args.seconds, lambda s, _n, rng: side.rescan(s, rng.choice(pool))
    )
    phases["booking"] = run_phase(args.clients, args.seconds, lambda s, _n, rng: side.book(s, rng))
    rounds = []
    for _ in range(RACE_ROUNDS):
        target = side.race_departure()
        rounds.append(race(RACE_CLIENTS, lambda s, _n, _rng, t=target: side.race_once(s, t)))
    merged = Phase(sum(r.seconds for r in rounds))
    for r in rounds:
        merged.latencies.extend(r.latencies)
        for key, value in r.statuses.items():
            merged.statuses[key] = merged.statuses.get(key, 0) + value
    merged.note = "sold " + "/".join(str(r.wins) for r in rounds)
    merged.errors = sum(abs(r.wins - 10) for r in rounds)  # any round not selling exactly 10
    phases["race"] = merged
    phases["get"] = run_phase(args.clients, args.seconds, lambda s, _n, _rng: side.trivial(s))
    phases["healthz"] = run_phase(args.clients, args.seconds, lambda s, _n, _rng: side.health(s))
    for name, phase in phases.items():
        extra = f" [{phase.note}]" if phase.note else ""
        print(
            f"  {side.name} {name:<8} {phase.rate:8.1f} req/s  p95 {phase.p95_ms:7.1f} ms  "
            f"errors {phase.errors}  {dict(phase.statuses)}{extra}",
            flush=True,
        )
    return phases


def bench(makers: dict, args, workdir: Path) -> dict[str, dict[str, list[dict]]]:
    """`args.runs` rounds; in each, every side in turn on a fresh database, so that both see
    the same load of a shared machine. Per side and phase, one summary per run. A peer that
    fails to start or run is reported and dropped; our side failing stops the benchmark."""
    results = {label: {name: [] for name in PHASES} for label in makers}
    for n in range(args.runs):
        for label, make_side in list(makers.items()):
            print(f"{label}: run {n + 1}/{args.runs}", flush=True)
            try:
                side = make_side(workdir)
                try:
                    for name, phase in run_side(side, args).items():
                        results[label][name].append(phase.summary())
                finally:
                    side.close()
            except Exception as exc:
                if label == "ours":
                    raise
                traceback.print_exc()
                print(f"\n{label} could not be benchmarked: {exc}\n", file=sys.stderr, flush=True)
                del makers[label]
                results.pop(label)
    return results


def median(summaries: list[dict] | None) -> dict | None:
    """The run whose rate is the median of the runs (the lower middle for an even count)."""
    if not summaries:
        return None
    ordered = sorted(summaries, key=lambda s: s["req_per_s"])
    return ordered[(len(ordered) - 1) // 2]


def cells(runs: list[dict] | None, name: str) -> tuple[str, str, str, str]:
    """(req/s, p95, errors, note) of the median run; a race is 3 x 40 requests at one
    instant, so its rate says nothing and its note lists every run's sold places."""
    mid = median(runs)
    if mid is None:
        return "-", "-", "-", ""
    rate = "-" if name == "race" else f"{mid['req_per_s']:.1f}"
    note = "; ".join(r["note"] for r in runs) if name == "race" else mid["note"]
    return rate, f"{mid['p95_ms']:.1f}", str(mid["errors"]), note


def print_table(ours: dict, peer: dict | None, peer_name: str) -> None:
    head = f"{'phase':<9}| {'req/s':>8} | {'p95 ms':>7} | {'errors':>6} |"
    if peer:
        head += f" {peer_name + ' req/s':>12} | {'p95 ms':>7} | {'errors':>6} | {'ratio':>6} |"
    print(head + " note")
    print("-" * len(head))
    for name in PHASES:
        rate, p95, errors, note = cells(ours.get(name), name)
        line = f"{name:<9}| {rate:>8} | {p95:>7} | {errors:>6} |"
        notes = [note] if note else []
        if peer:
            prate, pp95, perrors, pnote = cells(peer.get(name), name)
            mine, theirs = median(ours.get(name)), median(peer.get(name))
            ratio = "-"
            if mine and theirs and theirs["req_per_s"] and name != "race":
                ratio = f"{mine['req_per_s'] / theirs['req_per_s']:.2f}"
            line += f" {prate:>12} | {pp95:>7} | {perrors:>6} | {ratio:>6} |"
            if pnote:
                notes.append(f"{peer_name}: {pnote}")
        print(line + " " + "; ".join(notes))


def peer_maker(args):
    """A function that starts the peer on a fresh database, or None when it cannot be had."""
    try:
        import peer_pretix

        peer_pretix.ensure_installed()
    except Exception as exc:  # noqa: BLE001  (the peer failing must not hide our figures)
        traceback.print_exc()
        print(f"\n{args.peer} could not be installed: {exc}\n", file=sys.stderr)
        return None
    return lambda w: peer_pretix.Pretix(w, args.workers)


def saved_peer(args) -> dict | None:
    saved = BENCH / "results" / f"peer-{args.peer}.json"
    if not saved.exists():
        print(f"no saved {args.peer} run at {saved}: measuring it", file=sys.stderr)
        return None
    record = json.loads(saved.read_text())
    print(f"{args.peer}: reusing {saved.name} ({record['when']}, {record['args']})")
    return record["phases"]


def save_peer(args, phases: dict) -> None:
    saved = BENCH / "results" / f"peer-{args.peer}.json"
    saved.parent.mkdir(exist_ok=True)
    record = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "args": {k: getattr(args, k) for k in ("seconds", "clients", "runs", "tickets", "workers")},
        "load": os.getloadavg(),
        "phases": phases,
    }
    saved.write_text(json.dumps(record, indent=2))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase (20)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--runs", type=int, default=1, help="runs; the table shows the median")
    parser.add_argument("--tickets", type=int, default=6000, help="tickets bought for check-in")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--peer", choices=["pretix"], help="also run the phases against a peer")
    parser.add_argument("--only-peer", action="store_true", help="skip our side")
    parser.add_argument(
        "--reuse-peer", action="store_true", help="take the peer's figures from its last saved run"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-peer-"))
    load_before = os.getloadavg()
    ours: dict = {}
    makers: dict = {}
    if not args.only_peer:
        from peer_ours import Ours

        makers["ours"] = lambda w: Ours(w, args.workers)
    peer = saved_peer(args) if args.peer and args.reuse_peer else None
    if args.peer and peer is None:
        maker = peer_maker(args)
        if maker is not None:
            makers[args.peer] = maker
    try:
        results = bench(makers, args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ours = results.get("ours", {})
    if args.peer and args.peer in results:
        peer = results[args.peer]
        save_peer(args, peer)

    load_after = os.getloadavg()
    print(
        f"\n{args.clients} clients, gunicorn -w {args.workers}, {args.seconds:g} s per phase, "
        f"median of {args.runs} run(s), PostgreSQL; load average (1/5/15 min) before "
        + "/".join(f"{x:.2f}" for x in load_before)
        + ", after "
        + "/".join(f"{x:.2f}" for x in load_after)
    )
    print_table(ours, peer, args.peer or "peer")
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    record = {
        "args": vars(args),
        "load_before": load_before,
        "load_after": load_after,
        "ours": ours,
        "peer": peer or {},
    }
    (out / "peer.json").write_text(json.dumps(record, indent=2))
    bad_race = any(r["errors"] for r in ours.get("race", []))
    return 1 if bad_race else 0


if __name__ == "__main__":
    sys.exit(main())
