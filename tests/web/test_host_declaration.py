"""The foreign guests' declaration as the immigration portal takes it, and sex asked at booking."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import Booking, Guest, Role
from marketplace.services.backoffice import declaration
from tests.factories import (
    BOOKING_CONTACT,
    FOREIGN_GUEST,
    bearer,
    login,
    make_booking,
    make_community,
    make_listing,
    make_user,
    stay_item,
)

HEADERS = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Quốc tịch",
    "Số hộ chiếu",
    "Ngày đến",
    "Ngày dự kiến đi",
    "Địa chỉ lưu trú",
]


def seed():
    community = make_community(district="Ba Bể", province="Bắc Kạn")
    listing = make_listing(community=community, units=3)
    today = business_today()
    booking = make_booking(
        listing.room_types[0],
        check_in=today,
        nights=2,
        guest_list=[
            ("Kim Min-ji", "KR", date(1994, 3, 2), "M12345678", "F"),
            ("Trần Thị Bình", "VN", date(1992, 3, 4), None),
            ("=HYPERLINK(1)", "FR", date(1980, 1, 1), "X1234567", "M"),
        ],
    )
    return listing, booking


def test_the_host_downloads_the_declaration_with_the_portals_fields(client):
    listing, booking = seed()
    login(client, listing.host)
    today = business_today()
    response = client.get(f"/host/registration.xlsx?from={today}&to={today}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADERS
    assert len(rows) == 3  # the Vietnamese guest is not declared as a foreigner
    kim = next(r for r in rows if r[0] == "KIM MIN-JI")
    arrival, leaving = today.strftime("%d/%m/%Y"), (today + timedelta(days=2)).strftime("%d/%m/%Y")
    assert kim[1:7] == ["Nữ", "02/03/1994", "Hàn Quốc", "M12345678", arrival, leaving]
    assert "Ba Bể" in kim[7] and "Bắc Kạn" in kim[7]
    # text, never a formula
    formula = next(r for r in rows if r[4] == "X1234567")
    assert formula[0] == "=HYPERLINK(1)" and formula[1] == "Nam" and formula[3] == "Pháp"
    cell = next(row[0] for row in sheet.iter_rows() if row[0].value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def test_the_print_sheet_carries_the_same_fields_and_stacks_on_a_phone(client):
    listing, _booking = seed()
    login(client, listing.host)
    page = client.get("/host/registration/print?lang=en").get_data(as_text=True)
    for header in HEADERS:
        assert header in page
    assert 'class="cards"' in page and "Hàn Quốc" in page and "Nữ" in page
    index = client.get("/host/registration?lang=en").get_data(as_text=True)
    assert "/host/registration.xlsx" in index and "South Korea" in index and "Female" in index


@pytest.mark.parametrize("role", [Role.COOP, Role.GUIDE, Role.TOURIST])
def test_passport_data_stays_with_the_lodging_host(client, role):
    listing, _booking = seed()
    login(client, make_user(role, community=listing.community))
    assert client.get("/host/registration.xlsx").status_code == 403


def test_place_of_stay_prefers_the_listings_own_address():
    listing, _booking = seed()
    assert declaration.place_of_stay(listing).endswith("Ba Bể, Bắc Kạn")
    listing.address = "Thôn Pác Ngòi, xã Nam Mẫu"
    assert declaration.place_of_stay(listing) == "Thôn Pác Ngòi, xã Nam Mẫu"


def test_the_api_takes_an_optional_sex(client):
    room = make_listing(units=2).room_types[0]
    tourist = make_user(Role.TOURIST)
    body = {"items": [stay_item(room)], "contact": BOOKING_CONTACT}
    ok = client.post(
        "/api/v1/bookings",
        json={**body, "guests": [{**FOREIGN_GUEST, "sex": "f"}]},
        headers=bearer(tourist),
    )
    assert ok.status_code == 201
    booking = db.session.query(Booking).filter_by(reference=ok.get_json()["reference"]).one()
    assert booking.guests[0].sex == "F"
    bad = client.post(
        "/api/v1/bookings",
        json={**body, "guests": [{**FOREIGN_GUEST, "sex": "X"}]},
        headers=bearer(tourist),
    )
    assert bad.status_code == 400
    assert bad.get_json()["error"]["field"] == "guests[0].sex"
    without = client.post(
        "/api/v1/bookings", json={**body, "guests": [FOREIGN_GUEST]}, headers=bearer(tourist)
    )
    assert without.status_code == 201


def test_the_booking_form_asks_the_sex_of_a_foreign_guest(client):
    room = make_listing(units=2).room_types[0]
    item = stay_item(room)
    form = client.get("/book", query_string={**item, "lang": "en"}).get_data(as_text=True)
    assert 'name="sex"' in form and "Female" in form and 'class="guest-sex"' in form
    data = {
        **item,
        "name": "Emma Schmidt",
        "email": "emma@example.test",
        "phone": "+49 151 2345 6789",
        "full_name": "Emma Schmidt",
        "nationality": "DE",
        "date_of_birth": "1990-05-01",
        "passport_number": "C01X00T47",
        "sex": "F",
        "form_token": "sex-1",
    }
    assert client.post("/book", data=data).status_code == 302
    assert db.session.query(Guest).one().sex == "F"
    wrong = client.post("/book?lang=en", data={**data, "sex": "Q", "form_token": "sex-2"})
    assert wrong.status_code == 400 and 'id="sex-error"' in wrong.get_data(as_text=True)
