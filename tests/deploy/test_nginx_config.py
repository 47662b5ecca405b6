"""The nginx site in deploy/ is valid, and the rehearsal's loopback copy of it too."""

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = (ROOT / "deploy" / "nginx" / "marketplace.conf").read_text()


def _rehearsal():
    spec = importlib.util.spec_from_file_location("rehearsal", ROOT / "deploy" / "rehearsal.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _nginx():
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("nginx is not installed and REQUIRE_SERVICES=1")
        pytest.skip("nginx is not installed")
    return found


def test_the_site_keeps_what_production_relies_on():
    for line in (
        "max_fails=3 fail_timeout=10s",
        "proxy_next_upstream error timeout http_502 http_503;",
        "proxy_set_header X-Request-ID $marketplace_request_id;",
        "location = /metrics { return 404; }",
        "ssl_certificate ",
    ):
        assert line in TEMPLATE, line
    assert "proxy_cache " not in TEMPLATE and "expires " not in TEMPLATE


def test_the_loopback_copy_passes_nginx_t(tmp_path):
    nginx = _nginx()
    rehearsal = _rehearsal()
    for part in ("logs", "temp"):
        (tmp_path / part).mkdir()
    config = tmp_path / "nginx.conf"
    config.write_text(rehearsal.nginx_config(TEMPLATE, tmp_path, 18080, [18001, 18002, 18003]))
    text = config.read_text()
    assert "listen 127.0.0.1:18080;" in text and "ssl_certificate" not in text
    assert text.count("max_fails=3 fail_timeout=10s;") == 3
    result = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp_path), "-e", "stderr", "-c", str(config)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
