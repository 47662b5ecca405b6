"""Nightly prices: base, weekend, season, date override; integers only."""

from datetime import date

from marketplace.extensions import db
from marketplace.models import PriceRule, PriceRuleKind
from marketplace.services.catalogue import pricing
from tests.factories import make_listing


def add_rule(listing, **fields):
    rule = PriceRule(listing=listing, **fields)
    db.session.add(rule)
    db.session.commit()
    return rule


def test_base_price_times_nights_and_rooms():
    listing = make_listing(nightly_price=400_000)
    quote = pricing.quote_stay(listing.room_types[0], date(2027, 3, 1), date(2027, 3, 3), rooms=2)
    assert [line["price"] for line in quote.lines] == [400_000, 400_000]
    assert quote.total == 1_600_000 and isinstance(quote.total, int)


def test_weekend_nights_are_friday_and_saturday():
    listing = make_listing(nightly_price=400_000)
    add_rule(listing, kind=PriceRuleKind.WEEKEND, percent=25)
    # Thu 2027-03-04 .. Sun 2027-03-07: Thu, Fri, Sat nights
    quote = pricing.quote_stay(listing.room_types[0], date(2027, 3, 4), date(2027, 3, 7))
    assert [line["price"] for line in quote.lines] == [400_000, 500_000, 500_000]


def test_prices_across_a_season_boundary():
    listing = make_listing(nightly_price=300_000)
    add_rule(listing, kind=PriceRuleKind.WEEKEND, percent=20)
    add_rule(
        listing,
        kind=PriceRuleKind.SEASON,
        start_date=date(2027, 2, 1),
        end_date=date(2027, 2, 20),
        percent=50,
    )
    # Jan 30 (Sat, weekend) .. Feb 2: Jan 30, Jan 31, Feb 1 (season)
    quote = pricing.quote_stay(listing.room_types[0], date(2027, 1, 30), date(2027, 2, 2))
    assert [line["price"] for line in quote.lines] == [360_000, 300_000, 450_000]
    assert quote.total == 1_110_000


def test_a_date_override_wins():
    listing = make_listing(nightly_price=300_000)
    add_rule(
        listing,
        kind=PriceRuleKind.SEASON,
        start_date=date(2027, 2, 1),
        end_date=date(2027, 2, 20),
        percent=50,
    )
    add_rule(listing, kind=PriceRuleKind.DATE, start_date=date(2027, 2, 5), nightly_price=999_000)
    quote = pricing.quote_stay(listing.room_types[0], date(2027, 2, 4), date(2027, 2, 6))
    assert [line["price"] for line in quote.lines] == [450_000, 999_000]


def test_percent_rounds_to_whole_dong():
    from marketplace.money import apply_percent

    assert apply_percent(333_333, 15) == 383_333
    assert apply_percent(100_001, -50) == 50_001
