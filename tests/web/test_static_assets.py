"""Static files: hashed URLs cached for a year, compressed bodies, fixed-URL workers, a favicon."""

import gzip
import re
from pathlib import Path

import brotli
import pytest
from flask import url_for

from marketplace.assets import IMMUTABLE, SHORT, accepted_encoding
from marketplace.services.booking import tickets
from tests.factories import make_ticketed_booking

STATIC = Path(__file__).resolve().parents[2] / "static"


def static_url(app, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_pages_link_static_files_under_a_content_hash_cached_for_a_year(app, client):
    page = client.get("/account/login").get_data(as_text=True)
    links = re.findall(r'href="(/static/[^"]+)"', page)
    assert any(link.startswith("/static/css/app.css?v=") for link in links)
    assert any(link.startswith("/static/vendor/pico/pico.min.css?v=") for link in links)
    for link in links:
        response = client.get(link)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE


def test_the_hash_changes_with_the_content(app, tmp_path):
    from flask import Flask

    from marketplace import assets

    site = Flask("hashing", static_folder=str(tmp_path), static_url_path="/static")
    assets.init_app(site)
    css = tmp_path / "site.css"
    css.write_text("body { color: red }")
    with site.test_request_context():
        first = url_for("static", filename="site.css")
        css.write_text("body { color: blue }")
        second = url_for("static", filename="site.css")
    assert first != second and second.startswith("/static/site.css?v=")


def test_plain_and_stale_urls_still_work_with_a_short_cache(client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=0123456789ab"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == SHORT
        assert response.data == (STATIC / "css/app.css").read_bytes()


@pytest.mark.parametrize("encoding,decode", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_text_files_are_sent_compressed_when_the_browser_accepts_it(app, client, encoding, decode):
    url = static_url(app, "vendor/pico/pico.min.css")
    response = client.get(url, headers={"Accept-Encoding": f"gzip, deflate, {encoding}"})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.mimetype == "text/css"
    original = (STATIC / "vendor/pico/pico.min.css").read_bytes()
    assert decode(response.data) == original
    assert len(response.data) < len(original) / 5
    # revalidation answers 304 without a body
    again = client.get(
        url, headers={"Accept-Encoding": encoding, "If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_no_compression_unless_asked_nor_for_images_and_tiny_files(app, client):
    plain = client.get(static_url(app, "css/app.css"))
    assert "Content-Encoding" not in plain.headers
    for name in ("img/favicon.svg", "img/favicon.ico"):
        response = client.get(static_url(app, name), headers={"Accept-Encoding": "br, gzip"})
        assert response.status_code == 200 and "Content-Encoding" not in response.headers
        assert response.data == (STATIC / name).read_bytes()


def test_accepted_encoding_prefers_brotli_and_honours_refusals():
    assert accepted_encoding("gzip, deflate, br") == "br"
    assert accepted_encoding("gzip;q=0.8, br;q=0") == "gzip"
    assert accepted_encoding("identity") is None
    assert accepted_encoding("*") == "br"
    assert accepted_encoding("br;q=bogus, gzip") == "gzip"


def test_html_pages_are_compressed(client):
    for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = client.get("/account/login", headers={"Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        assert b"</html>" in decode(response.data)


def test_service_workers_keep_fixed_urls_and_are_always_revalidated(app, client):
    for url in ("/t/sw.js", "/checkin/sw.js", "/static/js/ticket-sw.js"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"


def test_the_scanner_worker_keeps_plain_paths_that_exist(client):
    worker = client.get("/checkin/sw.js").get_data(as_text=True)
    assets = re.search(r"const ASSETS = (\[.*?\]);", worker).group(1)
    paths = re.findall(r'"(/static/[^"]+)"', assets)
    assert paths and all("?" not in path for path in paths)
    for path in paths:
        assert client.get(path).status_code == 200


def test_the_ticket_page_loads_its_script_under_a_hash(client):
    secret = tickets.tickets_of(make_ticketed_booking())[0].secret
    page = client.get(f"/t/{secret}").get_data(as_text=True)
    assert re.search(r'src="/static/js/ticket\.js\?v=[0-9a-f]{12}"', page)
    assert "data-offline-kept" in page


def test_favicon(app, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    assert "max-age" in response.headers["Cache-Control"]
    page = client.get("/account/login").get_data(as_text=True)
    assert 'rel="icon" href="/static/img/favicon.svg?v=' in page


def test_missing_and_outside_files_are_404(client):
    assert client.get("/static/css/nothing-here.css").status_code == 404
    assert client.get("/static/../config.py").status_code == 404
    assert client.get("/static/%2e%2e/config.py").status_code == 404


def test_static_files_do_not_vary_on_the_session_cookie(app, client):
    client.get("/?lang=en")  # a session cookie exists
    response = client.get(static_url(app, "css/app.css"), headers={"Accept-Encoding": "br"})
    assert "Cookie" not in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers
    page = client.get("/account/login")
    assert "Cookie" in page.headers["Vary"]


def test_compression_can_be_left_to_a_proxy(tmp_path):
    from marketplace import create_app

    site = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/plain.sqlite",
            "COMPRESS_RESPONSES": False,
        }
    )
    client = site.test_client()
    response = client.get(static_url(site, "css/app.css"), headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in response.headers
    assert response.headers["Cache-Control"] == IMMUTABLE
    page = client.get("/account/login", headers={"Accept-Encoding": "br"})
    assert page.status_code == 200 and "Content-Encoding" not in page.headers
