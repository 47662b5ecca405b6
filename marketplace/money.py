"""VND as an integer: formatting through Babel, Stripe's zero-decimal rule in one place."""

import re
from decimal import Decimal

from babel import Locale
from babel.numbers import NumberFormatError, format_currency, get_decimal_symbol, parse_decimal

CURRENCY = "VND"
#: the language whose way of writing numbers is assumed outside a page (jobs, the shell)
DEFAULT_LOCALE = "vi"
#: what people put around a figure: spaces between thousands, the currency's marks
_NOISE_RE = re.compile(r"(?i)\s|vnd|₫|đ")
_FIGURE_RE = re.compile(r"[-+]?[0-9][0-9.,]*")


def ensure_vnd(amount: int) -> int:
    """Refuse anything but a whole number of dong (floats and bools included).

    Raises TypeError or ValueError.
    """
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"VND amounts are integers, got {type(amount).__name__}")
    if amount < 0:
        raise ValueError("VND amounts are not negative")
    return amount


def format_vnd(amount: int, locale: str = "vi") -> str:
    return format_currency(amount, CURRENCY, locale=locale, format_type="standard")


def to_stripe_amount(amount: int) -> int:
    """VND is zero-decimal at Stripe: the amount is the dong figure itself, never x100."""
    return ensure_vnd(amount)


def from_stripe_amount(amount: int) -> int:
    return int(amount)


def apply_percent(amount: int, percent: int) -> int:
    """`amount` changed by a whole percent, rounded half up to the dong, in integers only."""
    return (amount * (100 + percent) + 50) // 100


def share(amount: int, basis_points: int) -> int:
    """The part of `amount` at a rate in basis points, rounded half up, in integers only."""
    sign = -1 if amount < 0 else 1
    return sign * ((abs(amount) * basis_points + 5000) // 10000)


def parse_vnd(value, locale: str | Locale | None = None) -> int:
    """Whole dong from what a person typed: "1500000", "1.500.000", "1,500,000", "1 500 000 ₫".

    Read with `locale`'s separators (by default the page's language): "1.500.000,00" in
    Vietnamese, "1,500,000.00" in English. A figure only the other convention can read is read
    that way, and one separator followed by three digits groups thousands in any language,
    since dong have no fraction ("1.500" is 1500 on an English page too). The sign is kept.

    Raises ValueError for anything else, a fraction ("1,5", "1500.50") included.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        number = value
    else:
        text = _NOISE_RE.sub("", str(value if value is not None else ""))
        if not _FIGURE_RE.fullmatch(text):
            raise ValueError(value)  # digits and separators only: no "1e5", no "NaN"
        number = _read(text, _locale(locale))
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(value)
    return int(number)


def _locale(locale) -> Locale:
    if locale is None:
        from flask import has_request_context
        from flask_babel import get_locale

        locale = (get_locale() if has_request_context() else None) or DEFAULT_LOCALE
    return locale if isinstance(locale, Locale) else Locale.parse(str(locale))


def _read(text: str, locale: Locale) -> Decimal:
    point = get_decimal_symbol(locale)
    other = Locale.parse("en" if point == "," else "vi")
    tries = [locale, other]
    if re.fullmatch(r"[-+]?\d{1,3}[.,]\d{3}", text) and point in text:
        tries = [other]  # "1.500" on an English page: a thousands group, not 1.5
    for attempt in tries:
        try:
            return parse_decimal(text, locale=attempt, strict=True)
        except NumberFormatError:
            continue
    raise ValueError(text)
