"""Statistics on a known data set; every expected figure is worked out by hand below."""

import csv
import io
from datetime import date

import pytest
from flask_babel import force_locale

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import BookingStatus, LedgerAccount, LedgerEntry, ListingKind, Role
from marketplace.services.backoffice import statistics
from tests.factories import (
    login,
    make_booking,
    make_community,
    make_departure,
    make_listing,
    make_user,
)

YEAR = business_today().year + 1


def guest(nationality):
    return [("Guest " + nationality, nationality, None, None if nationality == "VN" else "P1")]


@pytest.fixture
def data_set():
    village = make_community("yen-thinh", commission_rate_bp=1000, community_fund_rate_bp=500)
    other = make_community("elsewhere")
    s1 = make_listing(community=village, units=2, nightly_price=500_000, max_guests=3)
    s2 = make_listing(community=village, units=1, nightly_price=800_000)
    tour = make_listing(ListingKind.TOUR, community=village)
    r1, r2 = s1.room_types[0], s2.room_types[0]
    d = lambda m, day: date(YEAR, m, day)  # noqa: E731
    make_booking(r1, check_in=d(1, 10), nights=3, guests=2, guest_list=guest("KR"))
    make_booking(
        r1,
        check_in=d(1, 31),
        nights=2,
        rooms=2,
        guests=3,
        guest_list=guest("VN"),
        status=BookingStatus.COMPLETED,
    )
    make_booking(
        r2,
        check_in=d(3, 5),
        nights=1,
        guests=1,
        guest_list=guest("FR"),
        status=BookingStatus.CHECKED_IN,
    )
    make_booking(
        r2, check_in=d(3, 20), nights=2, guest_list=guest("VN"), status=BookingStatus.CANCELLED
    )
    make_booking(
        r1, check_in=d(4, 1), nights=2, guest_list=guest("US"), status=BookingStatus.NO_SHOW
    )
    make_booking(
        departure=make_departure(tour, day=d(1, 11)), participants=4, guest_list=guest("KR")
    )
    chinese = make_user(Role.TOURIST, nationality="CN")
    make_booking(departure=make_departure(tour, day=d(7, 4)), participants=2, tourist=chinese)
    make_booking(r1, check_in=d(5, 1), status=BookingStatus.PENDING_PAYMENT)
    make_booking(make_listing(community=other).room_types[0], check_in=d(1, 10))
    return village, other


def test_figures_match_the_bookings(data_set):
    village, _other = data_set
    with force_locale("en"):
        report = statistics.build([village.id], YEAR, "en")
    by_month = {m["month"]: m for m in report.months}
    # guest nights: Jan = booking 1 (2 guests x 3 nights) + booking 2's night of Jan 31 (3 guests)
    assert by_month[1]["guest_nights"] == 2 * 3 + 3
    assert by_month[2]["guest_nights"] == 3  # booking 2's night of Feb 1
    assert by_month[3]["guest_nights"] == 1
    assert sum(m["guest_nights"] for m in report.months) == 13
    # participants in the month of the departure
    assert by_month[1]["participants"] == 4 and by_month[7]["participants"] == 2
    # room-nights sold: booking 1: 3; booking 2: 2 rooms on Jan 31 and Feb 1
    assert [by_month[m]["room_nights"] for m in (1, 2, 3)] == [5, 2, 1]
    # offered: 3 rooms (2 + 1) every night
    days_in_feb = 29 if YEAR % 4 == 0 else 28
    assert by_month[1]["capacity"] == 93 and by_month[2]["capacity"] == 3 * days_in_feb
    assert report.tables["monthly"].rows[0][5] == round(100 * 5 / 93, 1)
    assert report.totals["occupancy"] == round(
        100 * 8 / (3 * (366 if days_in_feb == 29 else 365)), 1
    )
    assert report.totals["average_stay"] == round((3 + 2 + 1) / 3, 2)
    assert by_month[3]["cancelled"] == 1 and by_month[4]["no_show"] == 1
    assert report.totals["cancelled"] == 1 and report.totals["no_show"] == 1
    origin = {row[0]: row[1:] for row in report.tables["origin"].rows}
    assert origin == {"Domestic": [3 + 3, 0], "International": [6 + 1, 4 + 2]}
    nationality = {row[0]: row[1:] for row in report.tables["nationality"].rows}
    assert nationality == {
        "South Korea": [6, 4],
        "Vietnam": [6, 0],
        "France": [1, 0],
        "China": [0, 2],
    }
    per_listing = sorted(row[1:] for row in report.tables["listing"].rows)
    assert per_listing == [[0, 6], [1, 0], [12, 0]]
    assert report.tables["community"].rows == [[village.name["en"], 13, 6]]
    # revenue: no ledger yet, so estimated from totals at 10 and 5 percent
    totals = 3 * 500_000 + 2 * 2 * 500_000 + 800_000 + 4 * 300_000 + 2 * 300_000
    assert report.revenue_source == "estimate"
    assert report.totals["platform"] == totals // 10
    assert report.totals["community_fund"] == totals // 20
    assert report.totals["host"] == totals - totals // 10 - totals // 20


def test_revenue_comes_from_the_ledger_when_payments_were_recorded(data_set):
    village, _other = data_set
    from marketplace.models import Booking

    booking = db.session.query(Booking).filter_by(community_id=village.id).first()
    for account, amount in (
        (LedgerAccount.HOST, 1_275_000),
        (LedgerAccount.COMMUNITY_FUND, 75_000),
        (LedgerAccount.PLATFORM, 150_000),
    ):
        db.session.add(
            LedgerEntry(
                account=account, amount=amount, booking_id=booking.id, community_id=village.id
            )
        )
    db.session.commit()
    report = statistics.build([village.id], YEAR)
    assert report.revenue_source == "ledger"
    assert (report.totals["host"], report.totals["community_fund"], report.totals["platform"]) == (
        1_275_000,
        75_000,
        150_000,
    )


def test_page_draws_svg_charts_and_every_table_downloads_as_csv(client, data_set):
    village, other = data_set
    coop = make_user(Role.COOP, community=village)
    login(client, coop)
    page = client.get(f"/admin/statistics?year={YEAR}&lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    main = html.split("<main")[1].split("</main>")[0]
    # one chart for guest nights, one for tour participants, one by nationality; no script
    assert html.count("<svg") == 3 and "<script" not in main
    assert 'id="total-guest-nights">13<' in html
    with force_locale("en"):
        report = statistics.build([village.id], YEAR, "en")
    for key, table in report.tables.items():
        response = client.get(f"/admin/statistics/{key}.csv?year={YEAR}&lang=en")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
        assert rows[0] == table.headers
        assert rows[1:] == [[str(c) for c in row] for row in table.rows]
    # another community's figures are not this cooperative's to see
    assert client.get(f"/admin/statistics?community={other.id}").status_code == 404
