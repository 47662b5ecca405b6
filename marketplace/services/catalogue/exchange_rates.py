"""Indicative prices: the rates an admin sets, and VND amounts turned into other currencies.

Only ever shown beside the dong price ("≈ US$47"); every charge is in VND. Without a rate there
is no indicative price at all, never a guess. Decimal arithmetic throughout, never float.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import get_currency_precision
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...clock import utcnow
from ...database import begin_write
from ...extensions import db
from ...models import ExchangeRate, Role, User
from ...money import ensure_vnd
from ..shared import audit
from ..shared.errors import Forbidden, ServiceError

#: currencies a visitor may see prices in, in the order they are offered
CURRENCIES = ("USD", "EUR", "CNY", "KRW")
#: dong per unit a rate must fall in: wide enough for years of drift, narrow enough to refuse a
#: rate typed with a thousands separator ("25.450" for USD) or for the wrong currency
PLAUSIBLE = {
    "USD": (Decimal(10_000), Decimal(100_000)),
    "EUR": (Decimal(10_000), Decimal(100_000)),
    "CNY": (Decimal(1_000), Decimal(15_000)),
    "KRW": (Decimal(5), Decimal(100)),
}
#: decimals a rate may carry
MAX_DECIMALS = 4


def parse_currency(value) -> str:
    """An upper-case code from CURRENCIES. Raises ServiceError unknown_currency."""
    code = str(value or "").strip().upper()
    if code not in CURRENCIES:
        raise ServiceError(
            _("Choose one of: %(codes)s.", codes=", ".join(CURRENCIES)),
            "unknown_currency",
            "currency",
        )
    return code


def parse_rate(currency: str, value) -> Decimal:
    """Dong per unit of `currency` as an exact Decimal, from text, an int or a Decimal.

    Digits with at most one point for decimals ("25450", "18.25"); spaces are ignored; commas
    are refused, as they mean thousands in English and decimals in Vietnamese.
    Raises ServiceError invalid_rate or implausible_rate.
    """
    invalid = ServiceError(
        _("Write the rate in digits, with a point for decimals, e.g. 25450 or 18.25."),
        "invalid_rate",
        "rate",
    )
    if isinstance(value, bool | float):
        raise invalid
    text = str(value if value is not None else "").strip().replace(" ", "").replace("_", "")
    if not text or "," in text or text.count(".") > 1 or not text.replace(".", "").isdigit():
        raise invalid
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise invalid from None
    if -rate.as_tuple().exponent > MAX_DECIMALS:
        raise ServiceError(_("Use at most %(n)d decimals.", n=MAX_DECIMALS), "invalid_rate", "rate")
    low, high = PLAUSIBLE[currency]
    if not low <= rate <= high:
        raise ServiceError(
            _(
                "One %(currency)s is worth between %(low)s and %(high)s dong: check the rate.",
                currency=currency,
                low=format_decimal(low),
                high=format_decimal(high),
            ),
            "implausible_rate",
            "rate",
        )
    return rate


def set_rate(currency, value, *, by: User | None = None, now: datetime | None = None):
    """Set the rate of `currency` (dong per unit); commits and writes an audit row.

    `by` is the admin setting it; None for the command line. Raises ServiceError
    unknown_currency, invalid_rate, implausible_rate; Forbidden unless `by` is an admin.
    """
    if by is not None and by.role != Role.ADMIN:
        raise Forbidden(_("Only administrators set exchange rates."), "forbidden")
    code = parse_currency(currency)
    rate = parse_rate(code, value)
    text = format(rate.normalize(), "f")  # "25450", "18.25"
    now = now or utcnow()
    for attempt in range(2):  # a first insert racing another one meets the unique code
        try:
            return _write(code, text, by, now)
        except IntegrityError:
            db.session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


def _write(code: str, text: str, by: User | None, now: datetime) -> ExchangeRate:
    begin_write()
    row = db.session.scalar(
        select(ExchangeRate).where(ExchangeRate.currency == code).with_for_update()
    )
    old = row.vnd_per_unit if row else None
    if row is None:
        row = ExchangeRate(currency=code, vnd_per_unit=text)
        db.session.add(row)
    row.vnd_per_unit = text
    row.set_by_id = by.id if by is not None else None
    row.set_at = now
    db.session.flush()
    audit.record(row, "rate_set", actor=by, data={"currency": code, "old": old, "new": text})
    db.session.commit()
    return row


def current_rates() -> dict[str, ExchangeRate]:
    """The rates set, by currency code."""
    return {row.currency: row for row in db.session.scalars(select(ExchangeRate))}


def rate_table() -> list[tuple[str, ExchangeRate | None]]:
    """Every offered currency with its rate, or None when none is set yet."""
    rates = current_rates()
    return [(code, rates.get(code)) for code in CURRENCIES]


def rate_for(currency: str | None) -> Decimal | None:
    """Dong per unit of `currency`, or None when it is not offered or has no rate."""
    if currency not in CURRENCIES:
        return None
    row = db.session.scalar(select(ExchangeRate).where(ExchangeRate.currency == currency))
    return row.rate if row else None


def convert(amount: int, rate: Decimal, currency: str) -> Decimal:
    """`amount` dong in `currency` at `rate` dong per unit, rounded half up to the currency's
    usual decimals (2 for USD, EUR and CNY, none for KRW). Raises TypeError for a non-int."""
    ensure_vnd(amount)
    if not isinstance(rate, Decimal) or rate <= 0:
        raise ValueError("a rate is a positive Decimal")
    step = Decimal(1).scaleb(-get_currency_precision(currency))
    return (Decimal(amount) / rate).quantize(step, rounding=ROUND_HALF_UP)


def indicative(amount: int, currency: str | None, rate: Decimal | None = None) -> Decimal | None:
    """`amount` dong in `currency`, or None without a rate (never a made-up number)."""
    rate = rate if rate is not None else rate_for(currency)
    if rate is None or currency not in CURRENCIES:
        return None
    return convert(amount, rate, currency)
