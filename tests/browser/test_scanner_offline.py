"""The scanner with no signal: every list kept, amber for the unknown, sync that heals itself,
and news after sync (a booking cancelled meanwhile, another phone on the same ticket).

Tickets are typed (pasted) into the manual field instead of shown to a camera.
"""

import pytest
from sqlalchemy import select

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import AuditEntry, CheckIn, ListingKind, Role
from marketplace.services.booking import tickets
from marketplace.services.payments import cancellations
from tests.browser.test_checkin import open_scanner, wait_until
from tests.factories import (
    make_community,
    make_departure,
    make_listing,
    make_ticketed_booking,
    make_user,
)

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 780}


@pytest.fixture
def narrow(browser_instance):
    """Phone contexts 360 px wide (as many as asked); all closed at the end."""
    contexts = []

    def make():
        context = browser_instance.new_context(
            viewport=NARROW, device_scale_factor=2, is_mobile=True
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def community_day():
    """A guide's tour leaving today, and two homestays with guests arriving today."""
    community = make_community()
    guide = make_user(Role.GUIDE, community=community, name="Lò Văn Sáng")
    host = make_user(Role.HOST, community=community, name="Hoàng Thị Mai")
    first = make_listing(community=community, host=host, units=3, max_guests=4, title="Nhà Bà Hoa")
    second = make_listing(community=community, host=host, units=3, max_guests=4, title="Nhà Ông Tư")
    tour = make_listing(ListingKind.TOUR, community=community, host=host, title="Thác Bản Giốc")
    make_departure(tour, day=business_today(), guide=guide)
    a = make_ticketed_booking(first, guests=2, contact_name="Kim Min-jun")
    b = make_ticketed_booking(second, guests=3, contact_name="Trần Văn Bình")
    return {"guide": guide, "host": host, "tour": tour, "first": first, "bookings": (a, b)}


def secret(booking) -> str:
    return tickets.tickets_of(booking)[0].secret


def enter(page, text: str) -> None:
    page.fill("#reference", text)
    page.click("#manual button[type=submit]")


def result(page, code: str):
    page.wait_for_selector(f"#result[data-result='{code}']", timeout=15000)
    return page.inner_text("#result")


def next_scan(page) -> None:
    page.evaluate("document.getElementById('result').hidden = true")


def checkins() -> list[CheckIn]:
    db.session.expire_all()
    return db.session.scalars(select(CheckIn)).all()


def test_offline_every_list_is_on_the_phone_and_unknown_tickets_are_amber(
    live_server, narrow, shot, community_day
):
    day = community_day
    context = narrow()
    page, errors = open_scanner(context, live_server, day["guide"])
    # the guide's own departure, not the first listing
    assert page.locator("#listing").input_value() == str(day["tour"].id)
    late = make_ticketed_booking(day["first"], guests=1, contact_name="Late Guest")
    forged = secret(late)[:30] + ("A" if secret(late)[30] != "A" else "B") + secret(late)[31:]

    context.set_offline(True)
    page.wait_for_selector("#scanner[data-online='0']")
    a, b = day["bookings"]
    enter(page, secret(a))
    assert "Kim Min-jun" in result(page, "ok")
    assert page.get_attribute("#result", "data-offline") == "1"
    shot(page, "scanner-offline-green-unselected")
    next_scan(page)
    enter(page, secret(b))
    assert "Trần Văn Bình" in result(page, "ok")
    next_scan(page)

    enter(page, secret(late))  # issued after the lists were downloaded
    text = result(page, "not_on_list")
    assert "not on the downloaded list" in text and "1 person" in text
    assert "scan-warn" in page.get_attribute("#result", "class")
    shot(page, "scanner-offline-amber-not-on-list")
    next_scan(page)
    enter(page, forged)
    assert "not a valid ticket" in result(page, "invalid")
    assert "scan-bad" in page.get_attribute("#result", "class")
    shot(page, "scanner-offline-red-forged")
    next_scan(page)

    # search by name, offline, without accents
    page.fill("#guest-search", "tran binh")
    wait_until(page, "() => document.querySelectorAll('#manifest-list li').length === 1")
    assert "Trần Văn Bình" in page.inner_text("#manifest-list")
    shot(page, "scanner-offline-search")
    assert page.locator("#queue-count").inner_text() == "3"
    assert checkins() == []

    context.set_offline(False)
    page.wait_for_selector("#scanner[data-queued='0']", timeout=15000)
    assert len(checkins()) == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    assert errors == []


def test_sync_after_an_offline_browser_restart_needs_no_reload(
    live_server, narrow, shot, community_day, app, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    day = community_day
    context = narrow()
    page, errors = open_scanner(context, live_server, day["guide"])
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    wait_until(page, "() => caches.open('checkin-v1').then(c => c.match('/checkin')).then(Boolean)")

    context.set_offline(True)
    restarted = context.new_page()
    restarted.on("pageerror", lambda exc: errors.append(str(exc)))
    page.close()
    restarted.goto(f"{live_server}/checkin?lang=en")
    restarted.wait_for_selector("#scanner[data-ready='1'][data-manifest='loaded']")
    enter(restarted, secret(day["bookings"][0]))
    result(restarted, "ok")
    assert restarted.locator("#queue-count").inner_text() == "1"
    # the browser restarted: its session cookie is gone, the remember-me cookie stays
    context.clear_cookies(name="session")

    context.set_offline(False)
    restarted.wait_for_selector("#scanner[data-queued='0']", timeout=20000)
    restarted.wait_for_selector("#sync-status[data-state='ok']")
    assert "Sent 1 queued scan." in restarted.inner_text("#sync-notes")
    (checkin,) = checkins()
    assert checkin.by_user_id == day["guide"].id
    next_scan(restarted)
    shot(restarted, "scanner-synced-after-restart")
    assert errors == []


def test_a_booking_cancelled_while_offline_is_reported_after_sync(
    live_server, narrow, shot, community_day
):
    day = community_day
    context = narrow()
    page, errors = open_scanner(context, live_server, day["guide"])
    context.set_offline(True)
    page.wait_for_selector("#scanner[data-online='0']")
    booking = day["bookings"][1]
    cancellations.cancel_by_host(booking, day["host"], "The road is closed")

    enter(page, secret(booking))
    result(page, "ok")  # the phone cannot know yet
    next_scan(page)
    context.set_offline(False)
    page.wait_for_selector("#sync-notes li[data-kind='cancelled']", timeout=20000)
    note = page.inner_text("#sync-notes li[data-kind='cancelled']")
    assert booking.reference in note and "cancelled meanwhile" in note
    shot(page, "scanner-cancelled-meanwhile")
    db.session.expire_all()
    assert db.session.scalar(
        select(AuditEntry.id).where(AuditEntry.action == "admitted_while_cancelled")
    )
    assert checkins() == []
    assert errors == []


def test_two_phones_scan_one_ticket_offline_and_both_hear_of_it(
    live_server, narrow, shot, community_day
):
    day = community_day
    other_guide = make_user(
        Role.GUIDE, community=day["tour"].community, name="Nông Thị Lan", email="lan@example.test"
    )
    first_phone, second_phone = narrow(), narrow()
    first, errors = open_scanner(first_phone, live_server, day["guide"])
    second, more_errors = open_scanner(second_phone, live_server, other_guide)
    code = secret(day["bookings"][0])
    for context, page in ((first_phone, first), (second_phone, second)):
        context.set_offline(True)
        page.wait_for_selector("#scanner[data-online='0']")
        enter(page, code)
        result(page, "ok")
        next_scan(page)

    first_phone.set_offline(False)
    first.wait_for_selector("#scanner[data-queued='0']", timeout=20000)
    second_phone.set_offline(False)
    second.wait_for_selector("#sync-notes li[data-kind='also_scanned']", timeout=20000)
    assert "Lò Văn Sáng" in second.inner_text("#sync-notes")
    # the phone that synced first hears of it on its next sync
    first.click("#sync-now")
    first.wait_for_selector("#sync-notes li[data-kind='also_scanned']", timeout=20000)
    assert "Nông Thị Lan" in first.inner_text("#sync-notes")
    shot(first, "scanner-conflict-first-phone")
    shot(second, "scanner-conflict-second-phone")
    assert len(checkins()) == 1
    assert errors == [] and more_errors == []


def test_a_host_undoes_a_check_in_from_the_guest_list(live_server, narrow, shot, community_day):
    day = community_day
    context = narrow()
    page, errors = open_scanner(context, live_server, day["host"])
    page.select_option("#listing", str(day["first"].id))
    enter(page, secret(day["bookings"][0]))
    result(page, "ok")
    next_scan(page)
    ticket_id = tickets.tickets_of(day["bookings"][0])[0].id
    row = f"#manifest-list li[data-ticket='{ticket_id}']"
    wait_until(page, f"() => document.querySelector(\"{row}\")?.className === 'arrived'")
    page.click(f"{row} button")
    page.wait_for_selector(f"#scanner[data-undone='{ticket_id}']")
    wait_until(page, f"() => document.querySelector(\"{row}\")?.className === 'expected'")
    assert checkins() == []
    shot(page, "scanner-undo")
    assert errors == []


def test_a_failed_sync_is_said_plainly_and_retried(live_server, narrow, shot, community_day):
    day = community_day
    context = narrow()
    page, errors = open_scanner(context, live_server, day["guide"])
    context.set_offline(True)
    page.wait_for_selector("#scanner[data-online='0']")
    enter(page, secret(day["bookings"][0]))
    result(page, "ok")
    next_scan(page)

    down = {"error": {"code": "unavailable", "message": "The server is being updated."}}
    page.route("**/api/v1/checkins/sync", lambda route: route.fulfill(status=503, json=down))
    context.set_offline(False)
    page.wait_for_selector("#sync-status[data-state='failed']", timeout=15000)
    status = page.inner_text("#sync-status")
    assert "Not sent (1 waiting): The server is being updated." in status and "Next try" in status
    shot(page, "scanner-sync-failed")
    page.unroute("**/api/v1/checkins/sync")
    # the next try comes by itself
    page.wait_for_selector("#scanner[data-queued='0']", timeout=20000)
    page.wait_for_selector("#sync-status[data-state='ok']")
    assert len(checkins()) == 1

    # the login ended on this phone: the guide is told to log in again, nothing is lost
    context.set_offline(True)
    enter(page, secret(day["bookings"][1]))
    result(page, "ok")
    next_scan(page)
    context.clear_cookies()
    context.set_offline(False)
    page.wait_for_selector("#sync-status[data-state='login']", timeout=15000)
    assert page.locator("#sync-status a").inner_text() == "Log in again"
    assert page.locator("#queue-count").inner_text() == "1"
    shot(page, "scanner-sync-login-ended")
    assert errors == []
