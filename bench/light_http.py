"""The load clients' HTTP: what `requests.Session` offered the phases (`get`, `post` with `json`,
`headers`, a response's `status_code`, `headers` and `json()`), on the standard library's
`http.client`.

The clients share the machine's cores with the servers they measure. `requests` spent 0.9-1.0
ms of CPU per request here (`GET /healthz`), about a seventh of a whole check-in on our side and
a fortieth of one on pretix's: the client's cost weighed on the faster server. This one spends
0.33-0.39 ms, the same for both sides, and sends what a browser or a phone app sends
(keep-alive where the server keeps the connection, compressed answers accepted).
"""

import gzip
import http.client
import json as jsonlib
import zlib
from urllib.parse import urlsplit

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is in the dev tools
    brotli = None

#: what the clients accept, as `requests` with brotli installed sent
ACCEPT_ENCODING = "gzip, deflate, br" if brotli else "gzip, deflate"
#: what a failed request raises (a refused or dropped connection, a garbled answer)
ERRORS = (OSError, http.client.HTTPException)


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status_code = status
        self.headers = headers  # case-insensitive .get(), as requests' are
        self.content = body

    def json(self):
        return jsonlib.loads(self.content)


class Session:
    """One client's connection, reused while the server keeps it open (gunicorn's sync workers
    close it after every answer; `http.client` then opens the next one itself)."""

    def __init__(self):
        self.headers: dict[str, str] = {}
        self._connections: dict[str, http.client.HTTPConnection] = {}

    def get(self, url: str, headers: dict | None = None, timeout: float = 60) -> Response:
        return self.request("GET", url, headers=headers, timeout=timeout)

    def post(
        self, url: str, json=None, headers: dict | None = None, timeout: float = 60
    ) -> Response:
        return self.request("POST", url, json=json, headers=headers, timeout=timeout)

    def request(self, method, url, json=None, headers=None, timeout=60) -> Response:
        parts = urlsplit(url)
        connection = self._connections.get(parts.netloc)
        if connection is None:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
            self._connections[parts.netloc] = connection
        sent = {"Accept-Encoding": ACCEPT_ENCODING, **self.headers, **(headers or {})}
        body = None
        if json is not None:
            body = jsonlib.dumps(json).encode()
            sent["Content-Type"] = "application/json"
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(method, path or "/", body=body, headers=sent)
            answer = connection.getresponse()
            data = answer.read()
        except ERRORS:
            connection.close()
            raise
        return Response(answer.status, answer.headers, _decoded(answer.headers, data))

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()


def _decoded(headers, data: bytes) -> bytes:
    encoding = (headers.get("Content-Encoding") or "").strip().lower()
    if encoding == "br" and brotli is not None:
        return brotli.decompress(data)
    if encoding == "gzip":
        return gzip.decompress(data)
    if encoding == "deflate":
        return zlib.decompress(data)
    return data
