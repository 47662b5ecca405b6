"""Visitor figures for the cooperative and the province, computed from the bookings themselves.

Definitions (shown on the page, so the province reads the same numbers the same way):
- a *visit* is a booking that took place or will: confirmed, checked in or completed;
- *guest nights*: guests x nights of each stay, counted in the month of each night;
- *tour participants*: seats of each tour, in the month of the departure;
- a booking's *nationality* is its first guest's, else the booking account's, else unknown;
  domestic means Vietnamese (VN);
- *occupancy*: room-nights sold / room-nights offered (units x nights of every room type, from
  the day its listing was published, else created: a listing offers nothing before it exists);
- *average stay*: nights per stay booked;
- *revenue split*: the ledger's shares of every booking of the year, whatever its status (a
  no-show keeps what it paid, a cancellation what was not refunded), as payouts count them; when
  no payment is recorded there yet, estimated from the totals of visits and what no-shows paid, at
  the community's commission and fund rates (the page says which);
- nationalities are named (in the page's language); the month x nationality table counts guest
  nights and tour participants apart, as every other figure does;
- *cancellations* and *no-shows* count bookings by the month of their first day.

The page's charts and the CSV of each table are built by the web layer (`web/exports/`).
"""

import calendar as pycalendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...clock import BUSINESS_TZ
from ...countries import country_name
from ...extensions import db
from ...i18n import localized
from ...models import (
    Booking,
    BookingItem,
    BookingStatus,
    Community,
    LedgerAccount,
    LedgerEntry,
    LedgerKind,
    Listing,
    RoomType,
)
from ...money import share
from ..payments.money_rules import paid

VISIT_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)
HOME_COUNTRY = "VN"
UNKNOWN = "??"


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class Report:
    year: int
    months: list[dict]
    tables: dict[str, Table]
    revenue_source: str  # "ledger" or "estimate"
    totals: dict


def booking_nationality(booking: Booking) -> str:
    guests = sorted(booking.guests, key=lambda g: g.id)
    if guests and guests[0].nationality:
        return guests[0].nationality.upper()
    if booking.tourist is not None and booking.tourist.nationality:
        return booking.tourist.nationality.upper()
    return UNKNOWN


def _nights_in_year(item: BookingItem, year: int) -> list[date]:
    return [
        item.check_in + timedelta(days=n)
        for n in range(item.night_count)
        if (item.check_in + timedelta(days=n)).year == year
    ]


def build(community_ids: list[int], year: int, locale: str = "vi") -> Report:
    """Every figure of `year` for these communities."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    items = db.session.scalars(
        select(BookingItem)
        .join(Booking, Booking.id == BookingItem.booking_id)
        .where(
            Booking.community_id.in_(community_ids or [-1]),
            BookingItem.check_in <= last,
            BookingItem.check_out >= first,
        )
        .order_by(BookingItem.id)
    ).all()
    months = [
        {
            "month": m,
            "guest_nights": 0,
            "participants": 0,
            "room_nights": 0,
            "capacity": 0,
            "cancelled": 0,
            "no_show": 0,
        }
        for m in range(1, 13)
    ]
    by_nationality: Counter = Counter()
    #: (nationality, kind, month) -> visitors
    by_month_nationality: Counter = Counter()
    booking_ids: set[int] = set()
    no_show_ids: set[int] = set()
    domestic = Counter()
    by_listing: dict[int, Counter] = defaultdict(Counter)
    by_community: dict[int, Counter] = defaultdict(Counter)
    stay_nights: list[int] = []
    counted_status: set[int] = set()
    visit_booking_ids: set[int] = set()
    for item in items:
        booking = item.booking
        booking_ids.add(booking.id)
        if booking.status == BookingStatus.NO_SHOW:
            no_show_ids.add(booking.id)
        start_month = booking_first_day(booking)
        if booking.id not in counted_status and start_month.year == year:
            counted_status.add(booking.id)
            if booking.status == BookingStatus.CANCELLED:
                months[start_month.month - 1]["cancelled"] += 1
            elif booking.status == BookingStatus.NO_SHOW:
                months[start_month.month - 1]["no_show"] += 1
        if booking.status not in VISIT_STATUSES:
            continue
        visit_booking_ids.add(booking.id)
        nationality = booking_nationality(booking)
        if item.is_stay:
            nights = _nights_in_year(item, year)
            if item.check_in.year == year:
                stay_nights.append(item.night_count)
            for night in nights:
                months[night.month - 1]["guest_nights"] += item.guests
                months[night.month - 1]["room_nights"] += item.quantity
                by_month_nationality[(nationality, "guest_nights", night.month)] += item.guests
            visitors = item.guests * len(nights)
            kind = "guest_nights"
        else:
            if item.check_in.year != year:
                continue
            months[item.check_in.month - 1]["participants"] += item.quantity
            by_month_nationality[(nationality, "participants", item.check_in.month)] += (
                item.quantity
            )
            visitors = item.quantity
            kind = "participants"
        by_nationality[(nationality, kind)] += visitors
        domestic[("domestic" if nationality == HOME_COUNTRY else "international", kind)] += visitors
        by_listing[item.listing_id][kind] += visitors
        by_community[booking.community_id][kind] += visitors
    _capacity(community_ids, year, months)
    revenue, source = revenue_split(community_ids, visit_booking_ids, booking_ids, no_show_ids)
    tables = _tables(
        year, months, by_nationality, domestic, by_listing, by_community, revenue, locale
    )
    tables.update(_month_nationality_tables(by_month_nationality, locale))
    totals = {
        "guest_nights": sum(m["guest_nights"] for m in months),
        "participants": sum(m["participants"] for m in months),
        "room_nights": sum(m["room_nights"] for m in months),
        "capacity": sum(m["capacity"] for m in months),
        "cancelled": sum(m["cancelled"] for m in months),
        "no_show": sum(m["no_show"] for m in months),
        "stays": len(stay_nights),
        "average_stay": round(sum(stay_nights) / len(stay_nights), 2) if stay_nights else 0,
        "occupancy": occupancy(
            sum(m["room_nights"] for m in months), sum(m["capacity"] for m in months)
        ),
        **revenue,
    }
    return Report(year, months, tables, source, totals)


def booking_first_day(booking: Booking) -> date:
    return min(i.check_in for i in booking.items)


def occupancy(sold: int, offered: int) -> float:
    """Percent of offered room-nights sold, one decimal."""
    return round(100 * sold / offered, 1) if offered else 0.0


def listing_opened(listing: Listing) -> date:
    """The business day from which a listing offers its rooms: published, else created."""
    moment = listing.published_at or listing.created_at
    return moment.astimezone(BUSINESS_TZ).date()


def _capacity(community_ids: list[int], year: int, months: list[dict]) -> None:
    """Room-nights offered: units of every room type of the communities' stays, every night
    from the day its listing opened (`listing_opened`)."""
    rows = db.session.execute(
        select(Listing, func.coalesce(func.sum(RoomType.units), 0))
        .join(RoomType, RoomType.listing_id == Listing.id)
        .where(Listing.community_id.in_(community_ids or [-1]))
        .group_by(Listing.id)
    ).all()
    for month in months:
        days = pycalendar.monthrange(year, month["month"])[1]
        first, last = date(year, month["month"], 1), date(year, month["month"], days)
        offered = 0
        for listing, units in rows:
            start = max(first, listing_opened(listing))
            if start <= last:
                offered += int(units) * ((last - start).days + 1)
        month["capacity"] = offered


def revenue_split(
    community_ids: list[int],
    visit_ids: set[int],
    booking_ids: set[int] | None = None,
    no_show_ids: set[int] | None = None,
) -> tuple[dict, str]:
    """Host / community fund / platform VND, and where it came from: the ledger's shares of
    every booking (`booking_ids`, all statuses), else an estimate from the visits' totals and
    what the no-shows paid (the ledger keeps a no-show's payment; it refunds nothing)."""
    split = {"host": 0, "community_fund": 0, "platform": 0}
    booking_ids = booking_ids if booking_ids is not None else visit_ids
    if not booking_ids:
        return split, "estimate"
    ledger = db.session.execute(
        select(LedgerEntry.account, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.booking_id.in_(booking_ids), LedgerEntry.kind == LedgerKind.SHARE)
        .group_by(LedgerEntry.account)
    ).all()
    if ledger:
        for account, amount in ledger:
            split[LedgerAccount(account).value] = int(amount)
        return split, "ledger"
    estimated = set(visit_ids) | set(no_show_ids or ())
    for booking in db.session.scalars(select(Booking).where(Booking.id.in_(estimated or [-1]))):
        community: Community = booking.community
        amount = booking.total if booking.id in visit_ids else min(paid(booking), booking.total)
        platform = share(amount, community.commission_rate_bp)
        fund = share(amount, community.community_fund_rate_bp)
        split["platform"] += platform
        split["community_fund"] += fund
        split["host"] += amount - platform - fund
    return split, "estimate"


def _nationality_name(code: str, locale: str) -> str:
    return str(_l("Unknown")) if code == UNKNOWN else country_name(code, locale)


def _month_nationality_tables(counts: Counter, locale: str) -> dict[str, Table]:
    """Nationality x month, one table for guest nights and one for tour participants."""
    tables = {}
    titles = {
        "guest_nights": _l("Guest nights by nationality and month"),
        "participants": _l("Tour participants by nationality and month"),
    }
    for kind, title in titles.items():
        codes = sorted({n for n, k, _m in counts if k == kind})
        rows = []
        for code in codes:
            values = [counts[(code, kind, m)] for m in range(1, 13)]
            rows.append([_nationality_name(code, locale), *values, sum(values)])
        rows.sort(key=lambda row: (-row[-1], row[0]))
        tables[f"nationality_month_{kind}"] = Table(
            f"nationality_month_{kind}",
            str(title),
            [str(_l("Nationality")), *[str(m) for m in range(1, 13)], str(_l("Total"))],
            rows,
        )
    return tables


def _tables(year, months, by_nationality, domestic, by_listing, by_community, revenue, locale):
    names = {n: f"{year}-{n:02d}" for n in range(1, 13)}
    monthly = Table(
        "monthly",
        str(_l("Visitors per month")),
        [
            str(_l("Month")),
            str(_l("Guest nights")),
            str(_l("Tour participants")),
            str(_l("Room-nights sold")),
            str(_l("Room-nights offered")),
            str(_l("Occupancy (percent)")),
            str(_l("Cancellations")),
            str(_l("No-shows")),
        ],
        [
            [
                names[m["month"]],
                m["guest_nights"],
                m["participants"],
                m["room_nights"],
                m["capacity"],
                occupancy(m["room_nights"], m["capacity"]),
                m["cancelled"],
                m["no_show"],
            ]
            for m in months
        ],
    )
    visitor_headers = [str(_l("Guest nights")), str(_l("Tour participants"))]
    origin = Table(
        "origin",
        str(_l("Domestic and international")),
        [str(_l("Origin")), *visitor_headers],
        [
            [
                str(_l("Domestic")) if key == "domestic" else str(_l("International")),
                domestic[(key, "guest_nights")],
                domestic[(key, "participants")],
            ]
            for key in ("domestic", "international")
        ],
    )
    nationalities = sorted({n for n, _ in by_nationality})
    nationality = Table(
        "nationality",
        str(_l("By nationality")),
        [str(_l("Nationality")), *visitor_headers],
        sorted(
            (
                [
                    _nationality_name(n, locale),
                    by_nationality[(n, "guest_nights")],
                    by_nationality[(n, "participants")],
                ]
                for n in nationalities
            ),
            key=lambda row: (-(row[1] + row[2]), row[0]),
        ),
    )
    listing_rows = []
    for listing_id, counts in sorted(by_listing.items()):
        listing = db.session.get(Listing, listing_id)
        title, _fallback = listing.text_for(locale)
        listing_rows.append(
            [title.title if title else listing.key, counts["guest_nights"], counts["participants"]]
        )
    per_listing = Table(
        "listing", str(_l("By listing")), [str(_l("Listing")), *visitor_headers], listing_rows
    )
    community_rows = []
    for community_id, counts in sorted(by_community.items()):
        community = db.session.get(Community, community_id)
        community_rows.append(
            [localized(community.name, locale), counts["guest_nights"], counts["participants"]]
        )
    per_community = Table(
        "community",
        str(_l("By community")),
        [str(_l("Community")), *visitor_headers],
        community_rows,
    )
    money = Table(
        "revenue",
        str(_l("Revenue split")),
        [str(_l("Share")), str(_l("VND"))],
        [
            [str(_l("Hosts")), revenue["host"]],
            [str(_l("Community fund")), revenue["community_fund"]],
            [str(_l("Platform")), revenue["platform"]],
        ],
    )
    return {t.key: t for t in (monthly, origin, nationality, per_community, per_listing, money)}
