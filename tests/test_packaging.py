"""The wheel: built from the sources, installed where no checkout is in sight, it serves the site.

The wheel must carry templates, static files, compiled translations and migrations, and must
leave the developer tools (demo data, the Stripe emulator) out. A fresh virtualenv gets the wheel
alone; its dependencies come from this environment's site-packages through a .pth file (nothing
is downloaded), which adds their folder without running the editable install's import hook, so
`marketplace` can only come from the wheel. gunicorn and the Flask CLI then run from an empty
temporary folder with no PYTHONPATH.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("marketplace", "templates", "static", "translations", "migrations")
BUILD_FILES = ("pyproject.toml", "setup.py")
FIND_PACKAGE = "import importlib.util; print(importlib.util.find_spec('marketplace').origin)"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the sources (the checkout gets no build/ folder)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.egg-info")
    for name in SOURCES:
        shutil.copytree(ROOT / name, source / name, ignore=skip)
    for name in BUILD_FILES:
        shutil.copy2(ROOT / name, source / name)
    dist = work / "dist"
    # no build isolation: setuptools and Babel come from this environment (the dev lock)
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
    command += ["--no-build-isolation", "--wheel-dir", str(dist), str(source)]
    subprocess.run(command, check=True, cwd=work, timeout=120)
    (built,) = dist.glob("marketplace-*.whl")
    return built


@pytest.fixture(scope="module")
def site_python(wheel, tmp_path_factory) -> Path:
    """A virtualenv holding the wheel, its dependencies reachable from this environment."""
    target = tmp_path_factory.mktemp("venv") / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    ours = sysconfig.get_paths()
    folders = dict.fromkeys([ours["purelib"], ours["platlib"]])
    Path(purelib.strip(), "dependencies.pth").write_text("\n".join(folders) + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, timeout=120)
    return python


def _clean_env(**extra) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "FLASK_", "MARKETPLACE_", "TEST_DATABASE"))
        and key not in ("DATABASE_URL", "INSTANCE_PATH", "UPLOAD_FOLDER", "MAIL_OUTBOX")
    }
    env.update(extra)
    return env


def _run(python: Path, *args: str, cwd: Path | None = None, env=None) -> str:
    done = subprocess.run(
        [str(python), *args],
        cwd=cwd or Path(python).parent,
        env=env or _clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def test_the_wheel_carries_the_site_and_leaves_the_developer_tools_out(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "marketplace/templates/base.html" in names
    assert "marketplace/static/css/app.css" in names
    assert "marketplace/static/vendor/pico/pico.min.css" in names
    for language in ("vi", "en", "zh", "ko"):
        assert f"marketplace/translations/{language}/LC_MESSAGES/messages.mo" in names
    assert "marketplace/migrations/env.py" in names
    assert any(re.fullmatch(r"marketplace/migrations/versions/\w+\.py", n) for n in names)
    assert "marketplace/wsgi.py" in names and "marketplace/config.py" in names

    assert not [n for n in names if n.startswith("marketplace/devtools/")]
    assert not [n for n in names if "demo" in n or "stripe_emulator" in n]
    assert not [n for n in names if n.endswith(".po") or "__pycache__" in n]
    assert not [n for n in names if n.startswith("marketplace/static/vendor/pico/source/")]


def test_the_installed_wheel_migrates_and_serves_pages_from_any_folder(site_python, tmp_path):
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = _clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite'}",
        INSTANCE_PATH=str(tmp_path / "instance"),
        RATELIMIT_ENABLED="false",
    )
    # where `import marketplace` looks from there (found, not run: each start costs seconds)
    found = _run(site_python, "-c", FIND_PACKAGE, cwd=workdir, env=env)
    package = Path(found.strip()).parent
    assert package.is_relative_to(site_python.parent.parent)
    assert (package / "templates").is_dir() and not (package / "devtools").exists()

    flask = ("-m", "flask", "--app", "marketplace.wsgi")
    _run(site_python, *flask, "db", "upgrade", cwd=workdir, env=env)
    commands = _run(site_python, *flask, "--help", cwd=workdir, env=env)
    listed = re.findall(r"^  (\w+)", commands.split("Commands:")[1], re.MULTILINE)
    assert "users" in listed and "demo" not in listed  # no developer tools: no `flask demo`

    port = _free_port()
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [str(site_python), "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
        + ["marketplace.wsgi:app"],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = _get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        assert status == 200

        status, kind, body = _get(f"{base}/?lang=ko")
        assert status == 200 and kind.startswith("text/html")
        page = body.decode()
        assert "로그인" in page  # "Log in" from the compiled Korean catalogue
        css = re.search(r'href="(/static/css/app[^"]*\.css[^"]*)"', page)
        assert css, "the page links its stylesheet"
        status, kind, body = _get(base + css.group(1).replace("&amp;", "&"))
        assert status == 200 and kind.startswith("text/css") and b"{" in body
    finally:
        server.terminate()
        server.wait(timeout=30)
