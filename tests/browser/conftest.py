"""A real browser (Debian Chromium through Playwright) against the app served on a local port."""

import os
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_instance():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{CHROMIUM} is required here (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser_instance):
    """A fresh browser context at phone size; close it at the end."""
    context = browser_instance.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    yield context
    context.close()


@pytest.fixture
def shot():
    """Save a full-page screenshot under tests/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def wait_until():
    """Poll a script in the page until it is true: `page.wait_for_function` evaluates its string
    with eval when it has to poll, which our Content-Security-Policy (no 'unsafe-eval') forbids."""

    def wait(page, script: str, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while not page.evaluate(script):
            assert time.monotonic() < deadline, f"still false after {seconds} s: {script}"
            page.wait_for_timeout(100)

    return wait
