"""Indicative prices: the admin's rate page and command, the visitor's currency, the VND notice."""

import re

import pytest

from marketplace.extensions import db
from marketplace.models import ExchangeRate, Role
from marketplace.services.catalogue import exchange_rates
from marketplace.web.booking_access import booking_key
from tests.factories import (
    login,
    make_community,
    make_held_booking,
    make_listing,
    make_user,
    stay_item,
)


def _approx(page: str) -> list[str]:
    return re.findall(r'<small class="approx"[^>]*>([^<]*)</small>', page)


def test_admin_sets_a_rate_with_the_form_and_the_page_lists_it(client):
    admin = make_user(Role.ADMIN, name="Trần Quản Trị")
    login(client, admin)
    assert "not set" in client.get("/admin/rates?lang=en").get_data(as_text=True)
    response = client.post("/admin/rates", data={"currency": "KRW", "rate": "18.25"})
    assert response.status_code == 302
    page = client.get("/admin/rates?lang=en").get_data(as_text=True)
    assert "18.25" in page and "Trần Quản Trị" in page
    row = ExchangeRate.query.filter_by(currency="KRW").one()
    assert row.vnd_per_unit == "18.25" and row.set_by_id == admin.id
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/rates"' in dashboard


@pytest.mark.parametrize(
    "rate, message",
    [
        ("25,450", "Write the rate in digits"),
        ("25.450", "between 10,000 and 100,000"),
        ("", "Write the rate in digits"),
        ("9" * 400, "between 10,000 and 100,000"),
    ],
)
def test_a_bad_rate_shows_the_form_with_its_message(client, rate, message):
    login(client, make_user(Role.ADMIN))
    response = client.post("/admin/rates?lang=en", data={"currency": "USD", "rate": rate})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'id="rate-USD-error"' in page
    assert ExchangeRate.query.count() == 0


def test_an_unknown_currency_is_refused_on_the_page(client):
    login(client, make_user(Role.ADMIN))
    response = client.post("/admin/rates?lang=en", data={"currency": "GBP", "rate": "33000"})
    assert response.status_code == 400
    assert "Choose one of: USD, EUR, CNY, KRW." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.COOP, Role.HOST, Role.TOURIST, Role.GUIDE])
def test_only_admins_see_and_set_rates(client, role):
    community = make_community()
    login(client, make_user(role, community=community if role != Role.TOURIST else None))
    assert client.get("/admin/rates").status_code == 403
    response = client.post("/admin/rates", data={"currency": "USD", "rate": "25450"})
    assert response.status_code == 403
    assert ExchangeRate.query.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get("/admin/rates").status_code == 302
    assert client.post("/admin/rates", data={"currency": "USD", "rate": "1"}).status_code == 302


def test_cli_sets_and_lists_rates(runner):
    result = runner.invoke(args=["rates", "set", "usd", "25450"])
    assert result.exit_code == 0, result.output
    assert "1 USD = 25450 VND" in result.output
    listed = runner.invoke(args=["rates", "list"])
    assert re.search(r"USD\s+25450 VND\s+set \d{4}-\d\d-\d\d \d\d:\d\d UTC", listed.output)
    assert "KRW  not set" in listed.output
    bad = runner.invoke(args=["rates", "set", "USD", "25,450"])
    assert bad.exit_code != 0 and "25450" in bad.output  # the message shows the expected form
    assert ExchangeRate.query.one().vnd_per_unit == "25450"


def test_chosen_currency_shows_beside_the_dong_and_is_remembered(client):
    listing = make_listing(nightly_price=500_000)
    exchange_rates.set_rate("KRW", "18.25")
    page = client.get(f"/l/{listing.key}?lang=en&currency=KRW").get_data(as_text=True)
    assert _approx(page) == ["≈ ₩27,397"]  # 500 000 / 18.25, no decimals for the won
    assert "₫500,000" in page
    again = client.get(f"/l/{listing.key}").get_data(as_text=True)
    assert _approx(again) == ["≈ ₩27,397"]
    off = client.get(f"/l/{listing.key}?currency=VND").get_data(as_text=True)
    assert _approx(off) == []


def test_no_rate_no_indicative_price(client):
    listing = make_listing(nightly_price=500_000)
    exchange_rates.set_rate("USD", "25000")
    page = client.get(f"/l/{listing.key}?lang=en&currency=EUR").get_data(as_text=True)
    assert "≈" not in page
    assert _approx(client.get(f"/l/{listing.key}?currency=USD").get_data(as_text=True)) == [
        "≈ $20.00"
    ]


@pytest.mark.parametrize(
    "lang, expected",
    [("en", "≈ $20.00"), ("ko", "≈ ₩27,397"), ("zh", "≈ ¥142.05"), ("vi", None)],
)
def test_the_currency_follows_the_language_until_one_is_chosen(client, lang, expected):
    listing = make_listing(nightly_price=500_000)
    for code, rate in (("USD", "25000"), ("KRW", "18.25"), ("CNY", "3520")):
        exchange_rates.set_rate(code, rate)
    page = client.get(f"/l/{listing.key}?lang={lang}").get_data(as_text=True)
    assert _approx(page) == ([expected] if expected else [])


def test_search_cards_and_booking_total_show_the_indicative_price(client):
    listing = make_listing(nightly_price=400_000)
    exchange_rates.set_rate("USD", "25000")
    item = stay_item(listing.room_types[0], nights=2)
    results = client.get(
        "/search",
        query_string={"check_in": item["check_in"], "check_out": item["check_out"], "lang": "en"},
    ).get_data(as_text=True)
    assert "≈ $32.00" in _approx(results)  # two nights
    form = client.get("/book", query_string={**item, "currency": "USD"}).get_data(as_text=True)
    assert _approx(form) == ["≈ $32.00"]


def test_payment_says_the_charge_is_in_dong(app, client):
    exchange_rates.set_rate("USD", "25000")
    booking = make_held_booking(make_listing(nightly_price=600_000))
    with app.test_request_context():
        key = booking_key(booking)
    url = f"/trips/{booking.reference}?key={key}&lang=en"
    page = client.get(url).get_data(as_text=True)
    assert (
        "You will be charged ₫1,200,000 in Vietnamese dong; ≈ $48.00 is only an indication" in page
    )
    client.post(f"/trips/{booking.reference}/pay?key={key}", data={"method": "vietqr"})
    db.session.expire_all()
    qr_page = client.get(url).get_data(as_text=True)
    assert "You will be charged ₫1,200,000 in Vietnamese dong" in qr_page
    vietnamese = client.get(url.replace("lang=en", "lang=vi")).get_data(as_text=True)
    assert 'class="vnd-notice"' not in vietnamese  # the dong alone: nothing to explain


def test_currency_chooser_links_keep_the_page(client):
    listing = make_listing()
    page = client.get(f"/l/{listing.key}?lang=en&guests=2").get_data(as_text=True)
    assert f'href="/l/{listing.key}?lang=en&amp;guests=2&amp;currency=KRW"' in page
    assert '<strong aria-current="true">USD</strong>' in page


def test_demo_seed_sets_rates_once_and_keeps_an_admins(runner):
    from decimal import Decimal

    exchange_rates.set_rate("USD", "25000")
    first = runner.invoke(args=["demo", "seed", "--no-photos"])
    assert first.exit_code == 0, first.output
    assert "exchange rates: +3" in first.output
    assert exchange_rates.rate_for("USD") == Decimal("25000")
    assert exchange_rates.rate_for("KRW") == Decimal("18.2")
    second = runner.invoke(args=["demo", "seed", "--no-photos"])
    assert "exchange rates: +0" in second.output
