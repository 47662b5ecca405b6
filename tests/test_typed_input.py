"""Amounts and phone numbers as people type them: one reading each, whatever the page's language."""

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from marketplace.money import parse_vnd
from marketplace.phones import parse_phone
from marketplace.services.shared.errors import ServiceError
from marketplace.services.shared.values import parse_amount, parse_int

LOCALES = ["vi", "en", "zh_Hans", "ko"]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    "typed, dong",
    [
        ("1500000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1.500.000,00", 1_500_000),
        ("1,500,000.00", 1_500_000),
        ("1.500.000 ₫", 1_500_000),
        ("250.000đ", 250_000),
        ("1.500", 1_500),  # one separator and three digits: thousands, dong have no fraction
        ("1,000", 1_000),
        ("-10", -10),
        (1_500_000, 1_500_000),
    ],
)
def test_amounts_read_the_same_in_every_language(locale, typed, dong):
    assert parse_vnd(typed, locale) == dong


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    "typed", ["1,5", "1.5", "1500000.50", "15.00.000", "", "abc", "1e5", "NaN", None, 1.5, True]
)
def test_fractions_and_non_numbers_are_refused(locale, typed):
    with pytest.raises(ValueError):
        parse_vnd(typed, locale)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(LOCALES))
def test_what_babel_writes_is_read_back(amount, locale):
    assert parse_vnd(format_decimal(amount, locale=locale), locale) == amount


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(LOCALES))
def test_a_figure_written_the_other_way_is_read_too(amount, locale):
    for writer in ("vi", "en"):
        assert parse_vnd(format_decimal(amount, locale=writer), locale) == amount


def test_the_page_language_is_used_within_a_request(app):
    with app.test_request_context("/?lang=en", headers={"Accept-Language": "en"}):
        assert parse_vnd("1,500,000") == 1_500_000
        assert parse_vnd("1.500.000") == 1_500_000
    with app.app_context():  # outside a page: Vietnamese
        assert parse_vnd("1.500.000,00") == 1_500_000


def test_callers_keep_their_error_codes(app):
    with app.app_context():
        assert parse_amount("1.500.000", "amount", maximum=10**10) == 1_500_000
        assert parse_int("1.200.000", "price", maximum=10**9) == 1_200_000
        assert parse_int("-10", "percent", minimum=-90, maximum=500) == -10
        with pytest.raises(ServiceError) as refused:
            parse_amount("1,5", "amount", maximum=10**10)
        assert (refused.value.code, refused.value.field) == ("invalid_amount", "amount")
        with pytest.raises(ServiceError) as refused:
            parse_int("12.5", "price")
        assert (refused.value.code, refused.value.field) == ("invalid_number", "price")


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("+84 912 345 678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("(024) 3825 1234", "+842438251234"),
        ("0084 912 345 678", "+84912345678"),
        ("+82 10 1234 5678", "+821012345678"),
        ("+49 151 2345 6789", "+4915123456789"),
        ("+1 (415) 555-0100", "+14155550100"),
        # another country's national way: kept as typed, the host can still call it
        ("0151 2345 6789 01", "0151 2345 6789 01"),
    ],
)
def test_phones_are_stored_in_e164(typed, stored):
    assert parse_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["", "12", "+4915123", "call me", "+84 912 345 678 999 999", "+1234567890123456"]
)
def test_phones_that_are_no_number_are_refused(typed):
    with pytest.raises(ValueError):
        parse_phone(typed)


@given(st.from_regex(r"0(3|5|7|8|9)[0-9]{8}", fullmatch=True))
def test_vietnamese_mobiles_in_national_form_become_e164(national):
    assert parse_phone(national) == "+84" + national[1:]
    spaced = f"{national[:4]} {national[4:7]} {national[7:]}"
    assert parse_phone(spaced) == "+84" + national[1:]
