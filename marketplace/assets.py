"""Static files and compression: what a phone on a slow mountain link downloads, and how often.

- `url_for('static', filename=...)` adds `?v=<content hash>`; that URL is answered with a year-long
  `immutable` cache, so a page visited again asks for nothing. The same file without the hash (a
  module's relative `import`, an old link) still works, with a short max-age. A query rather than
  a renamed file keeps every template, the scanner's offline list and relative ES-module imports
  working unchanged, and needs no build step or manifest to deploy.
- Text files are compressed once (brotli 11, gzip 9) and kept in memory, keyed by the file's
  size and mtime, so they are never compressed per request; HTML and JSON are compressed per
  response by Flask-Compress. Images are sent as they are, and nothing under `MIN_SIZE`.
- Service worker scripts keep fixed URLs and are always revalidated.
"""

import gzip
import hashlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import brotli
from flask import Flask, Response, abort, request, send_from_directory
from flask.sessions import SecureCookieSessionInterface
from flask_compress import Compress
from werkzeug.security import safe_join

#: hashed URLs: the content never changes under them
IMMUTABLE = "public, max-age=31536000, immutable"
#: the same files without a hash: fresh enough after a deployment, still cheap for a return visit
SHORT = "public, max-age=600"
#: service workers: the browser must see a new version at once
REVALIDATE = "no-cache"
SERVICE_WORKERS = {"js/ticket-sw.js"}
#: below this, compression costs more than the bytes it saves
MIN_SIZE = 1024
#: text types worth compressing; images (JPEG, PNG, ICO) are compressed already
TEXT_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain",
}
#: dynamic responses compressed by Flask-Compress
COMPRESS_MIMETYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "text/csv",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/manifest+json",
    "image/svg+xml",
]

compress = Compress()


@dataclass
class Asset:
    """One static file as read from disk: its hash and, made on demand, compressed bodies."""

    stamp: tuple[int, int]
    digest: str
    body: bytes | None = None
    encoded: dict[str, bytes] = field(default_factory=dict)


class StaticFiles:
    """Hashes and compressed bodies of the files in one folder, shared by every app instance."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._assets: dict[str, Asset] = {}
        self._lock = threading.Lock()

    def _path(self, filename: str) -> str | None:
        path = safe_join(self.folder, filename)
        return path if path and os.path.isfile(path) else None

    def asset(self, filename: str) -> Asset | None:
        path = self._path(filename)
        if path is None:
            return None
        stat = os.stat(path)
        stamp = (stat.st_size, stat.st_mtime_ns)
        known = self._assets.get(filename)
        if known is not None and known.stamp == stamp:
            return known
        data = Path(path).read_bytes()
        asset = Asset(stamp=stamp, digest=hashlib.sha256(data).hexdigest()[:12])
        if Path(path).suffix in TEXT_TYPES and len(data) >= MIN_SIZE:
            asset.body = data
        with self._lock:
            self._assets[filename] = asset
        return asset

    def digest(self, filename: str) -> str | None:
        asset = self.asset(filename)
        return asset.digest if asset else None

    def encoded(self, asset: Asset, encoding: str) -> bytes:
        if encoding not in asset.encoded:
            if encoding == "br":
                body = brotli.compress(asset.body, quality=11)
            else:
                body = gzip.compress(asset.body, compresslevel=9, mtime=0)
            asset.encoded[encoding] = body
        return asset.encoded[encoding]


_folders: dict[str, StaticFiles] = {}


def static_files(app: Flask) -> StaticFiles:
    folder = os.path.abspath(app.static_folder)
    if folder not in _folders:
        _folders[folder] = StaticFiles(folder)
    return _folders[folder]


def accepted_encoding(header: str) -> str | None:
    """br when the client takes it, else gzip, else none (a q=0 refuses)."""
    offered = {}
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        offered[name.strip().lower()] = quality
    for encoding in ("br", "gzip"):
        if offered.get(encoding, offered.get("*", 0.0)) > 0:
            return encoding
    return None


def cache_control(filename: str, asked: str | None, digest: str) -> str:
    if filename in SERVICE_WORKERS:
        return REVALIDATE
    # a stale hash (a page from before a deployment) must not pin the new content for a year
    return IMMUTABLE if asked == digest else SHORT


class StaticWithoutSession(SecureCookieSessionInterface):
    """Static responses carry no session cookie and no `Vary: Cookie`.

    Flask-Login touches the session after every request, and Flask then adds `Vary: Cookie`:
    browsers would revalidate year-long files whenever the session cookie changed (a login).
    """

    def save_session(self, app, session, response) -> None:
        if request.endpoint == "static":
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    if type(app.session_interface) is SecureCookieSessionInterface:
        app.session_interface = StaticWithoutSession()
    # COMPRESS_RESPONSES=0: a proxy in front compresses instead
    enabled = app.config.setdefault(
        "COMPRESS_RESPONSES", os.environ.get("COMPRESS_RESPONSES", "1") not in ("0", "false")
    )
    app.config.setdefault("COMPRESS_REGISTER", enabled)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_MIN_SIZE", MIN_SIZE)
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESS_MIMETYPES)
    # streamed responses (exports) keep streaming
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)
    files = static_files(app)

    @app.url_defaults
    def _hash_static_urls(endpoint: str, values: dict) -> None:
        # `v=None` asks for the plain URL (a service worker that matches by path)
        if endpoint == "static" and "v" not in values and "filename" in values:
            digest = files.digest(values["filename"])
            if digest:
                values["v"] = digest

    def serve_static(filename: str):
        asset = files.asset(filename)
        if asset is None:
            abort(404)
        control = cache_control(filename, request.args.get("v"), asset.digest)
        encoding = enabled and accepted_encoding(request.headers.get("Accept-Encoding", ""))
        if asset.body is None or not encoding:
            response = send_from_directory(files.folder, filename, max_age=None)
            response.headers["Cache-Control"] = control
            if asset.body is not None:
                response.vary.add("Accept-Encoding")
            return response
        response = Response(
            files.encoded(asset, encoding), mimetype=TEXT_TYPES[Path(filename).suffix]
        )
        response.headers["Content-Encoding"] = encoding
        response.headers["Cache-Control"] = control
        response.vary.add("Accept-Encoding")
        response.set_etag(f"{asset.digest}-{encoding}")
        return response.make_conditional(request)

    app.view_functions["static"] = serve_static

    @app.get("/favicon.ico")
    def favicon():
        """Browsers ask for it on every site; pages link the SVG under a hashed URL."""
        response = send_from_directory(files.folder, "img/favicon.ico", max_age=86400)
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response
