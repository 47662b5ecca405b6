"""Reading one typed value from what a person or a client sent: whole numbers and dates.

One function for each, so a number refused in the booking form and in the listing form is
refused with the same words and the same error code (`invalid_number`, `out_of_range`,
`invalid_date`), and each problem names its field.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from ...money import parse_vnd
from .errors import ServiceError


def invalid(message: str, field: str, code: str = "invalid") -> ServiceError:
    return ServiceError(message, code, field)


def parse_int(value, field: str, *, minimum: int = 0, maximum: int = 10**10) -> int:
    """A whole number from minimum to maximum, as the page's language writes it ("1.500.000")."""
    try:
        number = parse_vnd(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise invalid(_("Enter a whole number."), field, "invalid_number") from None
    if number < minimum:
        raise invalid(_("Enter at least %(n)d.", n=minimum), field, "out_of_range")
    if number > maximum:
        raise invalid(_("Enter at most %(n)d.", n=maximum), field, "out_of_range")
    return number


def parse_amount(value, field: str, *, maximum: int) -> int:
    """A sum of money in whole dong, more than nothing, as the page's language writes it."""
    try:
        amount = parse_vnd(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        amount = 0
    if amount <= 0 or amount > maximum:
        raise invalid(_("Enter the amount in dong."), field, "invalid_amount")
    return amount


def parse_basis_points(value, field: str) -> int:
    """A percentage from 0 to 100 with up to two decimals ("2,5" or "2.5"), in basis points."""
    text = str(value or "").strip().replace(",", ".")
    try:
        percent = Decimal(text) if text and len(text) <= 12 else None
    except InvalidOperation:
        percent = None
    if percent is None or not percent.is_finite():
        raise invalid(_("Enter a percentage."), field, "invalid_number")
    if percent < 0 or percent > 100:
        raise invalid(_("Between 0 and 100."), field, "out_of_range")
    return int((percent * 100).to_integral_value())


def parse_date(value, field: str) -> date:
    """A date written as YYYY-MM-DD (what date inputs and the API send)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise invalid(_("Enter a date as YYYY-MM-DD."), field, "invalid_date") from None
