"""Statistics that agree with the ledger, name countries, count capacity from a listing's start,
and keep guest nights and tour participants apart."""

from datetime import UTC, date, datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import func, select

from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import BookingStatus, LedgerEntry, LedgerKind, ListingKind, Role
from marketplace.services.backoffice import statistics
from marketplace.services.booking import booking_lifecycle
from marketplace.services.payments import host_payments, payments
from tests.factories import (
    login,
    make_booking,
    make_community,
    make_departure,
    make_held_booking,
    make_listing,
    make_user,
)


def paid_by_transfer(listing, start_in_days: int):
    booking = make_held_booking(listing, start_in_days=start_in_days)
    payments.start_payment(booking, "vietqr")
    host_payments.mark_transfer_received(booking, listing.host)
    return booking


def test_revenue_is_the_ledgers_no_shows_included(client):
    village = make_community(commission_rate_bp=1000, community_fund_rate_bp=500)
    listing = make_listing(community=village, units=3)
    year = (business_today() + timedelta(days=10)).year
    paid_by_transfer(listing, 10)
    gone = paid_by_transfer(listing, 10)
    booking_lifecycle.transition(gone, BookingStatus.NO_SHOW)
    db.session.commit()
    ledger = db.session.execute(
        select(func.sum(LedgerEntry.amount)).where(
            LedgerEntry.community_id == village.id, LedgerEntry.kind == LedgerKind.SHARE
        )
    ).scalar_one()
    assert ledger > 0
    report = statistics.build([village.id], year, "en")
    assert report.revenue_source == "ledger"
    shares = report.totals["host"] + report.totals["community_fund"] + report.totals["platform"]
    assert shares == ledger  # the no-show's money is counted, as payouts count it
    assert report.totals["no_show"] == 1


def test_the_estimate_counts_what_a_no_show_paid_not_what_it_owed():
    village = make_community(commission_rate_bp=1000, community_fund_rate_bp=500)
    room = make_listing(community=village, units=3, nightly_price=500_000).room_types[0]
    day = business_today() + timedelta(days=10)
    make_booking(room, check_in=day, nights=2)
    make_booking(room, check_in=day, nights=2, status=BookingStatus.NO_SHOW)  # paid nothing
    report = statistics.build([village.id], day.year, "en")
    assert report.revenue_source == "estimate"
    shares = report.totals["host"] + report.totals["community_fund"] + report.totals["platform"]
    assert shares == 2 * 500_000


def test_capacity_counts_from_the_day_a_listing_opened():
    village = make_community()
    year = business_today().year + 1
    listing = make_listing(community=village, units=2)
    listing.created_at = datetime(year - 1, 1, 1, tzinfo=UTC)
    listing.published_at = datetime(year, 3, 10, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
    db.session.commit()
    report = statistics.build([village.id], year, "en")
    by_month = {m["month"]: m["capacity"] for m in report.months}
    assert by_month[1] == 0 and by_month[2] == 0
    assert by_month[3] == 2 * (31 - 9)  # 10 to 31 March
    assert by_month[4] == 2 * 30


def test_month_by_nationality_and_separate_series(client):
    village = make_community()
    year = business_today().year + 1
    room = make_listing(community=village, units=2, max_guests=3).room_types[0]
    tour = make_listing(ListingKind.TOUR, community=village)
    make_booking(
        room,
        check_in=date(year, 5, 30),
        nights=3,
        guests=2,
        guest_list=[("Kim Min-ji", "KR", date(1994, 3, 2), "M12345678")],
    )
    make_booking(
        departure=make_departure(tour, day=date(year, 6, 2)),
        participants=4,
        guest_list=[("Kim Min-ji", "KR", date(1994, 3, 2), "M12345678")],
    )
    with force_locale("en"):
        report = statistics.build([village.id], year, "en")
    nights = report.tables["nationality_month_guest_nights"]
    seats = report.tables["nationality_month_participants"]
    assert nights.headers[0] == "Nationality" and nights.headers[-1] == "Total"
    [kr_nights] = nights.rows
    assert kr_nights[0] == "South Korea" and kr_nights[5] == 4 and kr_nights[6] == 2
    assert kr_nights[-1] == 6
    [kr_seats] = seats.rows
    assert kr_seats[6] == 4 and kr_seats[-1] == 4
    coop = make_user(Role.COOP, community=village)
    login(client, coop)
    page = client.get(f"/admin/statistics?year={year}&lang=en").get_data(as_text=True)
    assert 'id="chart-guest-nights"' in page and 'id="chart-participants"' in page
    guest_chart = page.split('id="chart-guest-nights"')[1].split("</figure>")[0]
    assert "Tour participants" not in guest_chart  # one series, its own scale
    assert "Guest nights by nationality and month" in page and "South Korea" in page
    csv = client.get(f"/admin/statistics/nationality_month_guest_nights.csv?year={year}&lang=en")
    assert csv.status_code == 200 and "South Korea" in csv.get_data(as_text=True)
