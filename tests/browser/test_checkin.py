"""The scanner on a phone: a fake camera shows it a ticket; offline scans wait and sync.

Chromium's fake camera plays a .y4m file: one 640x480 frame written here from a real ticket's
QR code is enough for jsQR to read it on the first frames.
"""

import time

import pytest
import qrcode
from PIL import Image
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.models import CheckIn, Role
from marketplace.services.booking import tickets
from marketplace.services.payments import host_payments, money_rules
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, PHONE
from tests.factories import PASSWORD, make_community, make_listing, make_ticketed_booking, make_user

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 640, 480


def write_y4m(text: str, path) -> None:
    """A single-frame 4:2:0 Y4M video of `text` as a QR code on white."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image().get_image().convert("L")
    side = min(HEIGHT - 40, image.width)
    image = image.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(image, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F30:1 Ip A1:1 C420jpeg\n".encode())
        out.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


@pytest.fixture
def camera_phone(browser_instance, tmp_path):
    """A phone-sized context in a Chromium whose camera shows the given text as a QR code."""
    launched = []

    def start(text: str):
        video = tmp_path / "ticket.y4m"
        write_y4m(text, video)
        browser = browser_instance.browser_type.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                *CHROMIUM_FLAGS,
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        launched.append(browser)
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
        context.grant_permissions(["camera"])
        return context

    yield start
    for browser in launched:
        browser.close()


@pytest.fixture
def tour_day():
    community = make_community()
    listing = make_listing(community=community, units=5, max_guests=4, title="Nhà sàn Bà Hoa")
    guide = make_user(Role.GUIDE, community=community, name="Lò Văn Sáng")
    booking = make_ticketed_booking(listing, guests=3, contact_name="Kim Min-jun")
    return listing, guide, booking


def open_scanner(context, live_server, guide):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/account/login?lang=en")
    page.fill("input[name=email]", guide.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server}/checkin?lang=en")
    page.wait_for_selector("#scanner[data-ready='1'][data-manifest='loaded']", timeout=20000)
    return page, errors


def wait_until(page, script: str, seconds: float = 15) -> None:
    """Poll `script` in the page (wait_for_function would need 'unsafe-eval' under our CSP)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {script}"
        page.wait_for_timeout(100)


def checkins() -> list[CheckIn]:
    db.session.expire_all()
    return db.session.scalars(select(CheckIn)).all()


def test_the_camera_checks_a_ticket_in_then_sees_it_again(
    live_server, camera_phone, shot, tour_day
):
    listing, guide, booking = tour_day
    context = camera_phone(tickets.tickets_of(booking)[0].secret)
    page, errors = open_scanner(context, live_server, guide)
    assert page.locator("#expected-count").inner_text() == "3", page.inner_text("#scanner")

    page.click("#scan-start")
    page.wait_for_selector("#result[data-result='ok']", timeout=15000)
    assert "Kim Min-jun" in page.inner_text("#result") and "3 people" in page.inner_text("#result")
    wait_until(page, "() => document.getElementById('arrived-count').textContent === '3'")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "checkin-green")
    assert len(checkins()) == 1 and checkins()[0].by_user_id == guide.id

    page.click("#scan-next")  # the same code is still in front of the camera
    page.wait_for_selector("#result[data-result='already_checked_in']", timeout=15000)
    assert "by Lò Văn Sáng" in page.inner_text("#result")
    shot(page, "checkin-amber")

    page.fill("#reference", "ZZ-NOPE42")
    page.click("#manual button[type=submit]")
    page.wait_for_selector("#result[data-result='invalid']")
    assert "not a valid ticket" in page.inner_text("#result")
    shot(page, "checkin-red")
    assert errors == []


def test_an_offline_scan_is_verified_queued_kept_over_a_reload_and_synced(
    live_server, camera_phone, shot, tour_day
):
    listing, guide, booking = tour_day
    context = camera_phone(tickets.tickets_of(booking)[0].secret)
    page, errors = open_scanner(context, live_server, guide)
    # the service worker has kept the page and its scripts
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    wait_until(page, "() => caches.open('checkin-v1').then(c => c.match('/checkin')).then(Boolean)")

    context.set_offline(True)
    page.wait_for_selector("#scanner[data-online='0']")
    page.click("#scan-start")
    page.wait_for_selector("#result[data-result='ok'][data-offline='1']", timeout=15000)
    assert page.locator("#queue-count").inner_text() == "1"
    assert "Offline" in page.inner_text("#net-status")
    shot(page, "checkin-offline-queued")
    assert checkins() == []

    page.reload()
    page.wait_for_selector("#scanner[data-ready='1']")
    assert page.locator("#queue-count").inner_text() == "1"
    assert checkins() == []

    context.set_offline(False)
    page.wait_for_selector("#scanner[data-queued='0']", timeout=15000)
    (checkin,) = checkins()
    assert checkin.by_user_id == guide.id and checkin.device_id.startswith("web-")
    wait_until(page, "() => document.getElementById('arrived-count').textContent === '3'")
    assert errors == []


def test_the_ticket_page_fits_a_phone_and_opens_again_with_no_signal(
    live_server, phone, shot, tour_day
):
    _, _, booking = tour_day
    secret = tickets.tickets_of(booking)[0].secret
    page = phone.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/t/{secret}?lang=en")
    assert "Kim Min-jun" in page.inner_text("main") and booking.reference in page.inner_text("main")
    assert page.evaluate("document.querySelector('.ticket-qr img').naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "ticket-page")
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    page.reload()  # now through the service worker, which keeps a copy
    phone.set_offline(True)
    page.reload()
    assert booking.reference in page.inner_text("main")
    assert page.evaluate("document.querySelector('.ticket-qr img').naturalWidth") > 0
    phone.set_offline(False)
    assert errors == []


def test_the_host_records_the_cash_of_a_pay_at_arrival_guest(live_server, phone, shot):
    from marketplace.services.payments import payments
    from tests.factories import make_held_booking

    community = make_community()
    host = make_user(Role.HOST, community=community, name="Hoàng Thị Mai")
    listing = make_listing(community=community, host=host, units=2, title="Nhà sàn Bà Hoa")
    booking = make_held_booking(listing, start_in_days=0)
    payments.start_payment(booking, "pay_at_arrival")
    host_payments.accept_pay_at_arrival(booking, host)
    page, errors = open_scanner(phone, live_server, host)

    page.fill("#reference", booking.reference)
    page.click("#manual button[type=submit]")
    page.wait_for_selector("#result[data-result='ok']")
    assert "Collect" in page.inner_text("#result") and page.is_visible("#cash-received")
    shot(page, "checkin-cash-due")
    page.click("#cash-received")
    page.wait_for_selector(f"#scanner[data-cash-recorded='{booking.reference}']")
    assert "Cash recorded" in page.inner_text("#cash-note")
    assert not page.is_visible("#cash-received")
    shot(page, "checkin-cash-recorded")
    db.session.expire_all()
    assert money_rules.due(db.session.get(type(booking), booking.id)) == 0
    assert errors == []
