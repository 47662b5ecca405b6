"""The skeleton as a visitor meets it: pages, headers, errors, health."""

import pytest

from config import ProductionConfig
from marketplace import create_app


def test_home_lists_communities(client):
    from tests.factories import make_community

    make_community("huu-lien", name={"vi": "Làng Hữu Liên", "en": "Huu Lien village"})
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Huu Lien village" in page


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly(client):
    from tests.factories import login, make_user

    response = login(client, make_user())
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("HttpOnly" in c for c in cookies)


def test_not_found_page_speaks_the_visitors_language(client):
    vi = client.get("/no-such-page", headers={"Accept-Language": "vi"})
    en = client.get("/no-such-page?lang=en")
    assert vi.status_code == en.status_code == 404
    assert "Không tìm thấy trang" in vi.get_data(as_text=True)
    assert "Page not found" in en.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_refuses_debug(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="debug"):
        ProductionConfig.validate()


def test_production_sends_hsts_and_secure_cookies(monkeypatch, tmp_path):
    from tests.web.test_limits_and_settings import SAFE_PRODUCTION_ENV

    for name, value in SAFE_PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'p.sqlite'}"
    with app.test_client() as c:
        response = c.get("/healthz")
    assert "max-age" in response.headers.get("Strict-Transport-Security", "")
