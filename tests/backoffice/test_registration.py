"""Foreign guests' registration: the export the police need, the 12-hour list, erasure."""

import csv
import io
from datetime import date, timedelta

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import BookingStatus, Guest, Role
from marketplace.services.backoffice import registration
from marketplace.web.exports import csv_files
from tests.factories import login, make_booking, make_listing, make_user


def seed():
    today = business_today()
    listing = make_listing(units=3)
    room = listing.room_types[0]
    arrived = make_booking(
        room,
        check_in=today,
        nights=2,
        guest_list=[
            ("Kim Min-jun", "KR", date(1990, 5, 1), "M12345678"),
            ("Trần Thị Bình", "VN", date(1992, 3, 4), None),
            ("=HYPERLINK(1)", "FR", None, "=CMD"),
        ],
    )
    later = make_booking(
        room,
        check_in=today + timedelta(days=20),
        nights=1,
        guest_list=[("Anna Schmidt", "DE", date(1985, 1, 2), "C01X00T47")],
    )
    cancelled = make_booking(
        room,
        check_in=today + timedelta(days=1),
        guest_list=[("Gone Person", "US", None, "X1")],
        status=BookingStatus.CANCELLED,
    )
    return listing, arrived, later, cancelled


def test_csv_export_has_what_the_host_declares_for_foreigners_only(client):
    listing, arrived, later, _cancelled = seed()
    today = business_today()
    login(client, listing.host)
    response = client.get(
        f"/host/registration.csv?from={today.isoformat()}&to={(today + timedelta(days=30)).isoformat()}"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == list(csv_files.REGISTRATION_HEADER)
    body = rows[1:]
    assert [r[0] for r in body] == ["Kim Min-jun", "'=HYPERLINK(1)", "Anna Schmidt"]
    kim = body[0]
    assert kim == [
        "Kim Min-jun",
        "1990-05-01",
        "KR",
        "M12345678",
        today.isoformat(),
        (today + timedelta(days=2)).isoformat(),
        "Phòng đôi",  # the page language: Vietnamese by default
        arrived.reference,
        "no",
    ]
    assert body[1][3] == "'=CMD"  # no formula reaches a spreadsheet
    assert body[2][4] == (today + timedelta(days=20)).isoformat()
    # the date range narrows it
    response = client.get(f"/host/registration.csv?from={today}&to={today + timedelta(days=5)}")
    names = [r[0] for r in csv.reader(io.StringIO(response.data.decode("utf-8-sig")))][1:]
    assert names == ["Kim Min-jun", "'=HYPERLINK(1)"]
    printable = client.get(f"/host/registration/print?from={today}&to={today}")
    assert printable.status_code == 200
    assert "M12345678" in printable.get_data(as_text=True)


def test_arrived_foreigners_wait_on_the_dashboard_until_declared(client):
    listing, arrived, _later, _cancelled = seed()
    login(client, listing.host)
    page = client.get("/host/").get_data(as_text=True)
    assert "Kim Min-jun" in page and "Anna Schmidt" not in page and "Trần Thị Bình" not in page
    kim = db.session.query(Guest).filter_by(full_name="Kim Min-jun").one()
    response = client.post("/host/registration/declared", data={"guest_id": [str(kim.id)]})
    assert response.status_code == 302
    page = client.get("/host/").get_data(as_text=True)
    assert "Kim Min-jun" not in page
    db.session.expire_all()
    assert db.session.get(Guest, kim.id).declared_at is not None
    rows = registration.undeclared(listing.host)
    assert [r.guest.full_name for r in rows] == ["=HYPERLINK(1)"]
    deadline = rows[0].deadline(12)
    assert deadline.hour == 2 and deadline.date() == business_today() + timedelta(days=1)


def test_another_host_cannot_declare_or_export_my_guests(client):
    listing, _arrived, _later, _cancelled = seed()
    other = make_user(Role.HOST, community=listing.community)
    login(client, other)
    kim = db.session.query(Guest).filter_by(full_name="Kim Min-jun").one()
    assert client.post("/host/registration/declared", data={"guest_id": [kim.id]}).status_code
    db.session.expire_all()
    assert db.session.get(Guest, kim.id).declared_at is None
    body = client.get("/host/registration.csv").data.decode("utf-8-sig")
    assert "Kim" not in body and "M12345678" not in body
    coop = make_user(Role.COOP, community=listing.community)
    client.post("/account/logout")
    login(client, coop)
    assert client.get("/host/registration.csv").status_code == 403


def test_passports_are_erased_a_set_time_after_departure(runner):
    seed()
    assert registration.erase_passports(days=30) == 0
    later_day = business_today() + timedelta(days=2 + 31)
    # Kim's booking left on day 2; 31 days later their passport goes, Anna's stays
    from datetime import datetime, time

    from marketplace.clock import BUSINESS_TZ

    now = datetime.combine(later_day, time(12), tzinfo=BUSINESS_TZ)
    assert registration.erase_passports(now=now, days=30) == 3  # Kim, "=HYPERLINK", cancelled
    db.session.expire_all()
    assert db.session.query(Guest).filter_by(full_name="Kim Min-jun").one().passport_number is None
    assert db.session.query(Guest).filter_by(full_name="Anna Schmidt").one().passport_number
    result = runner.invoke(args=["guests", "erase-passports", "--days", "0"])
    assert result.exit_code == 0 and "erased: 0" in result.output
