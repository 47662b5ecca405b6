"""Exchange rates: exact Decimal conversion, no rate no number, bad rates refused with a message."""

from decimal import Decimal

import pytest

from marketplace.models import AuditEntry, ExchangeRate, Role
from marketplace.services.catalogue import exchange_rates
from marketplace.services.shared.errors import Forbidden, ServiceError
from tests.factories import make_user


@pytest.mark.parametrize(
    "amount, rate, currency, expected",
    [
        (1_200_000, Decimal("25450"), "USD", Decimal("47.15")),  # 47.151... rounds down
        (1_273_750, Decimal("25450"), "USD", Decimal("50.05")),  # 50.0491...
        (1_000_000, Decimal("27600"), "EUR", Decimal("36.23")),
        (350_000, Decimal("3520"), "CNY", Decimal("99.43")),
        (1_200_000, Decimal("18.25"), "KRW", Decimal("65753")),  # won: no decimals
        (0, Decimal("25450"), "USD", Decimal("0.00")),
    ],
)
def test_convert_rounds_half_up_to_the_currency_digits(amount, rate, currency, expected):
    value = exchange_rates.convert(amount, rate, currency)
    assert value == expected and str(value) == str(expected)
    assert isinstance(value, Decimal)


def test_convert_half_up_at_the_exact_half():
    # 12 725 / 25 450 is 0.5 exactly; 127 / 25 400 is 0.005 exactly
    assert exchange_rates.convert(12_725, Decimal("25450"), "KRW") == Decimal("1")
    assert exchange_rates.convert(127, Decimal("25400"), "USD") == Decimal("0.01")


def test_convert_refuses_floats_and_negative_amounts():
    with pytest.raises(TypeError):
        exchange_rates.convert(1.5, Decimal("25450"), "USD")
    with pytest.raises(ValueError):
        exchange_rates.convert(-1, Decimal("25450"), "USD")


def test_no_rate_means_no_indicative_price(app):
    assert exchange_rates.indicative(1_000_000, "USD") is None
    assert exchange_rates.indicative(1_000_000, None) is None
    exchange_rates.set_rate("USD", "25000")
    assert exchange_rates.indicative(1_000_000, "USD") == Decimal("40.00")
    assert exchange_rates.indicative(1_000_000, "EUR") is None
    assert exchange_rates.indicative(1_000_000, "GBP") is None


def test_set_rate_keeps_one_row_per_currency_with_who_and_when(app):
    admin = make_user(Role.ADMIN)
    exchange_rates.set_rate("usd", "25450", by=admin)
    row = exchange_rates.set_rate("USD", " 25 600 ", by=admin)
    assert ExchangeRate.query.count() == 1
    assert row.vnd_per_unit == "25600" and row.rate == Decimal("25600")
    assert row.set_by_id == admin.id and row.set_at is not None
    entries = AuditEntry.query.filter_by(action="rate_set").all()
    assert [e.data["new"] for e in entries] == ["25450", "25600"]
    assert entries[1].data["old"] == "25450"


def test_decimal_rate_is_stored_exactly(app):
    row = exchange_rates.set_rate("KRW", "18.250")
    assert row.vnd_per_unit == "18.25"
    assert exchange_rates.rate_for("KRW") == Decimal("18.25")


@pytest.mark.parametrize(
    "currency, value, code",
    [
        ("USD", "", "invalid_rate"),
        ("USD", "abc", "invalid_rate"),
        (
            "USD",
            "25,450",
            "invalid_rate",
        ),  # a comma is thousands in English, decimals in Vietnamese
        ("USD", "-25450", "invalid_rate"),
        ("USD", "1e5", "invalid_rate"),
        ("USD", "NaN", "invalid_rate"),
        ("USD", 25450.0, "invalid_rate"),  # never a float
        ("USD", "25.450", "implausible_rate"),  # typed with a thousands point
        ("USD", "0", "implausible_rate"),
        ("KRW", "18250", "implausible_rate"),
        ("KRW", "18.12345", "invalid_rate"),
        ("GBP", "32000", "unknown_currency"),
        ("", "32000", "unknown_currency"),
    ],
)
def test_bad_rates_are_refused_with_a_message(app, currency, value, code):
    with pytest.raises(ServiceError) as excinfo:
        exchange_rates.set_rate(currency, value)
    assert excinfo.value.code == code
    assert excinfo.value.message
    assert ExchangeRate.query.count() == 0


def test_only_admins_set_rates(app):
    with pytest.raises(Forbidden):
        exchange_rates.set_rate("USD", "25450", by=make_user(Role.TOURIST))
    assert ExchangeRate.query.count() == 0
