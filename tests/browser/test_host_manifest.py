"""A host on a 360 px phone: the guest list with a no-show apart, undoing the no-show, and the
foreign guests' declaration downloaded as a spreadsheet and read back."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import Booking, BookingStatus, Role
from marketplace.services.booking import booking_lifecycle
from tests.factories import PASSWORD, make_booking, make_community, make_listing, make_user

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 780}


def log_in(page, live_server, user):
    page.goto(f"{live_server}/account/login?lang=en")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_load_state()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def began_yesterday(booking: Booking) -> None:
    for item in db.session.get(Booking, booking.id).items:
        item.check_in -= timedelta(days=1)
        item.check_out -= timedelta(days=1)
        for night in item.nights:
            night.night -= timedelta(days=1)
        item.ticket.valid_from -= timedelta(days=1)
        item.ticket.valid_until -= timedelta(days=1)
    db.session.commit()


def test_guest_list_no_show_and_declaration_on_a_phone(browser_instance, live_server, shot):
    community = make_community(district="Hữu Lũng", province="Lạng Sơn")
    host = make_user(Role.HOST, community=community, name="Hoàng Thị Mai")
    listing = make_listing(
        community=community, host=host, units=3, max_guests=3, title="Nhà sàn Bà Hoa"
    )
    room = listing.room_types[0]
    today = business_today()
    coming = make_booking(
        room,
        check_in=today,
        nights=2,
        guest_list=[("Kim Min-ji", "KR", date(1994, 3, 2), "M12345678", "F")],
    )
    gone = make_booking(
        room,
        check_in=today,
        nights=2,
        guest_list=[("Jean Dupont", "FR", date(1980, 7, 14), "19AB12345", "M")],
    )
    began_yesterday(gone)
    gone = db.session.get(Booking, gone.id)
    booking_lifecycle.transition(gone, BookingStatus.NO_SHOW)
    db.session.commit()

    context = browser_instance.new_context(
        viewport=NARROW, device_scale_factor=2, is_mobile=True, accept_downloads=True
    )
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        log_in(page, live_server, host)
        page.goto(f"{live_server}/host/bookings?lang=en")
        page.click("nav.bo-tabs >> text=Guest lists")
        page.wait_for_selector("#guests-expected")
        assert coming.reference in page.inner_text("#guests-expected")
        assert gone.reference in page.inner_text("#guests-no_show")
        assert gone.reference not in page.inner_text("#guests-expected")
        assert fits(page)
        shot(page, "host-manifest-guest-list")

        # the no-show was a mistake: undo it from the booking
        page.goto(f"{live_server}/host/bookings/{gone.reference}?lang=en")
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("button:has-text('Undo no-show')")
        page.wait_for_selector("text=No-show undone.")
        shot(page, "host-manifest-no-show-undone")
        db.session.expire_all()
        assert db.session.get(Booking, gone.id).status == BookingStatus.CONFIRMED

        page.goto(f"{live_server}/host/registration?lang=en")
        assert fits(page)
        shot(page, "host-manifest-registration")
        with page.expect_download() as info:
            page.click("#declaration-xlsx")
        download = info.value
        assert download.suggested_filename.endswith(".xlsx")
        sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[0] == [
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Quốc tịch",
            "Số hộ chiếu",
            "Ngày đến",
            "Ngày dự kiến đi",
            "Địa chỉ lưu trú",
        ]
        by_passport = {row[4]: row for row in rows[1:]}
        assert by_passport["M12345678"][:4] == ["KIM MIN-JI", "Nữ", "02/03/1994", "Hàn Quốc"]
        assert by_passport["19AB12345"][1] == "Nam" and by_passport["19AB12345"][3] == "Pháp"
        assert "Lạng Sơn" in by_passport["M12345678"][7]

        page.goto(f"{live_server}/host/registration/print?lang=en")
        assert fits(page)
        shot(page, "host-manifest-declaration-print")
        assert errors == []
    finally:
        context.close()


def test_the_booking_form_asks_the_sex_of_foreign_guests_only(browser_instance, live_server, shot):
    from urllib.parse import urlencode

    from tests.factories import stay_item

    room = make_listing(units=2, title="Nhà sàn Bà Hoa").room_types[0]
    context = browser_instance.new_context(viewport=NARROW, device_scale_factor=2, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/book?{urlencode({**stay_item(room), 'lang': 'en'})}")
        page.select_option("select[name=nationality]", "VN")
        assert not page.is_visible("select[name=sex]")
        page.select_option("select[name=nationality]", "KR")
        assert page.is_visible("select[name=sex]")
        page.select_option("select[name=sex]", "F")
        page.locator(".guest-sex").scroll_into_view_if_needed()
        assert fits(page)
        shot(page, "host-manifest-booking-form-sex")
    finally:
        context.close()
