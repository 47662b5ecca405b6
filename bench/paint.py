"""First paint on a slow phone network: `.venv/bin/python bench/paint.py [--runs 3]`.

Starts the app on a local port with the demo data (photos included) in a temporary SQLite file,
then opens home, search, a listing and the booking form in Debian Chromium at 360 px under slow
3G emulated through CDP (400 ms round trip, 400 kbit/s down and up) and prints, per page:

- bytes transferred before first contentful paint: on the wire (compressed, headers included)
  and decoded (the bodies as the browser uses them), the document and every resource that had
  finished by then;
- first contentful paint, cold (a new browser context: empty cache) and warm (the same page
  loaded again in that context);
- the CSS and JS a first visit downloads, compressed.

It fails when any request leaves for another host. Medians over --runs.
"""

import argparse
import logging
import statistics
import sys
import tempfile
import threading
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

#: slow 3G as measured on the road to the villages: 400 ms round trip, 400 kbit/s both ways
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}
VIEWPORT = {"width": 360, "height": 780}
LISTING_KEY = "yen-thinh-nha-san-ba-huong"

#: run in the page once it has loaded: FCP and what had arrived by then (one clock for both)
MEASURE = """
async () => {
  const fcp = await new Promise((resolve) => {
    const found = performance.getEntriesByName("first-contentful-paint")[0];
    if (found) return resolve(found.startTime);
    new PerformanceObserver((list, observer) => {
      observer.disconnect();
      resolve(list.getEntries()[0].startTime);
    }).observe({ type: "paint", buffered: true });
    setTimeout(() => resolve(null), 20000);
  });
  const entries = [...performance.getEntriesByType("navigation"),
                   ...performance.getEntriesByType("resource")];
  const before = entries.filter((e) => e.responseEnd <= fcp);
  const sum = (list, key) => list.reduce((total, e) => total + (e[key] || 0), 0);
  const assets = entries.filter((e) => e.initiatorType === "link" || e.initiatorType === "script"
                                       || /\\.(css|js)(\\?|$)/.test(e.name));
  return {
    fcp,
    wire: sum(before, "transferSize"),
    decoded: sum(before, "decodedBodySize"),
    assetsWire: sum(assets, "encodedBodySize"),
    assetsDecoded: sum(assets, "decodedBodySize"),
    requests: entries.length,
  };
}
"""


def build_app(tmp: str):
    from marketplace import create_app
    from marketplace.devtools import demo
    from marketplace.extensions import db

    app = create_app(
        {
            "ENV_NAME": "test",
            "TESTING": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/paint.sqlite",
            "RATELIMIT_ENABLED": False,
            "UPLOAD_FOLDER": f"{tmp}/uploads",
        }
    )
    app.instance_path = tmp
    with app.app_context():
        db.create_all()
        demo.seed(with_photos=True)
    return app


def pages(app) -> dict[str, str]:
    from sqlalchemy import select

    from marketplace.clock import business_today
    from marketplace.extensions import db
    from marketplace.models import Listing

    with app.app_context():
        listing = db.session.scalar(select(Listing).where(Listing.key == LISTING_KEY))
        room = next(rt for rt in listing.room_types if rt.max_guests >= 2)
        check_in = business_today() + timedelta(days=14)
        check_out = check_in + timedelta(days=2)
        return {
            "home": "/",
            "search": f"/search?check_in={check_in}&check_out={check_out}&guests=2",
            "listing": f"/l/{LISTING_KEY}?check_in={check_in}&check_out={check_out}&guests=2",
            "booking form": (
                f"/book?room_type_id={room.id}&check_in={check_in}"
                f"&check_out={check_out}&rooms=1&guests=2"
            ),
        }


def load(context, url: str, outside: list[str]) -> dict:
    page = context.new_page()
    host = urlsplit(url).hostname

    def watch(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != host:
            outside.append(request.url)

    page.on("request", watch)
    cdp = context.new_cdp_session(page)
    # bytes as they arrive and the paint, on the browser's one clock: a document still streaming
    # when the page first paints counts with what had arrived by then. Chromium gives the wire
    # size per request only when it finishes, so a partly received one counts pro rata.
    chunks: list[tuple[str, float, int]] = []
    finished: dict[str, int] = {}
    paints: list[float] = []
    cdp.on(
        "Network.dataReceived",
        lambda e: chunks.append((e["requestId"], e["timestamp"], e["dataLength"])),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: finished.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    cdp.on(
        "Page.lifecycleEvent",
        lambda e: paints.append(e["timestamp"]) if e["name"] == "firstContentfulPaint" else None,
    )
    cdp.send("Network.enable")
    cdp.send("Page.enable")
    cdp.send("Page.setLifecycleEventsEnabled", {"enabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    page.goto(url, wait_until="load", timeout=120_000)
    result = page.evaluate(MEASURE)
    page.close()
    if paints:
        painted = min(paints)
        total: dict[str, int] = {}
        before: dict[str, int] = {}
        for request_id, at, size in chunks:
            total[request_id] = total.get(request_id, 0) + size
            if at <= painted:
                before[request_id] = before.get(request_id, 0) + size
        result["decoded"] = sum(before.values())
        result["wire"] = sum(
            finished.get(request_id, 0) * size / total[request_id]
            for request_id, size in before.items()
            if total[request_id]
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(tmp)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        outside: list[str] = []
        rows = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
                )
                for name, path in pages(app).items():
                    cold, warm = [], []
                    for _ in range(args.runs):
                        context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
                        cold.append(load(context, base + path, outside))
                        warm.append(load(context, base + path, outside))
                        context.close()
                    rows.append((name, cold, warm))
                browser.close()
        finally:
            server.shutdown()

    def median(runs, key):
        return statistics.median(r[key] for r in runs)

    print(f"slow 3G (400 ms RTT, 400 kbit/s), 360 px, median of {args.runs} runs")
    print(
        f"{'page':<13} {'wire KB':>8} {'decoded KB':>11} {'CSS+JS KB':>10} "
        f"{'cold FCP s':>11} {'warm FCP s':>11} {'warm wire KB':>13}"
    )
    for name, cold, warm in rows:
        print(
            f"{name:<13} {median(cold, 'wire') / 1024:8.1f} {median(cold, 'decoded') / 1024:11.1f} "
            f"{median(cold, 'assetsWire') / 1024:10.1f} {median(cold, 'fcp') / 1000:11.2f} "
            f"{median(warm, 'fcp') / 1000:11.2f} {median(warm, 'wire') / 1024:13.1f}"
        )
    print("wire: bytes received before first paint (compressed, with headers); decoded: bodies")
    print("CSS+JS: stylesheets and scripts of a first visit, compressed bodies")
    if outside:
        print(f"FAIL: {len(outside)} requests to another host, e.g. {outside[0]}")
        sys.exit(1)
    print("no request left for another host")


if __name__ == "__main__":
    main()
