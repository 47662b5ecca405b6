"""iCal safety both ways: feed addresses the host can rotate, and a fetch that cannot be turned
against our own network, held for minutes, filled up, or made to show what it fetched."""

import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from marketplace.extensions import db
from marketplace.gateways import ical_fetch
from marketplace.gateways.ical_fetch import FetchError, is_public_address
from marketplace.models import ExternalCalendar
from marketplace.services.catalogue import calendars
from tests.factories import login, make_listing

FEED = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nEND:VCALENDAR\r\n"
PUBLIC_IP = "93.184.216.34"


# --- the address checks, on ipaddress values ---------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "ff0e::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:169.254.169.254",
        "::ffff:8.8.8.8",  # mapped forms are never connected to
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "2002:c0a8:101::",  # 6to4 of 192.168.1.1
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "64:ff9b:1::a00:1",  # local-use NAT64
    ],
)
def test_internal_addresses_and_their_disguises_are_refused(address):
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", PUBLIC_IP, "2606:4700::1111", "2002:808:808::1"])
def test_public_addresses_are_allowed(address):
    assert is_public_address(ipaddress.ip_address(address))


def test_embedded_ipv4_is_read_from_every_form():
    for address in ("::ffff:10.0.0.1", "2002:a00:1::", "64:ff9b::a00:1"):
        assert ical_fetch.embedded_ipv4(ipaddress.ip_address(address)) == ipaddress.ip_address(
            "10.0.0.1"
        )


# --- a simulated internet: names answered by a fake resolver, the public IP served locally ------


class _Server:
    def __init__(self, handler):
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.requests.append({"path": self.path, "host": self.headers.get("Host")})
                handler(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.port = self.httpd.server_port
        self.base = f"http://127.0.0.1:{self.port}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve():
    servers = []

    def start(handler):
        servers.append(_Server(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _reply(status=200, body=FEED, headers=()):
    def handler(request):
        request.send_response(status)
        for name, value in headers:
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handler


@pytest.fixture
def internet(monkeypatch):
    """DNS answers set per name (a list: one answer per lookup, the last repeats); connections
    to PUBLIC_IP:80 reach the local server given as `internet.serve_public(server)`."""
    answers: dict[str, list[str]] = {}
    lookups: list[str] = []
    connected: list[tuple] = []
    public = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            raise socket.gaierror("no such name")
        lookups.append(host)
        queue = answers[host]
        ip = queue.pop(0) if len(queue) > 1 else queue[0]
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (ip, port))]

    def create_connection(address, *args, **kwargs):
        connected.append(address)
        if address[0] == PUBLIC_IP and "server" in public:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.settimeout(args[0] if args else kwargs.get("timeout"))
            sock.connect(("127.0.0.1", public["server"].port))
            return sock
        raise ConnectionRefusedError("unreachable in tests")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)

    class Net:
        pass

    net = Net()
    net.answers, net.lookups, net.connected = answers, lookups, connected
    net.serve_public = lambda server: public.__setitem__("server", server)
    return net


def test_the_fetch_connects_to_the_address_it_checked(internet, serve):
    """A rebinding DNS server answers public first and loopback after: there is no second lookup."""
    server = serve(_reply())
    internet.serve_public(server)
    internet.answers["calendar.example"] = [PUBLIC_IP, "127.0.0.1"]

    assert ical_fetch.fetch("http://calendar.example/cal.ics") == FEED
    assert internet.lookups == ["calendar.example"]
    assert internet.connected == [(PUBLIC_IP, 80)]
    assert server.requests == [{"path": "/cal.ics", "host": "calendar.example"}]


def test_a_name_with_any_internal_answer_is_refused_before_connecting(internet):
    internet.answers["mixed.example"] = [PUBLIC_IP]
    internet.answers["inside.example"] = ["::ffff:10.0.0.7"]
    for host in ("inside.example", "127.0.0.1", "[::1]", "169.254.169.254"):
        internet.answers.setdefault(host.strip("[]"), [host.strip("[]")])
        with pytest.raises(FetchError) as excinfo:
            ical_fetch.fetch(f"http://{host}/cal.ics")
        assert excinfo.value.code == "private_address"
    assert internet.connected == []


def test_no_redirect_into_internal_addresses(internet, serve):
    server = serve(_reply(302, b"", [("Location", "http://169.254.169.254/latest/meta-data")]))
    internet.serve_public(server)
    internet.answers["calendar.example"] = [PUBLIC_IP]
    internet.answers["169.254.169.254"] = ["169.254.169.254"]
    with pytest.raises(FetchError) as excinfo:
        ical_fetch.fetch("http://calendar.example/cal.ics")
    assert excinfo.value.code == "private_address"
    assert internet.connected == [(PUBLIC_IP, 80)] and len(server.requests) == 1


def test_loopback_is_refused_when_the_setting_is_off(app, serve):
    server = serve(_reply())
    app.config["ICAL_ALLOW_PRIVATE_HOSTS"] = False
    try:
        with pytest.raises(FetchError) as excinfo:
            calendars.fetch(f"{server.base}/cal.ics")
        assert excinfo.value.code == "private_address"
    finally:
        app.config["ICAL_ALLOW_PRIVATE_HOSTS"] = True
    assert server.requests == []
    assert calendars.fetch(f"{server.base}/cal.ics") == FEED  # allowed in tests only


# --- deadline and size -------------------------------------------------------------------------


def _trickle(request):
    request.send_response(200)
    request.send_header("Content-Length", "100")
    request.end_headers()
    try:
        for _ in range(100):
            request.wfile.write(b"X")
            request.wfile.flush()
            time.sleep(0.4)
    except OSError:
        pass


def test_a_trickling_feed_is_cut_at_the_overall_deadline(serve):
    server = serve(_trickle)
    started = time.monotonic()
    with pytest.raises(FetchError) as excinfo:
        ical_fetch.fetch(f"{server.base}/slow.ics", allow_private=True, deadline_seconds=1.5)
    assert excinfo.value.code == "too_slow"
    assert time.monotonic() - started < 3


def test_a_feed_over_the_size_cap_is_refused(serve):
    big = serve(_reply(body=b"A" * 3000))
    with pytest.raises(FetchError) as excinfo:
        ical_fetch.fetch(f"{big.base}/big.ics", allow_private=True, max_bytes=2000)
    assert excinfo.value.code == "too_large"

    def no_length(request):
        request.send_response(200)
        request.end_headers()
        request.wfile.write(b"B" * (2 * 1024 * 1024 + 10))

    streamed = serve(no_length)
    with pytest.raises(FetchError) as excinfo:
        ical_fetch.fetch(f"{streamed.base}/big.ics", allow_private=True)
    assert excinfo.value.code == "too_large"


# --- what the host sees ------------------------------------------------------------------------


def test_the_host_sees_a_plain_reason_never_the_fetched_content(client, serve):
    server = serve(_reply(body=b"root:x:0:0:INTERNAL-SECRET-CONTENT\n"))
    room = make_listing().room_types[0]
    calendar = ExternalCalendar(room_type=room, url=f"{server.base}/passwd")
    db.session.add(calendar)
    db.session.commit()

    result = calendars.sync_calendar(calendar)
    assert not result.ok and result.error and "INTERNAL-SECRET" not in result.error

    login(client, room.listing.host)
    page = client.get(f"/host/listings/{room.listing.id}?lang=en").get_data(as_text=True)
    assert "could not fetch the calendar: the file is not an iCal calendar" in page
    assert "INTERNAL-SECRET" not in page


def test_the_host_rotates_a_feed_address_and_the_old_one_is_gone(client):
    room = make_listing().room_types[0]
    old = calendars.feed_token(room)
    assert client.get(f"/host/calendar/feed/{old}.ics").status_code == 200

    login(client, room.listing.host)
    response = client.post(f"/host/calendar/{room.listing.id}/feeds/{room.id}/rotate")
    assert response.status_code == 302
    db.session.expire_all()
    new = db.session.get(type(room), room.id).ical_token
    assert new and new != old
    assert client.get(f"/host/calendar/feed/{old}.ics").status_code == 404
    assert client.get(f"/host/calendar/feed/{new}.ics").status_code == 200


def test_another_host_cannot_rotate_my_feed(client):
    room = make_listing().room_types[0]
    other = make_listing()
    old = calendars.feed_token(room)
    login(client, other.host)
    response = client.post(f"/host/calendar/{room.listing.id}/feeds/{room.id}/rotate")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(type(room), room.id).ical_token == old
