"""Fetching a host's external iCal feed without letting the address reach inside our network.

The server fetches addresses that hosts type in, so each fetch:
- resolves the name once, refuses it when any answer is internal (loopback, private, link-local,
  multicast, reserved, shared/CGNAT, and the IPv4-mapped, 6to4 and NAT64 forms of those), then
  connects to exactly that checked address: no second lookup for a rebinding DNS server to answer
  differently. TLS still verifies the certificate against the host name (SNI and Host header);
- follows at most MAX_REDIRECTS redirects, each one checked the same way;
- stops at an overall deadline (not per read: a server trickling a byte every few seconds is cut)
  and at a size cap.
Errors are FetchError with a code and a plain reason; none of them carries fetched content.
"""

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from urllib.parse import urljoin, urlsplit

DEADLINE_SECONDS = 10.0
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 3
USER_AGENT = "mountain-homestays-ical/1"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_SHARED = ipaddress.ip_network("100.64.0.0/10")


class FetchError(ValueError):
    """A feed that could not be fetched; `code` names why, str() is a plain English reason."""

    def __init__(self, code: str, reason: str, status: int | None = None):
        super().__init__(reason)
        self.code = code
        self.status = status


def _plain_is_public(address: IPAddress) -> bool:
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (address.version == 4 and address in _SHARED)
        or not address.is_global
    )


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped ::ffff:, 6to4, NAT64), if any."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _SIX_TO_FOUR:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress | str) -> bool:
    """Whether a fetch may connect to `address` (it and any IPv4 inside it are public)."""
    address = ipaddress.ip_address(address)
    if address.version == 6 and (address.ipv4_mapped is not None or address in _NAT64_LOCAL):
        return False  # never connect through a mapped form, whatever it maps to
    inner = embedded_ipv4(address)
    if inner is not None and not _plain_is_public(inner):
        return False
    return _plain_is_public(address)


def resolve_checked(host: str, port: int, allow_private: bool = False) -> IPAddress:
    """Resolve `host` once and return the address to connect to; refuse internal answers."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchError("not_found", "the address could not be found") from None
    addresses = []
    for info in infos:
        try:
            addresses.append(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]))
        except ValueError:
            continue
    if not addresses:
        raise FetchError("not_found", "the address could not be found")
    if not allow_private and not all(is_public_address(a) for a in addresses):
        raise FetchError("private_address", "the address points inside a private network")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked IP; the Host header still names the host."""

    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self):
        self.sock = socket.create_connection((str(self._ip), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked IP; SNI and certificate checks use the host name."""

    def __init__(self, host, port, ip, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self._ip = ip

    def connect(self):
        raw = socket.create_connection((str(self._ip), self.port), self.timeout)
        # handshake after self.sock is set, so the watchdog can cut a handshake that trickles
        self.sock = self._context.wrap_socket(
            raw, server_hostname=self.host, do_handshake_on_connect=False
        )
        self.sock.do_handshake()


def _split(url: str):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("bad_scheme", "only http and https calendar addresses")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError("bad_scheme", "only http and https calendar addresses") from None
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts, port, target


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError("too_slow", "the server took too long")
    return left


def _get_once(url, deadline, allow_private, max_bytes, tls_context):
    """One GET: (status, location or None, body or None)."""
    parts, port, target = _split(url)
    ip = resolve_checked(parts.hostname, port, allow_private)
    timeout = _remaining(deadline)
    if parts.scheme == "https":
        conn = _PinnedHTTPSConnection(parts.hostname, port, ip, timeout, tls_context)
    else:
        conn = _PinnedHTTPConnection(parts.hostname, port, ip, timeout)
    held: list = []
    # the watchdog shuts the socket at the deadline, whatever a trickling server is doing
    watchdog = threading.Timer(timeout, _shut, args=(conn, held))
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": "text/calendar"})
        held.append(conn.sock)  # http.client lets go of it after a "close" response
        held[0].settimeout(_remaining(deadline))
        response = conn.getresponse()
        held.append(response)
        if response.status in (301, 302, 303, 307, 308):
            return response.status, response.getheader("Location"), None
        if response.status != 200:
            raise FetchError(
                "http_status", f"the server answered {response.status}", response.status
            )
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError("too_large", "the calendar is too large")
        chunks, size = [], 0
        while True:
            held[0].settimeout(_remaining(deadline))
            chunk = response.read1(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchError("too_large", "the calendar is too large")
            chunks.append(chunk)
        _remaining(deadline)  # a cut at the deadline ends the loop too: report it as such
        return 200, None, b"".join(chunks)
    except FetchError:
        raise
    except ssl.SSLError:
        _remaining(deadline)
        raise FetchError("tls", "the server's certificate could not be verified") from None
    except TimeoutError:
        raise FetchError("too_slow", "the server took too long") from None
    except (OSError, http.client.HTTPException):
        _remaining(deadline)
        raise FetchError("connect_failed", "the server could not be reached") from None
    finally:
        watchdog.cancel()
        for item in reversed(held):
            item.close()
        conn.close()


def _shut(conn, held: list) -> None:
    sock = held[0] if held else conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    deadline_seconds: float = DEADLINE_SECONDS,
    max_bytes: int = MAX_BYTES,
    tls_context: ssl.SSLContext | None = None,
) -> bytes:
    """The body of `url` (at most `max_bytes`, within `deadline_seconds`); raises FetchError."""
    deadline = time.monotonic() + deadline_seconds
    context = tls_context or ssl.create_default_context()
    for _hop in range(MAX_REDIRECTS + 1):
        status, location, body = _get_once(url, deadline, allow_private, max_bytes, context)
        if body is not None:
            return body
        if not location:
            raise FetchError("http_status", f"the server answered {status}", status)
        url = urljoin(url, location)
    raise FetchError("too_many_redirects", "the calendar address redirects too often")
